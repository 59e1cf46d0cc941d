#include "campaigns/campaign_json.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "campaigns/script.h"
#include "core/clock.h"
#include "leads/lead.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 7> kDayNames = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Telephony providers the product speaks to (compliance-india.md section 5).
constexpr std::array<const char*, 4> kProviders = {"simulator", "twilio", "exotel", "plivo"};

constexpr std::array<const char*, 26> kConfigFields = {"name",
                                                       "business_name",
                                                       "goal",
                                                       "product_facts",
                                                       "offer",
                                                       "call_class",
                                                       "call_class_reason",
                                                       "ncpr_category",
                                                       "languages",
                                                       "script",
                                                       "knowledge",
                                                       "provider",
                                                       "caller_id",
                                                       "dlt",
                                                       "window",
                                                       "max_concurrent_calls",
                                                       "calls_per_second",
                                                       "attempts",
                                                       "start_date",
                                                       "end_date",
                                                       "list_ids",
                                                       "lead_filter",
                                                       "voicemail_policy",
                                                       "voicemail_message",
                                                       "conversation_transport",
                                                       "transfer_number"};

// Fields responses carry that a request may not set.
constexpr std::array<const char*, 9> kReadOnlyFields = {"id",          "state",      "created_at",
                                                        "updated_at",  "created_by", "started_at",
                                                        "finished_at", "findings",   "enrolled"};

constexpr size_t kMaxKnowledgeEntries = 200;
constexpr size_t kMaxLists = 100;

template <size_t N>
bool OneOf(const std::array<const char*, N>& names, const std::string& value) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return value == n; });
}

template <size_t N>
std::string Joined(const std::array<const char*, N>& names) {
  std::string out;
  for (const char* n : names) {
    if (!out.empty()) out += ", ";
    out += *n ? n : "\"\"";
  }
  return out;
}

// Free text a person typed: no control characters except line breaks and tabs where
// the field is prose.
bool CleanText(const std::string& text, bool multiline) {
  for (unsigned char c : text) {
    if (c == 0x7f) return false;
    if (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) return false;
  }
  return true;
}

