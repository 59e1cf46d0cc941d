#include "campaigns/business_defaults.h"

#include "settings/settings_repository.h"

namespace vaarta::campaigns {
namespace {

// The campaign section a policy setting holds: "window" or "attempts"; "" for other keys.
std::string SectionOf(const std::string& key) {
  if (key == kWindowSetting) return "window";
  if (key == kAttemptsSetting) return "attempts";
  return "";
}

}  // namespace

Campaign CampaignWithBusinessDefaults(storage::Transaction& tx) {
  Campaign c;
  settings::SettingsRepository settings;
  for (const char* key : {kWindowSetting, kAttemptsSetting}) {
    auto stored = settings.Get(tx, key);
    if (!stored) continue;
    auto value = nlohmann::json::parse(stored->value, nullptr, false);
    // Stored values were checked when they were set; one that no longer reads (a setting
    // written before this check existed) leaves the built-in default.
    Campaign probe = c;
    if (!value.is_discarded() && ReadCampaignConfig({{SectionOf(key), value}}, &probe).empty()) {
      c = probe;
    }
  }
  return c;
}

std::vector<FieldError> CheckPolicySetting(const std::string& key, const nlohmann::json& value) {
  const std::string section = SectionOf(key);
  if (section.empty()) return {};
  if (!value.is_object()) return {{section, "must be an object like a campaign's " + section}};
  Campaign probe;
  return ReadCampaignConfig({{section, value}}, &probe);
}

}  // namespace vaarta::campaigns
