#pragma once
// TwilioProvider: TelephonyProvider on a Twilio account (or on `vaarta telephony-sim`,
// which speaks the same API): calls through the REST client, documents as TwiML,
// webhooks verified with X-Twilio-Signature and read from Twilio's parameter names.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "telephony/telephony_provider.h"
#include "telephony/twilio/twilio_rest_client.h"

namespace vaarta::telephony::twilio {

struct TwilioProviderOptions {
  TwilioRestConfig rest;
  double max_calls_per_second = 1.0;  // the account's CPS (Twilio's default is 1)
};

class TwilioProvider : public TelephonyProvider {
 public:
  explicit TwilioProvider(TwilioProviderOptions options);

  std::string name() const override { return "twilio"; }
  std::string account_id() const override { return Rest()->config().account_sid; }
  double max_calls_per_second() const override { return options_.max_calls_per_second; }

  core::Result<PlacedCall> PlaceCall(const OutboundCallRequest& request) override;
  core::Status HangUp(const std::string& call_id) override;
  core::Status Redirect(const std::string& call_id, const std::string& url) override;
  core::Status Update(const std::string& call_id, const CallControlDocument& document) override;
  core::Result<std::string> SendSms(const SmsRequest& request) override;
  core::Result<RecordingMedia> FetchRecording(const std::string& recording_id) override;
  core::Status DeleteRecording(const std::string& recording_id) override;
  core::Result<CallEvent> FetchCall(const std::string& call_id) override;

  bool VerifyWebhook(const WebhookRequest& request) const override;
  core::Result<CallEvent> ParseWebhook(WebhookKind kind,
                                       const WebhookRequest& request) const override;
  std::string RenderDocument(const CallControlDocument& document) const override;
  std::string document_content_type() const override { return "text/xml"; }

  // Moves to other credentials (entered in the dashboard) without a restart: requests
  // already under way finish on the old ones. Webhooks signed with the auth token in use
  // before the change are still accepted for `previous_token_grace`, because calls placed
  // before it report their progress signed with that token.
  void SetCredentials(const std::string& account_sid, const std::string& auth_token,
                      const std::string& api_key_sid, const std::string& api_key_secret,
                      std::chrono::seconds previous_token_grace = std::chrono::hours(1));
  const TwilioProviderOptions& options() const { return options_; }

 private:
  std::shared_ptr<TwilioRestClient> Rest() const;

  const TwilioProviderOptions options_;
  mutable std::mutex mutex_;
  std::shared_ptr<TwilioRestClient> rest_;
  std::string previous_token_;
  // steady_clock, not the product's Clock: the grace is real elapsed time on this server.
  std::chrono::steady_clock::time_point previous_token_until_{};
};

// "Mon, 16 Aug 2010 03:45:01 +0000" → Unix ms; 0 when it is not that format.
int64_t ParseRfc2822(const std::string& text);

}  // namespace vaarta::telephony::twilio
