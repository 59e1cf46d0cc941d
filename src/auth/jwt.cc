#include "auth/jwt.h"

#include <string_view>

#include "core/crypto.h"

namespace vaarta::auth {
namespace {

// Far larger than any token this service issues; refusing bigger input keeps a hostile
// header from costing much to parse.
constexpr size_t kMaxTokenBytes = 8 * 1024;

core::Error Invalid(const std::string& why) {
  return core::MakeError(core::ErrorCode::kUnauthenticated, "invalid access token: " + why,
                         "invalid_token");
}

std::string EncodedHeader() {
  // Fixed text rather than a json dump so that every token carries the same header.
  static constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"JWT"})";
  return core::Base64UrlEncode(kHeader);
}

bool DecodeJsonObject(std::string_view part, nlohmann::json* out) {
  std::string raw;
  if (!core::Base64UrlDecode(part, &raw)) return false;
  nlohmann::json parsed = nlohmann::json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return false;
  *out = std::move(parsed);
  return true;
}

}  // namespace

std::string SignJwtHs256(const nlohmann::json& claims, const std::string& secret) {
  std::string signing_input = EncodedHeader() + "." + core::Base64UrlEncode(claims.dump());
  return signing_input + "." + core::Base64UrlEncode(core::HmacSha256(secret, signing_input));
}

core::Result<nlohmann::json> VerifyJwtHs256(const std::string& token, const std::string& secret,
                                            int64_t now_seconds) {
  if (secret.empty()) return Invalid("no signing secret configured");
  if (token.empty() || token.size() > kMaxTokenBytes) return Invalid("malformed");
  size_t dot1 = token.find('.');
  if (dot1 == std::string::npos) return Invalid("malformed");
  size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
    return Invalid("malformed");
  }
  std::string_view view(token);
  std::string_view header_part = view.substr(0, dot1);
  std::string_view payload_part = view.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view signature_part = view.substr(dot2 + 1);

  nlohmann::json header;
  if (!DecodeJsonObject(header_part, &header)) return Invalid("malformed header");
  // Only HS256: accepting the header's choice is how "alg":"none" and RS/HS confusion
  // attacks work.
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
    return Invalid("unsupported algorithm");
  }

  std::string expected = core::Base64UrlEncode(core::HmacSha256(secret, view.substr(0, dot2)));
  if (!core::ConstantTimeEquals(expected, signature_part)) return Invalid("bad signature");

  nlohmann::json claims;
  if (!DecodeJsonObject(payload_part, &claims)) return Invalid("malformed claims");
  // Tokens without an expiry would be valid forever; this service never issues them.
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->is_number()) return Invalid("no expiry");
  if (static_cast<double>(now_seconds) >= exp->get<double>()) {
    return core::MakeError(core::ErrorCode::kUnauthenticated,
                           "access token expired: refresh it or log in again", "token_expired");
  }
  auto nbf = claims.find("nbf");
  if (nbf != claims.end()) {
    if (!nbf->is_number()) return Invalid("malformed nbf");
    if (static_cast<double>(now_seconds) < nbf->get<double>()) return Invalid("not valid yet");
  }
  return claims;
}

}  // namespace vaarta::auth
