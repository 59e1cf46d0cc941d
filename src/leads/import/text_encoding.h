#pragma once
// Text encodings of spreadsheet exports: detection (byte-order marks, UTF-16 without
// one, UTF-8 validity, the Windows-1252 fallback) and streaming conversion to UTF-8.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vaarta::leads::import {

struct TextEncoding {
  enum class Mode {
    kUtf8,        // valid UTF-8: read the bytes as they are
    kUtf8Repair,  // UTF-8 with a few invalid bytes, each read as a Windows-1252 character
    kConvert,     // another encoding, converted with ICU
  };
  Mode mode = Mode::kUtf8;
  std::string name;      // for FileFacts::encoding: "utf-8", "utf-16le", "windows-1252", ...
  std::string icu_name;  // kConvert: the ICU converter
  size_t bom_length = 0;
  // Offset of the first byte that is not valid UTF-8 (kUtf8Repair, or kConvert from a
  // UTF-8 guess that failed), and how many such sequences there are; for warnings.
  size_t first_bad_byte = std::string_view::npos;
  int64_t bad_sequences = 0;
};

// Decides the encoding of a text file from its bytes (all of them: UTF-8 validity is
// checked over the whole file, since one bad byte late in the file must not turn
// earlier rows into garbage). Refuses binary data (error unsupported_format).
core::Result<TextEncoding> DetectTextEncoding(std::string_view bytes);

// The text of a file as UTF-8, converted in chunks so that a file of several hundred MB
// never exists twice in memory.
class Utf8Source {
 public:
  virtual ~Utf8Source() = default;
  // Appends about `max_bytes` (at least one character) of UTF-8 to *out; returns false
  // when the input is exhausted and nothing was appended.
  virtual bool Read(std::string* out, size_t max_bytes) = 0;
  // Input bytes converted so far, counting the byte-order mark.
  virtual size_t consumed() const = 0;
};

// For kUtf8Repair and kConvert (kUtf8 needs no conversion). `bytes` is the whole file,
// byte-order mark included, and must outlive the source.
std::unique_ptr<Utf8Source> MakeUtf8Source(std::string_view bytes, const TextEncoding& encoding);

}  // namespace vaarta::leads::import
