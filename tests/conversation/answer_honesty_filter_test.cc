#include "conversation/answer_honesty_filter.h"

#include <gtest/gtest.h>

namespace vaarta::conversation {
namespace {

const std::vector<std::string> kFacts = {
    "The interest rate is 1 percent per month. Loans from 10,000 to 5 lakh rupees."};

TEST(AnswerHonestyFilterTest, PassesAnAnswerBuiltFromTheFacts) {
  AnswerHonestyFilter filter;
  EXPECT_TRUE(
      filter.Check("We charge 1 percent a month, on loans of 10000 up to 5 lakh.", kFacts).ok);
}

TEST(AnswerHonestyFilterTest, RefusesInventedNumbers) {
  AnswerHonestyFilter filter;
  auto verdict = filter.Check("The fee is just 499 rupees.", kFacts);
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.reason, "number 499 is not in the facts");
  EXPECT_FALSE(filter.Check("You can borrow up to 20 lakh.", kFacts).ok);
  EXPECT_FALSE(filter.Check("ब्याज दर २ प्रतिशत है", kFacts).ok);        // Devanagari digits
  EXPECT_FALSE(filter.Check("It costs a few thousand.", kFacts).ok);  // a scale word
}

TEST(AnswerHonestyFilterTest, RefusesPromisesPretenceAndPressure) {
  AnswerHonestyFilter filter;
  EXPECT_FALSE(filter.Check("Approval is guaranteed.", kFacts).ok);
  EXPECT_FALSE(filter.Check("Don't worry, I am a real person.", kFacts).ok);
  EXPECT_FALSE(filter.Check("This offer ends today, act now!", kFacts).ok);
  EXPECT_FALSE(filter.Check("  ", kFacts).ok);
  std::string long_answer;
  for (int i = 0; i < 80; ++i) long_answer += "word ";
  EXPECT_FALSE(filter.Check(long_answer, kFacts).ok);
}

}  // namespace
}  // namespace vaarta::conversation
