#pragma once
// CsvTokenizer: splits delimited text (RFC 4180 with the leniency real exports need)
// into records, one at a time, over a window of UTF-8 text that may not yet hold the
// whole file. Quoted fields may hold delimiters, doubled quotes and line breaks; LF,
// CRLF and lone CR end lines; blank lines are skipped but counted.
#include <array>
#include <cstdint>
#include <string_view>

#include "leads/import/record_reader.h"

namespace vaarta::leads::import {

class CsvTokenizer {
 public:
  // A quoted field longer than this is taken as an unterminated quote: Excel cells
  // hold at most 32,767 characters (Google Sheets 50,000), far less than 1 MiB of
  // UTF-8, and the bound keeps memory and rescanning small on broken files.
  static constexpr size_t kMaxQuotedBytes = 1 << 20;

  enum class Status {
    kRecord,        // `record` holds the next record; the cursor moved past it
    kNeedMore,      // the window ends inside the record; nothing moved
    kEnd,           // no more records (only blank lines were left)
    kUnterminated,  // a quoted field never closes; see Unterminated; nothing moved
  };
  struct Cursor {
    size_t pos = 0;    // offset in the window
    int64_t line = 1;  // physical line at `pos`
  };
  struct Unterminated {
    size_t quote_pos = 0;    // offset of the opening quote in the window
    int64_t quote_line = 0;  // its physical line
    int column = 0;          // 1-based cell index of the field it opens
    bool at_eof = false;     // true: reached the end of the file; false: kMaxQuotedBytes
  };

  explicit CsvTokenizer(char delimiter);
  char delimiter() const { return delimiter_; }

  // Reads the record at `cursor` in `text`. `complete` says whether `text` reaches the
  // end of the input. A quote opening a field at or after offset `literal_from` is
  // plain text (used to recover from an unterminated quote: re-read its line without it).
  Status Next(std::string_view text, bool complete, Cursor* cursor, RawRecord* record,
              Unterminated* unterminated, size_t literal_from = std::string_view::npos) const;

 private:
  char delimiter_;
  std::array<bool, 256> ends_unquoted_{};  // delimiter, CR, LF
  std::array<bool, 256> ends_quoted_{};    // quote, CR, LF
};

}  // namespace vaarta::leads::import
