#pragma once
// SimFaults: failures the telephony simulator injects on purpose, so tests can show that
// the server survives what the real provider does on a bad day. All draws come from one
// seeded generator per simulator process, so a run can be repeated.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vaarta::sim {

struct SimFaults {
  // REST API (sim/sim_rest_api): of every request, this share answers 429 (Twilio code
  // 20429) and this share answers 5xx; bursts make the 5xx come in runs.
  double rest_429_rate = 0;
  double rest_5xx_rate = 0;
  int rest_5xx_burst = 1;  // consecutive 5xx answers once a burst starts
  // Callbacks to our server (status, AMD, recording): dropped (never delivered, not even
  // by retry), delivered twice, or held back so that a later one arrives first.
  double callback_drop_rate = 0;
  double callback_duplicate_rate = 0;
  double callback_reorder_rate = 0;
  int callback_reorder_delay_ms = 300;
  // ConversationRelay: the share of relay sessions whose WebSocket the simulator drops
  // after the first prompt it sends.
  double websocket_drop_rate = 0;
  uint64_t seed = 1;

  // Fields as above; an unknown field or a rate outside [0,1] is an error naming it.
  static core::Result<SimFaults> FromJson(const nlohmann::json& json);
};

}  // namespace vaarta::sim
