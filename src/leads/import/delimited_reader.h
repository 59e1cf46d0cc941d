#pragma once
// Delimited text files (CSV, TSV, semicolon- or pipe-separated) as a RecordReader:
// encoding detection and conversion, delimiter sniffing, and recovery from an
// unterminated quote (the record is reported, reading resumes on the next line).
#include <memory>
#include <string_view>

#include "core/result.h"
#include "leads/import/input_bytes.h"
#include "leads/import/record_reader.h"

namespace vaarta::leads::import {

// `chunk_bytes`: how much text is converted at a time when the file is not UTF-8
// (smaller values only serve tests of records that straddle chunks).
core::Result<std::unique_ptr<RecordReader>> OpenDelimitedReader(
    std::shared_ptr<const InputBytes> bytes, size_t chunk_bytes = 1 << 20);

// The delimiter among , \t ; | that splits the first (up to 50) records of `head` into a
// consistent number of cells above one; `prefer_tab` (a .tsv name) wins whenever tab
// splits the records at all. ',' (or '\t') when none does: a one-column file.
char SniffDelimiter(std::string_view head, bool head_is_whole_file, bool prefer_tab);

}  // namespace vaarta::leads::import
