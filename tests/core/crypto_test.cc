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

}  // namespace
}  // namespace vaarta::core
