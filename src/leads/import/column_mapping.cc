#include "leads/import/column_mapping.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

namespace vaarta::leads::import {
namespace {

constexpr std::array<std::string_view, 12> kFieldNames = {
    "name",  "phone",     "alt_phone", "email",  "language", "city",
    "state", "time_zone", "tags",      "source", "owner",    "notes"};

// Header names seen in exports from Excel sheets, Google Forms, Indian CRMs and portals,
// in English, Hindi and Hinglish. Compared after NormalizeHeader, so "Mobile No." and
// "mobile no" are one entry; spelling variants of Hindi words (नंबर/नम्बर, with or
// without nukta) are listed where normalisation does not join them. "No." alone is left
// out: it usually heads the serial-number column.
struct Synonyms {
  LeadField field;
  std::vector<std::string_view> names;
};

const std::vector<Synonyms>& SynonymTable() {
  // clang-format off
  static const std::vector<Synonyms> table = {
      {LeadField::kPhone, {
          "phone", "phone no", "phone number", "phone num", "mobile", "mobile no", "mobile number",
          "mobile num", "mobile phone", "mobile no 1", "mobile 1", "phone 1", "mob", "mob no",
          "mobileno", "cell", "cell phone", "cell no", "cell number", "contact", "contact no",
          "contact number", "contact num", "contact details", "contact phone", "contact mobile",
          "primary phone", "primary mobile", "primary number", "primary contact", "telephone",
          "telephone number", "telephone no", "tel", "tel no", "ph", "ph no", "number", "whatsapp",
          "whatsapp number", "whatsapp no", "customer mobile", "customer phone", "customer number",
          "customer contact", "lead phone", "lead mobile", "msisdn", "मोबाइल", "मोबाइल नंबर",
          "मोबाइल नम्बर", "मोबाइल न", "मोबाईल", "मोबाईल नंबर", "मोबाईल नम्बर", "मो", "मो नं",
          "मोबाइल नं", "फ़ोन", "फ़ोन नंबर", "फ़ोन नम्बर", "फोन नं", "संपर्क", "सम्पर्क",
          "संपर्क नंबर", "संपर्क नम्बर", "सम्पर्क नंबर", "सम्पर्क नम्बर", "संपर्क सूत्र",
          "संपर्क नं", "दूरभाष", "दूरभाष नंबर", "नंबर", "नम्बर", "व्हाट्सएप", "व्हाट्सएप नंबर"}},
      {LeadField::kAltPhone, {
          "alternate phone", "alternate number", "alternate mobile", "alternate no",
          "alternate contact", "alternate contact number", "alternate mobile number",
          "alternative phone", "alternative number", "alternative mobile", "alt phone",
          "alt mobile", "alt number", "alt no", "alt contact", "other phone", "other number",
          "other mobile", "secondary phone", "secondary number", "secondary mobile", "phone 2",
          "mobile 2", "mobile no 2", "contact 2", "contact number 2", "landline", "landline number",
          "landline no", "office phone", "home phone", "work phone", "वैकल्पिक नंबर",
          "वैकल्पिक नम्बर", "वैकल्पिक मोबाइल", "वैकल्पिक फ़ोन", "दूसरा नंबर", "दूसरा नम्बर",
          "दूसरा मोबाइल", "अन्य नंबर", "अन्य नम्बर", "लैंडलाइन"}},
      {LeadField::kName, {
          "name", "full name", "customer name", "customer", "client name", "client", "lead name",
          "lead", "contact name", "contact person", "person name", "person", "party name", "party",
          "buyer name", "student name", "candidate name", "patient name", "applicant name",
          "member name", "prospect name", "prospect", "your name", "display name", "naam",
          "first name", "given name", "fname", "नाम", "पूरा नाम", "ग्राहक", "ग्राहक का नाम",
          "ग्राहक नाम", "व्यक्ति का नाम", "संपर्क व्यक्ति", "सम्पर्क व्यक्ति", "नाम ग्राहक",
          "पहला नाम"}},
      {LeadField::kEmail, {
          "email", "e-mail", "email id", "e-mail id", "email address", "e-mail address", "mail",
          "mail id", "email-id", "customer email", "lead email", "contact email", "primary email",
          "ईमेल", "ई-मेल", "ईमेल आईडी", "ई-मेल आईडी", "ईमेल पता", "ई मेल", "मेल"}},
      {LeadField::kLanguage, {
          "language", "lang", "preferred language", "language preference", "spoken language",
          "mother tongue", "भाषा", "पसंदीदा भाषा", "bhasha"}},
      {LeadField::kCity, {
          "city", "town", "city name", "city/town", "location", "place", "शहर", "नगर", "शहर का नाम",
          "स्थान", "shahar", "sheher"}},
      {LeadField::kState, {
          "state", "state name", "state/ut", "province", "region", "राज्य", "प्रदेश",
          "राज्य का नाम", "rajya"}},
      {LeadField::kTimeZone, {
          "time zone", "timezone", "tz", "time-zone", "समय क्षेत्र"}},
      {LeadField::kTags, {
          "tags", "tag", "labels", "label", "lead tags", "टैग", "टैग्स"}},
      {LeadField::kSource, {
          "source", "lead source", "utm source", "source of lead", "enquiry source",
          "inquiry source", "lead channel", "channel", "स्रोत", "लीड स्रोत"}},
      {LeadField::kOwner, {
          "owner", "lead owner", "owner email", "owner name", "assigned to", "assignee",
          "assigned agent", "agent", "agent email", "sales rep", "salesperson", "sales person",
          "sales executive", "executive", "counsellor", "counselor", "telecaller", "caller",
          "relationship manager", "rm", "account owner", "account manager", "एजेंट"}},
      {LeadField::kNotes, {
          "notes", "note", "remarks", "remark", "comments", "comment", "description", "details",
          "feedback", "टिप्पणी", "टिप्पणियाँ", "टिप्पणियां", "नोट", "विवरण", "रिमार्क"}},
  };
  // clang-format on
  return table;
}

// Normalised synonym -> field, built once.
const std::map<std::string, LeadField>& ExactNames() {
  static const std::map<std::string, LeadField> names = [] {
    std::map<std::string, LeadField> result;
    for (const auto& entry : SynonymTable()) {
      for (auto name : entry.names) result.emplace(NormalizeHeader(name), entry.field);
    }
    return result;
  }();
  return names;
}

bool Contains(const std::string& text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.find(w) != std::string::npos; });
}
bool StartsWithAny(const std::string& text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return text.rfind(w, 0) == 0; });
}
bool EndsWithAny(const std::string& text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) {
    return text.size() >= w.size() && text.compare(text.size() - w.size(), w.size(), w) == 0;
  });
}

