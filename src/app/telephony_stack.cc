#include "app/telephony_stack.h"

#include <set>

#include "app/jwt_secret.h"
#include "calls/relay_session.h"
#include "telephony/twilio/twilio_provider.h"

namespace vaarta::app {

core::Result<std::unique_ptr<TelephonyStack>> TelephonyStack::Create(
    const TelephonyStackDeps& deps) {
  const core::Config& config = deps.config;
  std::unique_ptr<TelephonyStack> stack(new TelephonyStack(deps));
  telephony::twilio::TwilioProviderOptions twilio;
  twilio.rest.api_base_url = config.twilio_api_base_url;
  twilio.rest.account_sid = config.twilio_account_sid;
  twilio.rest.auth_token = config.twilio_auth_token;
  twilio.rest.api_key_sid = config.twilio_api_key_sid;
  twilio.rest.api_key_secret = config.twilio_api_key_secret;
  twilio.max_calls_per_second = config.twilio_calls_per_second;
  auto provider = std::make_unique<telephony::twilio::TwilioProvider>(twilio);
  stack->twilio_ = provider.get();
  stack->configured_ = {config.twilio_account_sid, config.twilio_auth_token,
                        config.twilio_api_key_sid, config.twilio_api_key_secret};
  stack->provider_ = std::move(provider);
  stack->ReloadCredentials();
  stack->breaker_ =
      std::make_unique<telephony::CircuitBreaker>("Twilio account " + config.twilio_account_sid,
                                                  telephony::CircuitBreakerOptions{}, deps.clock);
  stack->bucket_ = std::make_unique<telephony::TokenBucket>(
      config.twilio_calls_per_second, std::max(1.0, config.twilio_calls_per_second), deps.clock);

  stack->states_ = std::make_unique<calls::CallStateService>(deps.db, deps.clock);
  stack->conversations_ = std::make_unique<calls::CallConversations>(
      deps.db, deps.clock, deps.campaigns, deps.do_not_call, deps.engine, deps.logger, &deps.live);
  calls::CallFlowOptions flow;
  flow.public_base_url = config.public_base_url.empty()
                             ? "http://" + config.host + ":" + std::to_string(config.port)
                             : config.public_base_url;
  stack->flow_ = std::make_unique<calls::CallFlow>(*stack->conversations_, *stack->provider_, flow);
  stack->relay_ = std::make_unique<calls::RelayBridge>(*stack->conversations_);
  if (auto made = EnsureDirectory(config.data_dir + "/spool"); !made) return made.error();
  stack->spool_ = std::make_unique<calls::WebhookSpool>(config.data_dir + "/spool/webhooks.jsonl");

  auto webhooks = std::make_shared<api::TelephonyWebhookServices>();
  webhooks->provider = stack->provider_.get();
  webhooks->states = stack->states_.get();
  webhooks->flow = stack->flow_.get();
  webhooks->spool = stack->spool_.get();
  webhooks->public_base_url = config.public_base_url;
  recordings::RecordingService* recordings = &deps.recordings;
  const core::Logger* logger = &deps.logger;
  webhooks->on_recording = [recordings, logger](int64_t attempt_id,
                                                const telephony::CallEvent& event) {
    auto recorded = recordings->OnRecordingEvent("twilio", attempt_id, std::nullopt, event);
    if (!recorded) {
      logger->Warn("recording callback not recorded",
                   {{"attempt", attempt_id}, {"error", recorded.error().message}});
    }
  };
  stack->webhooks_ = std::move(webhooks);
  return stack;
}

TelephonyStack::~TelephonyStack() { Stop(); }

void TelephonyStack::RegisterRoutes(api::ApiRouter& api_router, http::Router& router) {
  api::RegisterTelephonyWebhookRoutes(api_router, webhooks_);
  auto webhooks = webhooks_;
  auto verify = [webhooks](const http::Request& request) {
    telephony::WebhookRequest hook;
    hook.method = request.method;
    std::string url = api::PublicUrl(webhooks->public_base_url, request);
    // The provider signs the WebSocket URL it dialled (wss://), the same place as ours.
    if (url.rfind("https://", 0) == 0) {
      url = "wss://" + url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
      url = "ws://" + url.substr(7);
    }
    hook.public_url = url;
    hook.headers = request.headers;
    return webhooks->provider->VerifyWebhook(hook);
  };
  calls::RelaySessionOptions relay_options;
  relay_options.words_per_second = deps_.config.relay_words_per_second;
  router.AddWebSocket({"GET", "/webhooks/" + provider_->name() + "/relay", "public",
                       "ConversationRelay WebSocket (signed by the provider)"},
                      calls::MakeRelayWebSocketRoute(*relay_, *relay_, verify, deps_.logger,
                                                     deps_.clock, relay_options));
}

dialer::CallProvider& TelephonyStack::call_provider(const std::string& worker_id) {
  if (!call_provider_) {
    calls::TelephonyCallProviderOptions options;
    options.worker_id = worker_id;
    options.quiet_poll_ms = int64_t{deps_.config.telephony_quiet_poll_seconds} * 1000;
    call_provider_ = std::make_unique<calls::TelephonyCallProvider>(
        deps_.db, deps_.clock, *provider_, *flow_, *states_, *breaker_, *bucket_, deps_.logger,
        options);
    call_provider_->SetAccountFailureHandler([this](int64_t campaign_id, const core::Error& error) {
      PauseCampaign(campaign_id, error);
    });
  }
  return *call_provider_;
}

void TelephonyStack::PauseCampaign(int64_t campaign_id, const core::Error& error) {
  deps_.logger.Error("telephony account refused a call: pausing the campaign",
                     {{"campaign", campaign_id}, {"error", error.message}});
  auto paused = deps_.campaigns.Pause(campaign_id, {"system:telephony", "", "", ""});
  deps_.audit.Append(audit::AuditEntry{
      "system:telephony", "", "", "campaigns.paused_by_provider",
      "campaign:" + std::to_string(campaign_id), paused.ok() ? "success" : "failed",
      nlohmann::json{{"reason", "the telephony provider refused the account: " + error.message},
                     {"detail_code", error.detail_code}}
          .dump(),
      ""});
}

void TelephonyStack::ReloadCredentials() {
  if (deps_.credentials == nullptr) return;
  std::lock_guard lock(credentials_mutex_);
  try {
    auto tx = deps_.db.Begin(false);
    const int64_t version = deps_.credentials->Version(*tx);
    if (version == credentials_version_) return;
    if (version == 0) {
      const settings::TwilioCredentials& c = configured_;
      twilio_->SetCredentials(c.account_sid, c.auth_token, c.api_key_sid, c.api_key_secret);
      deps_.logger.Info("telephony credentials: the configuration's are in use again",
                        {{"account", c.account_sid}});
      credentials_version_ = 0;
      return;
    }
    auto stored = deps_.credentials->Load(*tx);
    if (!stored) {
      // Keep the credentials in use; a call on unknown credentials would only fail.
      deps_.logger.Error("telephony credentials entered in the dashboard do not open here",
                         {{"error", stored.error().message}});
      credentials_version_ = version;
      return;
    }
    if (!stored->has_value()) return;  // removed between the two reads: next time
    const auto& c = **stored;
    twilio_->SetCredentials(c.account_sid, c.auth_token, c.api_key_sid, c.api_key_secret);
    credentials_version_ = version;
    deps_.logger.Info("telephony credentials entered in the dashboard are in use",
                      {{"account", c.account_sid}});
  } catch (const std::exception& e) {
    deps_.logger.Warn("telephony credentials not reloaded", {{"error", e.what()}});
  }
}

void TelephonyStack::Housekeeping() {
  ReloadCredentials();
  try {
    spool_->Replay([this](const calls::SpooledWebhook& spooled) {
      telephony::WebhookRequest hook;
      hook.form = spooled.form;
      // It parsed when it was spooled: only a damaged line fails here, and is dropped.
      auto dropped = [&] {
        deps_.logger.Error("spooled webhook unreadable; dropped",
                           {{"attempt", spooled.attempt_id}, {"kind", spooled.kind}});
        return true;
      };
      const auto kind = calls::ParseWebhookKindName(spooled.kind);
      if (!kind) return dropped();
      auto event = provider_->ParseWebhook(*kind, hook);
      if (!event) return dropped();
      try {
        api::ApplyTelephonyEvent(*webhooks_, spooled.attempt_id, *event);
        return true;
      } catch (const storage::DatabaseError&) {
        return false;
      }
    });
    deps_.recordings.RunOnce();
  } catch (const std::exception& e) {
    deps_.logger.Warn("telephony housekeeping failed", {{"error", e.what()}});
  }
}

void TelephonyStack::Start() {
  background_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      Housekeeping();
      for (int i = 0; i < 10 && !stop.stop_requested(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
}

void TelephonyStack::Stop() {
  if (background_.joinable()) {
    background_.request_stop();
    background_.join();
  }
}

}  // namespace vaarta::app