bool IsDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "HH:MM" with 00 <= HH <= 23 (or exactly 24:00 when allowed) and 00 <= MM <= 59.
std::optional<int> ParseTimeOfDay(const std::string& text, bool allow_midnight_end) {
  if (text.size() != 5 || text[2] != ':' || !IsDigits(text.substr(0, 2)) ||
      !IsDigits(text.substr(3, 2))) {
    return std::nullopt;
  }
  int hour = std::stoi(text.substr(0, 2));
  int minute = std::stoi(text.substr(3, 2));
  if (hour == 24 && minute == 0 && allow_midnight_end) return 24 * 60;
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

// Collects the errors of one document; each reader names the field by its path.
class Reader {
 public:
  explicit Reader(std::vector<FieldError>* errors) : errors_(errors) {}

  void Fail(const std::string& path, const std::string& message) {
    errors_->push_back({path, message});
  }

  // Refuses keys outside `known` (read-only ones with their own message).
  template <size_t N>
  void OnlyKnown(const json& object, const std::string& prefix,
                 const std::array<const char*, N>& known) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (OneOf(known, it.key())) continue;
      if (prefix.empty() && OneOf(kReadOnlyFields, it.key())) {
        Fail(it.key(), "is read-only");
      } else {
        Fail(prefix + it.key(), "is not a campaign field; known fields: " + Joined(known));
      }
    }
  }

  // A string of at most `max_bytes`. Null sets the default (empty).
  void Text(const json& object, const char* key, const std::string& path, size_t max_bytes,
            bool multiline, std::string* out) {
    auto it = object.find(key);
    if (it == object.end()) return;
    if (it->is_null()) {
      out->clear();
      return;
    }
    if (!it->is_string()) return Fail(path, "must be a string");
    std::string value = it->get<std::string>();
    if (value.size() > max_bytes) {
      return Fail(path, "must be at most " + std::to_string(max_bytes) + " bytes");
    }
    if (!CleanText(value, multiline)) {
      return Fail(path, multiline ? "must not contain control characters other than line breaks"
                                  : "must not contain control characters or line breaks");
    }
    *out = std::move(value);
  }

  // One of `allowed`; null sets `fallback`.
  template <size_t N>
  void Choice(const json& object, const char* key, const std::string& path,
              const std::array<const char*, N>& allowed, const std::string& fallback,
              std::string* out) {
    auto it = object.find(key);
    if (it == object.end()) return;
    if (it->is_null()) {
      *out = fallback;
      return;
    }
    if (!it->is_string() || !OneOf(allowed, it->get<std::string>())) {
      return Fail(path, "must be one of " + Joined(allowed));
    }
    *out = it->get<std::string>();
  }

  // A whole number in [min, max]; null sets `fallback`.
  template <typename Int>
  void Integer(const json& object, const char* key, const std::string& path, int64_t min,
               int64_t max, Int fallback, Int* out) {
    auto it = object.find(key);
    if (it == object.end()) return;
    if (it->is_null()) {
      *out = fallback;
      return;
    }
    std::string range = std::to_string(min) + "-" + std::to_string(max);
    if (!it->is_number_integer()) return Fail(path, "must be a whole number " + range);
    // Unsigned JSON numbers above INT64_MAX read as negative here and fail the range.
    int64_t v = it->get<int64_t>();
    if (v < min || v > max) return Fail(path, "must be " + range);
    *out = static_cast<Int>(v);
  }

  void Bool(const json& object, const char* key, const std::string& path, bool fallback,
            bool* out) {
    auto it = object.find(key);
    if (it == object.end()) return;
    if (it->is_null()) {
      *out = fallback;
      return;
    }
    if (!it->is_boolean()) return Fail(path, "must be true or false");
    *out = it->get<bool>();
  }

  // "YYYY-MM-DD" or empty; null sets empty.
  void Date(const json& object, const char* key, const std::string& path, std::string* out) {
    auto it = object.find(key);
    if (it == object.end()) return;
    if (it->is_null()) {
      out->clear();
      return;
    }
    if (!it->is_string()) return Fail(path, "must be a date YYYY-MM-DD");
    std::string value = it->get<std::string>();
    if (!value.empty() && !core::IsCalendarDate(value)) {
      return Fail(path, "must be a date YYYY-MM-DD, got '" + value + "'");
    }
    *out = std::move(value);
  }

  // An object, or null (the section's defaults); nullptr when absent or wrong.
  const json* Section(const json& object, const char* key, bool* reset) {
    *reset = false;
    auto it = object.find(key);
    if (it == object.end()) return nullptr;
    if (it->is_null()) {
      *reset = true;
      return nullptr;
    }
    if (!it->is_object()) {
      Fail(key, "must be an object");
      return nullptr;
    }
    return &*it;
  }

 private:
  std::vector<FieldError>* errors_;
};

void ReadDlt(Reader& r, const json& object, DltRegistration* dlt) {
  static constexpr std::array<const char*, 4> kFields = {"entity_id", "caller_id_series",
                                                         "declaration_date", "override_reason"};
  static constexpr std::array<const char*, 3> kSeries = {"", "140", "1600"};
  r.OnlyKnown(object, "dlt.", kFields);
  std::string entity = dlt->entity_id;
  r.Text(object, "entity_id", "dlt.entity_id", 40, false, &entity);
  if (!entity.empty() && !std::all_of(entity.begin(), entity.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
      })) {
    r.Fail("dlt.entity_id", "must be the DLT principal entity id: letters and digits only");
  } else {
    dlt->entity_id = entity;
  }
  r.Choice(object, "caller_id_series", "dlt.caller_id_series", kSeries, "", &dlt->caller_id_series);
  r.Date(object, "declaration_date", "dlt.declaration_date", &dlt->declaration_date);
  r.Text(object, "override_reason", "dlt.override_reason", 500, false, &dlt->override_reason);
}

