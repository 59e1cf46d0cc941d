#pragma once
// TelephonyStack: the parts that make real calls, wired together: the provider account
// (Twilio or the simulator speaking its API) with its circuit breaker and calls-per-second
// bucket, the call state fed by webhooks, the two conversation transports, the
// conversation engine, the webhook spool, and the dialer's CallProvider over all of it.
// The Application builds one when `telephony = twilio`.
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "api/api_context.h"
#include "api/telephony_webhook_routes.h"
#include "calls/call_conversations.h"
#include "calls/call_flow.h"
#include "calls/call_state_service.h"
#include "calls/relay_bridge.h"
#include "calls/telephony_call_provider.h"
#include "calls/webhook_spool.h"
#include "campaigns/campaign_service.h"
#include "compliance/do_not_call_list.h"
#include "conversation/conversation_engine.h"
#include "core/config.h"
#include "recordings/recording_service.h"
#include "settings/telephony_credentials.h"
#include "telephony/circuit_breaker.h"
#include "telephony/telephony_provider.h"
#include "telephony/token_bucket.h"
#include "telephony/twilio/twilio_provider.h"

namespace vaarta::app {

struct TelephonyStackDeps {
  const core::Config& config;
  storage::Database& db;
  const core::Clock& clock;
  const core::Logger& logger;
  audit::AuditLog& audit;
  campaigns::CampaignService& campaigns;
  compliance::DoNotCallList& do_not_call;
  recordings::RecordingService& recordings;
  http::LiveFeed& live;
  conversation::ConversationEngine& engine;  // the application's (conversation_parts.h)
  // Credentials entered in the dashboard, which replace the configuration's; may be null.
  const settings::TelephonyCredentialStore* credentials = nullptr;
};

class TelephonyStack {
 public:
  static core::Result<std::unique_ptr<TelephonyStack>> Create(const TelephonyStackDeps& deps);
  ~TelephonyStack();

  // The webhook routes (signed by the provider) and the relay WebSocket.
  void RegisterRoutes(api::ApiRouter& api_router, http::Router& router);
  // The dialer's provider; `worker_id` must be the dialer's.
  dialer::CallProvider& call_provider(const std::string& worker_id);
  telephony::TelephonyProvider& provider() { return *provider_; }
  calls::CallFlow& flow() { return *flow_; }
  // Background work: spooled webhooks replayed, recordings copied. Stop joins it.
  void Start();
  void Stop();
  // Puts the credentials entered in the dashboard (or, once they are removed, the
  // configuration's) in use if they changed since the last look. Housekeeping calls it
  // every second, so a change made on another server arrives within about a second.
  void ReloadCredentials();

 private:
  explicit TelephonyStack(const TelephonyStackDeps& deps) : deps_(deps) {}
  void PauseCampaign(int64_t campaign_id, const core::Error& error);
  void Housekeeping();

  TelephonyStackDeps deps_;
  std::unique_ptr<telephony::TelephonyProvider> provider_;
  telephony::twilio::TwilioProvider* twilio_ = nullptr;  // provider_, for its credentials
  std::mutex credentials_mutex_;
  int64_t credentials_version_ = 0;  // of the store's credentials in use; 0: configuration's
  // A copy: deps_.config is the caller's and need not outlive Create.
  settings::TwilioCredentials configured_;
  std::unique_ptr<telephony::CircuitBreaker> breaker_;
  std::unique_ptr<telephony::TokenBucket> bucket_;
  std::unique_ptr<calls::CallStateService> states_;
  std::unique_ptr<calls::CallConversations> conversations_;
  std::unique_ptr<calls::CallFlow> flow_;
  std::unique_ptr<calls::RelayBridge> relay_;
  std::unique_ptr<calls::WebhookSpool> spool_;
  std::shared_ptr<api::TelephonyWebhookServices> webhooks_;
  std::unique_ptr<calls::TelephonyCallProvider> call_provider_;
  std::jthread background_;
};

}  // namespace vaarta::app
