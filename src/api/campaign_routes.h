#pragma once
// Campaigns over HTTP: list and read (agent), create, edit, start, pause, resume,
// complete and archive (manager; the DLT override needs an admin), check and generate
// scripts (manager), the queue's and calls' counts (agent). Refusals are problem details
// with the wrong fields ("errors") and the findings that stop a start ("findings").
#include <string_view>

#include "api/api_context.h"
#include "campaigns/campaign_service.h"

namespace vaarta::api {

// `script_schema`: the published script schema (docs/script-schema.json) served at
// GET /api/v1/scripts/schema.
void RegisterCampaignRoutes(ApiRouter& router, campaigns::CampaignService& service,
                            std::string script_schema);
// A change to a campaign as the live feed shows it (topic "campaigns"): {"event": "start",
// "campaign": {...}}.
nlohmann::json CampaignEventJson(const campaigns::Campaign& campaign, std::string_view event);

}  // namespace vaarta::api
