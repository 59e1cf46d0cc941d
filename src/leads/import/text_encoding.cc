#include "leads/import/text_encoding.h"

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace vaarta::leads::import {
namespace {

constexpr size_t kSampleBytes = 64 * 1024;

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

struct Utf8Scan {
  int64_t valid_multibyte = 0;  // well-formed sequences of 2-4 bytes
  int64_t bad_sequences = 0;    // maximal ill-formed subparts
  size_t first_bad = std::string_view::npos;
};

// Validates UTF-8 with ICU's strict decoder, skipping ASCII eight bytes at a time:
// a 100 MB export is mostly ASCII and is checked in a few tens of milliseconds.
Utf8Scan ScanUtf8(std::string_view text) {
  Utf8Scan scan;
  const auto* data = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (data[i] < 0x80) {
      ++i;
      continue;
    }
    int32_t j = 0;
    const int32_t length = static_cast<int32_t>(std::min<size_t>(n - i, 4));
    UChar32 c;
    U8_NEXT(data + i, j, length, c);
    if (c < 0) {
      if (scan.first_bad == std::string_view::npos) scan.first_bad = i;
      ++scan.bad_sequences;
    } else {
      ++scan.valid_multibyte;
    }
    i += static_cast<size_t>(j);
  }
  return scan;
}

// UTF-16 without a byte-order mark: spreadsheet text is mostly ASCII (digits,
// delimiters, Latin names), so one byte of most code units is zero, always on the same
// side. Devanagari-only cells do not disturb this: the delimiters and numbers remain.
std::string GuessUtf16(std::string_view sample) {
  size_t pairs = sample.size() / 2;
  if (pairs < 2) return {};
  size_t even_zero = 0, odd_zero = 0;
  for (size_t i = 0; i + 1 < sample.size(); i += 2) {
    even_zero += sample[i] == '\0';
    odd_zero += sample[i + 1] == '\0';
  }
  if (odd_zero * 5 > pairs && even_zero * 50 < pairs) return "le";
  if (even_zero * 5 > pairs && odd_zero * 50 < pairs) return "be";
  return {};
}

bool LooksBinary(std::string_view sample) {
  size_t control = 0;
  for (unsigned char c : sample) {
    // Tab, LF, VT, FF, CR, SUB (old DOS end of file) and ESC occur in real text exports.
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1A &&
        c != 0x1B) {
      ++control;
    }
  }
  return control * 50 > sample.size();
}

// uchardet guesses badly on what Indian (and most) exports contain when they are not
// UTF-8: mostly ASCII with a few accented letters ("Jos\xE9" comes back as
// MAC-CENTRALEUROPE, "Ren\xE9 \x96 Z\xFCrich" as ISO-8859-3). Its guess is therefore
// only taken when most letters are non-ASCII, i.e. the text is in another script where
// reading it as Windows-1252 would surely be wrong, and only for the non-Latin
// encodings it recognises reliably.
std::string GuessNonLatinEncoding(std::string_view bytes) {
  std::string_view sample = bytes.substr(0, 1024 * 1024);
  size_t ascii_letters = 0, high = 0;
  for (unsigned char c : sample) {
    if (c >= 0x80) {
      ++high;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ++ascii_letters;
    }
  }
  if (high * 10 < (ascii_letters + high) * 3) return {};
  uchardet_t detector = uchardet_new();
  std::string guess;
  if (uchardet_handle_data(detector, sample.data(), sample.size()) == 0) {
    uchardet_data_end(detector);
    guess = uchardet_get_charset(detector);
  }
  uchardet_delete(detector);
  static constexpr std::string_view kTrusted[] = {
      "WINDOWS-1251", "KOI8-R",       "ISO-8859-5",  "IBM866",       "IBM855",
      "MAC-CYRILLIC", "WINDOWS-1253", "ISO-8859-7",  "WINDOWS-1255", "ISO-8859-8",
      "WINDOWS-1256", "ISO-8859-6",   "TIS-620",     "WINDOWS-874",  "ISO-8859-11",
      "SHIFT_JIS",    "EUC-JP",       "ISO-2022-JP", "GB18030",      "BIG5",
      "EUC-TW",       "EUC-KR",       "ISO-2022-KR", "ISO-2022-CN",  "HZ-GB-2312"};
  if (std::find(std::begin(kTrusted), std::end(kTrusted), guess) == std::end(kTrusted)) return {};
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(guess.c_str(), &status);
  if (U_FAILURE(status)) return {};
  ucnv_close(converter);
  return guess;
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr OpenConverter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open(name, &status));
  // Only names known to ICU get here (fixed ones, or checked guesses); a failure means
  // ICU's data is missing, which no input can cause.
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU has no converter ") + name);
  return converter;
}

