#include "compliance/consent_ledger.h"

#include <gtest/gtest.h>

#include "test_support/test_database.h"

namespace vaarta::compliance {
namespace {

const std::string kKey(32, 'k');
constexpr int64_t kStart = 1795500000000;  // 2026-11-23
constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 86'400'000;
const std::string kPhone = "+919876543210";

class ConsentLedgerTest : public ::testing::TestWithParam<std::string> {
 protected:
  ConsentLedgerTest()
      : tdb_(GetParam()),
        clock_(kStart),
        audit_(tdb_.db(), clock_),
        ledger_(tdb_.db(), clock_, audit_, SuppressionHasher(kKey)) {}

  NewConsent Consent(const std::string& source, int64_t given_at,
                     std::optional<int64_t> expires_at = std::nullopt) {
    return {kPhone, "marketing_calls", source, "2026-11", "hi", given_at, expires_at};
  }
  ConsentStatus StatusAt(int64_t now) {
    auto state = ledger_.Current(kPhone, "marketing_calls", now);
    EXPECT_TRUE(state) << state.error().message;
    return state->status;
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  ConsentLedger ledger_;
  Actor manager_{"user:2:manager@example.in", "manager", "127.0.0.1", "req-2"};
  Actor agent_{"agent:call:77", "agent", "", "call-77"};
};

TEST_P(ConsentLedgerTest, RecordsConsentThatIsActiveUntilItExpires) {
  EXPECT_EQ(StatusAt(kStart), ConsentStatus::kNone);
  auto recorded = ledger_.Record(
      Consent("dlt_consent:1207160000000012345", kStart, kStart + 30 * kDay), manager_);
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_GT(recorded->id, 0);
  EXPECT_EQ(recorded->phone_e164, kPhone);
  EXPECT_EQ(recorded->notice_version, "2026-11");
  EXPECT_EQ(recorded->notice_language, "hi");
  EXPECT_EQ(recorded->recorded_by, manager_.name);

  EXPECT_EQ(StatusAt(kStart), ConsentStatus::kActive);
  EXPECT_EQ(StatusAt(kStart + 30 * kDay - 1), ConsentStatus::kActive);
  EXPECT_EQ(StatusAt(kStart + 30 * kDay), ConsentStatus::kExpired);
  auto state = ledger_.Current(kPhone, "marketing_calls", kStart + 31 * kDay);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->consent->id, recorded->id);
  // Another purpose is another ledger.
  auto other = ledger_.Current(kPhone, "service_calls", kStart);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, ConsentStatus::kNone);

  // A later consent without expiry makes it active again.
  clock_.Set(kStart + 40 * kDay);
  ASSERT_TRUE(ledger_.Record(Consent("web_form", clock_.NowMillis()), manager_));
  EXPECT_EQ(StatusAt(clock_.NowMillis()), ConsentStatus::kActive);

