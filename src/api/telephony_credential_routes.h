#pragma once
// The telephony provider's credentials, entered in the dashboard's Settings: write-only
// (the API says which secrets are stored and their last characters, never the secrets),
// admin-only, audited without the secrets, and checked against the provider on request.
#include <functional>
#include <string>

#include "api/api_context.h"
#include "settings/telephony_credentials.h"

namespace vaarta::api {

struct TelephonyCredentialApi {
  settings::TelephonyCredentialStore& store;
  std::string active_provider;         // the configured `telephony`: "simulated" or "twilio"
  std::string api_base_url;            // the configured twilio_api_base_url
  std::string configured_account_sid;  // from the configuration file, shown as a fallback
  bool configured_auth_token = false;
  // Applies a change on this server at once (other servers notice it within seconds).
  std::function<void()> on_changed;
};

void RegisterTelephonyCredentialRoutes(ApiRouter& router, TelephonyCredentialApi& api);

}  // namespace vaarta::api
