#pragma once
// TelephonyCallProvider: the dialer's CallProvider on a real telephony provider account
// (Twilio, or the simulator that speaks its API). Placing a call records the provider
// call first (so callbacks that overtake the provider's answer find it), asks the
// account's circuit breaker and calls-per-second bucket, and puts the attempt id in every
// webhook URL. Endings come from the callbacks (calls/call_state_service.h); calls whose
// final callback never arrived are asked about after a quiet spell. An account-level
// failure (credentials, permissions, suspension) pauses the campaign with the provider's
// reason instead of failing lead after lead.
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "calls/call_flow.h"
#include "calls/call_state_service.h"
#include "calls/provider_call_repository.h"
#include "core/clock.h"
#include "core/logger.h"
#include "dialer/call_provider.h"
#include "storage/database.h"
#include "telephony/circuit_breaker.h"
#include "telephony/telephony_provider.h"
#include "telephony/token_bucket.h"

namespace vaarta::calls {

struct TelephonyCallProviderOptions {
  std::string worker_id;  // the dialer's worker id: it takes the endings of its own calls
  // A placed call with no news for this long is looked up at the provider.
  int64_t quiet_poll_ms = 60'000;
  // How long PlaceCall waits for a calls-per-second token before giving up.
  int64_t max_rate_wait_ms = 2'000;
  int ring_timeout_seconds = 30;
  int time_limit_seconds = 900;
  bool record = true;
};

class TelephonyCallProvider : public dialer::CallProvider {
 public:
  // Pauses the campaign: called once per campaign with the provider's error.
  using AccountFailureHandler = std::function<void(int64_t campaign_id, const core::Error&)>;

  TelephonyCallProvider(storage::Database& db, const core::Clock& clock,
                        telephony::TelephonyProvider& provider, CallFlow& flow,
                        CallStateService& states, telephony::CircuitBreaker& breaker,
                        telephony::TokenBucket& bucket, const core::Logger& logger,
                        TelephonyCallProviderOptions options)
      : db_(db),
        clock_(clock),
        provider_(provider),
        flow_(flow),
        states_(states),
        breaker_(breaker),
        bucket_(bucket),
        logger_(logger),
        options_(std::move(options)) {}

  void SetAccountFailureHandler(AccountFailureHandler handler) {
    on_account_failure_ = std::move(handler);
  }

  std::string name() const override { return provider_.name(); }
  double max_calls_per_second() const override { return provider_.max_calls_per_second(); }
  core::Result<std::string> PlaceCall(const dialer::PlaceCallRequest& request) override;
  std::vector<dialer::CallEnded> TakeEnded(int64_t now_ms) override;

 private:
  void PollQuietCalls(int64_t now_ms);

  storage::Database& db_;
  const core::Clock& clock_;
  telephony::TelephonyProvider& provider_;
  CallFlow& flow_;
  CallStateService& states_;
  telephony::CircuitBreaker& breaker_;
  telephony::TokenBucket& bucket_;
  const core::Logger& logger_;
  TelephonyCallProviderOptions options_;
  ProviderCallRepository calls_;
  AccountFailureHandler on_account_failure_;
  std::mutex mutex_;
  std::map<int64_t, int64_t> polled_at_;  // attempt id -> when last looked up
};

// The dialer's disposition of a finished provider call.
dialer::Disposition FinalDisposition(const ProviderCall& call);

}  // namespace vaarta::calls
