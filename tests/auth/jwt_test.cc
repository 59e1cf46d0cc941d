#include "auth/jwt.h"

#include <gtest/gtest.h>

#include "core/crypto.h"

namespace vaarta::auth {
namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef";
constexpr int64_t kNow = 1'800'000'000;

nlohmann::json Claims() {
  return {{"iss", "vaarta"}, {"sub", "7"}, {"iat", kNow}, {"exp", kNow + 900}};
}

// Builds a token from raw header and claims text, signed with HMAC-SHA256 over them.
std::string Forge(const std::string& header, const std::string& claims,
                  const std::string& secret = kSecret) {
  std::string input = core::Base64UrlEncode(header) + "." + core::Base64UrlEncode(claims);
  return input + "." + core::Base64UrlEncode(core::HmacSha256(secret, input));
}

std::string DetailOf(const core::Result<nlohmann::json>& r) {
  return r.ok() ? "ok" : r.error().detail_code;
}

TEST(JwtTest, SignedTokenVerifiesAndReturnsClaims) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  auto claims = VerifyJwtHs256(token, kSecret, kNow);
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ((*claims)["sub"], "7");
  EXPECT_EQ((*claims)["iss"], "vaarta");
}

TEST(JwtTest, HeaderDeclaresHs256) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  std::string header;
  ASSERT_TRUE(core::Base64UrlDecode(token.substr(0, token.find('.')), &header));
  EXPECT_EQ(nlohmann::json::parse(header)["alg"], "HS256");
}

TEST(JwtTest, TamperedClaimsAreRejected) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  nlohmann::json escalated = Claims();
  escalated["sub"] = "1";
  size_t dot1 = token.find('.');
  size_t dot2 = token.find('.', dot1 + 1);
  std::string tampered =
      token.substr(0, dot1 + 1) + core::Base64UrlEncode(escalated.dump()) + token.substr(dot2);
  auto result = VerifyJwtHs256(tampered, kSecret, kNow);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(result.error().detail_code, "invalid_token");
}

TEST(JwtTest, TamperedSignatureIsRejected) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(DetailOf(VerifyJwtHs256(token, kSecret, kNow)), "invalid_token");
}

TEST(JwtTest, WrongSecretIsRejected) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  EXPECT_EQ(DetailOf(VerifyJwtHs256(token, "another-secret-another-secret-xx", kNow)),
            "invalid_token");
}

TEST(JwtTest, AlgNoneIsRejected) {
  std::string claims = Claims().dump();
  std::string unsigned_token = core::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." +
                               core::Base64UrlEncode(claims) + ".";
  EXPECT_EQ(DetailOf(VerifyJwtHs256(unsigned_token, kSecret, kNow)), "invalid_token");
  // Even with a valid HMAC over it, a header naming another algorithm is refused.
  EXPECT_EQ(DetailOf(VerifyJwtHs256(Forge(R"({"alg":"none"})", claims), kSecret, kNow)),
            "invalid_token");
  EXPECT_EQ(DetailOf(VerifyJwtHs256(Forge(R"({"alg":"None"})", claims), kSecret, kNow)),
            "invalid_token");
}

TEST(JwtTest, OtherAlgorithmsAreRejected) {
  std::string claims = Claims().dump();
  for (const char* header :
       {R"({"alg":"HS512"})", R"({"alg":"RS256"})", R"({"typ":"JWT"})", R"({"alg":256})"}) {
    EXPECT_EQ(DetailOf(VerifyJwtHs256(Forge(header, claims), kSecret, kNow)), "invalid_token")
        << header;
  }
  EXPECT_TRUE(VerifyJwtHs256(Forge(R"({"alg":"HS256"})", claims), kSecret, kNow).ok());
}

TEST(JwtTest, ExpiredTokenIsRejectedAsExpired) {
  std::string token = SignJwtHs256(Claims(), kSecret);
  EXPECT_TRUE(VerifyJwtHs256(token, kSecret, kNow + 899).ok());
  auto at_expiry = VerifyJwtHs256(token, kSecret, kNow + 900);
  ASSERT_FALSE(at_expiry.ok());
  EXPECT_EQ(at_expiry.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(at_expiry.error().detail_code, "token_expired");
}

TEST(JwtTest, TokenWithoutExpiryIsRejected) {
  nlohmann::json claims = Claims();
  claims.erase("exp");
  EXPECT_EQ(DetailOf(VerifyJwtHs256(SignJwtHs256(claims, kSecret), kSecret, kNow)),
            "invalid_token");
  claims["exp"] = "tomorrow";
  EXPECT_EQ(DetailOf(VerifyJwtHs256(SignJwtHs256(claims, kSecret), kSecret, kNow)),
            "invalid_token");
}

TEST(JwtTest, TokenBeforeNotBeforeIsRejected) {
  nlohmann::json claims = Claims();
  claims["nbf"] = kNow + 60;
  std::string token = SignJwtHs256(claims, kSecret);
  EXPECT_EQ(DetailOf(VerifyJwtHs256(token, kSecret, kNow)), "invalid_token");
  EXPECT_TRUE(VerifyJwtHs256(token, kSecret, kNow + 60).ok());
}

TEST(JwtTest, MalformedTokensAreRejected) {
  std::string good = SignJwtHs256(Claims(), kSecret);
  for (const std::string& token :
       {std::string(), std::string("abc"), std::string("a.b"), good + ".extra",
        std::string("!!!.???.***"), Forge("[]", Claims().dump()), Forge("{}", "not json"),
        Forge(R"({"alg":"HS256"})", "[1,2]"), std::string(10000, 'a')}) {
    EXPECT_EQ(DetailOf(VerifyJwtHs256(token, kSecret, kNow)), "invalid_token") << token;
  }
}

TEST(JwtTest, EmptySecretNeverVerifies) {
  std::string token = SignJwtHs256(Claims(), "");
  EXPECT_FALSE(VerifyJwtHs256(token, "", kNow).ok());
}

}  // namespace
}  // namespace vaarta::auth
