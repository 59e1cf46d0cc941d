#pragma once
// SuppressionHasher: the keyed hash (HMAC-SHA256) of an E.164 number that the
// do-not-call list and the consent ledger store beside the number. When a lead is
// erased the plaintext goes and the hash stays, so the person is still recognised and
// never called again, while the stored value cannot be reversed without the key (a
// plain SHA-256 of a phone number falls to enumerating the ~10^10 numbers of a country).
//
// The key must never change for a database: every stored hash is computed with it.
// DoNotCallList::VerifyHashKey() detects a changed key at start-up.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vaarta::compliance {

// Checks the shape of an E.164 number: '+', then 8 to 15 digits, the first not 0
// (country codes never start with 0). Numbers are normalised elsewhere (the phone
// normaliser); this refuses anything that is not already in that form, with a message
// naming `field` and what exactly is wrong. detail_code "invalid_phone".
core::Status ValidateE164(std::string_view text, std::string_view field = "phone");

class SuppressionHasher {
 public:
  static constexpr size_t kMinKeyBytes = 32;
  // Throws std::invalid_argument when the key is shorter than kMinKeyBytes: a short or
  // empty key is a wiring bug, and hashes made with it would have to be kept forever.
  explicit SuppressionHasher(std::string key);

  // Lowercase hex of HMAC-SHA256(key, e164): 64 characters. `e164` is expected to have
  // passed ValidateE164 (the same number must always give the same text).
  std::string Hash(std::string_view e164) const;
  // Hash() of each number, in order, about five times faster per number: one keyed
  // context is re-used for the whole batch (for checking imports of a million rows).
  std::vector<std::string> HashMany(const std::vector<std::string>& e164s) const;
  // A value that identifies the key without revealing it, stored once per database so
  // that a changed key is noticed: HMAC of a fixed label, hex.
  std::string KeyFingerprint() const;

 private:
  std::string key_;
};

}  // namespace vaarta::compliance