// Second chance for headers that are not a known name, by the words they contain:
// "Customer Mobile (WhatsApp)", "Lead Owner Email", "ग्राहक का मोबाइल नंबर". Words that
// make a column about a phone or e-mail rather than the thing itself ("Phone Type",
// "Email Opt-in", "Mobile Verified") rule it out; bare "number" is not a phone word
// ("GST Number", "Order Number").
std::optional<LeadField> GuessByWords(const std::string& h, std::string* why) {
  auto because = [&](std::string_view what) { *why = "its header mentions " + std::string(what); };
  const bool about = Contains(h, {"type", "status", "verif", "valid", "optin", "optout", "opted",
                                  "consent", "dnd", "extension", "count", "date", "flag"});
  if (Contains(h, {"owner", "assigned", "assignee", "salesrep", "salesperson", "telecaller",
                   "counsel", "agent"})) {
    because("an owner");
    return LeadField::kOwner;
  }
  if (!about && Contains(h, {"email", "mail", "ईमेल"})) {
    because("e-mail");
    return LeadField::kEmail;
  }
  if (Contains(h, {"name", "नाम", "naam"}) &&
      !Contains(h, {"company",  "business", "firm",     "org",      "father",   "mother", "husband",
                    "wife",     "spouse",   "guardian", "parent",   "user",     "file",   "sheet",
                    "account",  "product",  "project",  "campaign", "list",     "city",   "state",
                    "district", "village",  "area",     "street",   "building", "shop",   "store",
                    "brand",    "school",   "college",  "course",   "bank",     "branch", "plan",
                    "package",  "group",    "team",     "manager",  "employee", "refer",  "last",
                    "middle",   "sur",      "family",   "कंपनी",     "पिता",     "माता",   "पति",
                    "पत्नी"})) {
    because("a name");
    return LeadField::kName;
  }
  const bool phone_word =
      Contains(h, {"mobile", "phone", "cell", "whatsapp", "contact", "telephone", "msisdn",
                   "मोबाइल", "मोबाईल", "फोन", "संपर्क", "सम्पर्क", "दूरभाष", "व्हाट्सएप"});
  if (!about && phone_word) {
    const bool second = Contains(h, {"alternat", "secondary", "landline", "other", "office", "home",
                                     "work", "वैकल्पिक", "दूसरा", "अन्य", "लैंडलाइन"}) ||
                        h.rfind("alt", 0) == 0 ||
                        (!h.empty() && h.back() >= '2' && h.back() <= '9');
    because(second ? "another phone number" : "a phone number");
    return second ? LeadField::kAltPhone : LeadField::kPhone;
  }
  if (Contains(h, {"city", "शहर"})) {
    because("a city");
    return LeadField::kCity;
  }
  if (Contains(h, {"language", "भाषा"}) || h.rfind("lang", 0) == 0) {
    because("a language");
    return LeadField::kLanguage;
  }
  if (Contains(h, {"timezone"})) {
    because("a time zone");
    return LeadField::kTimeZone;
  }
  if (StartsWithAny(h, {"tag", "label"}) || EndsWithAny(h, {"tags", "labels"})) {
    because("tags");
    return LeadField::kTags;
  }
  if (Contains(h, {"source", "स्रोत"})) {
    because("a source");
    return LeadField::kSource;
  }
  if (Contains(h, {"remark", "comment", "note", "टिप्पणी"})) {
    because("notes");
    return LeadField::kNotes;
  }
  return std::nullopt;
}

