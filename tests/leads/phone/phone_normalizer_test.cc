#include "leads/phone/phone_normalizer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace vaarta::leads {
namespace {

// "+919812345670" when accepted, "refused:<code>" otherwise.
std::string Outcome(const PhoneParse& parse) {
  return parse.number ? parse.number->e164
                      : "refused:" + std::string(PhoneRefusalCode(parse.refusal));
}

class PhoneNormalizerTest : public ::testing::Test {
 protected:
  std::string E164(std::string_view raw) const { return Outcome(phones_.Normalize(raw)); }
  PhoneNumber Accepted(std::string_view raw) const {
    PhoneParse parse = phones_.Normalize(raw);
    EXPECT_TRUE(parse.number.has_value()) << raw << ": " << parse.message;
    return parse.number.value_or(PhoneNumber{});
  }
  PhoneParse Refused(std::string_view raw, PhoneRefusal refusal) const {
    PhoneParse parse = phones_.Normalize(raw);
    EXPECT_FALSE(parse.number.has_value()) << raw << " was accepted as " << parse.number->e164;
    EXPECT_EQ(PhoneRefusalCode(parse.refusal), PhoneRefusalCode(refusal))
        << raw << ": " << parse.message;
    EXPECT_FALSE(parse.message.empty()) << raw;
    return parse;
  }

