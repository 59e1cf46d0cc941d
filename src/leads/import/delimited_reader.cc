#include "leads/import/delimited_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "leads/import/csv_tokenizer.h"
#include "leads/import/text_encoding.h"

namespace vaarta::leads::import {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;
constexpr int kSniffRecords = 50;

std::string UnterminatedMessage(const CsvTokenizer::Unterminated& u) {
  std::string row = std::to_string(u.quote_line);
  return "unterminated quote opened at row " + row + ", column " + std::to_string(u.column) +
         (u.at_eof ? ": no closing quote before the end of the file"
                   : ": no closing quote within the next 1 MiB") +
         ", so the rest of row " + row + " was read as plain text";
}

// Reads records from `text` (the whole input) with `tokenizer`, recovering from
// unterminated quotes as the reader does, until `stop` returns true for one.
template <typename Stop>
void ScanRecords(const CsvTokenizer& tokenizer, std::string_view text, bool complete,
                 CsvTokenizer::Cursor cursor, Stop stop) {
  RawRecord record;
  size_t literal_from = std::string_view::npos;
  for (;;) {
    CsvTokenizer::Unterminated unterminated;
    size_t start = cursor.pos;
    auto status = tokenizer.Next(text, complete, &cursor, &record, &unterminated, literal_from);
    if (status == CsvTokenizer::Status::kUnterminated) {
      literal_from = unterminated.quote_pos;
      continue;
    }
    if (status != CsvTokenizer::Status::kRecord) return;
    literal_from = std::string_view::npos;
    if (stop(record, start, cursor.pos)) return;
  }
}

// Where the byte at `offset` of `text` is, as "row R, column C" (the record's row and
// the cell's 1-based index), for the warning about a file that is not valid UTF-8.
// The encodings read after such a failure keep ASCII where it is, so the raw bytes can
// be split as the decoded text will be.
std::string LocateByte(std::string_view text, char delimiter, size_t offset) {
  std::string where = "byte " + std::to_string(offset + 1);
  CsvTokenizer tokenizer(delimiter);
  ScanRecords(tokenizer, text, true, {}, [&](const RawRecord& record, size_t begin, size_t next) {
    if (next <= offset) return false;
    size_t start = begin;  // skip the blank lines the tokenizer skipped
    for (size_t i = start; i < text.size(); ++i) {
      if (text[i] == '\n' || text[i] == '\r') {
        start = i + 1;
      } else if (text[i] != ' ' && text[i] != '\t') {
        break;
      }
    }
    int column = 1;
    bool quoted = false;
    for (size_t i = start; i < offset && i < text.size(); ++i) {
      if (text[i] == '"') quoted = !quoted;
      if (text[i] == delimiter && !quoted) ++column;
    }
    where = "row " + std::to_string(record.row) + ", column " + std::to_string(column);
    return true;
  });
  return where;
}

class DelimitedRecordReader : public RecordReader {
 public:
  DelimitedRecordReader(std::shared_ptr<const InputBytes> bytes, FileFacts facts,
                        const TextEncoding& encoding, CsvTokenizer::Cursor start,
                        size_t chunk_bytes)
      : bytes_(std::move(bytes)),
        facts_(std::move(facts)),
        tokenizer_(facts_.delimiter),
        chunk_bytes_(chunk_bytes) {
    std::string_view all = bytes_->view();
    if (encoding.mode == TextEncoding::Mode::kUtf8) {
      // Valid UTF-8: records are cut straight from the (mapped) file.
      offset_ = encoding.bom_length;
      window_ = all.substr(offset_);
      complete_ = true;
    } else {
      source_ = MakeUtf8Source(all, encoding);
      complete_ = false;
      Refill();  // so that `start` (past a "sep=" line) points into converted text
    }
    cursor_ = start;
  }

  const FileFacts& facts() const override { return facts_; }

  core::Result<bool> Next(RawRecord* record) override {
    for (;;) {
      CsvTokenizer::Unterminated unterminated;
      auto status =
          tokenizer_.Next(window_, complete_, &cursor_, record, &unterminated, literal_from_);
      switch (status) {
        case CsvTokenizer::Status::kNeedMore:
          Refill();
          continue;
        case CsvTokenizer::Status::kEnd:
          return false;
        case CsvTokenizer::Status::kUnterminated:
          // Read the line again with that quote as text, report it, and go on with the
          // next line: the rows after a stray quote are not lost.
          literal_from_ = unterminated.quote_pos;
          pending_error_ = UnterminatedMessage(unterminated);
          continue;
        case CsvTokenizer::Status::kRecord:
          if (literal_from_ != std::string_view::npos) {
            record->error = std::move(pending_error_);
            pending_error_.clear();
            literal_from_ = std::string_view::npos;
          }
          return true;
      }
    }
  }

  int64_t bytes_read() const override {
    if (source_) return static_cast<int64_t>(source_->consumed());
    return static_cast<int64_t>(offset_ + cursor_.pos);
  }
  int64_t bytes_total() const override { return static_cast<int64_t>(bytes_->view().size()); }

 private:
  // Drops what was read, converts the next chunk (or more, when one record is longer
  // than the window: the window doubles, so rescanning a long record costs O(size)).
  void Refill() {
    buffer_.erase(0, cursor_.pos);
    if (literal_from_ != std::string_view::npos) literal_from_ -= cursor_.pos;
    cursor_.pos = 0;
    if (!source_->Read(&buffer_, std::max(chunk_bytes_, buffer_.size()))) complete_ = true;
    window_ = buffer_;
  }

