#include "leads/import/csv_tokenizer.h"

#include <string>

namespace vaarta::leads::import {

// Hand-written rather than a library's: the readers in Debian (e.g. libcsv) neither
// report the physical line of each record and of an unterminated quote nor resume
// over a growing window, and this loop is the import's hot path (a table lookup per
// byte, cells assigned into reused strings).
CsvTokenizer::CsvTokenizer(char delimiter) : delimiter_(delimiter) {
  for (char c : {delimiter, '\n', '\r'}) ends_unquoted_[static_cast<unsigned char>(c)] = true;
  for (char c : {'"', '\n', '\r'}) ends_quoted_[static_cast<unsigned char>(c)] = true;
}

CsvTokenizer::Status CsvTokenizer::Next(std::string_view text, bool complete, Cursor* cursor,
                                        RawRecord* record, Unterminated* unterminated,
                                        size_t literal_from) const {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = begin + cursor->pos;
  int64_t line = cursor->line;

  // Blank lines (nothing but spaces and tabs) are skipped but keep their row numbers.
  for (;;) {
    const char* s = p;
    while (s < end && (*s == ' ' || *s == '\t')) ++s;
    if (s == end) {
      if (!complete) return Status::kNeedMore;
      cursor->pos = text.size();
      cursor->line = line;
      return Status::kEnd;
    }
    if (*s == '\n') {
      p = s + 1;
    } else if (*s == '\r') {
      if (s + 1 == end && !complete) return Status::kNeedMore;
      p = (s + 1 < end && s[1] == '\n') ? s + 2 : s + 1;
    } else {
      break;
    }
    ++line;
  }

  const char* const record_start = p;
  const int64_t record_line = line;
  std::vector<std::string>& cells = record->cells;
  size_t n = 0;
  const char* record_end = nullptr;
  for (;;) {
    if (n == cells.size()) cells.emplace_back();
    std::string& cell = cells[n++];
    if (p < end && *p == '"' && static_cast<size_t>(p - begin) < literal_from) {
      const char* const quote = p;
      const int64_t quote_line = line;
      const char* const limit =
          end - quote > static_cast<ptrdiff_t>(kMaxQuotedBytes) ? quote + kMaxQuotedBytes : end;
      cell.clear();
      const char* segment = ++p;
      for (;;) {
        while (p < limit && !ends_quoted_[static_cast<unsigned char>(*p)]) ++p;
        if (p == limit) {
          if (limit == end && !complete) return Status::kNeedMore;
          unterminated->quote_pos = static_cast<size_t>(quote - begin);
          unterminated->quote_line = quote_line;
          unterminated->column = static_cast<int>(n);
          unterminated->at_eof = limit == end;
          return Status::kUnterminated;
        }
        if (*p == '"') {
          if (p + 1 == end && !complete) return Status::kNeedMore;
          if (p + 1 < end && p[1] == '"') {  // "" is one quote
            cell.append(segment, p + 1);
            p += 2;
            segment = p;
            continue;
          }
          cell.append(segment, p);
          ++p;
          break;
        }
        if (*p == '\r') {
          if (p + 1 == end && !complete) return Status::kNeedMore;
          if (p + 1 < end && p[1] == '\n') ++p;
        }
        ++p;
        ++line;
      }
      // Text after the closing quote ("Dev" Rao) is kept as Excel keeps it.
      const char* junk = p;
      while (p < end && !ends_unquoted_[static_cast<unsigned char>(*p)]) ++p;
      if (p == end && !complete) return Status::kNeedMore;
      cell.append(junk, p);
    } else {
      const char* const start = p;
      while (p < end && !ends_unquoted_[static_cast<unsigned char>(*p)]) ++p;
      if (p == end && !complete) return Status::kNeedMore;
      cell.assign(start, p);
    }

    if (p == end) {
      record_end = p;
      break;
    }
    if (*p == delimiter_) {
      ++p;
      continue;
    }
    record_end = p;
    if (*p == '\r') {
      if (p + 1 == end && !complete) return Status::kNeedMore;
      if (p + 1 < end && p[1] == '\n') ++p;
    }
    ++p;
    ++line;
    break;
  }

  cells.resize(n);
  record->row = record_line;
  record->original.assign(record_start, record_end);
  record->error.clear();
  cursor->pos = static_cast<size_t>(p - begin);
  cursor->line = line;
  return Status::kRecord;
}

}  // namespace vaarta::leads::import
