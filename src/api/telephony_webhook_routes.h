#pragma once
// The provider's webhooks: /webhooks/{provider}/{kind}?attempt=ID. Public routes, each
// request verified against the provider's signature over the public URL we were called
// at (configurable for servers behind proxies); a request that fails verification gets
// 403 and an audit record, and is never acted on.
#include <functional>
#include <memory>
#include <string>

#include "api/api_context.h"
#include "calls/call_flow.h"
#include "calls/call_state_service.h"
#include "calls/webhook_spool.h"
#include "telephony/telephony_provider.h"

namespace vaarta::api {

struct TelephonyWebhookServices {
  telephony::TelephonyProvider* provider = nullptr;
  calls::CallStateService* states = nullptr;
  calls::CallFlow* flow = nullptr;
  calls::WebhookSpool* spool = nullptr;
  // A recording callback (verified and parsed); may be empty.
  std::function<void(int64_t attempt_id, const telephony::CallEvent&)> on_recording;
  // "https://calls.example.in": the base of the URLs the provider signs; empty: from the
  // request's Host header over http.
  std::string public_base_url;
};

void RegisterTelephonyWebhookRoutes(ApiRouter& router,
                                    std::shared_ptr<TelephonyWebhookServices> services);

// Applies one verified, parsed callback that needs no document back (status, AMD,
// recording). Throws storage::DatabaseError when the database is unavailable.
void ApplyTelephonyEvent(TelephonyWebhookServices& services, int64_t attempt_id,
                         const telephony::CallEvent& event);

// The public URL a request was made to: the configured base, or the Host header.
std::string PublicUrl(const std::string& public_base_url, const http::Request& request);
// Splits an application/x-www-form-urlencoded body, keeping order and repeats.
bool ParseFormBody(const std::string& body, std::vector<std::pair<std::string, std::string>>* out);

}  // namespace vaarta::api