// Any encoding to UTF-8 through ICU's two-converter pivot, a target chunk at a time.
// Undecodable input becomes U+FFFD (ICU's default), never an error.
class IcuUtf8Source : public Utf8Source {
 public:
  IcuUtf8Source(std::string_view bytes, const TextEncoding& encoding)
      : source_(OpenConverter(encoding.icu_name.c_str())),
        target_(OpenConverter("UTF-8")),
        begin_(bytes.data()),
        next_(bytes.data() + encoding.bom_length),
        end_(bytes.data() + bytes.size()),
        pivot_source_(pivot_.data()),
        pivot_target_(pivot_.data()) {}

  bool Read(std::string* out, size_t max_bytes) override {
    if (done_) return false;
    const size_t old_size = out->size();
    out->resize(old_size + std::max<size_t>(max_bytes, 16));
    char* target = out->data() + old_size;
    UErrorCode status = U_ZERO_ERROR;
    ucnv_convertEx(target_.get(), source_.get(), &target, out->data() + out->size(), &next_, end_,
                   pivot_.data(), &pivot_source_, &pivot_target_, pivot_.data() + pivot_.size(),
                   /*reset=*/false, /*flush=*/true, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR) done_ = true;  // everything converted
    out->resize(static_cast<size_t>(target - out->data()));
    return out->size() > old_size || !done_;
  }
  size_t consumed() const override { return static_cast<size_t>(next_ - begin_); }

 private:
  ConverterPtr source_, target_;
  const char* begin_;
  const char* next_;
  const char* end_;
  std::array<UChar, 4096> pivot_{};
  UChar* pivot_source_;
  UChar* pivot_target_;
  bool done_ = false;
};

// UTF-8 in which a few bytes are not: a file saved as UTF-8 into which one row was
// pasted from a Windows-1252 source. Each ill-formed byte is read as the Windows-1252
// character it most likely was, and every well-formed character is kept.
class RepairingUtf8Source : public Utf8Source {
 public:
  RepairingUtf8Source(std::string_view bytes, const TextEncoding& encoding)
      : bytes_(bytes), next_(encoding.bom_length) {
    ConverterPtr cp1252 = OpenConverter("windows-1252");
    for (int b = 0x80; b < 0x100; ++b) {
      char in = static_cast<char>(b);
      UChar unit[2];
      UErrorCode status = U_ZERO_ERROR;
      int32_t length = ucnv_toUChars(cp1252.get(), unit, 2, &in, 1, &status);
      UChar32 c = U_SUCCESS(status) && length == 1 ? unit[0] : 0xFFFD;
      auto& utf8 = windows1252_[static_cast<size_t>(b - 0x80)];
      int32_t offset = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(utf8.bytes), offset, 4, c, error);
      utf8.length = static_cast<uint8_t>(error ? 0 : offset);
    }
  }

  bool Read(std::string* out, size_t max_bytes) override {
    if (next_ >= bytes_.size()) return false;
    const auto* data = reinterpret_cast<const uint8_t*>(bytes_.data());
    const size_t end = std::min(bytes_.size(), next_ + std::max<size_t>(max_bytes, 16));
    size_t i = next_;
    size_t run = i;  // start of the well-formed run not yet copied
    while (i < end) {
      if (data[i] < 0x80) {
        ++i;
        continue;
      }
      int32_t j = 0;
      const int32_t length = static_cast<int32_t>(std::min<size_t>(bytes_.size() - i, 4));
      UChar32 c;
      U8_NEXT(data + i, j, length, c);
      if (c >= 0) {
        i += static_cast<size_t>(j);
        continue;
      }
      out->append(bytes_.data() + run, i - run);
      for (int32_t k = 0; k < j; ++k) {
        const auto& utf8 = windows1252_[data[i + static_cast<size_t>(k)] - 0x80];
        out->append(utf8.bytes, utf8.length);
      }
      i += static_cast<size_t>(j);
      run = i;
    }
    out->append(bytes_.data() + run, i - run);
    next_ = i;
    return true;
  }
  size_t consumed() const override { return next_; }

 private:
  struct Utf8Char {
    char bytes[4];
    uint8_t length;
  };
  std::string_view bytes_;
  size_t next_;
  std::array<Utf8Char, 128> windows1252_{};
};

}  // namespace

