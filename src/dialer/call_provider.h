#pragma once
// CallProvider: what the dialer needs from a telephony provider: place a call, and learn
// how placed calls ended. Real providers report endings through webhooks, which their
// adapters queue for TakeEnded; the simulator computes them. Provider names (Twilio's
// CallSid and statuses) stay behind this interface.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "dialer/disposition.h"

namespace vaarta::dialer {

struct PlaceCallRequest {
  int64_t attempt_id = 0;
  int64_t campaign_id = 0;
  int64_t lead_id = 0;
  int attempt_number = 1;  // 1 for the lead's first attempt in this campaign
  std::string to_e164;
  std::string caller_id;
  std::string language;  // "en" / "hi": the call's opening language
  // How the conversation runs on a telephony provider: "gather" or "relay" (the
  // campaign's conversation_transport).
  std::string conversation_transport = "gather";
  int64_t placed_at_ms = 0;
};

struct CallEnded {
  int64_t attempt_id = 0;
  std::string provider_call_id;
  Disposition disposition = Disposition::kIncomplete;
  std::optional<int64_t> answered_at_ms;
  int64_t ended_at_ms = 0;
  // For kCallbackBooked: the instant the callee asked for (not yet clamped).
  std::optional<int64_t> callback_requested_at_ms;
  nlohmann::json detail = nlohmann::json::object();
};

class CallProvider {
 public:
  virtual ~CallProvider() = default;
  virtual std::string name() const = 0;
  // Calls per second the provider account accepts (across campaigns).
  virtual double max_calls_per_second() const = 0;
  // Starts the call; returns the provider's call id. An error means no call was placed.
  virtual core::Result<std::string> PlaceCall(const PlaceCallRequest& request) = 0;
  // Calls that ended by `now_ms`, each once.
  virtual std::vector<CallEnded> TakeEnded(int64_t now_ms) = 0;
};

}  // namespace vaarta::dialer