  std::shared_ptr<const InputBytes> bytes_;
  FileFacts facts_;
  CsvTokenizer tokenizer_;
  size_t chunk_bytes_;
  std::unique_ptr<Utf8Source> source_;  // null when the bytes are read as they are
  size_t offset_ = 0;                   // direct reading: where the window starts
  std::string buffer_;                  // converted text
  std::string_view window_;
  bool complete_ = false;
  CsvTokenizer::Cursor cursor_;
  size_t literal_from_ = std::string_view::npos;
  std::string pending_error_;
};

std::string Hex(unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", byte);
  return text;
}

bool HasTabExtension(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos) return false;
  std::string ext = name.substr(dot + 1);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "tsv" || ext == "tab";
}

}  // namespace

char SniffDelimiter(std::string_view head, bool head_is_whole_file, bool prefer_tab) {
  const char fallback = prefer_tab ? '\t' : ',';
  char best = 0;
  double best_consistency = 0;
  size_t best_mode = 0;
  for (char candidate : {',', ';', '\t', '|'}) {
    std::map<size_t, int> counts;
    int records = 0;
    ScanRecords(CsvTokenizer(candidate), head, head_is_whole_file, {},
                [&](const RawRecord& record, size_t, size_t) {
                  ++counts[record.cells.size()];
                  return ++records >= kSniffRecords;
                });
    if (records == 0) continue;
    size_t mode = 0;
    int mode_count = 0;
    for (auto [cells, count] : counts) {
      if (count >= mode_count) {  // ties: the larger number of cells
        mode = cells;
        mode_count = count;
      }
    }
    if (mode <= 1) continue;
    if (prefer_tab && candidate == '\t') return '\t';
    double consistency = static_cast<double>(mode_count) / records;
    if (consistency > best_consistency || (consistency == best_consistency && mode > best_mode)) {
      best = candidate;
      best_consistency = consistency;
      best_mode = mode;
    }
  }
  return best != 0 ? best : fallback;
}

core::Result<std::unique_ptr<RecordReader>> OpenDelimitedReader(
    std::shared_ptr<const InputBytes> bytes, size_t chunk_bytes) {
  const std::string_view all = bytes->view();
  auto encoding = DetectTextEncoding(all);
  if (!encoding.ok()) return encoding.error();

  // The first 64 KB as UTF-8, to choose the delimiter.
  std::string converted;
  std::string_view head;
  bool head_complete;
  if (encoding->mode == TextEncoding::Mode::kUtf8) {
    head = all.substr(encoding->bom_length, kHeadBytes);
    head_complete = encoding->bom_length + kHeadBytes >= all.size();
  } else {
    auto source = MakeUtf8Source(all, *encoding);
    head_complete = false;
    while (converted.size() < kHeadBytes) {
      if (!source->Read(&converted, kHeadBytes - converted.size())) {
        head_complete = true;
        break;
      }
    }
    head = converted;
  }

  FileFacts facts;
  facts.encoding = encoding->name;
  CsvTokenizer::Cursor start;
  // Excel honours a first line "sep=;" naming the delimiter; so do we, and skip it.
  if (head.size() >= 5 && head.substr(0, 4) == "sep=" &&
      (head.size() == 5 || head[5] == '\n' || head[5] == '\r')) {
    facts.delimiter = head[4];
    start.pos = std::min<size_t>(head.size(), 5);
    if (start.pos < head.size() && head[start.pos] == '\r') ++start.pos;
    if (start.pos < head.size() && head[start.pos] == '\n') ++start.pos;
    start.line = 2;
  } else {
    facts.delimiter = SniffDelimiter(head, head_complete, HasTabExtension(bytes->name()));
  }
  facts.format = facts.delimiter == '\t' ? "tsv" : "csv";

  if (encoding->first_bad_byte != std::string_view::npos) {
    const size_t bad = encoding->first_bad_byte;
    const std::string where =
        LocateByte(all.substr(encoding->bom_length), facts.delimiter, bad - encoding->bom_length);
    const std::string first = Hex(static_cast<unsigned char>(all[bad]));
    if (encoding->mode == TextEncoding::Mode::kUtf8Repair) {
      facts.warnings.push_back(
          std::to_string(encoding->bad_sequences) +
          " byte sequence(s) are not valid UTF-8 (the first, " + first + ", at " + where +
          "); each was read as a Windows-1252 character, the rest of the file as UTF-8. "
          "Check those cells");
    } else {
      std::string how = encoding->name == "windows-1252"
                            ? "read as Windows-1252"
                            : "the text looks like " + encoding->name + " and was read as such";
      facts.warnings.push_back("not valid UTF-8 (first bad byte " + first + " at " + where + "); " +
                               how +
                               ". If letters look wrong, save the file as \"CSV UTF-8\" and "
                               "import it again");
    }
  } else if (encoding->mode == TextEncoding::Mode::kConvert && encoding->bom_length == 0) {
    facts.warnings.push_back("no byte-order mark; read as " + encoding->name +
                             " because of the pattern of zero bytes");
  }

  return std::unique_ptr<RecordReader>(
      new DelimitedRecordReader(std::move(bytes), std::move(facts), *encoding, start, chunk_bytes));
}

}  // namespace vaarta::leads::import
