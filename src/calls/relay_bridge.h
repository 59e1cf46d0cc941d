#pragma once
// RelayBridge: connects ConversationRelay sessions (calls/relay_session.h) to the calls
// module: it finds the call a relay connection is about and starts its conversation,
// and carries out each turn's action, transcript line and final outcome through
// CallConversations, like the Gather transport does.
#include <map>
#include <mutex>

#include "calls/call_conversations.h"
#include "calls/relay_session.h"

namespace vaarta::calls {

class RelayBridge : public RelayCallResolver, public RelayTurnSink {
 public:
  explicit RelayBridge(CallConversations& conversations) : conversations_(conversations) {}

  core::Result<RelayCallBinding> Resolve(const std::string& call_sid,
                                         const nlohmann::json& custom_parameters) override;
  core::Status BeforeSpeaking(const conversation::CallContext& context,
                              const conversation::AgentTurn& turn) override;
  void Transcript(int64_t attempt_id, CallTurn turn) override;
  void Ended(const conversation::CallContext& context,
             const std::optional<dialer::Disposition>& disposition,
             const std::string& reason) override;

 private:
  std::optional<CallFacts> FactsOf(int64_t attempt_id);

  CallConversations& conversations_;
  std::mutex mutex_;
  std::map<int64_t, CallFacts> live_;  // by attempt id, from Resolve to Ended
};

}  // namespace vaarta::calls
