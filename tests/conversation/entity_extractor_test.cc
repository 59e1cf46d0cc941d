#include "conversation/entity_extractor.h"

#include <gtest/gtest.h>

namespace vaarta::conversation {
namespace {

class EntityTest : public ::testing::Test {
 protected:
  Entities Of(const std::string& text) const {
    return extractor_.Extract(text, normalizer_.Normalize(text));
  }
  TextNormalizer normalizer_;
  EntityExtractor extractor_;
};

TEST_F(EntityTest, NumbersInDigitsAndWordsWithIndianScales) {
  EXPECT_EQ(Of("my budget is 5000").numbers, std::vector<double>({5000}));
  EXPECT_EQ(Of("around five thousand").numbers, std::vector<double>({5000}));
  EXPECT_EQ(Of("do lakh tak").numbers, std::vector<double>({200000}));
  EXPECT_EQ(Of("dedh lakh ka loan").numbers, std::vector<double>({150000}));
  EXPECT_EQ(Of("paanch hazaar").numbers, std::vector<double>({5000}));
  EXPECT_EQ(Of("twenty five thousand").numbers, std::vector<double>({25000}));
  EXPECT_EQ(Of("2 lakh 50 hazaar").numbers, std::vector<double>({250000}));
  EXPECT_EQ(Of("दो लाख").numbers, std::vector<double>({200000}));
  EXPECT_EQ(Of("3 kids and 2 cars").numbers, std::vector<double>({3, 2}));
}

TEST_F(EntityTest, TheVerbDoIsNotANumber) {
  EXPECT_TRUE(Of("what do you do").numbers.empty());
  EXPECT_TRUE(Of("mera number hata do").numbers.empty());
}

TEST_F(EntityTest, EmailsTypedOrSpelledOut) {
  EXPECT_EQ(Of("mail me at Rahul.Sharma@Gmail.com please").emails,
            std::vector<std::string>({"rahul.sharma@gmail.com"}));
  EXPECT_EQ(Of("rahul dot sharma at gmail dot com").emails,
            std::vector<std::string>({"rahul.sharma@gmail.com"}));
  EXPECT_EQ(Of("priya underscore 12 at the rate yahoo dot co dot in").emails,
            std::vector<std::string>({"priya_12@yahoo.co.in"}));
  EXPECT_TRUE(Of("call me at 5 pm").emails.empty());
  EXPECT_TRUE(Of("I am at home").emails.empty());
}

}  // namespace
}  // namespace vaarta::conversation
