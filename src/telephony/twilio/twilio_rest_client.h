#pragma once
// TwilioRestClient: Twilio's 2010-04-01 REST API over libcurl: calls, recordings and
// messages of one account. Requests are form-encoded with HTTP Basic auth (the account
// SID and auth token, or an API key pair); connections are reused through a pool of curl
// handles, so several threads may call at once. Twilio's JSON error body becomes a
// TwilioError and a core::Error carrying one of the telephony detail codes
// (telephony_provider.h); 429 and 5xx are retried with exponential backoff and full jitter,
// honouring Retry-After, except where a retry could place a call twice (see
// twilio_rest_client.cc).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "telephony/telephony_provider.h"

namespace vaarta::telephony::twilio {

struct TwilioRestConfig {
  std::string api_base_url = "https://api.twilio.com";  // no trailing path
  std::string account_sid;
  std::string auth_token;
  // When both are set, Basic auth uses the key pair instead of the account SID and token.
  std::string api_key_sid;
  std::string api_key_secret;
  int connect_timeout_ms = 3000;
  int request_timeout_ms = 10000;
  int max_retries = 3;  // retries after the first attempt
  int backoff_base_ms = 200;
  int backoff_max_ms = 5000;
  // A Retry-After longer than this is not waited for: the error goes back to the caller.
  int max_retry_after_ms = 30000;
  uint64_t jitter_seed = 1;
};

// Twilio's error body: {"code": 21211, "message": "...", "more_info": "...", "status": 400}.
struct TwilioError {
  int http_status = 0;
  int code = 0;  // Twilio's error code; 0 when the body carried none
  std::string message;
  std::string more_info;
};

// Reads Twilio's JSON error body; a body that is not one still yields the HTTP status.
TwilioError ParseTwilioError(int http_status, std::string_view body);
// The telephony detail code (kProviderAuth, kProviderPermission, ...) for a Twilio error.
std::string_view ClassifyTwilioError(const TwilioError& error);
// The core::Error for a Twilio error; `what` names the operation ("create the call").
// The message keeps Twilio's code, status and more_info link.
core::Error ToError(const TwilioError& error, std::string_view what);

using FormParams = std::vector<std::pair<std::string, std::string>>;

// POST .../Calls.json. Empty strings and unset optionals are not sent.
struct CreateCallRequest {
  std::string to, from;
  std::string url;
  std::string method;
  std::string twiml;  // instead of url
  std::string status_callback;
  std::vector<std::string> status_callback_events;  // initiated ringing answered completed
  std::string status_callback_method;
  std::optional<int> timeout_seconds;
  std::optional<int> time_limit_seconds;
  std::optional<bool> record;
  std::string recording_channels;  // "mono" or "dual"
  std::string recording_status_callback;
  std::string recording_status_callback_method;
  std::string machine_detection;  // "Enable" or "DetectMessageEnd"
  std::optional<bool> async_amd;
  std::string async_amd_status_callback;
  std::string async_amd_status_callback_method;

  // The form fields in Twilio's names; StatusCallbackEvent repeats once per event.
  FormParams ToForm() const;
};

// POST .../Calls/{Sid}.json: hang up (status "completed"), redirect (url) or replace (twiml).
struct UpdateCallRequest {
  std::string status;
  std::string url;
  std::string method;
  std::string twiml;
  FormParams ToForm() const;
};

struct CallResource {
  std::string sid, account_sid, to, from, status, direction, answered_by, parent_call_sid;
  std::string date_created, date_updated, start_time, end_time;  // RFC 2822 as Twilio sends
  std::optional<int> duration_seconds;
};

struct RecordingResource {
  std::string sid, account_sid, call_sid, status, source;
  int channels = 1;
  std::optional<int> duration_seconds;
  std::string date_created;
  std::string uri;
};

// GET /2010-04-01/Accounts/{Sid}.json: the account the credentials open.
struct AccountResource {
  std::string sid, friendly_name, status, type;  // status: active, suspended, closed
};

struct MessageResource {
  std::string sid, account_sid, to, from, body, status;
};

// Sleeps for the given milliseconds between retries; tests inject one that only records.
using SleepFunction = std::function<void(int64_t millis)>;
void RealSleep(int64_t millis);

class TwilioRestClient {
 public:
  explicit TwilioRestClient(TwilioRestConfig config, SleepFunction sleep = RealSleep);
  ~TwilioRestClient();
  TwilioRestClient(const TwilioRestClient&) = delete;
  TwilioRestClient& operator=(const TwilioRestClient&) = delete;

  // All calls block and are safe from several threads at once.
  core::Result<CallResource> CreateCall(const CreateCallRequest& request);
  core::Result<CallResource> UpdateCall(const std::string& call_sid,
                                        const UpdateCallRequest& request);
  core::Result<CallResource> FetchCall(const std::string& call_sid);
  core::Result<std::vector<RecordingResource>> ListRecordings(const std::string& call_sid);
  core::Result<RecordingResource> FetchRecording(const std::string& recording_sid);
  core::Status DeleteRecording(const std::string& recording_sid);
  // GET .../Recordings/{Sid}.wav: the audio bytes and their content type.
  core::Result<RecordingMedia> DownloadRecordingMedia(const std::string& recording_sid);
  core::Result<MessageResource> SendMessage(const std::string& to, const std::string& from,
                                            const std::string& body,
                                            const std::string& status_callback = "");

  // The account itself: the cheapest request that proves the credentials work.
  core::Result<AccountResource> FetchAccount();

  const TwilioRestConfig& config() const { return config_; }

 private:
  struct HttpResponse;
  struct Pool;
  enum class Retry { kIdempotent, kOnlyIfNotProcessed };

  // Sends one request (with retries) to {api_base_url}/2010-04-01/Accounts/{sid}{path}.
  // Non-2xx answers come back as errors; `what` names the operation for messages.
  core::Result<HttpResponse> Send(const std::string& method, const std::string& path,
                                  const FormParams& form, Retry retry, std::string_view what);
  // One attempt; `never_sent` tells whether the request surely did not reach Twilio.
  core::Result<HttpResponse> Attempt(const std::string& method, const std::string& url,
                                     const std::string& body, bool* never_sent);
  int64_t BackoffMillis(int attempt);
  std::string AccountPath() const;

  TwilioRestConfig config_;
  SleepFunction sleep_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace vaarta::telephony::twilio
