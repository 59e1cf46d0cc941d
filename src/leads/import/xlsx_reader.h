#pragma once
// XLSX workbooks as a RecordReader: the first visible worksheet, streamed with expat
// from the zip (libzip) so that a sheet of a million rows never exists as a tree.
// Cells land in the column their reference names; numbers are written as Excel shows
// them in General format (9812345670, not 9.81234567E9). Dates stay serial numbers.
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "leads/import/input_bytes.h"
#include "leads/import/record_reader.h"

namespace vaarta::leads::import {

// `bytes` is a zip archive. Errors: corrupt_xlsx (damaged zip or workbook parts),
// unsupported_format (OpenDocument, .xlsb, Word, a zip of other files).
core::Result<std::unique_ptr<RecordReader>> OpenXlsxReader(std::shared_ptr<const InputBytes> bytes);

// The text of a numeric cell's value: integers without exponent or ".0" (up to 1e21),
// other numbers in their shortest round-trip form; text that is not a number as it is.
std::string FormatSpreadsheetNumber(std::string_view value);

// 0-based column of a cell reference ("C5" -> 2, "AA1" -> 26), or -1.
int ColumnOfCellReference(std::string_view reference);

}  // namespace vaarta::leads::import
