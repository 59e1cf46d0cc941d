#pragma once
// WebhookClient: sends the simulator's requests to our server the way Twilio does: form
// parameters (in the body for POST, in the query for GET), X-Twilio-Signature computed
// with the account's auth token over the exact URL requested, and an
// I-Twilio-Idempotency-Token that stays the same across retries of one event.
// One per call thread: it keeps a libcurl handle so connections are reused.
#include <memory>
#include <string>

#include "core/result.h"
#include "telephony/twilio/twilio_signature.h"

namespace vaarta::sim {

struct WebhookResponse {
  int status = 0;
  std::string body;
  std::string content_type;  // lower-case, without parameters
};

class WebhookClient {
 public:
  explicit WebhookClient(int timeout_ms);
  ~WebhookClient();
  WebhookClient(const WebhookClient&) = delete;
  WebhookClient& operator=(const WebhookClient&) = delete;

  // One attempt. Errors (kUnavailable) only for transport failures; any HTTP status is a
  // response.
  core::Result<WebhookResponse> Send(const std::string& method, const std::string& url,
                                     const telephony::twilio::FormParams& params,
                                     const std::string& auth_token,
                                     const std::string& idempotency_token);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// application/x-www-form-urlencoded, in the given order.
std::string FormEncode(const telephony::twilio::FormParams& params);

}  // namespace vaarta::sim
