#include "webhooks/webhook_signature.h"

#include <charconv>
#include <cstdlib>

#include "core/crypto.h"

namespace vaarta::webhooks {

std::string SignatureHeader(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string signed_text = t + ".";
  signed_text.append(body);
  return "t=" + t + ",v1=" + core::HexEncode(core::HmacSha256(secret, signed_text));
}

bool VerifySignatureHeader(std::string_view secret, std::string_view header, std::string_view body,
                           int64_t now_seconds, int64_t tolerance_seconds) {
  int64_t t = -1;
  std::string_view v1;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view part = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (part.rfind("t=", 0) == 0) {
      auto [ptr, ec] = std::from_chars(part.data() + 2, part.data() + part.size(), t);
      if (ec != std::errc() || ptr != part.data() + part.size()) return false;
    } else if (part.rfind("v1=", 0) == 0) {
      v1 = part.substr(3);
    }
  }
  if (t < 0 || v1.empty() || std::llabs(now_seconds - t) > tolerance_seconds) return false;
  const std::string expected = SignatureHeader(secret, t, body);
  return core::ConstantTimeEquals(expected.substr(expected.find(",v1=") + 4), v1);
}

}  // namespace vaarta::webhooks
