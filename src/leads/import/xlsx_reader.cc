#include "leads/import/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <new>
#include <type_traits>
#include <vector>

namespace vaarta::leads::import {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxSmallPart = 64 << 20;            // workbook.xml, relationships
constexpr size_t kMaxSharedStringBytes = 1ULL << 30;  // guards against zip bombs
constexpr int kMaxColumns = 16384;                    // Excel's last column, XFD

core::Error Corrupt(std::string message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         std::move(message) +
                             "; open the file in Excel or Google Sheets, save it again as .xlsx "
                             "(or as \"CSV UTF-8\") and import that",
                         "corrupt_xlsx");
}

core::Error Unsupported(std::string message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message),
                         "unsupported_format");
}

struct ZipDiscard {
  void operator()(zip_t* zip) const { zip_discard(zip); }
};
struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscard>;
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileClose>;
using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree>;

// The local part of a (possibly prefixed) XML name: writers use "x:row" as well as "row".
std::string_view Local(const char* name) {
  std::string_view text(name);
  auto colon = text.rfind(':');
  return colon == std::string_view::npos ? text : text.substr(colon + 1);
}

const char* Attribute(const char** attributes, std::string_view local) {
  for (size_t i = 0; attributes[i] != nullptr; i += 2) {
    if (Local(attributes[i]) == local) return attributes[i + 1];
  }
  return nullptr;
}

// Receives expat's events with names stripped of their namespace prefix.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const char** attributes) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;
};

ParserPtr MakeParser(XmlHandler* handler) {
  ParserPtr parser(XML_ParserCreate(nullptr));
  if (!parser) throw std::bad_alloc();
  XML_SetUserData(parser.get(), handler);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        static_cast<XmlHandler*>(data)->Start(Local(name), attributes);
      },
      [](void* data, const XML_Char* name) { static_cast<XmlHandler*>(data)->End(Local(name)); });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* text, int length) {
    static_cast<XmlHandler*>(data)->Text(std::string_view(text, static_cast<size_t>(length)));
  });
  return parser;
}

std::string XmlError(XML_Parser parser) {
  return std::string("XML error at line ") + std::to_string(XML_GetCurrentLineNumber(parser)) +
         ", column " + std::to_string(XML_GetCurrentColumnNumber(parser) + 1) + ": " +
         XML_ErrorString(XML_GetErrorCode(parser));
}

zip_int64_t Locate(zip_t* zip, const std::string& name) {
  zip_int64_t index = zip_name_locate(zip, name.c_str(), 0);
  if (index < 0) index = zip_name_locate(zip, name.c_str(), ZIP_FL_NOCASE);
  return index;
}

// Streams one zip entry, of at most `max_bytes` uncompressed, through an expat parser.
core::Status ParseEntry(zip_t* zip, zip_int64_t index, const std::string& name, XmlHandler* handler,
                        size_t max_bytes) {
  zip_stat_t stat;
  if (zip_stat_index(zip, static_cast<zip_uint64_t>(index), 0, &stat) != 0) {
    return Corrupt("the workbook part " + name + " cannot be read: " + zip_strerror(zip));
  }
  if ((stat.valid & ZIP_STAT_SIZE) && stat.size > max_bytes) {
    return Corrupt("the workbook part " + name + " is too large (" + std::to_string(stat.size) +
                   " bytes)");
  }
  ZipFilePtr file(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0));
  if (!file) return Corrupt("the workbook part " + name + " cannot be read: " + zip_strerror(zip));
  ParserPtr parser = MakeParser(handler);
  std::vector<char> buffer(kReadChunk);
  size_t total = 0;
  for (;;) {
    zip_int64_t got = zip_fread(file.get(), buffer.data(), buffer.size());
    if (got < 0) {
      return Corrupt("the workbook part " + name +
                     " cannot be read: " + zip_file_strerror(file.get()));
    }
    total += static_cast<size_t>(got);
    if (total > max_bytes) return Corrupt("the workbook part " + name + " is too large");
    if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(got), got == 0) != XML_STATUS_OK) {
      return Corrupt("the workbook part " + name + " is damaged: " + XmlError(parser.get()));
    }
    if (got == 0) return core::Ok{};
  }
}

