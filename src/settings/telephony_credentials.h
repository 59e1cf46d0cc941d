#pragma once
// TelephonyCredentials: the Twilio account a business enters in the dashboard, stored with
// its secrets sealed (secret_box.h). Entered credentials take the place of the ones in
// the configuration file, on every server, without a restart (app/telephony_stack.cc).
// The API never hands a stored secret back: only its last characters (the "hint").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/field_error.h"
#include "core/result.h"
#include "settings/secret_box.h"
#include "storage/database.h"

namespace vaarta::settings {

struct TwilioCredentials {
  std::string account_sid;
  std::string auth_token;
  // Optional API key pair: when set, REST requests use it instead of the auth token. The
  // auth token is still needed, because Twilio signs webhooks with it.
  std::string api_key_sid;
  std::string api_key_secret;
};

// What may be shown about stored credentials.
struct StoredCredentialsSummary {
  std::string account_sid;
  std::string auth_token_hint;
  std::string api_key_sid;
  std::string api_key_secret_hint;
  int64_t updated_at = 0;
  std::string updated_by;
};

// Field errors for credentials as entered ("account_sid: must be AC and 32 hexadecimal
// digits"); empty when they are well formed. The messages never contain the secrets.
std::vector<core::FieldError> CheckTwilioCredentials(const TwilioCredentials& credentials);

class TelephonyCredentialStore {
 public:
  explicit TelephonyCredentialStore(const SecretBox& box) : box_(box) {}

  std::optional<StoredCredentialsSummary> Summary(storage::Transaction& tx) const;
  // The stored credentials with their secrets opened; nullopt when none are stored, an
  // error when they are stored but do not open with this server's key.
  core::Result<std::optional<TwilioCredentials>> Load(storage::Transaction& tx) const;
  // Changes whenever the credentials are replaced or removed (0 when none are stored):
  // servers compare it to notice another server's change.
  int64_t Version(storage::Transaction& tx) const;
  void Put(storage::Transaction& tx, const TwilioCredentials& credentials, int64_t now,
           const std::string& by) const;
  bool Delete(storage::Transaction& tx) const;

 private:
  const SecretBox& box_;
};

}  // namespace vaarta::settings