std::string Trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string Describe(const std::vector<std::string>& headers, int column) {
  return "'" + Trim(headers[static_cast<size_t>(column)]) + "' (column " +
         std::to_string(column + 1) + ")";
}

std::string ListHeaders(const std::vector<std::string>& headers) {
  if (headers.empty()) return "the header row is empty";
  std::string list;
  const size_t shown = std::min<size_t>(headers.size(), 30);
  for (size_t i = 0; i < shown; ++i) {
    list += (i ? ", #" : "#") + std::to_string(i + 1) + " '" + Trim(headers[i]) + "'";
  }
  if (headers.size() > shown) {
    list += " and " + std::to_string(headers.size() - shown) + " more";
  }
  return "the columns are " + list;
}

core::Error MapError(std::string message, std::string detail_code) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message),
                         std::move(detail_code));
}

// A header that is a phone number, e-mail or the like: the file has no header row.
bool LooksLikeData(const std::string& header) {
  int digits = 0;
  for (char c : header) digits += c >= '0' && c <= '9';
  return digits >= 7 || header.find('@') != std::string::npos;
}

// Finds the column a --map names: the exact header, "#N", then the header as
// NormalizeHeader compares it.
std::optional<int> FindColumn(const std::vector<std::string>& headers, const std::string& want) {
  for (size_t i = 0; i < headers.size(); ++i) {
    if (Trim(headers[i]) == want) return static_cast<int>(i);
  }
  if (want.size() > 1 && want[0] == '#') {
    int number = 0;
    auto [end, ec] = std::from_chars(want.data() + 1, want.data() + want.size(), number);
    if (ec == std::errc() && end == want.data() + want.size()) {
      if (number < 1 || static_cast<size_t>(number) > headers.size()) return std::nullopt;
      return number - 1;
    }
  }
  const std::string normalized = NormalizeHeader(want);
  if (normalized.empty()) return std::nullopt;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (NormalizeHeader(headers[i]) == normalized) return static_cast<int>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view LeadFieldName(LeadField field) { return kFieldNames[static_cast<size_t>(field)]; }

std::optional<LeadField> ParseLeadField(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == ' ') c = '_';
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  for (LeadField field : kAllLeadFields) {
    if (LeadFieldName(field) == key) return field;
  }
  return std::nullopt;
}

