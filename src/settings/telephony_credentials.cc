#include "settings/telephony_credentials.h"

#include <regex>

namespace vaarta::settings {
namespace {

constexpr const char* kProvider = "twilio";
constexpr const char* kAuthTokenPurpose = "telephony.twilio.auth_token";
constexpr const char* kApiKeySecretPurpose = "telephony.twilio.api_key_secret";

bool IsSid(const std::string& value, const char* prefix) {
  static const std::regex kHex32("[0-9a-fA-F]{32}");
  return value.size() == 34 && value.compare(0, 2, prefix) == 0 &&
         std::regex_match(value.substr(2), kHex32);
}

// A secret as pasted: a stray space or line break is the usual copy-and-paste mistake.
std::optional<std::string> SecretProblem(const std::string& value) {
  if (value.size() < 16) return "must be at least 16 characters (Twilio's are 32)";
  if (value.size() > 128) return "must be at most 128 characters";
  for (unsigned char c : value) {
    if (c <= ' ' || c >= 0x7f) return "must not contain spaces, line breaks or other characters";
  }
  return std::nullopt;
}

}  // namespace

std::vector<core::FieldError> CheckTwilioCredentials(const TwilioCredentials& c) {
  std::vector<core::FieldError> errors;
  if (!IsSid(c.account_sid, "AC")) {
    errors.push_back({"account_sid",
                      "must be AC followed by 32 hexadecimal digits, as the "
                      "Twilio console shows it"});
  }
  if (auto problem = SecretProblem(c.auth_token)) errors.push_back({"auth_token", *problem});
  const bool key_sid = !c.api_key_sid.empty();
  const bool key_secret = !c.api_key_secret.empty();
  if (key_sid && !IsSid(c.api_key_sid, "SK")) {
    errors.push_back({"api_key_sid", "must be SK followed by 32 hexadecimal digits"});
  }
  if (key_secret) {
    if (auto problem = SecretProblem(c.api_key_secret)) {
      errors.push_back({"api_key_secret", *problem});
    }
  }
  if (key_sid != key_secret) {
    errors.push_back({key_sid ? "api_key_secret" : "api_key_sid",
                      "an API key needs both its SID and its secret"});
  }
  return errors;
}

std::optional<StoredCredentialsSummary> TelephonyCredentialStore::Summary(
    storage::Transaction& tx) const {
  auto rows = tx.Execute(
      "SELECT account_sid, auth_token_hint, api_key_sid, api_key_secret_hint, updated_at, "
      "updated_by FROM provider_credentials WHERE provider = $1",
      {storage::Text(kProvider)});
  if (rows.rows.empty()) return std::nullopt;
  const auto& r = rows.rows.front();
  return StoredCredentialsSummary{r.GetText(0), r.GetText(1), r.GetText(2),
                                  r.GetText(3), r.GetInt(4),  r.GetText(5)};
}

core::Result<std::optional<TwilioCredentials>> TelephonyCredentialStore::Load(
    storage::Transaction& tx) const {
  auto rows = tx.Execute(
      "SELECT account_sid, sealed_auth_token, api_key_sid, sealed_api_key_secret "
      "FROM provider_credentials WHERE provider = $1",
      {storage::Text(kProvider)});
  if (rows.rows.empty()) return std::optional<TwilioCredentials>();
  const auto& r = rows.rows.front();
  TwilioCredentials out;
  out.account_sid = r.GetText(0);
  auto token = box_.Open(r.GetText(1), kAuthTokenPurpose);
  if (!token) return token.error();
  out.auth_token = std::move(*token);
  out.api_key_sid = r.GetText(2);
  if (!r.GetText(3).empty()) {
    auto secret = box_.Open(r.GetText(3), kApiKeySecretPurpose);
    if (!secret) return secret.error();
    out.api_key_secret = std::move(*secret);
  }
  return std::optional<TwilioCredentials>(std::move(out));
}

int64_t TelephonyCredentialStore::Version(storage::Transaction& tx) const {
  auto rows = tx.Execute("SELECT updated_at FROM provider_credentials WHERE provider = $1",
                         {storage::Text(kProvider)});
  return rows.rows.empty() ? 0 : rows.rows.front().GetInt(0);
}

void TelephonyCredentialStore::Put(storage::Transaction& tx, const TwilioCredentials& c,
                                   int64_t now, const std::string& by) const {
  // Two saves in one millisecond would share a version; the later one moves it on.
  now = std::max(now, Version(tx) + 1);
  const std::string sealed_secret =
      c.api_key_secret.empty() ? "" : box_.Seal(c.api_key_secret, kApiKeySecretPurpose);
  tx.Execute(
      "INSERT INTO provider_credentials (provider, account_sid, sealed_auth_token, "
      "auth_token_hint, api_key_sid, sealed_api_key_secret, api_key_secret_hint, updated_at, "
      "updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (provider) DO UPDATE "
      "SET account_sid = excluded.account_sid, sealed_auth_token = excluded.sealed_auth_token, "
      "auth_token_hint = excluded.auth_token_hint, api_key_sid = excluded.api_key_sid, "
      "sealed_api_key_secret = excluded.sealed_api_key_secret, "
      "api_key_secret_hint = excluded.api_key_secret_hint, updated_at = excluded.updated_at, "
      "updated_by = excluded.updated_by",
      {storage::Text(kProvider), storage::Text(c.account_sid),
       storage::Text(box_.Seal(c.auth_token, kAuthTokenPurpose)),
       storage::Text(SecretHint(c.auth_token)), storage::Text(c.api_key_sid),
       storage::Text(sealed_secret),
       storage::Text(c.api_key_secret.empty() ? "" : SecretHint(c.api_key_secret)),
       storage::Int(now), storage::Text(by)});
}

bool TelephonyCredentialStore::Delete(storage::Transaction& tx) const {
  return tx.Execute("DELETE FROM provider_credentials WHERE provider = $1",
                    {storage::Text(kProvider)})
             .affected_rows > 0;
}

}  // namespace vaarta::settings
