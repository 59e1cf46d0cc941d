#include "settings/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "core/crypto.h"

namespace vaarta::settings {
namespace {

constexpr std::string_view kPrefix = "vsb1.";
constexpr std::string_view kLabel = "vaarta settings secrets v1";
constexpr size_t kNonceSize = 12;
constexpr size_t kTagSize = 16;

[[noreturn]] void OpenSslFailure(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

core::Error Unreadable() {
  return core::MakeError(core::ErrorCode::kUnauthenticated,
                         "a stored secret does not open with this server's data key (it was "
                         "sealed with another recording key, or altered); enter it again",
                         std::string(kSecretUnreadable));
}

}  // namespace

SecretBox::SecretBox(std::string_view master) {
  if (master.size() < 32) throw std::invalid_argument("SecretBox needs 32 bytes of key");
  std::string derived = core::HkdfSha256(master, "", kLabel, sizeof key_);
  std::memcpy(key_, derived.data(), sizeof key_);
  OPENSSL_cleanse(derived.data(), derived.size());
}

SecretBox::~SecretBox() { OPENSSL_cleanse(key_, sizeof key_); }

std::string SecretBox::Seal(std::string_view plaintext, std::string_view purpose) const {
  std::string out = core::RandomBytes(kNonceSize);
  out.resize(kNonceSize + plaintext.size() + kTagSize);
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  int tail = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char*>(key_),
                         dst) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose),
                        static_cast<int>(purpose.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), dst + kNonceSize, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), dst + kNonceSize + plaintext.size(), &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          dst + kNonceSize + plaintext.size()) != 1) {
    OpenSslFailure("AES-GCM seal");
  }
  return std::string(kPrefix) + core::Base64UrlEncode(out);
}

core::Result<std::string> SecretBox::Open(std::string_view sealed, std::string_view purpose) const {
  std::string raw;
  if (sealed.substr(0, kPrefix.size()) != kPrefix ||
      !core::Base64UrlDecode(sealed.substr(kPrefix.size()), &raw) ||
      raw.size() < kNonceSize + kTagSize) {
    return Unreadable();
  }
  const size_t size = raw.size() - kNonceSize - kTagSize;
  std::string out(size, '\0');
  auto* src = reinterpret_cast<unsigned char*>(raw.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  int tail = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char*>(key_),
                         src) != 1) {
    OpenSslFailure("AES-GCM open");
  }
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose),
                        static_cast<int>(purpose.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                        src + kNonceSize, static_cast<int>(size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, src + kNonceSize + size) !=
          1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + size, &tail) !=
          1) {
    OPENSSL_cleanse(out.data(), out.size());
    return Unreadable();
  }
  return out;
}

std::string SecretHint(std::string_view secret) {
  // Short secrets would be given away by their last four characters.
  if (secret.size() < 12) return "…";
  return "…" + std::string(secret.substr(secret.size() - 4));
}

}  // namespace vaarta::settings
