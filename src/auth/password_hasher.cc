#include "auth/password_hasher.h"

#include <argon2.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "core/crypto.h"

namespace vaarta::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// Upper bounds on the cost parameters accepted from a stored hash: a tampered row
// asking for terabytes of memory must not take the server down.
constexpr uint32_t kMaxMemoryKib = 1024 * 1024;
constexpr uint32_t kMaxTimeCost = 64;
constexpr uint32_t kMaxParallelism = 64;

struct EncodedParams {
  uint32_t memory_kib = 0;
  uint32_t time_cost = 0;
  uint32_t parallelism = 0;
};

// Reads m, t and p from "$argon2id$v=19$m=...,t=...,p=...$salt$hash".
bool ParseEncodedParams(const std::string& encoded, EncodedParams* out) {
  unsigned version = 0, m = 0, t = 0, p = 0;
  int consumed = 0;
  if (std::sscanf(encoded.c_str(), "$argon2id$v=%u$m=%u,t=%u,p=%u$%n", &version, &m, &t, &p,
                  &consumed) != 4 ||
      consumed == 0) {
    return false;
  }
  if (version != ARGON2_VERSION_13) return false;
  out->memory_kib = m;
  out->time_cost = t;
  out->parallelism = p;
  return true;
}

// Splits UTF-8 text into code points (each as its byte sequence); invalid bytes count
// as one character each, which is all the policy needs.
std::vector<std::string_view> CodePoints(const std::string& text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    if (i + len > text.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        len = 1;
        break;
      }
    }
    out.emplace_back(text.data() + i, len);
    i += len;
  }
  return out;
}

}  // namespace

std::string PasswordHasher::Hash(const std::string& password) const {
  std::string salt = core::RandomBytes(kSaltBytes);
  size_t encoded_len = argon2_encodedlen(params_.time_cost, params_.memory_kib, params_.parallelism,
                                         kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(encoded_len, '\0');
  int rc = argon2_hash(params_.time_cost, params_.memory_kib, params_.parallelism, password.data(),
                       password.size(), salt.data(), salt.size(), nullptr, kHashBytes,
                       encoded.data(), encoded.size(), Argon2_id, ARGON2_VERSION_13);
  if (rc != ARGON2_OK) {
    throw std::runtime_error(std::string("argon2 hashing failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
  return encoded;
}

bool PasswordHasher::Verify(const std::string& password, const std::string& encoded) const {
  EncodedParams stored;
  if (!ParseEncodedParams(encoded, &stored)) return false;
  if (stored.memory_kib > kMaxMemoryKib || stored.time_cost > kMaxTimeCost ||
      stored.parallelism > kMaxParallelism) {
    return false;
  }
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

const std::string& PasswordHasher::DummyHash() const {
  std::call_once(dummy_.once, [this] { dummy_.hash = Hash(core::RandomToken(24)); });
  return dummy_.hash;
}

bool PasswordHasher::NeedsRehash(const std::string& encoded) const {
  EncodedParams stored;
  if (!ParseEncodedParams(encoded, &stored)) return true;
  return stored.memory_kib != params_.memory_kib || stored.time_cost != params_.time_cost ||
         stored.parallelism != params_.parallelism;
}

core::Status CheckPasswordPolicy(const std::string& password) {
  std::vector<std::string_view> chars = CodePoints(password);
  if (chars.size() < 10) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "password must be at least 10 characters long", "weak_password");
  }
  if (chars.size() > 256) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "password must be at most 256 characters long", "weak_password");
  }
  bool all_same = true;
  for (const auto& c : chars) {
    if (c != chars.front()) {
      all_same = false;
      break;
    }
  }
  if (all_same) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "password must not repeat a single character", "weak_password");
  }
  return core::Ok{};
}

}  // namespace vaarta::auth
