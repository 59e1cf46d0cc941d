#pragma once
// ColumnMapping: which column of a spreadsheet holds which lead field, decided from
// the header row (English, Hindi and Hinglish header names) and the user's explicit
// --map overrides. Columns that map to no field are kept as custom fields.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vaarta::leads::import {

enum class LeadField {
  kName,
  kPhone,
  kAltPhone,
  kEmail,
  kLanguage,
  kCity,
  kState,
  kTimeZone,
  kTags,
  kSource,
  kOwner,
  kNotes
};
inline constexpr LeadField kAllLeadFields[] = {
    LeadField::kName,     LeadField::kPhone,  LeadField::kAltPhone, LeadField::kEmail,
    LeadField::kLanguage, LeadField::kCity,   LeadField::kState,    LeadField::kTimeZone,
    LeadField::kTags,     LeadField::kSource, LeadField::kOwner,    LeadField::kNotes};

// "name", "phone", "alt_phone", "email", "language", "city", "state", "time_zone",
// "tags", "source", "owner", "notes".
std::string_view LeadFieldName(LeadField field);
// The inverse, forgiving case and '-' for '_' ("Alt-Phone" -> kAltPhone).
std::optional<LeadField> ParseLeadField(std::string_view name);

struct ColumnMapping {
  std::map<LeadField, int> fields;                  // 0-based column of each mapped field
  std::vector<std::pair<int, std::string>> custom;  // other columns: (index, unique header)
  std::vector<std::string> notes;                   // how each decision was made, for previews
};

// Maps columns from `headers` (the first record), then applies `explicit_maps`, each
// "field=Header Name" or "field=#3" (1-based column), or "field=" to leave a field
// unmapped; explicit maps win, and the columns they free are mapped again
// automatically. Header matching ignores case, spaces, punctuation and Devanagari nukta.
// Errors (detail codes): bad_column_map (not "field=column", same field or column
// twice), unknown_field, unknown_column (the message lists the headers found),
// no_phone_column (the message lists the headers and suggests --map phone=<column>).
core::Result<ColumnMapping> MapColumns(const std::vector<std::string>& headers,
                                       const std::vector<std::string>& explicit_maps);

// A header reduced for comparison: NFKC case-folded, without spaces, punctuation,
// symbols, nukta or invisible characters ("E-mail ID" -> "emailid", "फ़ोन" -> "फोन").
std::string NormalizeHeader(std::string_view header);

}  // namespace vaarta::leads::import
