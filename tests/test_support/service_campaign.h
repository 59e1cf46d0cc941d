#pragma once
// The campaign the telephony end-to-end and browser tests run through the simulator: a
// service campaign on Twilio (Twilio cannot carry Indian promotional calls, and these leads
// asked to be called through a website form), with a template script for a tutoring offer.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace vaarta::testing {

// The config for POST /api/v1/campaigns or CampaignService::Create; callers add pacing and
// a transfer number where they need them.
nlohmann::json ServiceCampaignConfig(const std::string& name, int64_t list_id,
                                     const std::string& transport);

}  // namespace vaarta::testing
