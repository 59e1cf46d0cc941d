#include "conversation/sentiment_analyzer.h"

#include <gtest/gtest.h>

namespace vaarta::conversation {
namespace {

class SentimentTest : public ::testing::Test {
 protected:
  Sentiment Of(const std::string& text, const std::string& intent = "") const {
    return analyzer_.Analyze(normalizer_.Normalize(text), intent);
  }
  TextNormalizer normalizer_;
  SentimentAnalyzer analyzer_;
};

TEST_F(SentimentTest, ReadsTheThreeScriptsAlike) {
  EXPECT_EQ(Of("this is very good, thank you").label, "positive");
  EXPECT_EQ(Of("bahut badhiya hai").label, "positive");
  EXPECT_EQ(Of("बहुत बढ़िया है").label, "positive");
  EXPECT_EQ(Of("what a waste of time, useless").label, "negative");
  EXPECT_EQ(Of("bakwas band karo").label, "negative");
  EXPECT_EQ(Of("बकवास बंद करो").label, "negative");
  EXPECT_EQ(Of("tell me the timings").label, "neutral");
}

TEST_F(SentimentTest, NegationTurnsItAround) {
  EXPECT_EQ(Of("not good at all").label, "negative");
  EXPECT_EQ(Of("accha nahi laga").label, "negative");
  EXPECT_EQ(Of("no problem").label, "neutral");
}

TEST_F(SentimentTest, TheIntentCounts) {
  EXPECT_LT(Of("remove my number", "opt_out").score, Of("remove my number", "").score);
  EXPECT_EQ(Of("yes I want it", "interested").label, "positive");
}

TEST_F(SentimentTest, AbuseIsStronglyNegativeAndMildComplaintIsNot) {
  EXPECT_TRUE(Of("you stupid idiot stop this nonsense").strongly_negative);
  EXPECT_TRUE(Of("pagal ho kya bakwas call").strongly_negative);
  EXPECT_FALSE(Of("it is a bit expensive").strongly_negative);
  EXPECT_FALSE(Of("not interested").strongly_negative);
}

TEST(CallSentimentTest, RecentUtterancesWeighMore) {
  CallSentiment call;
  EXPECT_EQ(call.label(), "neutral");
  call.Add({"positive", 0.8, false});
  EXPECT_DOUBLE_EQ(call.score(), 0.8);
  call.Add({"negative", -0.8, false});
  call.Add({"negative", -0.8, false});
  EXPECT_LT(call.score(), -0.3);
  EXPECT_EQ(call.label(), "negative");
  EXPECT_DOUBLE_EQ(call.lowest(), -0.8);
  EXPECT_EQ(call.utterances(), 3);
}

}  // namespace
}  // namespace vaarta::conversation
