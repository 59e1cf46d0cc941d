#pragma once
// SecretBox: seals the few secrets the business enters in the dashboard (telephony
// credentials, webhook signing secrets) before they reach the database, so a copy of the
// database alone does not give away the Twilio account.
//
// AES-256-GCM with a fresh 12-byte nonce per value; the key is derived with HKDF-SHA256
// from the data key every server already shares (the recording key), with its own label,
// so the two uses never share a key. The value's purpose ("telephony.twilio.auth_token")
// is the associated data: a sealed value copied to another column does not open there.
// Text form: "vsb1." + base64url(nonce | ciphertext | tag).
#include <string>
#include <string_view>

#include "core/result.h"

namespace vaarta::settings {

// Detail code when a sealed value does not open (other key, or altered).
inline constexpr std::string_view kSecretUnreadable = "secret_unreadable";

class SecretBox {
 public:
  // `master` is at least 32 bytes of secret key material.
  explicit SecretBox(std::string_view master);
  ~SecretBox();
  SecretBox(const SecretBox&) = delete;
  SecretBox& operator=(const SecretBox&) = delete;

  std::string Seal(std::string_view plaintext, std::string_view purpose) const;
  // kUnauthenticated / kSecretUnreadable when the value is not one this key sealed for
  // this purpose; the message never contains the value.
  core::Result<std::string> Open(std::string_view sealed, std::string_view purpose) const;

 private:
  char key_[32];
};

// "…1a2b": enough of a secret to tell which one is stored, never more than 4 characters.
std::string SecretHint(std::string_view secret);

}  // namespace vaarta::settings