void ReadWindow(Reader& r, const json& object, CallingWindow* window) {
  static constexpr std::array<const char*, 4> kFields = {"start", "end", "days", "skip_holidays"};
  r.OnlyKnown(object, "window.", kFields);
  for (const char* key : {"start", "end"}) {
    auto it = object.find(key);
    if (it == object.end()) continue;
    bool is_end = std::string(key) == "end";
    int* target = is_end ? &window->end_minute : &window->start_minute;
    if (it->is_null()) {
      *target = is_end ? CallingWindow{}.end_minute : CallingWindow{}.start_minute;
      continue;
    }
    auto minutes = it->is_string() ? ParseTimeOfDay(it->get<std::string>(), is_end) : std::nullopt;
    if (!minutes) {
      r.Fail(std::string("window.") + key,
             is_end ? "must be HH:MM (00:01 to 24:00)" : "must be HH:MM (00:00 to 23:59)");
      continue;
    }
    *target = *minutes;
  }
  if (auto it = object.find("days"); it != object.end()) {
    if (it->is_null()) {
      window->days = CallingWindow{}.days;
    } else if (!it->is_array() || it->empty()) {
      r.Fail("window.days", "must be a non-empty array of mon, tue, wed, thu, fri, sat, sun");
    } else {
      uint8_t days = 0;
      bool ok = true;
      for (size_t i = 0; i < it->size(); ++i) {
        const json& day = (*it)[i];
        auto found = day.is_string()
                         ? std::find(kDayNames.begin(), kDayNames.end(), day.get<std::string>())
                         : kDayNames.end();
        std::string path = "window.days[" + std::to_string(i) + "]";
        if (found == kDayNames.end()) {
          r.Fail(path, "must be one of mon, tue, wed, thu, fri, sat, sun");
          ok = false;
          continue;
        }
        uint8_t bit = static_cast<uint8_t>(1u << (found - kDayNames.begin()));
        if (days & bit) {
          r.Fail(path, "repeats " + day.get<std::string>());
          ok = false;
        }
        days |= bit;
      }
      if (ok) window->days = days;
    }
  }
  r.Bool(object, "skip_holidays", "window.skip_holidays", true, &window->skip_holidays);
}

void ReadAttempts(Reader& r, const json& object, AttemptPolicy* attempts) {
  static constexpr std::array<const char*, 4> kFields = {"max_per_day", "max_per_campaign",
                                                         "min_gap_hours", "stop_after_refusal"};
  const AttemptPolicy defaults;
  r.OnlyKnown(object, "attempts.", kFields);
  r.Integer(object, "max_per_day", "attempts.max_per_day", 1, 10, defaults.max_per_day,
            &attempts->max_per_day);
  r.Integer(object, "max_per_campaign", "attempts.max_per_campaign", 1, 20,
            defaults.max_per_campaign, &attempts->max_per_campaign);
  if (auto it = object.find("min_gap_hours"); it != object.end()) {
    if (it->is_null()) {
      attempts->min_gap_after_unanswered_ms = defaults.min_gap_after_unanswered_ms;
    } else if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
               it->get<double>() > 720) {
      r.Fail("attempts.min_gap_hours", "must be a number of hours from 0 to 720");
    } else {
      attempts->min_gap_after_unanswered_ms =
          static_cast<int64_t>(std::llround(it->get<double>() * 3'600'000.0));
    }
  }
  r.Bool(object, "stop_after_refusal", "attempts.stop_after_refusal", true,
         &attempts->stop_after_refusal);
}

