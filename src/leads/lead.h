#pragma once
// Lead: a person the business may call, identified by one phone number. Lists group
// leads; the timeline records what happened to each.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vaarta::leads {

// Status values (stable: stored and shown in the API).
inline constexpr const char* kLeadStatuses[] = {
    "new",       "contacted",   "interested",   "not_interested", "callback",
    "converted", "do_not_call", "wrong_number", "erased"};
bool IsLeadStatus(const std::string& status);

// DND registry state of the number when last checked: "blocked" (fully), "partial"
// (some categories, modes, bands or days), "clear" (not registered), "unknown".
bool IsDndState(const std::string& state);

struct Lead {
  int64_t id = 0;
  std::optional<std::string> phone_e164;  // null once erased
  std::string phone_raw;                  // as the source gave it
  std::string phone_extension;
  std::string phone_type;               // "mobile", "fixed_line", ...
  std::vector<std::string> alt_phones;  // E.164
  std::string name;
  std::string email;
  std::string language;  // "en", "hi" or "" (unknown)
  std::string city;
  std::string state;
  std::string time_zone;    // IANA zone, from the number when not given
  std::string source_kind;  // "file", "api", "form"
  std::string
      source_detail;  // file name, API client, form name: answers "where did you get my number?"
  nlohmann::json custom = nlohmann::json::object();
  std::optional<int64_t> owner_id;
  std::string status = "new";
  std::string dnd_state = "unknown";
  std::string dnd_checked_on;  // registry date, YYYY-MM-DD
  std::vector<std::string> tags;
  std::vector<int64_t> list_ids;
  std::optional<int64_t> import_job_id;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> erased_at;
};

struct LeadEvent {
  int64_t id = 0;
  int64_t lead_id = 0;
  int64_t at = 0;
  std::string kind;  // "import", "note", "update", "call", "consent", "dnc", "erasure"
  std::string actor;
  nlohmann::json data = nlohmann::json::object();
};

struct LeadList {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;
  std::string created_by;
  int64_t lead_count = 0;
};

// Lower-cased name, phone digits and e-mail, for the text filter.
std::string LeadSearchText(const Lead& lead);

}  // namespace vaarta::leads
