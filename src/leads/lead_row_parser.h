#pragma once
// LeadRowParser: turns one spreadsheet record into a lead, or into a refusal that says
// which cell is wrong and why. Knows nothing of storage or duplicates.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leads/import/column_mapping.h"
#include "leads/import/record_reader.h"
#include "leads/import_summary.h"
#include "leads/lead.h"
#include "leads/phone/phone_normalizer.h"

namespace vaarta::leads {

struct ParsedRow {
  std::optional<Lead> lead;           // set when the row is usable
  std::optional<RowOutcome> refusal;  // set when it is not
  std::string note;                   // text of a "notes" column, for the timeline
  std::vector<std::string> warnings;  // kept, but worth telling: "e-mail 'x' dropped"
  std::string owner_email;            // an "owner" cell, resolved by the caller
};

class LeadRowParser {
 public:
  LeadRowParser(const PhoneNormalizer& phones, import::ColumnMapping mapping,
                std::vector<std::string> headers, std::string source_detail);
  // Blank records (every cell empty) give neither lead nor refusal.
  ParsedRow Parse(const import::RawRecord& record) const;

 private:
  std::string Cell(const import::RawRecord& record, import::LeadField field) const;

  const PhoneNormalizer& phones_;
  import::ColumnMapping mapping_;
  std::vector<std::string> headers_;
  std::string source_detail_;
};

// "Hindi", "hin", "हिंदी" -> "hi"; "English", "eng" -> "en"; anything else -> "".
std::string NormalizeLanguage(const std::string& text);
// Splits "a, b; c|d" into trimmed, lower-cased, de-duplicated tags.
std::vector<std::string> SplitTags(const std::string& text);
std::string Trim(const std::string& text);

}  // namespace vaarta::leads