void ReadKnowledge(Reader& r, const json& value, std::vector<KnowledgeEntry>* out) {
  static constexpr std::array<const char*, 6> kFields = {"kind",        "intent",    "question_en",
                                                         "question_hi", "answer_en", "answer_hi"};
  static constexpr std::array<const char*, 2> kKinds = {"faq", "objection"};
  if (value.is_null()) {
    out->clear();
    return;
  }
  if (!value.is_array()) return r.Fail("knowledge", "must be an array of entries");
  if (value.size() > kMaxKnowledgeEntries) {
    return r.Fail("knowledge",
                  "must have at most " + std::to_string(kMaxKnowledgeEntries) + " entries");
  }
  std::vector<KnowledgeEntry> entries;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = "knowledge[" + std::to_string(i) + "]";
    const json& item = value[i];
    if (!item.is_object()) {
      r.Fail(path, "must be an object");
      continue;
    }
    r.OnlyKnown(item, path + ".", kFields);
    KnowledgeEntry e;
    r.Choice(item, "kind", path + ".kind", kKinds, "", &e.kind);
    if (!item.contains("kind") || item["kind"].is_null()) r.Fail(path + ".kind", "is required");
    r.Text(item, "intent", path + ".intent", 40, false, &e.intent);
    if (!e.intent.empty() && !IsIntent(e.intent)) {
      r.Fail(path + ".intent",
             "must be a callee intent such as objection_price, ask_price or "
             "ask_details, got '" +
                 e.intent + "'");
    }
    if (e.kind == "objection" && e.intent.empty()) {
      r.Fail(path + ".intent", "is required for an objection (for example objection_price)");
    }
    r.Text(item, "question_en", path + ".question_en", 1000, true, &e.question_en);
    r.Text(item, "question_hi", path + ".question_hi", 1000, true, &e.question_hi);
    r.Text(item, "answer_en", path + ".answer_en", 2000, true, &e.answer_en);
    r.Text(item, "answer_hi", path + ".answer_hi", 2000, true, &e.answer_hi);
    if (e.answer_en.empty() && e.answer_hi.empty()) {
      r.Fail(path + ".answer_en", "give the answer in English or Hindi (answer_en, answer_hi)");
    }
    entries.push_back(std::move(e));
  }
  *out = std::move(entries);
}

void ReadListIds(Reader& r, const json& value, std::vector<int64_t>* out) {
  if (value.is_null()) {
    out->clear();
    return;
  }
  if (!value.is_array()) return r.Fail("list_ids", "must be an array of list ids");
  if (value.size() > kMaxLists) {
    return r.Fail("list_ids", "must have at most " + std::to_string(kMaxLists) + " lists");
  }
  std::vector<int64_t> ids;
  for (size_t i = 0; i < value.size(); ++i) {
    std::string path = "list_ids[" + std::to_string(i) + "]";
    if (!value[i].is_number_integer() || value[i].get<int64_t>() <= 0) {
      r.Fail(path, "must be a list id (a positive whole number)");
      continue;
    }
    int64_t id = value[i].get<int64_t>();
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      r.Fail(path, "repeats list " + std::to_string(id));
      continue;
    }
    ids.push_back(id);
  }
  *out = std::move(ids);
}

