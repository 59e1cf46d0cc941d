#include "campaigns/campaign.h"

#include <array>
#include <utility>

namespace vaarta::campaigns {
namespace {

constexpr std::array<std::pair<CallClass, std::string_view>, 3> kCallClassNames = {{
    {CallClass::kPromotional, "promotional"},
    {CallClass::kService, "service"},
    {CallClass::kTransactional, "transactional"},
}};

constexpr std::array<std::pair<CampaignState, std::string_view>, 6> kCampaignStateNames = {{
    {CampaignState::kDraft, "draft"},
    {CampaignState::kScheduled, "scheduled"},
    {CampaignState::kRunning, "running"},
    {CampaignState::kPaused, "paused"},
    {CampaignState::kCompleted, "completed"},
    {CampaignState::kArchived, "archived"},
}};

}  // namespace

std::string_view CallClassName(CallClass value) {
  for (const auto& [known, name] : kCallClassNames) {
    if (known == value) return name;
  }
  return "promotional";  // unreachable for a valid enum value; the strict class
}

std::optional<CallClass> ParseCallClass(std::string_view text) {
  for (const auto& [value, name] : kCallClassNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view CampaignStateName(CampaignState value) {
  for (const auto& [known, name] : kCampaignStateNames) {
    if (known == value) return name;
  }
  return "draft";
}

std::optional<CampaignState> ParseCampaignState(std::string_view text) {
  for (const auto& [value, name] : kCampaignStateNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view ConsentPurposeFor(CallClass value) {
  switch (value) {
    case CallClass::kPromotional:
      return "marketing_calls";
    case CallClass::kService:
      return "service_calls";
    case CallClass::kTransactional:
      return "";
  }
  return "";
}

}  // namespace vaarta::campaigns
