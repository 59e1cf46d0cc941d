#include "core/crypto.h"

#include <gtest/gtest.h>

namespace vaarta::core {
namespace {

TEST(Crypto, Sha256MatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Base64UrlRoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 70; ++i) {
    std::string decoded;
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(data), &decoded)) << i;
    EXPECT_EQ(decoded, data);
    data.push_back(static_cast<char>(i * 37));
  }
}

TEST(Crypto, Base64UrlRefusesForeignCharacters) {
  std::string out;
  EXPECT_FALSE(Base64UrlDecode("ab+c", &out));
  EXPECT_FALSE(Base64UrlDecode("ab c", &out));
  EXPECT_FALSE(Base64UrlDecode("a", &out));
}

TEST(Crypto, RandomTokensDiffer) {
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(RandomBytes(16).size(), 16u);
}

TEST(Crypto, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

// RFC 5869 appendix A, test cases 1 (salt and info) and 3 (neither).
TEST(Crypto, HkdfSha256MatchesRfc5869) {
  std::string salt, info;
  for (int i = 0; i <= 0x0c; ++i) salt.push_back(static_cast<char>(i));
  for (int i = 0xf0; i <= 0xf9; ++i) info.push_back(static_cast<char>(i));
  const std::string ikm(22, '\x0b');
  EXPECT_EQ(HexEncode(HkdfSha256(ikm, salt, info, 42)),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  EXPECT_EQ(HexEncode(HkdfSha256(ikm, "", "", 42)),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

}  // namespace
}  // namespace vaarta::core
