#include "calls/test_call.h"

#include "core/clock.h"

namespace vaarta::calls {
namespace {

core::Error InvalidState(const std::string& why) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "state is not a test call's state (" + why + "); start a new test call",
                         "invalid_state");
}

}  // namespace

TestCallService::TestCallService(campaigns::CampaignService& campaigns, const core::Clock& clock,
                                 std::function<conversation::ConversationEngine&()> engine)
    : campaigns_(campaigns), clock_(clock), engine_(std::move(engine)) {}

core::Result<conversation::CallContext> TestCallService::Context(int64_t campaign_id,
                                                                 const std::string& language,
                                                                 const std::string& lead_name) {
  auto campaign = campaigns_.Get(campaign_id);
  if (!campaign) return campaign.error();
  conversation::CallContext context;
  context.campaign = std::make_shared<const campaigns::Campaign>(std::move(*campaign));
  context.campaign_id = campaign_id;
  context.lead_name = lead_name;
  const std::string& languages = context.campaign->languages;
  context.language = language == "en" || language == "hi" ? language
                     : languages == "hi"                  ? "hi"
                                                          : "en";
  context.lead_source = "a test call for " + context.campaign->business_name;
  context.now_ms = clock_.NowMillis();
  context.transfer_to = context.campaign->transfer_number;
  return context;
}

core::Result<TestCallTurn> TestCallService::Open(int64_t campaign_id, const std::string& language,
                                                 const std::string& lead_name) {
  auto context = Context(campaign_id, language, lead_name);
  if (!context) return context.error();
  auto session = engine_().Start(*context);
  if (!session) return session.error();
  TestCallTurn out;
  out.turn = (*session)->Open();
  out.state = {{"campaign_id", campaign_id},
               {"language", context->language},
               {"lead_name", lead_name},
               {"engine", (*session)->SaveState()}};
  return out;
}

core::Result<TestCallTurn> TestCallService::Hear(int64_t campaign_id, const nlohmann::json& state,
                                                 const std::string& text,
                                                 const std::string& digits) {
  if (!state.is_object()) return InvalidState("not an object");
  if (!state.contains("campaign_id") || !state["campaign_id"].is_number_integer() ||
      state["campaign_id"].get<int64_t>() != campaign_id) {
    return InvalidState("it belongs to another campaign");
  }
  if (!state.contains("language") || !state["language"].is_string() ||
      !state.contains("lead_name") || !state["lead_name"].is_string() ||
      !state.contains("engine")) {
    return InvalidState("fields are missing");
  }
  auto context = Context(campaign_id, state["language"].get<std::string>(),
                         state["lead_name"].get<std::string>());
  if (!context) return context.error();
  core::Result<std::unique_ptr<conversation::ConversationSession>> session =
      InvalidState("unreadable");
  try {
    session = engine_().Resume(*context, state["engine"]);
  } catch (const nlohmann::json::exception&) {
    return InvalidState("its engine state is malformed");
  }
  if (!session) return InvalidState(session.error().message);
  TestCallTurn out;
  out.turn = (*session)->Hear({text, 1.0, digits, clock_.NowMillis()});
  out.state = state;
  out.state["engine"] = (*session)->SaveState();
  return out;
}

nlohmann::json AgentTurnJson(const conversation::AgentTurn& t) {
  return {
      {"lines", t.lines},
      {"language", t.language},
      {"action", t.action},
      {"end_call", t.end_call},
      {"callback_at", t.callback_at_ms ? nlohmann::json(core::FormatIso8601Utc(*t.callback_at_ms))
                                       : nlohmann::json()},
      {"transfer_to", t.transfer_to},
      {"intent", t.intent},
      {"intent_confidence", t.intent_confidence},
      {"callee_language", t.callee_language},
      {"sentiment", t.sentiment},
      {"sentiment_score", t.sentiment_score},
      {"call_sentiment", t.call_sentiment},
      {"summary", t.summary},
      {"step", t.step},
      {"disposition", t.disposition
                          ? nlohmann::json(std::string(dialer::DispositionName(*t.disposition)))
                          : nlohmann::json()}};
}

}  // namespace vaarta::calls