core::Result<TextEncoding> DetectTextEncoding(std::string_view bytes) {
  TextEncoding encoding;
  auto convert = [&](std::string name, std::string icu_name, size_t bom_length) {
    encoding.mode = TextEncoding::Mode::kConvert;
    encoding.name = std::move(name);
    encoding.icu_name = std::move(icu_name);
    encoding.bom_length = bom_length;
    return encoding;
  };
  // UTF-32 before UTF-16: FF FE 00 00 would otherwise read as a UTF-16LE mark.
  if (StartsWith(bytes, std::string_view("\xFF\xFE\0\0", 4))) {
    return convert("utf-32le", "UTF-32LE", 4);
  }
  if (StartsWith(bytes, std::string_view("\0\0\xFE\xFF", 4))) {
    return convert("utf-32be", "UTF-32BE", 4);
  }
  if (StartsWith(bytes, "\xFF\xFE")) return convert("utf-16le", "UTF-16LE", 2);
  if (StartsWith(bytes, "\xFE\xFF")) return convert("utf-16be", "UTF-16BE", 2);

  const bool utf8_bom = StartsWith(bytes, "\xEF\xBB\xBF");
  const size_t start = utf8_bom ? 3 : 0;
  const std::string_view sample = bytes.substr(start, kSampleBytes);
  if (!utf8_bom) {
    std::string utf16 = GuessUtf16(sample);
    if (utf16 == "le") return convert("utf-16le", "UTF-16LE", 0);
    if (utf16 == "be") return convert("utf-16be", "UTF-16BE", 0);
  }
  if (LooksBinary(sample)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "this is a binary file, not a spreadsheet or text table; export the "
                           "data as .xlsx or \"CSV UTF-8\" and import that",
                           "unsupported_format");
  }

  Utf8Scan scan = ScanUtf8(bytes.substr(start));
  encoding.bom_length = start;
  encoding.name = utf8_bom ? "utf-8-bom" : "utf-8";
  if (scan.bad_sequences == 0) return encoding;
  encoding.first_bad_byte = start + scan.first_bad;
  encoding.bad_sequences = scan.bad_sequences;
  // A byte-order mark, or more good multi-byte characters than bad bytes, says the
  // file is UTF-8 with a few damaged bytes: keep every good character.
  if (utf8_bom || scan.valid_multibyte > scan.bad_sequences) {
    encoding.mode = TextEncoding::Mode::kUtf8Repair;
    return encoding;
  }
  std::string guess = GuessNonLatinEncoding(bytes);
  if (!guess.empty()) {
    convert(Lower(guess), guess, 0);
  } else {
    convert("windows-1252", "windows-1252", 0);
  }
  encoding.first_bad_byte = scan.first_bad;
  encoding.bad_sequences = scan.bad_sequences;
  return encoding;
}

std::unique_ptr<Utf8Source> MakeUtf8Source(std::string_view bytes, const TextEncoding& encoding) {
  if (encoding.mode == TextEncoding::Mode::kUtf8Repair) {
    return std::make_unique<RepairingUtf8Source>(bytes, encoding);
  }
  return std::make_unique<IcuUtf8Source>(bytes, encoding);
}

}  // namespace vaarta::leads::import
