#pragma once
// Test calls: a manager talks to a campaign's agent by typing, before launching it. The
// same engine as live calls answers, with the campaign's script, knowledge base and
// disclosures; nothing is dialled and nothing is written (an opt-out or a callback is
// reported as what a real call would do, not done). The session's state travels with the
// client between turns, as it does between Twilio's Gather round trips, so any server
// answers the next turn and none keeps abandoned sessions.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/campaign_service.h"
#include "conversation/conversation_engine.h"
#include "core/clock.h"
#include "core/result.h"

namespace vaarta::calls {

struct TestCallTurn {
  conversation::AgentTurn turn;
  nlohmann::json state;  // pass back with the next utterance
};

// A callee that talks by script, for simulated test calls (the telephony simulator's
// personas, app/persona_callee.cc). Reply gets what the agent just said.
class ScriptedCallee {
 public:
  virtual ~ScriptedCallee() = default;
  struct Reply {
    std::string text;  // "" : silence
    std::string digits;
    bool hang_up = false;  // after saying it
  };
  virtual Reply Answer(const std::string& agent_said) = 0;
};

// A whole simulated test call: who said what, with the agent's reading of each reply.
struct SimulatedTestCall {
  struct Line {
    std::string speaker;  // "agent" | "callee"
    std::string text;
    std::optional<conversation::AgentTurn> turn;  // the agent's lines
  };
  std::vector<Line> lines;
  std::string ended_by;  // "agent" | "callee" | "turn_limit"
  std::optional<dialer::Disposition> disposition;
  std::string summary;
};

class TestCallService {
 public:
  // `engine` is asked for on the first test call (loading the intent model takes time
  // that servers which never run a test call should not spend).
  TestCallService(campaigns::CampaignService& campaigns, const core::Clock& clock,
                  std::function<conversation::ConversationEngine&()> engine);

  // The agent's opening. `language` "en" or "hi" ("" : the campaign's first language).
  core::Result<TestCallTurn> Open(int64_t campaign_id, const std::string& language,
                                  const std::string& lead_name);
  // The tester said `text` (or keyed `digits`). kInvalidArgument ("invalid_state") when
  // `state` is not one this service gave out for this campaign.
  core::Result<TestCallTurn> Hear(int64_t campaign_id, const nlohmann::json& state,
                                  const std::string& text, const std::string& digits);
  // The agent and a scripted callee talk until one ends the call, or for `max_turns` of
  // the callee's.
  core::Result<SimulatedTestCall> Simulate(int64_t campaign_id, const std::string& language,
                                           ScriptedCallee& callee, int max_turns = 12);

 private:
  core::Result<conversation::CallContext> Context(int64_t campaign_id, const std::string& language,
                                                  const std::string& lead_name);

  campaigns::CampaignService& campaigns_;
  const core::Clock& clock_;
  std::function<conversation::ConversationEngine&()> engine_;
};

nlohmann::json AgentTurnJson(const conversation::AgentTurn& turn);
nlohmann::json SimulatedTestCallJson(const SimulatedTestCall& call);

}  // namespace vaarta::calls