  auto records = audit_.Page({std::nullopt, std::string("consent.record")}, 0, 10);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].entry.target, "consent:" + std::to_string(recorded->id));
  EXPECT_EQ(records[1].entry.summary.find("9876543210"), std::string::npos);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(ConsentLedgerTest, WithdrawingIsOneCallAndIdempotent) {
  ASSERT_TRUE(ledger_.Record(Consent("dlt_consent:42", kStart), manager_));
  ASSERT_TRUE(ledger_.Record(Consent("web_form", kStart), manager_));
  clock_.Advance(kDay);
  int64_t at = clock_.NowMillis();
  auto withdrawn = ledger_.Withdraw(kPhone, "marketing_calls", agent_, at);
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->withdrawn, 2);
  EXPECT_EQ(withdrawn->at, at);
  EXPECT_EQ(withdrawn->ask_again_from, at + 90 * kDay);

  auto state = ledger_.Current(kPhone, "marketing_calls", at);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->status, ConsentStatus::kWithdrawn);
  EXPECT_EQ(state->withdrawn_at, at);
  EXPECT_EQ(state->consent->withdrawn_by, agent_.name);
  // As of a moment before the withdrawal, consent was active.
  EXPECT_EQ(StatusAt(at - 1), ConsentStatus::kActive);

  clock_.Advance(kMinute);
  auto again = ledger_.Withdraw(kPhone, "marketing_calls", agent_, clock_.NowMillis());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->withdrawn, 0);
  EXPECT_EQ(again->at, at);
  EXPECT_EQ(audit_.Page({std::nullopt, std::string("consent.withdraw")}, 0, 10).size(), 1u);

  auto none = ledger_.Withdraw("+919811111111", "marketing_calls", agent_, clock_.NowMillis());
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(none.error().detail_code, "no_consent");

  auto future = ledger_.Withdraw(kPhone, "marketing_calls", agent_, clock_.NowMillis() + kDay);
  ASSERT_FALSE(future);
  EXPECT_EQ(future.error().detail_code, "invalid_withdrawn_at");
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(ConsentLedgerTest, ReaskLockHoldsForNinetyDaysAfterWithdrawal) {
  ASSERT_TRUE(ledger_.Record(Consent("recorded_call:812", kStart), manager_));
  int64_t withdrawn_at = kStart + kDay;
  clock_.Set(withdrawn_at);
  ASSERT_TRUE(ledger_.Withdraw(kPhone, "marketing_calls", agent_, withdrawn_at));
  int64_t unlock = withdrawn_at + 90 * kDay;

  auto before = ledger_.CanAskAgain(kPhone, "marketing_calls", unlock - kMinute);  // 89d 23:59
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->allowed);
  EXPECT_EQ(before->allowed_from, unlock);
  EXPECT_EQ(before->withdrawn_at, withdrawn_at);
  auto at = ledger_.CanAskAgain(kPhone, "marketing_calls", unlock);
  ASSERT_TRUE(at);
  EXPECT_TRUE(at->allowed);

  // Consent obtained by asking inside the lock is refused, naming the date.
  clock_.Set(unlock - kMinute);
  auto asked = ledger_.Record(Consent("recorded_call:913", unlock - kMinute), manager_);
  ASSERT_FALSE(asked);
  EXPECT_EQ(asked.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(asked.error().detail_code, "reask_locked");
  EXPECT_NE(asked.error().message.find(core::FormatIso8601Utc(unlock)), std::string::npos)
      << asked.error().message;
  EXPECT_EQ(StatusAt(clock_.NowMillis()), ConsentStatus::kWithdrawn);

  clock_.Set(unlock);
  auto after = ledger_.Record(Consent("recorded_call:914", unlock), manager_);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(StatusAt(unlock), ConsentStatus::kActive);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(ConsentLedgerTest, ThePersonsOwnConsentIsAcceptedInsideTheLock) {
  ASSERT_TRUE(ledger_.Record(Consent("web_form", kStart), manager_));
  clock_.Advance(kMinute);
  ASSERT_TRUE(ledger_.Withdraw(kPhone, "marketing_calls", agent_, clock_.NowMillis()));
  clock_.Advance(kDay);
  EXPECT_TRUE(ledger_.Record(Consent("dlt_consent:555", clock_.NowMillis()), manager_));
  EXPECT_EQ(StatusAt(clock_.NowMillis()), ConsentStatus::kActive);
  // Having consented again on their own, the person may be asked (and recorded) again.
  auto reask = ledger_.CanAskAgain(kPhone, "marketing_calls", clock_.NowMillis());
  ASSERT_TRUE(reask);
  EXPECT_TRUE(reask->allowed);
  clock_.Advance(kMinute);
  EXPECT_TRUE(ledger_.Record(Consent("recorded_call:77", clock_.NowMillis()), manager_));
  EXPECT_TRUE(ledger_.Record(Consent("web_form:diwali-offer", clock_.NowMillis()), manager_));

  EXPECT_TRUE(ConsentLedger::IsOwnActionSource("web_form"));
  EXPECT_TRUE(ConsentLedger::IsOwnActionSource("dlt_consent:9"));
  EXPECT_FALSE(ConsentLedger::IsOwnActionSource("web_formality"));
  EXPECT_FALSE(ConsentLedger::IsOwnActionSource("recorded_call:9"));

  // A consent given before the recorded withdrawal was covered by it.
  auto stale = ledger_.Record(Consent("dlt_consent:1", kStart), manager_);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().detail_code, "withdrawn_later");
}

