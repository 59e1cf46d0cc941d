#include "leads/import/record_reader.h"

#include <algorithm>
#include <cctype>

#include "leads/import/delimited_reader.h"
#include "leads/import/input_bytes.h"
#include "leads/import/xlsx_reader.h"

namespace vaarta::leads::import {
namespace {

core::Error Unsupported(const std::string& message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, "unsupported_format");
}

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

// Files people upload believing they are spreadsheets, recognised by their first bytes
// so that they get a useful message instead of a table of garbage.
core::Result<std::unique_ptr<RecordReader>> Open(std::shared_ptr<const InputBytes> bytes) {
  const std::string_view data = bytes->view();
  if (data.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the file '" + bytes->name() + "' is empty", "empty_file");
  }
  if (StartsWith(data, "PK\x03\x04") || StartsWith(data, "PK\x05\x06")) {
    return OpenXlsxReader(std::move(bytes));
  }
  if (StartsWith(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return Unsupported(
        "this is an Excel 97-2003 workbook (.xls) or a password-protected Excel file; open it in "
        "Excel, remove any password and save it as .xlsx or \"CSV UTF-8\", then import that");
  }
  if (StartsWith(data, "%PDF")) {
    return Unsupported("this is a PDF document; export the data as .xlsx or \"CSV UTF-8\"");
  }
  // Web pages and XML saved with a spreadsheet's name (many portals' ".xls" exports are
  // HTML tables). Only the start of the file is looked at, after any UTF-8 mark.
  std::string start(data.substr(StartsWith(data, "\xEF\xBB\xBF") ? 3 : 0, 512));
  start.erase(0, std::min(start.size(), start.find_first_not_of(" \t\r\n")));
  std::transform(start.begin(), start.end(), start.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* tag : {"<!doctype", "<html", "<?xml", "<table", "<meta", "<head"}) {
    if (StartsWith(start, tag)) {
      return Unsupported(
          "this is a web page or XML file, not a spreadsheet (many portals' \".xls\" exports "
          "are); open it in Excel and save it as .xlsx or \"CSV UTF-8\", then import that");
    }
  }
  return OpenDelimitedReader(std::move(bytes));
}

}  // namespace

core::Result<std::unique_ptr<RecordReader>> OpenRecordReader(const std::string& path) {
  auto bytes = InputBytes::MapFile(path);
  if (!bytes.ok()) return bytes.error();
  return Open(std::move(bytes).value());
}

core::Result<std::unique_ptr<RecordReader>> OpenRecordReaderFromBuffer(std::string bytes,
                                                                       std::string file_name) {
  return Open(InputBytes::FromString(std::move(bytes), std::move(file_name)));
}

}  // namespace vaarta::leads::import
