#pragma once
// Campaign <-> JSON: the one written form of a campaign, used by the API (request bodies
// and responses) and by the `config` column. Parsing checks every field and reports each
// problem with the field's path ("window.start: must be HH:MM"), all of them at once, so
// that an editor can mark every wrong field in one round trip.
//
// The format (docs/campaigns.md has the full description):
//   times of day "HH:MM" in the callee's local time (the window's end is exclusive and may
//   be "24:00"); days ["mon", ..., "sun"]; dates "YYYY-MM-DD"; the gap after an
//   unanswered attempt in hours (a number, fractions allowed: 0.5 is 30 minutes).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "core/field_error.h"
#include "leads/lead_repository.h"

namespace vaarta::campaigns {

// One thing wrong with one field, named by its path ("knowledge[2].kind").
using core::DescribeFieldErrors;
using core::FieldError;

// The configuration a manager edits: every field but the id, the state and the
// bookkeeping (times, created_by).
nlohmann::json CampaignConfigToJson(const Campaign& campaign);
// The API's view: the configuration plus id, state, created_by and the times (ISO 8601).
nlohmann::json CampaignToJson(const Campaign& campaign);

// Reads a configuration document into `campaign`. Fields the document does not name keep
// their current values, so the same function reads a new campaign (start from Campaign{})
// and a change to an existing one (start from the stored campaign); a field given as
// null returns to its default. Unknown fields and the read-only fields of
// CampaignToJson are errors. Returns every error found; when there are any, `campaign`
// may be partly updated and must be discarded.
std::vector<FieldError> ReadCampaignConfig(const nlohmann::json& document, Campaign* campaign);

// The leads a saved filter selects, as the leads listing reads its query. The filter's
// keys are the listing's query parameters: list, status, tag, language ("en", "hi",
// "unknown"), dnd_state, owner and q. Expects a filter ReadCampaignConfig accepted.
leads::LeadFilter ToLeadFilter(const nlohmann::json& lead_filter);

// "HH:MM" <-> minutes after midnight; 24:00 is 1440.
std::string FormatTimeOfDay(int minutes);

}  // namespace vaarta::campaigns