  PhoneNormalizer phones_;
};

// The fields of a CSV line (RFC 4180 quoting), for reading the shared sample.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

TEST_F(PhoneNormalizerTest, GivesTheSampleFilesExpectedOutcomeForEveryRow) {
  const std::string dir = std::string(VAARTA_SHARED_DIR) + "/data/";
  std::ifstream csv(dir + "leads_sample.csv", std::ios::binary);
  std::ifstream expected_file(dir + "leads_sample.expected.json");
  ASSERT_TRUE(csv && expected_file) << "cannot read the sample in " << dir;
  const nlohmann::json expected = nlohmann::json::parse(expected_file);

  std::string line;
  std::getline(csv, line);  // header, after a byte order mark
  const std::vector<std::string> header =
      CsvFields(line.substr(line.rfind("Name", 0) == 0 ? 0 : 3));
  ASSERT_EQ(header.at(1), "Contact Number");
  std::vector<std::string> phones;  // phones[row]
  phones.resize(2);
  while (std::getline(csv, line)) phones.push_back(CsvFields(line).at(1));

  ASSERT_EQ(expected["rows"].size(), phones.size() - 2);
  for (const auto& row : expected["rows"]) {
    const int number = row["row"].get<int>();
    const std::string phone = phones.at(static_cast<size_t>(number));
    const std::string outcome = row["outcome"].get<std::string>();
    const PhoneParse parse = phones_.Normalize(phone);
    if (outcome == "valid" || outcome == "duplicate") {
      ASSERT_TRUE(parse.number.has_value())
          << "row " << number << " '" << phone << "': " << parse.message;
      EXPECT_EQ(parse.number->e164, row["e164"].get<std::string>()) << "row " << number;
    } else {
      EXPECT_EQ("invalid:" + std::string(PhoneRefusalCode(parse.refusal)), outcome)
          << "row " << number << " '" << phone << "': " << parse.message;
    }
  }
}

TEST_F(PhoneNormalizerTest, AcceptsTheWaysIndianNumbersAreWritten) {
  for (const char* raw :
       {"9812345670", "+91 98123 45670", "+91-98123-45670", "0091 98123 45670", "919812345670",
        "09812345670", "(+91) 981.234.5670", "98123-45670", "91-9812345670", "+91 (0) 98123 45670",
        "  9812345670  ", "+91\t98123\t45670",
        "+91 98123\xC2\xA0"
        "45670" /* no-break space */,
        "\xE2\x80\xAA+91 98123 45670\xE2\x80\xAC" /* bidi marks from a chat app */,
        "+91 98123\xE2\x80\x93"
        "45670" /* en dash */}) {
    EXPECT_EQ(E164(raw), "+919812345670") << raw;
  }
  PhoneNumber mobile = Accepted("9812345670");
  EXPECT_EQ(mobile.region, "IN");
  EXPECT_EQ(mobile.type, "mobile");
  EXPECT_EQ(mobile.time_zone, "Asia/Kolkata");
  EXPECT_EQ(mobile.extension, "");

  PhoneNumber fixed = Accepted("(022) 2200 1234");
  EXPECT_EQ(fixed.e164, "+912222001234");
  EXPECT_EQ(fixed.type, "fixed_line");
  EXPECT_EQ(fixed.time_zone, "Asia/Kolkata");
}

TEST_F(PhoneNormalizerTest, ReadsDigitsOfEveryScript) {
  EXPECT_EQ(E164("९८१२३ ४५६७०"), "+919812345670");           // Devanagari
  EXPECT_EQ(E164("+९१ ९८१२३-४५६७०"), "+919812345670");       // Devanagari with +91
  EXPECT_EQ(E164("٩٨١٢٣٤٥٦٧٠"), "+919812345670");            // Arabic-Indic
  EXPECT_EQ(E164("০৯৮১২৩৪৫৬৭০"), "+919812345670");           // Bengali, leading 0
  EXPECT_EQ(E164("９８１２３４５６７０"), "+919812345670");  // fullwidth
  EXPECT_EQ(E164("+91 98123 ४५६७०"), "+919812345670");       // mixed scripts
  PhoneParse parse = phones_.Normalize("९४१५०००००२");
  ASSERT_TRUE(parse.number.has_value()) << parse.message;
  EXPECT_EQ(parse.number->type, "mobile");
}

TEST_F(PhoneNormalizerTest, KeepsExtensionsOutOfE164) {
  for (const char* raw :
       {"9812345670 ext. 12", "9812345670 ext 12", "9812345670 EXT.12", "9812345670 x12",
        "9812345670x12", "9812345670 extn 12", "9812345670 extension 12", "9812345670 #12",
        "+91 98123 45670, ext. 12", "९८१२३४५६७० ext. १२"}) {
    PhoneNumber number = Accepted(raw);
    EXPECT_EQ(number.e164, "+919812345670") << raw;
    EXPECT_EQ(number.extension, "12") << raw;
  }
  PhoneNumber london = Accepted("+44 20 7946 0958 ext. 4410");
  EXPECT_EQ(london.e164, "+442079460958");
  EXPECT_EQ(london.extension, "4410");
}

TEST_F(PhoneNormalizerTest, RefusesAnEmptyNumberAsMissing) {
  for (const char* raw : {"", "   ", "\t", "N/A", "na", "NULL", "-", "( )", "\xE2\x80\x8B"}) {
    PhoneParse parse = Refused(raw, PhoneRefusal::kMissing);
  }
  EXPECT_EQ(phones_.Normalize("").message, "the phone number is empty");
}

TEST_F(PhoneNormalizerTest, RefusesTooShortAndTooLongNumbersWithTheirLength) {
  PhoneParse short_number = Refused("123", PhoneRefusal::kTooShort);
  EXPECT_EQ(short_number.message, "has only 3 digits, too few for a phone number in India (+91)");
  Refused("1", PhoneRefusal::kTooShort);
  Refused("+91 98", PhoneRefusal::kTooShort);
  PhoneParse long_number = Refused("98123456701234567890", PhoneRefusal::kTooLong);
  EXPECT_EQ(long_number.message, "has 20 digits, too many for a phone number");
  PhoneParse long_gb = Refused("+44 20 7946 0958 1234 5", PhoneRefusal::kTooLong);
  EXPECT_NE(long_gb.message.find("in United Kingdom (+44)"), std::string::npos) << long_gb.message;
  Refused(std::string(300, '9'), PhoneRefusal::kTooLong);
}

TEST_F(PhoneNormalizerTest, RefusesLettersInsteadOfReadingThemAsKeypadDigits) {
  // libphonenumber alone would accept this as +919999966666.
  PhoneParse parse = Refused("99999OOOOO", PhoneRefusal::kLetters);
  EXPECT_EQ(parse.message, "contains letters ('O' at character 6); a phone number has only digits");
  EXPECT_EQ(Refused("1800-FLOWERS", PhoneRefusal::kLetters).message,
            "contains letters ('F' at character 6); a phone number has only digits");
  EXPECT_EQ(Refused("+91 98123 4567o", PhoneRefusal::kLetters).message,
            "contains letters ('o' at character 15); a phone number has only digits");
  EXPECT_EQ(Refused("९८१२३ abc", PhoneRefusal::kLetters).message,
            "contains letters ('a' at character 7); a phone number has only digits");
  Refused("9812345670 fax 12", PhoneRefusal::kLetters);  // "fax" is not an extension marker
  Refused("call 9812345670", PhoneRefusal::kLetters);
  Refused("98123 ग 45670", PhoneRefusal::kLetters);
}

TEST_F(PhoneNormalizerTest, RefusesExcelScientificNotation) {
  for (const char* raw :
       {"9.12345E+09", "9,12E+9", "9.1E9", "9.81234e+09", " 9.8E+09 ", "+9.1E+11"}) {
    PhoneParse parse = Refused(raw, PhoneRefusal::kScientificNotation);
    EXPECT_NE(parse.message.find("format the column as text"), std::string::npos) << parse.message;
  }
  Refused("98123E45670", PhoneRefusal::kLetters);  // a 5-digit exponent is no spreadsheet's
}

TEST_F(PhoneNormalizerTest, RefusesNumbersInvalidForTheRegion) {
  PhoneParse parse = Refused("+91 981234567", PhoneRefusal::kInvalid);
  EXPECT_EQ(parse.message,
            "is not a valid number in India (+91): no number is assigned with these digits; check "
            "it for a typo (an Indian mobile number has 10 digits after +91 or 0; this one has 9)");
  Refused("98123456701", PhoneRefusal::kInvalid);  // 11 digits
  EXPECT_EQ(Refused("+44 60 1234 567", PhoneRefusal::kInvalid).message,
            "is not a valid number in United Kingdom (+44): no number is assigned with these "
            "digits; check it for a typo");
  Refused("+999 1234 5678", PhoneRefusal::kInvalid);  // no such country code
  Refused(
      "98123\xE2\x98\x85"
      "45670",
      PhoneRefusal::kInvalid);
  EXPECT_EQ(phones_
                .Normalize("98123\xE2\x98\x85"
                           "45670")
                .message,
            "contains '\xE2\x98\x85', which has no place in a phone number");
  PhoneParse latin1 = Refused(
      "98123\xE9"
      "45670",
      PhoneRefusal::kInvalid);
  EXPECT_NE(latin1.message.find("is not UTF-8 text (byte 0xE9 at byte 6)"), std::string::npos)
      << latin1.message;
}

TEST_F(PhoneNormalizerTest, RefusesNumbersThatMustNeverBeCalled) {
  EXPECT_EQ(Refused("1800 425 1234", PhoneRefusal::kNotCallableType).message,
            "is a toll-free number (1800 series); service lines are never called");
  EXPECT_EQ(Refused("1860 123 4567", PhoneRefusal::kNotCallableType).message,
            "is a shared-cost number (1860 series); service lines are never called");
  EXPECT_EQ(Refused("1861 123 456789", PhoneRefusal::kNotCallableType).message,
            "is a premium-rate number (1861 series); service lines are never called");
  Refused("+1 800 555 0199", PhoneRefusal::kNotCallableType);  // US toll-free
  Refused("+44 800 123 4567", PhoneRefusal::kNotCallableType);
  // India's 140 telemarketing series: libphonenumber 8.12 calls these valid UANs.
  EXPECT_EQ(Refused("1409876543", PhoneRefusal::kNotCallableType).message,
            "is a 140-series number, which India allots to registered telemarketers; such "
            "numbers are never called");
  Refused("+91 140 987 6543", PhoneRefusal::kNotCallableType);
  // 1600 (libphonenumber: toll-free) and 1601 (libphonenumber: invalid) service series.
  EXPECT_EQ(Refused("1600123456", PhoneRefusal::kNotCallableType).message,
            "is a 1600-series number, which India allots to banks', insurers' and government "
            "service lines; service lines are never called");
  Refused("1601234567", PhoneRefusal::kNotCallableType);
  Refused("0091 1601 234 567", PhoneRefusal::kNotCallableType);
  EXPECT_EQ(phones_.NormalizeWithLibphonenumber("1601234567").refusal,
            PhoneRefusal::kNotCallableType);
}

TEST_F(PhoneNormalizerTest, NumbersOfOtherCountries) {
  PhoneNumber london = Accepted("+44 20 7946 0958");
  EXPECT_EQ(london.e164, "+442079460958");
  EXPECT_EQ(london.region, "GB");
  EXPECT_EQ(london.type, "fixed_line");
  EXPECT_EQ(london.time_zone, "Europe/London");
  EXPECT_EQ(Accepted("0044 20 7946 0958").e164, "+442079460958");
  PhoneNumber kathmandu = Accepted("+977 1-4412345");
  EXPECT_EQ(kathmandu.region, "NP");
  EXPECT_EQ(kathmandu.time_zone, "Asia/Kathmandu");  // ICU's own id is Asia/Katmandu
  PhoneNumber new_york = Accepted("+1 212 736 5000");
  EXPECT_EQ(new_york.region, "US");
  EXPECT_EQ(new_york.time_zone, "");  // the US has many zones: the number alone cannot say
}

TEST_F(PhoneNormalizerTest, OtherDefaultRegions) {
  PhoneNormalizer gb("GB");
  EXPECT_EQ(gb.default_region(), "GB");
  PhoneParse london = gb.Normalize("020 7946 0958");
  ASSERT_TRUE(london.number.has_value()) << london.message;
  EXPECT_EQ(london.number->e164, "+442079460958");
  EXPECT_EQ(london.number->time_zone, "Europe/London");
  EXPECT_EQ(Outcome(gb.Normalize("07400 123456")), "+447400123456");
  // Indian numbers need their country code there, and the fast path is for region IN only.
  EXPECT_FALSE(gb.FastPathE164("+91 98123 45670").has_value());
  EXPECT_EQ(Outcome(gb.Normalize("+91 98123 45670")), "+919812345670");
  EXPECT_EQ(gb.Normalize("+91 98123 45670").number->time_zone, "Asia/Kolkata");
  EXPECT_EQ(Outcome(gb.Normalize("0601234567")), "refused:invalid");
  EXPECT_NE(Outcome(gb.Normalize("9812345670")), "+919812345670");
  EXPECT_EQ(gb.Normalize("123").message,
            "has only 3 digits, too few for a phone number in United Kingdom (+44)");

  PhoneNormalizer us("us");  // region codes in any case
  EXPECT_EQ(us.default_region(), "US");
  EXPECT_EQ(Outcome(us.Normalize("(212) 736-5000")), "+12127365000");

  EXPECT_TRUE(PhoneNormalizer::KnowsRegion("np"));
  EXPECT_FALSE(PhoneNormalizer::KnowsRegion("XX"));
  EXPECT_FALSE(PhoneNormalizer::KnowsRegion("001"));  // non-geographic numbers have no default
  EXPECT_THROW(PhoneNormalizer("XX"), std::invalid_argument);
}

TEST_F(PhoneNormalizerTest, FastPathDecidesPlainIndianNumbersAndLeavesTheRest) {
  for (const char* raw : {"9812345670", "+91 98123 45670", "0091-98123-45670", "919812345670",
                          "09812345670", "(+91) 981.234.5670", "(981) 234-5670"}) {
    EXPECT_EQ(phones_.FastPathE164(raw).value_or("deferred"), "+919812345670") << raw;
  }
  for (const char* raw : {"५८१२३४५६७०", "9812345670 ext. 12", "5812345670", "1800 425 1234",
                          "981234567", "98123456701", "+9198123456701", "+0091 9812345670",
                          "++91 9812345670", "98123/45670", "9812345670x", "091 9812345670",
                          "9.12345E+09", "+91 98123 45670                          "}) {
    EXPECT_FALSE(phones_.FastPathE164(raw).has_value()) << raw;
  }
  // What it decides, it decides with libphonenumber's type.
  EXPECT_EQ(phones_.Normalize("7820212345").number->type,
            phones_.NormalizeWithLibphonenumber("7820212345").number->type);
}

TEST_F(PhoneNormalizerTest, GivesTheSameAnswersFromManyThreads) {
  std::vector<std::string> inputs;
  for (int i = 0; i < 4000; ++i) {
    const std::string national = std::to_string(6000000000LL + i * 997711LL);
    inputs.push_back(i % 4 == 0 ? "+91 " + national : i % 4 == 1 ? "0" + national : national);
    if (i % 10 == 0) inputs.push_back(national.substr(0, 6));
  }
  PhoneNormalizer reference;
  std::vector<std::string> expected;
  for (const auto& raw : inputs)
    expected.push_back(Outcome(reference.NormalizeWithLibphonenumber(raw)));

  PhoneNormalizer shared;  // its prefix table starts empty and is filled by all threads at once
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (const auto& raw : inputs) got[t].push_back(Outcome(shared.Normalize(raw)));
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& answers : got) EXPECT_EQ(answers, expected);
}

TEST(PhoneRefusalCode, NamesEveryReason) {
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kNone), "");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kMissing), "missing");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kTooShort), "too_short");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kTooLong), "too_long");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kLetters), "letters");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kScientificNotation), "scientific_notation");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kInvalid), "invalid");
  EXPECT_EQ(PhoneRefusalCode(PhoneRefusal::kNotCallableType), "not_callable_type");
}

}  // namespace
}  // namespace vaarta::leads
