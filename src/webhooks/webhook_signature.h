#pragma once
// How a receiver knows a webhook came from us and was not replayed: the header
//
//   X-Vaarta-Signature: t=1801546200,v1=<hex HMAC-SHA256(secret, "1801546200." + body)>
//
// over the exact bytes of the body, with the time it was signed (seconds since the epoch)
// so that a receiver can refuse old copies (we suggest five minutes). The same scheme as
// Stripe's and Razorpay-style HMAC receivers already use, so their code fits.
#include <cstdint>
#include <string>
#include <string_view>

namespace vaarta::webhooks {

inline constexpr std::string_view kSignatureHeader = "X-Vaarta-Signature";

std::string SignatureHeader(std::string_view secret, int64_t unix_seconds, std::string_view body);

// True when `header` carries a v1 signature of `body` by `secret` made at most
// `tolerance_seconds` from `now_seconds`. Compares in constant time.
bool VerifySignatureHeader(std::string_view secret, std::string_view header, std::string_view body,
                           int64_t now_seconds, int64_t tolerance_seconds = 300);

}  // namespace vaarta::webhooks
