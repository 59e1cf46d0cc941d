#include "leads/phone/phone_normalizer.h"

#include <gtest/gtest.h>

#include <random>

namespace vaarta::leads {
namespace {

class PhoneNormalizerTest : public ::testing::Test {
 protected:
  std::string E164(const std::string& raw) {
    auto r = phones_.Normalize(raw);
    return r.number ? r.number->e164 : "refused:" + std::string(PhoneRefusalCode(r.refusal));
  }
  PhoneNormalizer phones_;
};

TEST_F(PhoneNormalizerTest, AcceptsTheWaysIndianNumbersAreWritten) {
  for (const char* raw :
       {"9812345670", "+91 98123 45670", "+91-98123-45670", "0091 98123 45670", "919812345670",
        "09812345670", "(+91) 981.234.5670", "98123-45670", "+91 ९८१२३ ४५६७०"}) {
    EXPECT_EQ(E164(raw), "+919812345670") << raw;
  }
  auto fixed = phones_.Normalize("(022) 2200 1234");
  ASSERT_TRUE(fixed.number.has_value());
  EXPECT_EQ(fixed.number->e164, "+912222001234");
  EXPECT_EQ(fixed.number->type, "fixed_line");
  EXPECT_EQ(fixed.number->time_zone, "Asia/Kolkata");
}

TEST_F(PhoneNormalizerTest, KeepsExtensionsOutOfE164) {
  for (const char* raw :
       {"9812345670 ext. 12", "9812345670 x12", "9812345670 extn 12", "9812345670 #12"}) {
    auto r = phones_.Normalize(raw);
    ASSERT_TRUE(r.number.has_value()) << raw << ": " << r.message;
    EXPECT_EQ(r.number->e164, "+919812345670") << raw;
    EXPECT_EQ(r.number->extension, "12") << raw;
  }
}

TEST_F(PhoneNormalizerTest, RefusesWithAReasonPerProblem) {
  EXPECT_EQ(E164(""), "refused:missing");
  EXPECT_EQ(E164("   "), "refused:missing");
  EXPECT_EQ(E164("123"), "refused:too_short");
  EXPECT_EQ(E164("98123456701234567890"), "refused:too_long");
  EXPECT_EQ(E164("99999OOOOO"), "refused:letters");
  EXPECT_EQ(E164("9.12345E+09"), "refused:scientific_notation");
  EXPECT_EQ(E164("9,81234E+9"), "refused:scientific_notation");
  EXPECT_EQ(E164("1800 425 1234"), "refused:not_callable_type");  // toll-free
  EXPECT_EQ(E164("1860 123 4567"), "refused:not_callable_type");  // shared cost
  EXPECT_EQ(E164("1409876543"), "refused:not_callable_type");     // 140 telemarketing
  EXPECT_EQ(E164("1600123456"), "refused:not_callable_type");     // 1600 service
  EXPECT_EQ(E164("1601234567"), "refused:not_callable_type");
  auto letters = phones_.Normalize("99999OOOOO");
  EXPECT_NE(letters.message.find("'O' at character 6"), std::string::npos) << letters.message;
  auto sci = phones_.Normalize("9.12345E+09");
  EXPECT_NE(sci.message.find("format the column as text"), std::string::npos) << sci.message;
}

TEST_F(PhoneNormalizerTest, OtherCountriesAndOtherDefaultRegions) {
  auto london = phones_.Normalize("+44 20 7946 0958");
  ASSERT_TRUE(london.number.has_value());
  EXPECT_EQ(london.number->e164, "+442079460958");
  EXPECT_EQ(london.number->region, "GB");
  EXPECT_EQ(london.number->time_zone, "Europe/London");
  PhoneNormalizer gb("GB");
  EXPECT_EQ(gb.Normalize("020 7946 0958").number->e164, "+442079460958");
  EXPECT_FALSE(gb.FastPathE164("9812345670").has_value());  // the fast path is for IN only
  auto ny = PhoneNormalizer("US").Normalize("(212) 736-5000");
  ASSERT_TRUE(ny.number.has_value()) << ny.message;
  EXPECT_EQ(ny.number->time_zone, "");  // the US has many zones: the number alone cannot say
}

// The fast path decides most rows of a big import without libphonenumber; it must give
// exactly libphonenumber's answer for every input it decides.
TEST_F(PhoneNormalizerTest, FastPathAgreesWithLibphonenumberOnALargeCorpus) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kInputs = 100000;
#else
  constexpr int kInputs = 1000000;
#endif
  std::mt19937_64 rng(20261124);
  int decided = 0;
  for (int i = 0; i < kInputs; ++i) {
    // National numbers across the whole 0-9 first-digit space, of 8 to 12 digits.
    int length = 8 + static_cast<int>(rng() % 5);
    std::string national;
    for (int d = 0; d < length; ++d) national.push_back(static_cast<char>('0' + rng() % 10));
    if (rng() % 2) national[0] = static_cast<char>('6' + rng() % 4);
    std::string raw;
    switch (rng() % 9) {
      case 0:
        raw = national;
        break;
      case 1:
        raw = "+91" + national;
        break;
      case 2:
        raw = "+91 " + national.substr(0, 5) + " " + national.substr(5);
        break;
      case 3:
        raw = "0" + national;
        break;
      case 4:
        raw = "91" + national;
        break;
      case 5:
        raw = "0091-" + national;
        break;
      case 6:
        raw = "(" + national.substr(0, 3) + ") " + national.substr(3);
        break;
      case 7:
        raw = "091" + national;
        break;
      default:
        raw = "+92" + national;
        break;
    }
    auto fast = phones_.FastPathE164(raw);
    if (!fast) continue;
    ++decided;
    auto authority = phones_.NormalizeWithLibphonenumber(raw);
    ASSERT_TRUE(authority.number.has_value())
        << raw << " fast path accepted what libphonenumber refuses: " << authority.message;
    ASSERT_EQ(*fast, authority.number->e164) << raw;
    ASSERT_EQ(phones_.Normalize(raw).number->type, authority.number->type) << raw;
  }
  EXPECT_GT(decided, kInputs / 10);  // the fast path does decide a large share
}

}  // namespace
}  // namespace vaarta::leads
