#include "calls/relay_bridge.h"

namespace vaarta::calls {

core::Result<RelayCallBinding> RelayBridge::Resolve(const std::string& call_sid,
                                                    const nlohmann::json& custom_parameters) {
  int64_t attempt_id = 0;
  if (custom_parameters.is_object()) {
    const auto it = custom_parameters.find("attempt_id");
    if (it != custom_parameters.end() && it->is_string()) {
      try {
        attempt_id = std::stoll(it->get<std::string>());
      } catch (const std::exception&) {
        attempt_id = 0;
      }
    }
  }
  if (attempt_id <= 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the relay setup names no attempt_id parameter", "relay_unbound");
  }
  auto facts = conversations_.Load(attempt_id);
  if (!facts) return facts.error();
  if (facts->call_id != call_sid && facts->call_id != PendingCallId(attempt_id)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the relay setup's callSid is not the attempt's call", "call_mismatch");
  }
  auto session = conversations_.Start(*facts);
  if (!session) return session.error();
  RelayCallBinding binding;
  binding.context = facts->context;
  binding.session = std::move(*session);
  std::lock_guard lock(mutex_);
  live_[attempt_id] = std::move(*facts);
  return binding;
}

std::optional<CallFacts> RelayBridge::FactsOf(int64_t attempt_id) {
  std::lock_guard lock(mutex_);
  auto it = live_.find(attempt_id);
  if (it == live_.end()) return std::nullopt;
  return it->second;
}

core::Status RelayBridge::BeforeSpeaking(const conversation::CallContext& context,
                                         const conversation::AgentTurn& turn) {
  auto facts = FactsOf(context.attempt_id);
  if (!facts) {
    return core::MakeError(core::ErrorCode::kNotFound, "the relay call is no longer known");
  }
  return conversations_.CarryOut(*facts, nullptr, turn, nullptr, /*write_transcript=*/false);
}

void RelayBridge::Transcript(int64_t attempt_id, CallTurn turn) {
  auto facts = FactsOf(attempt_id);
  if (!facts) return;
  conversations_.AppendTranscript(*facts, std::move(turn));
}

void RelayBridge::Ended(const conversation::CallContext& context,
                        const std::optional<dialer::Disposition>& disposition,
                        const std::string& reason) {
  auto facts = FactsOf(context.attempt_id);
  if (facts && disposition) {
    try {
      conversations_.SetDisposition(*facts, *disposition);
    } catch (const storage::DatabaseError& e) {
      conversations_.logger().Error("relay outcome not recorded",
                                    {{"attempt", context.attempt_id}, {"error", e.what()}});
    }
  }
  if (facts) {
    conversations_.logger().Info("relay session ended",
                                 {{"attempt", context.attempt_id}, {"reason", reason}});
  }
  std::lock_guard lock(mutex_);
  live_.erase(context.attempt_id);
}

}  // namespace vaarta::calls