// A part's directory ("xl/workbook.xml" -> "xl/") and a relationship target resolved
// against it ("worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml", "../x.xml").
std::string Directory(const std::string& part) {
  auto slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

std::string Resolve(const std::string& directory, const std::string& target) {
  std::string path = !target.empty() && target[0] == '/' ? target.substr(1) : directory + target;
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string part = path.substr(start, slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  std::string resolved;
  for (const auto& part : parts) resolved += (resolved.empty() ? "" : "/") + part;
  return resolved;
}

struct Relationship {
  std::string type, target;
};

class RelationshipsHandler : public XmlHandler {
 public:
  std::map<std::string, Relationship> by_id;
  std::vector<Relationship> in_order;
  void Start(std::string_view name, const char** attributes) override {
    if (name != "Relationship") return;
    const char* id = Attribute(attributes, "Id");
    const char* type = Attribute(attributes, "Type");
    const char* target = Attribute(attributes, "Target");
    if (type == nullptr || target == nullptr) return;
    Relationship relationship{type, target};
    if (id != nullptr) by_id[id] = relationship;
    in_order.push_back(relationship);
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

struct SheetEntry {
  std::string name, relationship_id;
  bool visible = true;
};

class WorkbookHandler : public XmlHandler {
 public:
  std::vector<SheetEntry> sheets;
  void Start(std::string_view name, const char** attributes) override {
    if (name != "sheet") return;
    SheetEntry sheet;
    if (const char* value = Attribute(attributes, "name")) sheet.name = value;
    if (const char* value = Attribute(attributes, "id")) sheet.relationship_id = value;
    if (const char* value = Attribute(attributes, "state")) {
      sheet.visible =
          std::string_view(value) != "hidden" && std::string_view(value) != "veryHidden";
    }
    sheets.push_back(std::move(sheet));
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

// Shared strings: the text of each <si>, rich-text runs concatenated, phonetic
// guides (<rPh>, furigana) left out as Excel leaves them out of the cell's value.
class SharedStringsHandler : public XmlHandler {
 public:
  std::vector<std::string> strings;
  size_t total_bytes = 0;
  void Start(std::string_view name, const char** attributes) override {
    if (name == "si") {
      current_.clear();
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && phonetic_ == 0) {
      capture_ = true;
    } else if (name == "sst") {
      if (const char* count = Attribute(attributes, "uniqueCount")) {
        long long n = std::atoll(count);
        if (n > 0 && n < (1LL << 24)) strings.reserve(static_cast<size_t>(n));
      }
    }
  }
  void End(std::string_view name) override {
    if (name == "t") {
      capture_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "si") {
      total_bytes += current_.size();
      strings.push_back(std::move(current_));
      current_.clear();
    }
  }
  void Text(std::string_view text) override {
    if (capture_) current_.append(text);
  }

 private:
  std::string current_;
  int phonetic_ = 0;
  bool capture_ = false;
};

// "C5" for column 2 of row 5, for messages about cells without a reference.
std::string CellName(int column, int64_t row) {
  std::string letters;
  for (int n = column + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters + std::to_string(row);
}

struct PendingRow {
  int64_t row = 0;
  std::vector<std::string> cells;
  std::string error;
};

// One worksheet's <sheetData>, turned into rows as expat reports it.
class SheetHandler : public XmlHandler {
 public:
  explicit SheetHandler(const std::vector<std::string>* shared) : shared_(shared) {}

  // Rows completed so far and not yet taken.
  std::vector<PendingRow> rows;
  size_t ready = 0;

  void Start(std::string_view name, const char** attributes) override {
    if (name == "row") {
      const char* r = Attribute(attributes, "r");
      long long number = r != nullptr ? std::atoll(r) : 0;
      current_.row = number > 0 ? number : last_row_ + 1;
      last_row_ = current_.row;
      used_ = 0;
      last_column_ = -1;
      current_.error.clear();
    } else if (name == "c") {
      const char* reference = Attribute(attributes, "r");
      column_ = reference != nullptr ? ColumnOfCellReference(reference) : last_column_ + 1;
      if (column_ < 0) column_ = last_column_ + 1;
      last_column_ = column_;
      const char* type = Attribute(attributes, "t");
      type_ = type != nullptr ? type : "n";
      reference_ = reference != nullptr ? reference : CellName(column_, current_.row);
      value_.clear();
      in_cell_ = true;
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      capture_ = true;
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && in_inline_ && phonetic_ == 0) {
      capture_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "c") {
      in_cell_ = in_inline_ = capture_ = false;
      phonetic_ = 0;
      Place();
    } else if (name == "row") {
      bool blank = true;
      for (size_t i = 0; i < used_ && blank; ++i) blank = current_.cells[i].empty();
      if (blank && current_.error.empty()) return;  // formatted but empty: a blank row
      current_.cells.resize(used_);
      if (ready == rows.size()) rows.emplace_back();
      PendingRow& slot = rows[ready++];
      slot.row = current_.row;
      std::swap(slot.cells, current_.cells);
      std::swap(slot.error, current_.error);
    } else if (name == "v" || name == "t") {
      capture_ = false;
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    }
  }

  void Text(std::string_view text) override {
    if (capture_) value_.append(text);
  }

  int64_t last_row() const { return last_row_; }

 private:
  void Place() {
    if (column_ >= kMaxColumns) {
      if (current_.error.empty()) {
        current_.error = "cell " + reference_ + " is beyond Excel's last column (XFD)";
      }
      return;
    }
    std::string text;
    if (type_ == "s") {
      long long index = -1;
      auto [end, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), index);
      if (ec != std::errc() || index < 0 || static_cast<size_t>(index) >= shared_->size()) {
        if (current_.error.empty()) {
          current_.error = "cell " + reference_ + " refers to shared string '" + value_ +
                           "', but the workbook has " + std::to_string(shared_->size());
        }
        return;
      }
      text = (*shared_)[static_cast<size_t>(index)];
    } else if (type_ == "b") {
      text = value_ == "1" ? "TRUE" : value_ == "0" ? "FALSE" : value_;
    } else if (type_ == "n") {
      text = FormatSpreadsheetNumber(value_);
    } else {  // inlineStr, str (formula text), e (#N/A), d (ISO date)
      text = value_;
    }
    const size_t column = static_cast<size_t>(column_);
    if (current_.cells.size() <= column) current_.cells.resize(column + 1);
    for (size_t i = used_; i < column; ++i) current_.cells[i].clear();  // omitted empty cells
    current_.cells[column] = std::move(text);
    used_ = std::max(used_, column + 1);
  }

  const std::vector<std::string>* shared_;
  PendingRow current_;
  size_t used_ = 0;
  int64_t last_row_ = 0;
  int last_column_ = -1;
  int column_ = 0;
  std::string type_, reference_, value_;
  bool in_cell_ = false, in_inline_ = false, capture_ = false;
  int phonetic_ = 0;
};

// The record's text for reports: the cells joined as a CSV line.
void JoinAsCsv(const std::vector<std::string>& cells, std::string* out) {
  out->clear();
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    const std::string& cell = cells[i];
    if (cell.find_first_of(",\"\r\n") == std::string::npos) {
      out->append(cell);
      continue;
    }
    out->push_back('"');
    for (char c : cell) {
      if (c == '"') out->push_back('"');
      out->push_back(c);
    }
    out->push_back('"');
  }
}

class XlsxRecordReader : public RecordReader {
 public:
  XlsxRecordReader(std::shared_ptr<const InputBytes> bytes, ZipPtr zip, FileFacts facts,
                   std::vector<std::string> shared, ZipFilePtr sheet, std::string sheet_part,
                   int64_t sheet_size)
      : bytes_(std::move(bytes)),
        zip_(std::move(zip)),
        facts_(std::move(facts)),
        shared_(std::move(shared)),
        sheet_(std::move(sheet)),
        sheet_part_(std::move(sheet_part)),
        sheet_size_(sheet_size),
        handler_(&shared_),
        parser_(MakeParser(&handler_)),
        buffer_(kReadChunk) {}

  const FileFacts& facts() const override { return facts_; }

  core::Result<bool> Next(RawRecord* record) override {
    while (next_ == handler_.ready) {
      handler_.ready = next_ = 0;
      if (!failure_.message.empty()) return failure_;
      if (done_) return false;
      if (auto status = ParseChunk(); !status.ok()) {
        failure_ = status.error();
        // Rows completed before the damage are still handed out.
      }
    }
    PendingRow& row = handler_.rows[next_++];
    record->row = row.row;
    std::swap(record->cells, row.cells);
    std::swap(record->error, row.error);
    row.error.clear();
    JoinAsCsv(record->cells, &record->original);
    return true;
  }

  int64_t bytes_read() const override { return read_; }
  int64_t bytes_total() const override { return sheet_size_; }

 private:
  core::Status ParseChunk() {
    zip_int64_t got = zip_fread(sheet_.get(), buffer_.data(), buffer_.size());
    if (got < 0) {
      done_ = true;
      return Corrupt("the sheet '" + facts_.sheet + "' (" + sheet_part_ +
                     ") cannot be read beyond row " + std::to_string(handler_.last_row()) + " (" +
                     zip_file_strerror(sheet_.get()) + "); the rows before it were read");
    }
    read_ += got;
    if (got == 0) done_ = true;
    if (XML_Parse(parser_.get(), buffer_.data(), static_cast<int>(got), got == 0) !=
        XML_STATUS_OK) {
      done_ = true;
      return Corrupt("the sheet '" + facts_.sheet + "' (" + sheet_part_ + ") is damaged near row " +
                     std::to_string(handler_.last_row()) + " (" + XmlError(parser_.get()) +
                     "); the rows before it were read");
    }
    return core::Ok{};
  }

  std::shared_ptr<const InputBytes> bytes_;  // the zip reads from these
  ZipPtr zip_;
  FileFacts facts_;
  std::vector<std::string> shared_;
  ZipFilePtr sheet_;
  std::string sheet_part_;
  int64_t sheet_size_;
  SheetHandler handler_;
  ParserPtr parser_;
  std::vector<char> buffer_;
  size_t next_ = 0;
  int64_t read_ = 0;
  bool done_ = false;
  core::Error failure_;
};

// Why a zip archive that is not an XLSX workbook cannot be imported.
core::Error NotAWorkbook(zip_t* zip) {
  auto entry_text = [&](const char* name) -> std::string {
    zip_int64_t index = Locate(zip, name);
    if (index < 0) return {};
    ZipFilePtr file(zip_fopen_index(zip, static_cast<zip_uint64_t>(index), 0));
    if (!file) return {};
    char text[128];
    zip_int64_t got = zip_fread(file.get(), text, sizeof text);
    return got > 0 ? std::string(text, static_cast<size_t>(got)) : std::string();
  };
  std::string mimetype = entry_text("mimetype");
  if (mimetype.rfind("application/vnd.oasis.opendocument.spreadsheet", 0) == 0) {
    return Unsupported(
        "this is an OpenDocument spreadsheet (.ods); save it as .xlsx or \"CSV UTF-8\" and import "
        "that");
  }
  if (Locate(zip, "xl/workbook.bin") >= 0) {
    return Unsupported(
        "this is an Excel binary workbook (.xlsb); save it as .xlsx or \"CSV UTF-8\" and import "
        "that");
  }
  if (Locate(zip, "word/document.xml") >= 0 || Locate(zip, "ppt/presentation.xml") >= 0) {
    return Unsupported("this is a Word or PowerPoint document, not a spreadsheet");
  }
  std::string names;
  zip_int64_t count = zip_get_num_entries(zip, 0);
  for (zip_int64_t i = 0; i < count && i < 3; ++i) {
    const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), 0);
    if (name != nullptr) names += std::string(names.empty() ? "" : ", ") + "'" + name + "'";
  }
  if (count > 3) names += ", ...";
  return Unsupported("this is a zip archive, not an Excel workbook" +
                     (names.empty() ? std::string() : " (it holds " + names + ")") +
                     "; unzip it and import the spreadsheet inside");
}

}  // namespace

std::string FormatSpreadsheetNumber(std::string_view value) {
  double number = 0;
  const char* end = value.data() + value.size();
  auto [stop, ec] = std::from_chars(value.data(), end, number);
  if (ec != std::errc() || stop != end || !std::isfinite(number)) return std::string(value);
  if (number == 0) return "0";
  char text[512];
  std::to_chars_result result;
  if (std::trunc(number) == number && std::fabs(number) < 1e21) {
    result = std::to_chars(text, text + sizeof text, number, std::chars_format::fixed);
  } else {
    result = std::to_chars(text, text + sizeof text, number);
  }
  return std::string(text, result.ptr);
}

int ColumnOfCellReference(std::string_view reference) {
  int column = 0;
  size_t i = 0;
  for (; i < reference.size() && i < 4; ++i) {
    char c = reference[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  if (i == 0 || column > kMaxColumns * 26) return -1;
  return column - 1;
}

core::Result<std::unique_ptr<RecordReader>> OpenXlsxReader(
    std::shared_ptr<const InputBytes> bytes) {
  const std::string_view data = bytes->view();
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data.data(), data.size(), 0, &error);
  if (source == nullptr) {
    std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Corrupt("the workbook cannot be opened: " + message);
  }
  ZipPtr zip(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!zip) {
    std::string message = zip_error_strerror(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    return Corrupt(
        "the file starts like an Excel workbook (a zip archive) but cannot be opened as "
        "one (" +
        message + "); it may be damaged or only partly uploaded");
  }
  zip_error_fini(&error);

  // The workbook part: named by the package relationships, usually xl/workbook.xml.
  std::string workbook_part = "xl/workbook.xml";
  if (zip_int64_t index = Locate(zip.get(), "_rels/.rels"); index >= 0) {
    RelationshipsHandler package;
    if (auto status = ParseEntry(zip.get(), index, "_rels/.rels", &package, kMaxSmallPart);
        !status.ok()) {
      return status.error();
    }
    for (const auto& relationship : package.in_order) {
      if (EndsWith(relationship.type, "/officeDocument")) {
        workbook_part = Resolve("", relationship.target);
        break;
      }
    }
  }
  zip_int64_t workbook_index = Locate(zip.get(), workbook_part);
  if (workbook_index < 0) return NotAWorkbook(zip.get());

  WorkbookHandler workbook;
  if (auto status = ParseEntry(zip.get(), workbook_index, workbook_part, &workbook, kMaxSmallPart);
      !status.ok()) {
    return status.error();
  }
  const std::string directory = Directory(workbook_part);
  const std::string rels_part =
      directory + "_rels/" + workbook_part.substr(directory.size()) + ".rels";
  RelationshipsHandler relationships;
  if (zip_int64_t index = Locate(zip.get(), rels_part); index >= 0) {
    if (auto status = ParseEntry(zip.get(), index, rels_part, &relationships, kMaxSmallPart);
        !status.ok()) {
      return status.error();
    }
  } else {
    return Corrupt("the workbook has no " + rels_part + ", so its sheets cannot be found");
  }

  // The first worksheet a person sees: hidden sheets and chart sheets are passed over.
  const SheetEntry* chosen = nullptr;
  std::string sheet_part;
  int worksheets = 0;
  for (int pass = 0; pass < 2 && chosen == nullptr; ++pass) {
    worksheets = 0;
    for (const auto& sheet : workbook.sheets) {
      auto found = relationships.by_id.find(sheet.relationship_id);
      if (found == relationships.by_id.end() || !EndsWith(found->second.type, "/worksheet")) {
        continue;
      }
      ++worksheets;
      if (chosen == nullptr && (sheet.visible || pass == 1)) {
        chosen = &sheet;
        sheet_part = Resolve(directory, found->second.target);
      }
    }
  }
  if (chosen == nullptr) return Corrupt("the workbook has no worksheet");
  zip_int64_t sheet_index = Locate(zip.get(), sheet_part);
  if (sheet_index < 0) {
    return Corrupt("the workbook names the sheet '" + chosen->name + "' as " + sheet_part +
                   ", which is missing");
  }

  std::vector<std::string> shared;
  for (const auto& relationship : relationships.in_order) {
    if (!EndsWith(relationship.type, "/sharedStrings")) continue;
    std::string part = Resolve(directory, relationship.target);
    zip_int64_t index = Locate(zip.get(), part);
    if (index < 0) return Corrupt("the workbook's shared strings (" + part + ") are missing");
    SharedStringsHandler strings;
    if (auto status = ParseEntry(zip.get(), index, part, &strings, kMaxSharedStringBytes * 4);
        !status.ok()) {
      return status.error();
    }
    if (strings.total_bytes > kMaxSharedStringBytes) {
      return Corrupt("the workbook's shared strings are larger than 1 GiB");
    }
    shared = std::move(strings.strings);
    break;
  }

  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(sheet_index), 0, &stat) != 0) {
    return Corrupt("the sheet '" + chosen->name + "' cannot be read: " + zip_strerror(zip.get()));
  }
  ZipFilePtr sheet(zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(sheet_index), 0));
  if (!sheet) {
    return Corrupt("the sheet '" + chosen->name + "' cannot be read: " + zip_strerror(zip.get()));
  }

  FileFacts facts;
  facts.format = "xlsx";
  facts.encoding = "utf-8";
  facts.sheet = chosen->name;
  if (worksheets > 1) {
    facts.warnings.push_back("the workbook has " + std::to_string(worksheets) +
                             " sheets; only the first, '" + chosen->name +
                             "', was read (move the sheet to import to the front, or save it "
                             "alone)");
  }
  const int64_t size = (stat.valid & ZIP_STAT_SIZE) ? static_cast<int64_t>(stat.size) : 0;
  return std::unique_ptr<RecordReader>(new XlsxRecordReader(std::move(bytes), std::move(zip),
                                                            std::move(facts), std::move(shared),
                                                            std::move(sheet), sheet_part, size));
}

}  // namespace vaarta::leads::import