// The leads listing's query, as an object: the same names and values as its parameters.
void ReadLeadFilter(Reader& r, const json& value, json* out) {
  static constexpr std::array<const char*, 7> kFields = {"list",      "status", "tag", "language",
                                                         "dnd_state", "owner",  "q"};
  if (value.is_null()) {
    *out = nullptr;
    return;
  }
  if (!value.is_object()) {
    return r.Fail("lead_filter",
                  "must be an object with the leads listing's filters (list, status, tag, "
                  "language, dnd_state, owner, q) or null");
  }
  std::vector<FieldError> own;
  Reader local(&own);
  local.OnlyKnown(value, "lead_filter.", kFields);
  for (const char* key : {"list", "owner"}) {
    if (auto it = value.find(key);
        it != value.end() && (!it->is_number_integer() || it->get<int64_t>() <= 0)) {
      local.Fail(std::string("lead_filter.") + key, "must be an id (a positive whole number)");
    }
  }
  for (const char* key : {"status", "tag", "language", "dnd_state", "q"}) {
    if (auto it = value.find(key); it != value.end()) {
      std::string path = std::string("lead_filter.") + key;
      if (!it->is_string() || it->get<std::string>().empty()) {
        local.Fail(path, "must be a non-empty string");
        continue;
      }
      std::string text = it->get<std::string>();
      if (text.size() > 200 || !CleanText(text, false)) {
        local.Fail(path, "must be at most 200 bytes without control characters");
      } else if (std::string(key) == "status" && (!leads::IsLeadStatus(text) || text == "erased")) {
        local.Fail(path, "must be a lead status such as new, contacted or interested");
      } else if (std::string(key) == "dnd_state" && !leads::IsDndState(text)) {
        local.Fail(path, "must be blocked, partial, clear or unknown");
      } else if (std::string(key) == "language" && text != "en" && text != "hi" &&
                 text != "unknown") {
        local.Fail(path, "must be en, hi or unknown");
      }
    }
  }
  for (auto& e : own) r.Fail(e.field, e.message);
  if (own.empty()) *out = value;
}

}  // namespace

std::string FormatTimeOfDay(int minutes) {
  std::string out = "00:00";
  out[0] = static_cast<char>('0' + minutes / 600 % 10);
  out[1] = static_cast<char>('0' + minutes / 60 % 10);
  out[3] = static_cast<char>('0' + minutes % 60 / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  return out;
}

nlohmann::json CampaignConfigToJson(const Campaign& c) {
  json days = json::array();
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (c.window.days & (1u << i)) days.push_back(kDayNames[i]);
  }
  json knowledge = json::array();
  for (const auto& k : c.knowledge) {
    knowledge.push_back({{"kind", k.kind},
                         {"intent", k.intent},
                         {"question_en", k.question_en},
                         {"question_hi", k.question_hi},
                         {"answer_en", k.answer_en},
                         {"answer_hi", k.answer_hi}});
  }
  return {
      {"name", c.name},
      {"business_name", c.business_name},
      {"goal", c.goal},
      {"product_facts", c.product_facts},
      {"offer", c.offer},
      {"call_class", CallClassName(c.call_class)},
      {"call_class_reason", c.call_class_reason},
      {"ncpr_category", c.ncpr_category == 0 ? json() : json(c.ncpr_category)},
      {"languages", c.languages},
      {"script", c.script},
      {"knowledge", knowledge},
      {"provider", c.provider},
      {"caller_id", c.caller_id},
      {"dlt",
       {{"entity_id", c.dlt.entity_id},
        {"caller_id_series", c.dlt.caller_id_series},
        {"declaration_date", c.dlt.declaration_date},
        {"override_reason", c.dlt.override_reason}}},
      {"window",
       {{"start", FormatTimeOfDay(c.window.start_minute)},
        {"end", FormatTimeOfDay(c.window.end_minute)},
        {"days", days},
        {"skip_holidays", c.window.skip_holidays}}},
      {"max_concurrent_calls", c.max_concurrent_calls},
      {"calls_per_second", c.calls_per_second},
      {"attempts",
       {{"max_per_day", c.attempts.max_per_day},
        {"max_per_campaign", c.attempts.max_per_campaign},
        {"min_gap_hours", static_cast<double>(c.attempts.min_gap_after_unanswered_ms) / 3.6e6},
        {"stop_after_refusal", c.attempts.stop_after_refusal}}},
      {"start_date", c.start_date},
      {"end_date", c.end_date},
      {"list_ids", c.list_ids},
      {"lead_filter", c.lead_filter},
      {"voicemail_policy", c.voicemail_policy},
      {"voicemail_message", c.voicemail_message},
      {"conversation_transport", c.conversation_transport},
      {"transfer_number", c.transfer_number},
  };
}