std::string NormalizeHeader(std::string_view header) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(header.data(), static_cast<int32_t>(header.size())));
  icu::UnicodeString folded = U_SUCCESS(status) ? folding->normalize(text, status) : text;
  if (U_FAILURE(status)) folded = text;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0x093C) continue;  // Devanagari nukta: फ़ोन and फोन are one word
    if (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

core::Result<ColumnMapping> MapColumns(const std::vector<std::string>& headers,
                                       const std::vector<std::string>& explicit_maps) {
  ColumnMapping mapping;
  std::set<LeadField> decided;  // mapped, or left unmapped on purpose
  std::vector<bool> used(headers.size(), false);
  std::map<LeadField, std::string> explicit_by_field;

  for (const std::string& map : explicit_maps) {
    const auto equals = map.find('=');
    if (equals == std::string::npos) {
      return MapError("--map '" + map +
                          "' must be field=column, e.g. phone=Mobile or phone=#2 (the 2nd column)",
                      "bad_column_map");
    }
    const std::string field_name = Trim(std::string_view(map).substr(0, equals));
    const std::string column_name = Trim(std::string_view(map).substr(equals + 1));
    auto field = ParseLeadField(field_name);
    if (!field) {
      std::string fields;
      for (auto name : kFieldNames) fields += (fields.empty() ? "" : ", ") + std::string(name);
      return MapError(
          "unknown field '" + field_name + "' in --map '" + map + "'; the fields are " + fields,
          "unknown_field");
    }
    if (auto [it, inserted] = explicit_by_field.emplace(*field, map); !inserted) {
      return MapError("--map names " + std::string(LeadFieldName(*field)) + " twice ('" +
                          it->second + "' and '" + map + "')",
                      "bad_column_map");
    }
    decided.insert(*field);
    if (column_name.empty()) {
      mapping.notes.push_back(std::string(LeadFieldName(*field)) + ": not mapped (--map " + map +
                              ")");
      continue;
    }
    auto column = FindColumn(headers, column_name);
    if (!column) {
      return MapError(
          "no column '" + column_name + "' for --map '" + map + "'; " + ListHeaders(headers),
          "unknown_column");
    }
    for (const auto& [other, index] : mapping.fields) {
      if (index == *column) {
        return MapError("column " + Describe(headers, *column) + " is mapped twice (" +
                            std::string(LeadFieldName(other)) + " and " +
                            std::string(LeadFieldName(*field)) + ")",
                        "bad_column_map");
      }
    }
    mapping.fields[*field] = *column;
    used[static_cast<size_t>(*column)] = true;
    mapping.notes.push_back(std::string(LeadFieldName(*field)) + ": " + Describe(headers, *column) +
                            ", from --map " + map);
  }

  // Automatic mapping of the other columns: known header names first, in column order,
  // then headers recognised by the words they contain.
  std::vector<std::string> normalized(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) normalized[i] = NormalizeHeader(headers[i]);
  std::vector<std::string> leftovers;  // notes about look-alike columns kept as custom
  auto assign = [&](LeadField field, int column, const std::string& why) {
    if (field == LeadField::kPhone && decided.count(LeadField::kPhone) &&
        !decided.count(LeadField::kAltPhone)) {
      field = LeadField::kAltPhone;  // a second phone column is the alternate number
    }
    if (decided.count(field)) {
      auto taken = mapping.fields.find(field);
      leftovers.push_back(
          Describe(headers, column) + " also looks like " + std::string(LeadFieldName(field)) +
          (taken != mapping.fields.end() ? ", which is taken by " + Describe(headers, taken->second)
                                         : std::string(", which --map leaves unmapped")) +
          "; kept as a custom field");
      return;
    }
    decided.insert(field);
    mapping.fields[field] = column;
    used[static_cast<size_t>(column)] = true;
    mapping.notes.push_back(std::string(LeadFieldName(field)) + ": " + Describe(headers, column) +
                            ", " + why);
  };
  const auto& exact = ExactNames();
  std::vector<bool> tried(headers.size(), false);
  for (size_t i = 0; i < headers.size(); ++i) {
    if (used[i] || normalized[i].empty()) continue;
    auto found = exact.find(normalized[i]);
    if (found == exact.end()) continue;
    tried[i] = true;
    assign(found->second, static_cast<int>(i), "a known header name");
  }
  for (size_t i = 0; i < headers.size(); ++i) {
    if (used[i] || tried[i] || normalized[i].empty()) continue;
    std::string why;
    if (auto field = GuessByWords(normalized[i], &why)) assign(*field, static_cast<int>(i), why);
  }

  if (!mapping.fields.count(LeadField::kPhone) && mapping.fields.count(LeadField::kAltPhone) &&
      !explicit_by_field.count(LeadField::kAltPhone) &&
      !explicit_by_field.count(LeadField::kPhone)) {
    int column = mapping.fields[LeadField::kAltPhone];
    mapping.fields.erase(LeadField::kAltPhone);
    mapping.fields[LeadField::kPhone] = column;
    mapping.notes.push_back("phone: " + Describe(headers, column) +
                            ", the only phone column, although its header suggests an "
                            "alternate number");
  }
  if (!mapping.fields.count(LeadField::kPhone)) {
    std::string message = "no phone column found: " + ListHeaders(headers) +
                          ". Name the column with --map phone=<header> or --map phone=#<n> "
                          "(1 for the first column)";
    if (std::any_of(headers.begin(), headers.end(), LooksLikeData)) {
      message +=
          ". The first row looks like data rather than column names: add a header row "
          "(e.g. Name,Phone) at the top of the file";
    }
    return MapError(message, "no_phone_column");
  }

  if (mapping.fields.count(LeadField::kName) && !explicit_by_field.count(LeadField::kName)) {
    const std::string& name = normalized[static_cast<size_t>(mapping.fields[LeadField::kName])];
    if (name == "firstname" || name == "fname" || name == "givenname" || name == "पहलानाम") {
      mapping.notes.push_back(
          "name: only the first-name column is used; a last-name column is kept as a custom "
          "field (add a full-name column, or --map name=<column>, to change this)");
    }
  }

  // Every other column is kept, under a unique name.
  std::set<std::string> custom_names;
  std::string custom_note;
  for (size_t i = 0; i < headers.size(); ++i) {
    if (used[i]) continue;
    std::string name = Trim(headers[i]);
    if (name.empty()) name = "Column " + std::to_string(i + 1);
    if (!custom_names.insert(name).second) {
      name += " (column " + std::to_string(i + 1) + ")";
      custom_names.insert(name);
    }
    custom_note += (custom_note.empty() ? "" : ", ") + Describe(headers, static_cast<int>(i));
    mapping.custom.emplace_back(static_cast<int>(i), std::move(name));
  }
  for (auto& note : leftovers) mapping.notes.push_back(std::move(note));
  if (!custom_note.empty()) mapping.notes.push_back("kept as custom fields: " + custom_note);
  return mapping;
}

}  // namespace vaarta::leads::import
