#include "leads/lead_row_parser.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>

namespace vaarta::leads {

using import::LeadField;

std::string Trim(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n\xC2\xA0");
  if (start == std::string::npos) return {};
  // U+00A0 (no-break space, C2 A0 in UTF-8) is common in spreadsheet exports.
  size_t end = text.size();
  while (end > start) {
    if (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r' ||
        text[end - 1] == '\n') {
      --end;
    } else if (end - start >= 2 && text.compare(end - 2, 2, "\xC2\xA0") == 0) {
      end -= 2;
    } else {
      break;
    }
  }
  return text.substr(start, end - start);
}

namespace {

bool IsAscii(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Case folding; ASCII (most cells of a big import) skips ICU.
std::string Fold(const std::string& text) {
  std::string folded;
  if (IsAscii(text)) {
    folded = text;
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    icu::UnicodeString::fromUTF8(text).foldCase().toUTF8String(folded);
  }
  return folded;
}

}  // namespace

std::string NormalizeLanguage(const std::string& text) {
  if (text.empty()) return "";
  std::string folded = Fold(Trim(text));
  static const char* kHindi[] = {"hi", "hin", "hindi", "हिंदी", "हिन्दी", "hinglish"};
  static const char* kEnglish[] = {"en", "eng", "english", "अंग्रेज़ी", "अंग्रेजी", "angrezi"};
  for (const char* h : kHindi) {
    if (folded == h) return "hi";
  }
  for (const char* e : kEnglish) {
    if (folded == e) return "en";
  }
  return "";
}

std::vector<std::string> SplitTags(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    std::string tag = Trim(current);
    current.clear();
    if (tag.empty()) return;
    std::string folded = Fold(tag);
    if (folded.size() > 64) folded.resize(64);
    if (std::find(out.begin(), out.end(), folded) == out.end()) out.push_back(folded);
  };
  for (char c : text) {
    if (c == ',' || c == ';' || c == '|')
      flush();
    else
      current.push_back(c);
  }
  flush();
  return out;
}

namespace {

bool LooksLikeEmail(const std::string& email) {
  auto at = email.find('@');
  return at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos &&
         email.find('.', at) != std::string::npos && email.back() != '.' &&
         email.find(' ') == std::string::npos && email.size() <= 254;
}

bool KnownTimeZone(const std::string& id) {
  std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
  return zone && *zone != icu::TimeZone::getUnknown();
}

}  // namespace

LeadRowParser::LeadRowParser(const PhoneNormalizer& phones, import::ColumnMapping mapping,
                             std::vector<std::string> headers, std::string source_detail)
    : phones_(phones),
      mapping_(std::move(mapping)),
      headers_(std::move(headers)),
      source_detail_(std::move(source_detail)) {}

std::string LeadRowParser::Cell(const import::RawRecord& record, LeadField field) const {
  auto it = mapping_.fields.find(field);
  if (it == mapping_.fields.end() || it->second < 0 ||
      static_cast<size_t>(it->second) >= record.cells.size()) {
    return {};
  }
  return Trim(record.cells[static_cast<size_t>(it->second)]);
}

ParsedRow LeadRowParser::Parse(const import::RawRecord& record) const {
  ParsedRow out;
  if (!record.error.empty()) {
    out.refusal = RowOutcome{
        record.row,      "invalid",
        "malformed_row", "row " + std::to_string(record.row) + " cannot be read: " + record.error,
        record.original, ""};
    return out;
  }
  if (std::all_of(record.cells.begin(), record.cells.end(),
                  [](const std::string& c) { return Trim(c).empty(); })) {
    return out;  // a blank record is not a row
  }
  std::string phone_text = Cell(record, LeadField::kPhone);
  PhoneParse phone = phones_.Normalize(phone_text);
  if (!phone.number) {
    auto it = mapping_.fields.find(LeadField::kPhone);
    std::string column =
        it != mapping_.fields.end() && static_cast<size_t>(it->second) < headers_.size()
            ? headers_[static_cast<size_t>(it->second)]
            : "phone";
    std::string shown = phone_text.empty() ? "" : " '" + phone_text + "'";
    out.refusal = RowOutcome{record.row,
                             "invalid",
                             std::string(PhoneRefusalCode(phone.refusal)),
                             "row " + std::to_string(record.row) + ", column '" + column + "'" +
                                 shown + ": " + phone.message,
                             record.original,
                             ""};
    return out;
  }
  Lead lead;
  lead.phone_e164 = phone.number->e164;
  lead.phone_raw = phone_text;
  lead.phone_extension = phone.number->extension;
  lead.phone_type = phone.number->type;
  lead.time_zone = phone.number->time_zone;
  lead.name = Cell(record, LeadField::kName);
  std::string email = Cell(record, LeadField::kEmail);
  if (!email.empty()) {
    if (LooksLikeEmail(email)) {
      lead.email = Fold(email);
    } else {
      out.warnings.push_back("row " + std::to_string(record.row) + ": e-mail '" + email +
                             "' is not an address; the lead was imported without it");
    }
  }
  std::string language = Cell(record, LeadField::kLanguage);
  lead.language = NormalizeLanguage(language);
  if (!language.empty() && lead.language.empty()) {
    out.warnings.push_back("row " + std::to_string(record.row) + ": language '" + language +
                           "' is not English or Hindi; recorded as unknown");
  }
  lead.city = Cell(record, LeadField::kCity);
  lead.state = Cell(record, LeadField::kState);
  std::string zone = Cell(record, LeadField::kTimeZone);
  if (!zone.empty()) {
    if (KnownTimeZone(zone)) {
      lead.time_zone = zone;
    } else {
      out.warnings.push_back("row " + std::to_string(record.row) + ": time zone '" + zone +
                             "' is unknown; using the number's (" +
                             (lead.time_zone.empty() ? "none" : lead.time_zone) + ")");
    }
  }
  for (const auto& alt : SplitTags(Cell(record, LeadField::kAltPhone))) {
    PhoneParse p = phones_.Normalize(alt);
    if (p.number && p.number->e164 != *lead.phone_e164) {
      lead.alt_phones.push_back(p.number->e164);
    } else if (!p.number) {
      out.warnings.push_back("row " + std::to_string(record.row) + ": alternate phone '" + alt +
                             "' dropped: " + p.message);
    }
  }
  lead.tags = SplitTags(Cell(record, LeadField::kTags));
  std::string source = Cell(record, LeadField::kSource);
  lead.source_kind = "file";
  lead.source_detail = source.empty() ? source_detail_ : source + " (via " + source_detail_ + ")";
  out.owner_email = Cell(record, LeadField::kOwner);
  out.note = Cell(record, LeadField::kNotes);
  for (const auto& [index, header] : mapping_.custom) {
    if (index >= 0 && static_cast<size_t>(index) < record.cells.size()) {
      std::string value = Trim(record.cells[static_cast<size_t>(index)]);
      if (!value.empty()) lead.custom[header] = value;
    }
  }
  out.lead = std::move(lead);
  return out;
}

}  // namespace vaarta::leads
