#pragma once
// The business's calling-policy defaults: the calling window and the attempt policy a new
// campaign starts with, kept as settings ("calling.window", "calling.attempts") in the
// shape a campaign's "window" and "attempts" have. A campaign created without them gets
// these; one that says its own keeps its own.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "campaigns/campaign_json.h"
#include "storage/database.h"

namespace vaarta::campaigns {

inline constexpr const char* kWindowSetting = "calling.window";
inline constexpr const char* kAttemptsSetting = "calling.attempts";

// A campaign with the built-in defaults overlaid by the stored business defaults.
Campaign CampaignWithBusinessDefaults(storage::Transaction& tx);
// What is wrong with `value` as the setting `key` (empty when it is fine, or when `key` is
// not a calling-policy setting). Field names are the campaign's ("window.end").
std::vector<FieldError> CheckPolicySetting(const std::string& key, const nlohmann::json& value);

}  // namespace vaarta::campaigns
