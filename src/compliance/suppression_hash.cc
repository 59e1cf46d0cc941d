#include "compliance/suppression_hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

#include "core/crypto.h"

namespace vaarta::compliance {
namespace {

core::Error InvalidPhone(std::string_view field, std::string_view text, const std::string& why) {
  std::string shown(text.substr(0, 40));
  if (text.size() > 40) shown += "...";
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         std::string(field) +
                             " must be an E.164 number: '+' then 8 to 15 digits, " +
                             "like +919876543210; got '" + shown + "': " + why,
                         "invalid_phone");
}

}  // namespace

core::Status ValidateE164(std::string_view text, std::string_view field) {
  if (text.empty()) return InvalidPhone(field, text, "it is empty");
  if (text[0] != '+') {
    return InvalidPhone(field, text,
                        text[0] == ' ' ? "it starts with a space (a '+' in a URL query must be "
                                         "sent as %2B)"
                                       : "it does not start with '+' (add the country code)");
  }
  size_t digits = 0;
  for (size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') {
      std::string what = (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.')
                             ? "separators are not allowed"
                             : "only digits may follow the '+'";
      return InvalidPhone(field, text,
                          "character " + std::to_string(i + 1) + " is not a digit; " + what);
    }
    ++digits;
  }
  if (digits > 0 && text[1] == '0')
    return InvalidPhone(field, text, "country codes never start with 0");
  if (digits < 8) {
    return InvalidPhone(field, text,
                        "it has " + std::to_string(digits) + " digits, at least 8 needed");
  }
  if (digits > 15) {
    return InvalidPhone(field, text,
                        "it has " + std::to_string(digits) + " digits, at most 15 allowed");
  }
  return core::Ok{};
}

SuppressionHasher::SuppressionHasher(std::string key) : key_(std::move(key)) {
  if (key_.size() < kMinKeyBytes) {
    throw std::invalid_argument("the suppression hash key must be at least " +
                                std::to_string(kMinKeyBytes) + " bytes, got " +
                                std::to_string(key_.size()));
  }
}

std::string SuppressionHasher::Hash(std::string_view e164) const {
  return core::HexEncode(core::HmacSha256(key_, e164));
}

std::vector<std::string> SuppressionHasher::HashMany(const std::vector<std::string>& e164s) const {
  // core::HmacSha256 (OpenSSL's one-shot HMAC) looks the algorithm up and sets the key
  // up again for every number; re-initialising one keyed EVP_MAC context skips both.
  // The context is local to the call, so concurrent callers share nothing.
  std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr),
                                                        &EVP_MAC_free);
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(
      mac ? EVP_MAC_CTX_new(mac.get()) : nullptr, &EVP_MAC_CTX_free);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  const auto* key = reinterpret_cast<const unsigned char*>(key_.data());
  if (!ctx || EVP_MAC_init(ctx.get(), key, key_.size(), params) != 1) {
    throw std::runtime_error("OpenSSL could not set up HMAC-SHA256");
  }
  std::vector<std::string> out;
  out.reserve(e164s.size());
  unsigned char mac_bytes[EVP_MAX_MD_SIZE];
  for (const auto& number : e164s) {
    size_t len = 0;
    // A NULL key re-initialises the context with the key it already has.
    if (EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(number.data()),
                       number.size()) != 1 ||
        EVP_MAC_final(ctx.get(), mac_bytes, &len, sizeof mac_bytes) != 1) {
      throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
    }
    out.push_back(core::HexEncode(std::string_view(reinterpret_cast<char*>(mac_bytes), len)));
  }
  return out;
}

std::string SuppressionHasher::KeyFingerprint() const {
  // The label is not a phone number (no '+'), so the fingerprint is no number's hash.
  return core::HexEncode(core::HmacSha256(key_, "vaarta suppression key fingerprint v1"));
}

}  // namespace vaarta::compliance
