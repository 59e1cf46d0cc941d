#pragma once
// PasswordHasher: Argon2id (libargon2) in its standard encoded form
// ("$argon2id$v=19$m=...,t=...,p=...$salt$hash"), so parameters can rise later
// without breaking stored hashes.
#include <cstdint>
#include <mutex>
#include <string>

#include "core/result.h"

namespace vaarta::auth {

struct Argon2Params {
  uint32_t time_cost = 2;
  uint32_t memory_kib = 19456;  // OWASP's recommended minimum for Argon2id
  uint32_t parallelism = 1;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(Argon2Params params = {}) : params_(params) {}
  std::string Hash(const std::string& password) const;
  // False for a wrong password or a malformed stored hash.
  bool Verify(const std::string& password, const std::string& encoded) const;
  // A hash of a random password, verified against when the account does not exist so
  // that a login for an unknown e-mail takes as long as one for a known e-mail.
  // Thread-safe; computed on first use.
  const std::string& DummyHash() const;
  // True when `encoded` was made with other parameters than this hasher's (or is not
  // Argon2id), so a successful login can store a fresh hash.
  bool NeedsRehash(const std::string& encoded) const;
  const Argon2Params& params() const { return params_; }

 private:
  // Copying a hasher gives the copy its own, not yet computed, dummy hash; this keeps
  // PasswordHasher a copyable value while the lazy computation stays thread-safe.
  struct LazyDummy {
    LazyDummy() = default;
    LazyDummy(const LazyDummy&) {}
    LazyDummy& operator=(const LazyDummy&) { return *this; }
    std::once_flag once;
    std::string hash;
  };

  Argon2Params params_;
  mutable LazyDummy dummy_;
};

// Password rules: 10 to 256 characters, not all the same character.
core::Status CheckPasswordPolicy(const std::string& password);

}  // namespace vaarta::auth
