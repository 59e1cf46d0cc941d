#pragma once
// Thin wrappers over OpenSSL for the few primitives the product needs.
#include <cstdint>
#include <string>
#include <string_view>

namespace vaarta::core {

// Cryptographically secure random bytes (OpenSSL RAND_bytes); throws on RNG failure.
std::string RandomBytes(size_t count);
// A random token of `bytes` entropy, base64url without padding.
std::string RandomToken(size_t bytes = 32);

std::string Sha256(std::string_view data);                            // raw 32 bytes
std::string Sha256Hex(std::string_view data);                         // lowercase hex
std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string HmacSha1(std::string_view key, std::string_view data);    // raw 20 bytes
// HKDF-SHA256 (RFC 5869): `length` bytes of key derived from `key`, `salt` (empty: none,
// which RFC 5869 reads as zeros) and `info`. Throws when OpenSSL fails.
std::string HkdfSha256(std::string_view key, std::string_view salt, std::string_view info,
                       size_t length);

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);     // standard alphabet, padded
std::string Base64UrlEncode(std::string_view bytes);  // url alphabet, no padding
// False when `text` is not valid base64url (padding optional).
bool Base64UrlDecode(std::string_view text, std::string* out);

// Comparison whose time does not depend on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace vaarta::core
