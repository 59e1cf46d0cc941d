#include "dialer/outcome_policy.h"

#include <gtest/gtest.h>

namespace vaarta::dialer {
namespace {

constexpr int64_t kEnd = 1'000'000;
const campaigns::AttemptPolicy kStrict;

TEST(OutcomePolicy, UnansweredRetriesAfterTheGapUntilTheCampaignCap) {
  for (auto d : {Disposition::kNoAnswer, Disposition::kBusy, Disposition::kFailed,
                 Disposition::kVoicemail}) {
    auto step = DecideNextStep(d, 1, kStrict, kEnd, std::nullopt);
    EXPECT_EQ(step.kind, NextStep::Kind::kRetry) << DispositionName(d);
    EXPECT_EQ(step.not_before_ms, kEnd + 86'400'000);
    EXPECT_FALSE(step.add_do_not_call);
    auto last = DecideNextStep(d, 3, kStrict, kEnd, std::nullopt);
    EXPECT_EQ(last.kind, NextStep::Kind::kStop);
    EXPECT_EQ(last.reason, "attempts_exhausted");
  }
}

TEST(OutcomePolicy, OptOutAddsToDoNotCallAndStops) {
  auto step = DecideNextStep(Disposition::kOptedOut, 1, kStrict, kEnd, std::nullopt);
  EXPECT_EQ(step.kind, NextStep::Kind::kStop);
  EXPECT_TRUE(step.add_do_not_call);
  EXPECT_EQ(step.lead_status, "do_not_call");
}

TEST(OutcomePolicy, RefusalStopsUnlessThePolicyAllowsMore) {
  auto strict = DecideNextStep(Disposition::kNotInterested, 1, kStrict, kEnd, std::nullopt);
  EXPECT_EQ(strict.kind, NextStep::Kind::kStop);
  EXPECT_EQ(strict.lead_status, "not_interested");
  campaigns::AttemptPolicy lenient;
  lenient.stop_after_refusal = false;
  auto again = DecideNextStep(Disposition::kNotInterested, 1, lenient, kEnd, std::nullopt);
  EXPECT_EQ(again.kind, NextStep::Kind::kRetry);
}

TEST(OutcomePolicy, WrongNumberInterestedAndTransferStop) {
  EXPECT_EQ(DecideNextStep(Disposition::kWrongNumber, 1, kStrict, kEnd, {}).lead_status,
            "wrong_number");
  EXPECT_EQ(DecideNextStep(Disposition::kInterested, 1, kStrict, kEnd, {}).lead_status,
            "interested");
  EXPECT_EQ(DecideNextStep(Disposition::kTransferred, 2, kStrict, kEnd, {}).kind,
            NextStep::Kind::kStop);
}

TEST(OutcomePolicy, CallbackKeepsTheRequestedTimeForTheGateToClamp) {
  auto step = DecideNextStep(Disposition::kCallbackBooked, 3, kStrict, kEnd, kEnd + 5000);
  EXPECT_EQ(step.kind, NextStep::Kind::kCallback);
  EXPECT_EQ(step.not_before_ms, kEnd + 5000);
  EXPECT_EQ(step.lead_status, "callback");
}

TEST(OutcomePolicy, CutCallRetriesAtOnceWithinTheCap) {
  auto step = DecideNextStep(Disposition::kIncomplete, 1, kStrict, kEnd, std::nullopt);
  EXPECT_EQ(step.kind, NextStep::Kind::kRetry);
  EXPECT_EQ(step.not_before_ms, kEnd);  // the daily cap (in the gate) still applies
}

TEST(Disposition, NamesRoundTrip) {
  for (int i = 0; i < kDispositionCount; ++i) {
    auto d = static_cast<Disposition>(i);
    EXPECT_EQ(ParseDisposition(DispositionName(d)), d);
  }
  EXPECT_FALSE(ParseDisposition("maybe"));
}

}  // namespace
}  // namespace vaarta::dialer
