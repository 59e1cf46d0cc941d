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

core::Result<SimulatedTestCall> TestCallService::Simulate(int64_t campaign_id,
                                                          const std::string& language,
                                                          ScriptedCallee& callee, int max_turns) {
  auto context = Context(campaign_id, language, "");
  if (!context) return context.error();
  auto session = engine_().Start(*context);
  if (!session) return session.error();
  SimulatedTestCall call;
  auto spoke = [&](const conversation::AgentTurn& turn) {
    std::string text;
    for (const auto& line : turn.lines) text += (text.empty() ? "" : " ") + line;
    call.lines.push_back({"agent", text, turn});
    if (turn.disposition) call.disposition = turn.disposition;
    if (!turn.summary.empty()) call.summary = turn.summary;
    return text;
  };
  std::string said = spoke((*session)->Open());
  if (call.lines.back().turn->end_call) {
    call.ended_by = "agent";
    return call;
  }
  for (int i = 0; i < max_turns; ++i) {
    ScriptedCallee::Reply reply = callee.Answer(said);
    call.lines.push_back(
        {"callee",
         reply.text.empty() && reply.digits.empty()
             ? std::string()
             : reply.text + (reply.digits.empty() ? "" : " [" + reply.digits + "]"),
         std::nullopt});
    said = spoke((*session)->Hear({reply.text, 1.0, reply.digits, clock_.NowMillis()}));
    if (call.lines.back().turn->end_call) {
      call.ended_by = "agent";
      return call;
    }
    if (reply.hang_up) {
      call.ended_by = "callee";
      return call;
    }
  }
  call.ended_by = "turn_limit";
  return call;
}

nlohmann::json SimulatedTestCallJson(const SimulatedTestCall& call) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : call.lines) {
    nlohmann::json j = {{"speaker", line.speaker}, {"text", line.text}};
    j["turn"] = line.turn ? AgentTurnJson(*line.turn) : nlohmann::json();
    lines.push_back(std::move(j));
  }
  return {
      {"lines", lines},
      {"ended_by", call.ended_by},
      {"disposition", call.disposition
                          ? nlohmann::json(std::string(dialer::DispositionName(*call.disposition)))
                          : nlohmann::json()},
      {"summary", call.summary}};
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