TEST_P(ConsentLedgerTest, TheLockLengthIsConfigurable) {
  ConsentLedger short_lock(tdb_.db(), clock_, audit_, SuppressionHasher(kKey), {30});
  ASSERT_TRUE(short_lock.Record(Consent("web_form", kStart), manager_));
  ASSERT_TRUE(short_lock.Withdraw(kPhone, "marketing_calls", agent_, kStart));
  EXPECT_FALSE(short_lock.CanAskAgain(kPhone, "marketing_calls", kStart + 30 * kDay - 1)->allowed);
  EXPECT_TRUE(short_lock.CanAskAgain(kPhone, "marketing_calls", kStart + 30 * kDay)->allowed);
  EXPECT_THROW(ConsentLedger(tdb_.db(), clock_, audit_, SuppressionHasher(kKey), {-1}),
               std::invalid_argument);
}

TEST_P(ConsentLedgerTest, RefusesMalformedConsentNamingTheField) {
  struct Case {
    NewConsent consent;
    std::string code;
  };
  std::vector<Case> cases = {
      {{"98765 43210", "marketing_calls", "web_form", "v1", "en", kStart, {}}, "invalid_phone"},
      {{kPhone, "Marketing Calls", "web_form", "v1", "en", kStart, {}}, "invalid_purpose"},
      {{kPhone, "marketing_calls", "dlt_consent", "v1", "en", kStart, {}}, "invalid_source"},
      {{kPhone, "marketing_calls", "web form", "v1", "en", kStart, {}}, "invalid_source"},
      {{kPhone, "marketing_calls", "web_form", "", "en", kStart, {}}, "invalid_notice_version"},
      {{kPhone, "marketing_calls", "web_form", "v1", "English", kStart, {}},
       "invalid_notice_language"},
      {{kPhone, "marketing_calls", "web_form", "v1", "en", kStart + kDay, {}}, "invalid_given_at"},
      {{kPhone, "marketing_calls", "web_form", "v1", "en", kStart, kStart}, "invalid_expires_at"},
  };
  for (const auto& c : cases) {
    auto recorded = ledger_.Record(c.consent, manager_);
    ASSERT_FALSE(recorded) << c.code;
    EXPECT_EQ(recorded.error().detail_code, c.code) << recorded.error().message;
    EXPECT_FALSE(recorded.error().message.empty());
  }
  auto dlt = ledger_.Record(
      {kPhone, "marketing_calls", "dlt_consent", "v1", "en", kStart, std::nullopt}, manager_);
  EXPECT_NE(dlt.error().message.find("dlt_consent:<DLT consent id>"), std::string::npos);
  EXPECT_TRUE(
      ledger_.Record({kPhone, "marketing_calls", "web_form", "v1", "en-IN", kStart, {}}, manager_));
}

TEST_P(ConsentLedgerTest, ListsOneNumberOrEveryoneNewestFirst) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ledger_.Record({"+9198" + std::to_string(10000000 + i % 2),
                                "marketing_calls",
                                "web_form",
                                "v1",
                                "en",
                                kStart,
                                {}},
                               manager_));
  }
  ASSERT_TRUE(ledger_.Record({"+919810000000", "service_calls", "web_form", "v1", "en", kStart, {}},
                             manager_));
  auto all = ledger_.List(std::nullopt, std::nullopt, 0, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 6u);
  EXPECT_GT((*all)[0].id, (*all)[1].id);
  auto one = ledger_.List(std::string("+919810000000"), std::nullopt, 0, 100);
  ASSERT_EQ(one->size(), 4u);
  auto one_purpose =
      ledger_.List(std::string("+919810000000"), std::string("marketing_calls"), 0, 100);
  ASSERT_EQ(one_purpose->size(), 3u);
  auto page1 = ledger_.List(std::nullopt, std::nullopt, 0, 4);
  auto page2 = ledger_.List(std::nullopt, std::nullopt, page1->back().id, 4);
  ASSERT_EQ(page1->size(), 4u);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_LT((*page2)[0].id, page1->back().id);
  auto bad = ledger_.List(std::string("9810000000"), std::nullopt, 0, 10);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail_code, "invalid_phone");
}

INSTANTIATE_TEST_SUITE_P(Dialects, ConsentLedgerTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::compliance
