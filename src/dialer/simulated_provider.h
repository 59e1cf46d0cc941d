#pragma once
// SimulatedProvider: an in-process telephony provider for `vaarta simulate`, the demo and
// tests. Each placed call's fate (failed, busy, no answer, voicemail, or answered with a
// conversation outcome) and its duration are drawn from configured rates with a seed,
// from (seed, lead, attempt number) alone, so a lead's calls end the same way in every
// run and in whichever process dials them.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "dialer/call_provider.h"

namespace vaarta::dialer {

struct SimulatedRates {
  // Of all calls (the rest are answered by a person).
  double failed = 0.02, busy = 0.08, no_answer = 0.30, voicemail = 0.10;
  // Of answered calls (normalised to their sum).
  double interested = 0.15, not_interested = 0.35, callback = 0.20, opted_out = 0.05,
         wrong_number = 0.05, transferred = 0.05, incomplete = 0.15;
  double calls_per_second = 50;  // the simulated account's limit

  // Fields as above; unknown fields and rates outside [0,1] are errors naming the field.
  static core::Result<SimulatedRates> FromJson(const nlohmann::json& json);
  nlohmann::json ToJson() const;
};

class SimulatedProvider final : public CallProvider {
 public:
  SimulatedProvider(SimulatedRates rates, uint64_t seed) : rates_(rates), seed_(seed) {}

  std::string name() const override { return "simulator"; }
  double max_calls_per_second() const override { return rates_.calls_per_second; }
  core::Result<std::string> PlaceCall(const PlaceCallRequest& request) override;
  std::vector<CallEnded> TakeEnded(int64_t now_ms) override;

  // The fate of a call without placing it (what PlaceCall will schedule).
  CallEnded Draw(const PlaceCallRequest& request) const;
  size_t live_calls() const;

 private:
  SimulatedRates rates_;
  uint64_t seed_;
  mutable std::mutex mutex_;
  std::multimap<int64_t, CallEnded> pending_;  // by end time
};

}  // namespace vaarta::dialer
