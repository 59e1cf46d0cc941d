#pragma once
// TelephonyProvider: everything the product asks of a telephony provider account. Twilio
// is the first implementation (telephony/twilio/twilio_provider.h); Exotel and Plivo fit
// behind the same interface: the dialer and the conversation transports speak only in
// CallControlDocument, CallEvent and the detail codes below.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "telephony/call_control.h"
#include "telephony/webhook.h"

namespace vaarta::telephony {

struct OutboundCallRequest {
  std::string to;                      // E.164
  std::string from;                    // E.164 caller id
  std::string voice_url;               // fetched when the call is answered
  std::string status_callback_url;     // call progress events
  std::string amd_callback_url;        // "" : no answering-machine detection
  std::string recording_callback_url;  // "" : no recording
  int ring_timeout_seconds = 30;
  int time_limit_seconds = 900;
  bool record = true;
  bool dual_channel = true;
};

struct PlacedCall {
  std::string call_id;
  std::string status;  // provider's first status ("queued")
};

struct SmsRequest {
  std::string to;
  std::string from;
  std::string body;
  std::string status_callback_url;  // "" : none
};

struct RecordingMedia {
  std::string content_type;  // "audio/x-wav", "audio/mpeg"
  std::string bytes;
};

// Detail codes (core::Error::detail_code) every provider's errors use. Stable.
inline constexpr std::string_view kProviderAuth = "provider_auth";  // credentials refused
inline constexpr std::string_view kProviderPermission = "provider_permission";  // geo, caller id
inline constexpr std::string_view kProviderAccountSuspended = "provider_account_suspended";
inline constexpr std::string_view kProviderRateLimited = "provider_rate_limited";
inline constexpr std::string_view kProviderUnavailable = "provider_unavailable";  // 5xx, network
inline constexpr std::string_view kProviderRejected = "provider_rejected";  // this request only
inline constexpr std::string_view kProviderNotFound = "provider_not_found";
inline constexpr std::string_view kProviderCircuitOpen = "provider_circuit_open";

// Failures of the account, not of one call: dialling more leads would fail the same way,
// so the campaign is paused with the error's message as the reason.
bool IsAccountLevelFailure(const core::Error& error);

class TelephonyProvider {
 public:
  virtual ~TelephonyProvider() = default;
  virtual std::string name() const = 0;        // "twilio"
  virtual std::string account_id() const = 0;  // the account the calls are placed on
  virtual double max_calls_per_second() const = 0;

  virtual core::Result<PlacedCall> PlaceCall(const OutboundCallRequest& request) = 0;
  virtual core::Status HangUp(const std::string& call_id) = 0;
  // Makes the live call fetch its next document from `url`.
  virtual core::Status Redirect(const std::string& call_id, const std::string& url) = 0;
  // Replaces what the live call does with `document` (a transfer: Say + Dial).
  virtual core::Status Update(const std::string& call_id, const CallControlDocument& document) = 0;
  virtual core::Result<std::string> SendSms(const SmsRequest& request) = 0;  // message id
  virtual core::Result<RecordingMedia> FetchRecording(const std::string& recording_id) = 0;
  virtual core::Status DeleteRecording(const std::string& recording_id) = 0;
  // The call as the provider knows it now (status, duration, AnsweredBy), as a kStatus
  // event without a sequence: for calls whose final callback never arrived.
  virtual core::Result<CallEvent> FetchCall(const std::string& call_id) {
    (void)call_id;
    return core::MakeError(core::ErrorCode::kUnavailable,
                           name() + " cannot be asked for a call's state", "provider_unavailable");
  }

  // True when the request carries the provider's valid signature for its URL and body.
  virtual bool VerifyWebhook(const WebhookRequest& request) const = 0;
  // Reads a verified request; kInvalidArgument names the missing or malformed parameter.
  virtual core::Result<CallEvent> ParseWebhook(WebhookKind kind,
                                               const WebhookRequest& request) const = 0;
  virtual std::string RenderDocument(const CallControlDocument& document) const = 0;
  virtual std::string document_content_type() const = 0;  // "text/xml"
};

}  // namespace vaarta::telephony
