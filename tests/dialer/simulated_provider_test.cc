#include "dialer/simulated_provider.h"

#include <gtest/gtest.h>

#include <map>

namespace vaarta::dialer {
namespace {

PlaceCallRequest Request(int64_t lead, int attempt, int64_t at = 1'000'000) {
  PlaceCallRequest r;
  r.attempt_id = lead * 10 + attempt;
  r.lead_id = lead;
  r.attempt_number = attempt;
  r.placed_at_ms = at;
  return r;
}

TEST(SimulatedProvider, SameSeedLeadAndAttemptGiveTheSameCall) {
  SimulatedProvider a(SimulatedRates{}, 42), b(SimulatedRates{}, 42), c(SimulatedRates{}, 43);
  int differ = 0;
  for (int64_t lead = 1; lead <= 200; ++lead) {
    auto x = a.Draw(Request(lead, 1));
    auto y = b.Draw(Request(lead, 1));
    EXPECT_EQ(x.disposition, y.disposition);
    EXPECT_EQ(x.ended_at_ms, y.ended_at_ms);
    if (c.Draw(Request(lead, 1)).disposition != x.disposition) ++differ;
  }
  EXPECT_GT(differ, 20);  // another seed is another run
}

TEST(SimulatedProvider, OutcomesFollowTheRates) {
  SimulatedRates rates;
  rates.failed = 0;
  rates.busy = 0;
  rates.no_answer = 0.5;
  rates.voicemail = 0;
  rates.interested = 1;
  rates.not_interested = rates.callback = rates.opted_out = rates.wrong_number = 0;
  rates.transferred = rates.incomplete = 0;
  SimulatedProvider provider(rates, 1);
  std::map<Disposition, int> counts;
  for (int64_t lead = 1; lead <= 10'000; ++lead)
    ++counts[provider.Draw(Request(lead, 1)).disposition];
  EXPECT_EQ(counts.size(), 2u);
  EXPECT_NEAR(counts[Disposition::kNoAnswer], 5000, 250);
  EXPECT_NEAR(counts[Disposition::kInterested], 5000, 250);
}

TEST(SimulatedProvider, CallsEndInOrderOfTheirEndTimeAndOnlyOnce) {
  SimulatedProvider provider(SimulatedRates{}, 5);
  for (int64_t lead = 1; lead <= 50; ++lead) ASSERT_TRUE(provider.PlaceCall(Request(lead, 1)));
  EXPECT_EQ(provider.live_calls(), 50u);
  EXPECT_TRUE(provider.TakeEnded(1'000'000).empty());  // nothing ends at the instant it starts
  auto ended = provider.TakeEnded(1'000'000 + 3'600'000);
  EXPECT_EQ(ended.size(), 50u);
  for (size_t i = 1; i < ended.size(); ++i) {
    EXPECT_LE(ended[i - 1].ended_at_ms, ended[i].ended_at_ms);
  }
  for (const auto& e : ended) {
    EXPECT_GT(e.ended_at_ms, 1'000'000);
    if (e.disposition == Disposition::kCallbackBooked) {
      ASSERT_TRUE(e.callback_requested_at_ms);
      EXPECT_GT(*e.callback_requested_at_ms, e.ended_at_ms);
    }
    if (IsAnswered(e.disposition)) {
      EXPECT_TRUE(e.answered_at_ms);
    }
  }
  EXPECT_TRUE(provider.TakeEnded(1'000'000 + 7'200'000).empty());
}

TEST(SimulatedRates, BadRatesAreNamed) {
  EXPECT_EQ(SimulatedRates::FromJson({{"busy", 1.5}}).error().message,
            "rates.busy: must be between 0 and 1");
  EXPECT_EQ(SimulatedRates::FromJson({{"bussy", 0.1}}).error().message,
            "rates.bussy: unknown field");
  EXPECT_FALSE(SimulatedRates::FromJson({{"busy", 0.6}, {"no_answer", 0.6}}));
  auto ok = SimulatedRates::FromJson({{"opted_out", 0.2}});
  ASSERT_TRUE(ok);
  EXPECT_DOUBLE_EQ(ok->opted_out, 0.2);
  EXPECT_EQ(SimulatedRates::FromJson(ok->ToJson())->ToJson(), ok->ToJson());
}

}  // namespace
}  // namespace vaarta::dialer