nlohmann::json CampaignToJson(const Campaign& c) {
  json out = CampaignConfigToJson(c);
  auto time = [](const std::optional<int64_t>& t) {
    return t ? json(core::FormatIso8601Utc(*t)) : json();
  };
  out["id"] = c.id;
  out["state"] = CampaignStateName(c.state);
  out["created_by"] = c.created_by;
  out["created_at"] = core::FormatIso8601Utc(c.created_at);
  out["updated_at"] = core::FormatIso8601Utc(c.updated_at);
  out["started_at"] = time(c.started_at);
  out["finished_at"] = time(c.finished_at);
  return out;
}

std::vector<FieldError> ReadCampaignConfig(const nlohmann::json& document, Campaign* c) {
  static constexpr std::array<const char*, 3> kLanguages = {"en", "hi", "auto"};
  static constexpr std::array<const char*, 2> kVoicemail = {"hang_up", "leave_message"};
  static constexpr std::array<const char*, 2> kTransports = {"gather", "relay"};
  static constexpr std::array<const char*, 3> kClasses = {"promotional", "service",
                                                          "transactional"};
  std::vector<FieldError> errors;
  Reader r(&errors);
  if (!document.is_object()) {
    r.Fail("", "a campaign must be a JSON object");
    return errors;
  }
  const Campaign defaults;
  r.OnlyKnown(document, "", kConfigFields);

  std::string name = c->name;
  size_t errors_before = errors.size();
  r.Text(document, "name", "name", 100, false, &name);
  if (document.contains("name") && errors.size() == errors_before) {
    auto first = name.find_first_not_of(" \t");
    auto last = name.find_last_not_of(" \t");
    name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
    if (name.empty()) r.Fail("name", "must not be empty");
  }
  c->name = name;
  r.Text(document, "business_name", "business_name", 100, false, &c->business_name);
  r.Text(document, "goal", "goal", 500, false, &c->goal);
  r.Text(document, "product_facts", "product_facts", 5000, true, &c->product_facts);
  r.Text(document, "offer", "offer", 1000, true, &c->offer);

  std::string call_class(CallClassName(c->call_class));
  r.Choice(document, "call_class", "call_class", kClasses, "promotional", &call_class);
  c->call_class = ParseCallClass(call_class).value_or(CallClass::kPromotional);
  r.Text(document, "call_class_reason", "call_class_reason", 500, false, &c->call_class_reason);
  if (auto it = document.find("ncpr_category");
      it != document.end() && !it->is_null() &&
      (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 8)) {
    r.Fail("ncpr_category",
           "must be 1-8 (1 banking/insurance/finance, 2 real estate, 3 education, 4 health, "
           "5 consumer goods/automobiles, 6 communication/IT/entertainment, 7 tourism, 8 food)");
  } else {
    r.Integer(document, "ncpr_category", "ncpr_category", 1, 8, 0, &c->ncpr_category);
  }
  r.Choice(document, "languages", "languages", kLanguages, defaults.languages, &c->languages);

  if (auto it = document.find("script"); it != document.end()) {
    if (it->is_null() || it->is_object()) {
      c->script = *it;
    } else {
      r.Fail("script", "must be a script object (docs/script-schema.json) or null");
    }
  }
  if (auto it = document.find("knowledge"); it != document.end()) {
    ReadKnowledge(r, *it, &c->knowledge);
  }
  r.Choice(document, "provider", "provider", kProviders, defaults.provider, &c->provider);
  std::string caller_id = c->caller_id;
  r.Text(document, "caller_id", "caller_id", 64, false, &caller_id);
  if (!caller_id.empty() &&
      (caller_id[0] != '+' || !IsDigits(caller_id.substr(1)) || caller_id.size() < 9 ||
       caller_id.size() > 16 || caller_id[1] == '0')) {
    r.Fail("caller_id",
           "must be a number in E.164 form, '+' and 8 to 15 digits (a 140-series number is "
           "written +91140...)");
  } else {
    c->caller_id = caller_id;
  }

  bool reset = false;
  if (const json* dlt = r.Section(document, "dlt", &reset)) {
    ReadDlt(r, *dlt, &c->dlt);
  } else if (reset) {
    c->dlt = {};
  }
  if (const json* window = r.Section(document, "window", &reset)) {
    ReadWindow(r, *window, &c->window);
  } else if (reset) {
    c->window = {};
  }
  if (c->window.start_minute >= c->window.end_minute) {
    r.Fail("window.end",
           "must be later than window.start (" + FormatTimeOfDay(c->window.start_minute) + ")");
  }

  r.Integer(document, "max_concurrent_calls", "max_concurrent_calls", 1, 1000,
            defaults.max_concurrent_calls, &c->max_concurrent_calls);
  if (auto it = document.find("calls_per_second"); it != document.end()) {
    if (it->is_null()) {
      c->calls_per_second = defaults.calls_per_second;
    } else if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() <= 0 ||
               it->get<double>() > 50) {
      r.Fail("calls_per_second", "must be > 0 and <= 50");
    } else {
      c->calls_per_second = it->get<double>();
    }
  }
  if (const json* attempts = r.Section(document, "attempts", &reset)) {
    ReadAttempts(r, *attempts, &c->attempts);
  } else if (reset) {
    c->attempts = {};
  }

  r.Date(document, "start_date", "start_date", &c->start_date);
  r.Date(document, "end_date", "end_date", &c->end_date);
  if (!c->start_date.empty() && !c->end_date.empty() && c->end_date < c->start_date &&
      core::IsCalendarDate(c->start_date) && core::IsCalendarDate(c->end_date)) {
    r.Fail("end_date", "must not be before start_date (" + c->start_date + ")");
  }
  if (auto it = document.find("list_ids"); it != document.end()) {
    ReadListIds(r, *it, &c->list_ids);
  }
  if (auto it = document.find("lead_filter"); it != document.end()) {
    ReadLeadFilter(r, *it, &c->lead_filter);
  }
  r.Choice(document, "voicemail_policy", "voicemail_policy", kVoicemail, defaults.voicemail_policy,
           &c->voicemail_policy);
  r.Text(document, "voicemail_message", "voicemail_message", 600, false, &c->voicemail_message);
  r.Choice(document, "conversation_transport", "conversation_transport", kTransports,
           defaults.conversation_transport, &c->conversation_transport);
  std::string transfer = c->transfer_number;
  r.Text(document, "transfer_number", "transfer_number", 64, false, &transfer);
  if (!transfer.empty() && (transfer[0] != '+' || !IsDigits(transfer.substr(1)) ||
                            transfer.size() < 9 || transfer.size() > 16 || transfer[1] == '0')) {
    r.Fail("transfer_number",
           "must be a number in E.164 form, '+' and 8 to 15 digits, of the person who takes "
           "over the call");
  } else {
    c->transfer_number = transfer;
  }
  return errors;
}

leads::LeadFilter ToLeadFilter(const nlohmann::json& f) {
  leads::LeadFilter filter;
  if (!f.is_object()) return filter;
  if (f.contains("list")) filter.list_id = f["list"].get<int64_t>();
  if (f.contains("owner")) filter.owner_id = f["owner"].get<int64_t>();
  if (f.contains("status")) filter.status = f["status"].get<std::string>();
  if (f.contains("tag")) filter.tag = f["tag"].get<std::string>();
  if (f.contains("dnd_state")) filter.dnd_state = f["dnd_state"].get<std::string>();
  if (f.contains("q")) filter.text = f["q"].get<std::string>();
  if (f.contains("language")) {
    std::string language = f["language"].get<std::string>();
    filter.language = language == "unknown" ? "" : language;
  }
  return filter;
}

}  // namespace vaarta::campaigns
