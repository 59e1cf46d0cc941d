#pragma once
// RecordReader: reads a spreadsheet file (CSV, TSV or the first sheet of an XLSX
// workbook) as a stream of records, each a row of UTF-8 cells with the row number a
// person sees. Encoding, delimiter and format are detected; what was detected, and
// anything doubtful about it, is in facts(). Knows nothing of leads.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace vaarta::leads::import {

struct FileFacts {
  std::string format;  // "csv", "tsv" (tab-delimited text) or "xlsx"
  // "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be", "windows-1252",
  // or a non-Latin legacy encoding when clearly detected (e.g. "windows-1251"); xlsx: "utf-8".
  std::string encoding;
  char delimiter = ',';  // text formats: ',', '\t', ';' or '|' (or a "sep=" line's); xlsx: ','
  std::string sheet;     // xlsx: the name of the sheet read
  std::vector<std::string> warnings;  // doubtful guesses, e.g. the Windows-1252 fallback
};

struct RawRecord {
  // 1-based row as a person sees it: for text files the physical line (LF, CRLF or CR)
  // on which the record starts, counting blank lines (which are skipped) and the
  // header (usually row 1); a quoted cell spanning lines makes the next record's row
  // jump accordingly, so rows keep matching a text editor. For xlsx, the sheet's row
  // number; empty rows are skipped.
  int64_t row = 0;
  std::vector<std::string> cells;  // UTF-8, as in the file (quotes removed, not trimmed)
  std::string original;            // the record's text as in the file (UTF-8), for reports
  // Non-empty when the record is malformed, e.g. "unterminated quote opened at row 7,
  // column 3 ...". Such a record should be refused as a whole; its cells are a
  // best-effort reading. The reader carries on with the next record.
  std::string error;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  virtual const FileFacts& facts() const = 0;
  // Fills `record` with the next record and returns true, or returns false at the end.
  // Reusing one RawRecord across calls avoids allocations. Problems that stop reading
  // (a corrupt zip entry, malformed sheet XML) are errors; records already returned
  // remain good.
  virtual core::Result<bool> Next(RawRecord* record) = 0;
  // Progress: input bytes consumed so far and in total (for xlsx, of the sheet's XML).
  virtual int64_t bytes_read() const = 0;
  virtual int64_t bytes_total() const = 0;
};

// Opens a file for reading records: XLSX is recognised by its zip signature and
// content, anything else is read as delimited text. The file name's extension is only
// a hint (".tsv" prefers tab). Errors (detail codes): file_unreadable, empty_file,
// unsupported_format (xls, ods, xlsb, pdf, html, other zips, binary), corrupt_xlsx.
core::Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path);
// The same over bytes in memory (an upload); `file_name` is used for hints and messages.
core::Result<std::unique_ptr<RecordReader>> OpenRecordReaderFromBuffer(std::string bytes,
                                                                       std::string file_name);

}  // namespace vaarta::leads::import
