#include "compliance/do_not_call_list.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "compliance/consent_ledger.h"
#include "core/crypto.h"
#include "test_support/test_database.h"

namespace vaarta::compliance {
namespace {

const std::string kKey(32, 'k');
constexpr int64_t kStart = 1795500000000;  // 2026-11-23

class DoNotCallListTest : public ::testing::TestWithParam<std::string> {
 protected:
  DoNotCallListTest()
      : tdb_(GetParam()),
        clock_(kStart),
        audit_(tdb_.db(), clock_),
        list_(tdb_.db(), clock_, audit_, SuppressionHasher(kKey)),
        ledger_(tdb_.db(), clock_, audit_, SuppressionHasher(kKey)) {}

  int64_t Count(const std::string& sql) {
    return storage::InTransaction(
        tdb_.db(), [&](storage::Transaction& tx) { return tx.Execute(sql).rows[0].GetInt(0); },
        false);
  }
  std::vector<audit::AuditRecord> AuditRecords(const std::string& action) {
    audit::AuditFilter filter;
    filter.action = action;
    return audit_.Page(filter, 0, 1000);
  }
  std::string Number(int i) { return "+9198" + std::to_string(10000000 + i); }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  DoNotCallList list_;
  ConsentLedger ledger_;
  Actor admin_{"user:1:admin@example.in", "admin", "127.0.0.1", "req-1"};
  Actor manager_{"user:2:manager@example.in", "manager", "127.0.0.1", "req-2"};
  Actor agent_{"agent:call:77", "agent", "", "call-77"};
};

TEST_P(DoNotCallListTest, AddingAnActiveNumberAgainReturnsTheSameEntry) {
  auto first = list_.Add("+919876543210", "api", "asked by e-mail", manager_);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->entry.phone_e164, "+919876543210");
  EXPECT_EQ(first->entry.source, "api");
  EXPECT_EQ(first->entry.added_by, manager_.name);
  EXPECT_EQ(first->entry.added_at, kStart);

  clock_.Advance(60'000);
  auto second = list_.Add("+919876543210", "agent_opt_out", "", agent_);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->entry.id, first->entry.id);
  EXPECT_EQ(second->entry.source, "api");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call"), 1);
  auto records = AuditRecords("dnc.add");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].entry.target, "dnc:" + std::to_string(first->entry.id));
  EXPECT_EQ(*list_.IsSuppressed("+919876543210"), true);
  EXPECT_EQ(*list_.IsSuppressed("+919876543211"), false);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(DoNotCallListTest, AddInTheCallersTransactionCommitsOrRollsBackWithIt) {
  {
    auto tx = tdb_.db().Begin(true);
    ASSERT_TRUE(list_.Add(*tx, "+919876543210", "agent_opt_out", "", agent_));
    // Rolled back: the call that heard the opt-out failed to save.
  }
  EXPECT_FALSE(*list_.IsSuppressed("+919876543210"));
  EXPECT_TRUE(AuditRecords("dnc.add").empty());
  {
    auto tx = tdb_.db().Begin(true);
    ASSERT_TRUE(list_.Add(*tx, "+919876543210", "agent_opt_out", "", agent_));
    // Twice in one transaction is still one entry.
    auto again = list_.Add(*tx, "+919876543210", "agent_opt_out", "", agent_);
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->created);
    tx->Commit();
  }
  EXPECT_TRUE(*list_.IsSuppressed("+919876543210"));
  EXPECT_EQ(AuditRecords("dnc.add").size(), 1u);
}

TEST_P(DoNotCallListTest, RemovalNeedsAnAdminAndAReasonAndKeepsHistory) {
  auto added = list_.Add("+919876543210", "complaint", "", manager_);
  ASSERT_TRUE(added);
  int64_t id = added->entry.id;

  auto by_manager = list_.RemoveById(id, "called back", manager_);
  ASSERT_FALSE(by_manager);
  EXPECT_EQ(by_manager.error().detail_code, "admin_required");
  for (const std::string& blank : {std::string(), std::string("  \t ")}) {
    auto no_reason = list_.RemoveById(id, blank, admin_);
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().detail_code, "missing_reason");
  }
  EXPECT_TRUE(*list_.IsSuppressed("+919876543210"));
  EXPECT_TRUE(AuditRecords("dnc.remove").empty());

  clock_.Advance(3600'000);
  auto removed = list_.RemoveById(id, "customer asked to be called back, ticket 4411", admin_);
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_EQ(removed->removed_at, kStart + 3600'000);
  EXPECT_EQ(removed->removed_by, admin_.name);
  EXPECT_FALSE(*list_.IsSuppressed("+919876543210"));

  auto records = AuditRecords("dnc.remove");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].entry.actor, admin_.name);
  EXPECT_EQ(records[0].entry.target, "dnc:" + std::to_string(id));
  EXPECT_NE(records[0].entry.summary.find("ticket 4411"), std::string::npos);

  auto again = list_.RemoveById(id, "again", admin_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().detail_code, "dnc_already_removed");
  auto by_number = list_.Remove("+919876543210", "again", admin_);
  ASSERT_FALSE(by_number);
  EXPECT_EQ(by_number.error().detail_code, "dnc_not_found");
  EXPECT_EQ(list_.RemoveById(id + 100, "x", admin_).error().detail_code, "dnc_not_found");

  // Adding it later makes a new active entry; the removed one stays as history.
  clock_.Advance(3600'000);
  auto readded = list_.Add("+919876543210", "agent_opt_out", "", agent_);
  ASSERT_TRUE(readded);
  EXPECT_TRUE(readded->created);
  EXPECT_NE(readded->entry.id, id);
  auto history = list_.History("+919876543210");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_TRUE((*history)[0].active());
  EXPECT_FALSE((*history)[1].active());
  EXPECT_EQ((*history)[1].removal_reason, "customer asked to be called back, ticket 4411");
  EXPECT_TRUE(*list_.IsSuppressed("+919876543210"));

  auto by_number_now = list_.Remove("+919876543210", "second thoughts", admin_);
  ASSERT_TRUE(by_number_now);
  EXPECT_EQ(by_number_now->id, readded->entry.id);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(DoNotCallListTest, ErasedNumberStaysSuppressedThroughItsHashWithoutPlaintext) {
  const std::string number = "+919876543210";
  ASSERT_TRUE(list_.Add(number, "agent_opt_out", "callee: mujhe dobara call mat karna", agent_));
  NewConsent consent{number, "marketing_calls", "web_form", "2026-11", "hi", kStart, std::nullopt};
  ASSERT_TRUE(ledger_.Record(consent, manager_));
  clock_.Advance(86'400'000);
  ASSERT_TRUE(ledger_.Withdraw(number, "marketing_calls", agent_, clock_.NowMillis()));
  // An older, removed entry of the same number is erased too.
  ASSERT_TRUE(list_.Add("+919812345678", "api", "", manager_));
  ASSERT_TRUE(list_.Remove("+919812345678", "mistake: typed wrong number", admin_));

  ErasureCounts counts;
  ErasureCounts other;
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    counts = list_.EraseNumber(tx, number, admin_);
    other = list_.EraseNumber(tx, "+919812345678");
  });
  EXPECT_EQ(counts.dnc_entries, 1);
  EXPECT_EQ(counts.consents, 1);
  EXPECT_EQ(other.dnc_entries, 1);
  EXPECT_EQ(other.consents, 0);

  // The plaintext is gone from every row, and from the audit trail it never entered.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call WHERE phone_e164 IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call WHERE reason <> '' OR removal_reason IS NOT "
                  "NULL OR erased_at IS NULL"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM consents WHERE phone_e164 IS NOT NULL"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call WHERE number_hash = '" +
                  SuppressionHasher(kKey).Hash(number) + "'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE summary LIKE '%9876543210%' OR target "
                  "LIKE '%9876543210%' OR summary LIKE '%mujhe%'"),
            0);

  // Still suppressed, by number and by hash, and adding it again changes nothing.
  EXPECT_TRUE(*list_.IsSuppressed(number));
  EXPECT_TRUE(list_.IsSuppressedByHash(SuppressionHasher(kKey).Hash(number)));
  auto found = list_.Lookup(number);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_FALSE((*found)->phone_e164.has_value());
  EXPECT_EQ((*found)->source, "agent_opt_out");
  auto readd = list_.Add(number, "import", "", manager_);
  ASSERT_TRUE(readd);
  EXPECT_FALSE(readd->created);
  auto many = list_.IsSuppressedMany({number, "+919811111111"});
  ASSERT_TRUE(many);
  EXPECT_EQ(*many, std::unordered_set<std::string>{number});

  // The withdrawal still locks re-asking.
  auto reask = ledger_.CanAskAgain(number, "marketing_calls", clock_.NowMillis());
  ASSERT_TRUE(reask);
  EXPECT_FALSE(reask->allowed);
  auto state = ledger_.Current(number, "marketing_calls", clock_.NowMillis());
  ASSERT_TRUE(state);
  EXPECT_EQ(state->status, ConsentStatus::kWithdrawn);

  // Erasing again finds nothing left and records nothing.
  size_t erase_records = AuditRecords("compliance.erase").size();
  EXPECT_EQ(erase_records, 2u);
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    auto again = list_.EraseNumber(tx, number);
    EXPECT_EQ(again.dnc_entries + again.consents, 0);
  });
  EXPECT_EQ(AuditRecords("compliance.erase").size(), erase_records);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(DoNotCallListTest, BulkCheckFindsExactlyTheSuppressedAmongThousands) {
  constexpr int kListed = 1500;
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    for (int i = 0; i < kListed; ++i) {
      ASSERT_TRUE(list_.Add(tx, Number(i * 3), "import", "", manager_));
    }
  });
  ASSERT_TRUE(list_.Remove(Number(0), "opted back in on the web form", admin_));

  auto check = [&](int count) {
    std::vector<std::string> numbers;
    std::unordered_set<std::string> expected;
    for (int i = 0; i < count; ++i) {
      numbers.push_back(Number(i));
      if (i % 3 == 0 && i > 0 && i < kListed * 3) expected.insert(Number(i));
    }
    numbers.push_back(Number(3));  // a repeat
    auto found = list_.IsSuppressedMany(numbers);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->size(), expected.size());
    EXPECT_EQ(*found, expected);
  };
  check(6000);  // more numbers than entries: reads every active hash once
  check(1200);  // fewer: asks in batches of 500
  EXPECT_TRUE(list_.IsSuppressedMany({})->empty());

  auto bad = list_.IsSuppressedMany({Number(1), Number(2), "98765 43210"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail_code, "invalid_phone");
  EXPECT_NE(bad.error().message.find("number 3"), std::string::npos) << bad.error().message;
}

TEST_P(DoNotCallListTest, ConcurrentAddsOfOneNumberMakeOneEntry) {
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, failed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto added = list_.Add("+919876543210", "agent_opt_out", "", agent_);
        if (!added)
          ++failed;
        else if (added->created)
          ++created;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call"), 1);
  EXPECT_EQ(AuditRecords("dnc.add").size(), 1u);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(DoNotCallListTest, RefusesNumbersThatAreNotE164WithThePreciseProblem) {
  struct Case {
    std::string input;
    std::string says;
  };
  for (const auto& c : std::vector<Case>{
           {"", "it is empty"},
           {"919876543210", "does not start with '+'"},
           {" 919876543210", "%2B"},
           {"+91 98765 43210", "character 4 is not a digit"},
           {"+91-9876543210", "character 4 is not a digit; separators are not allowed"},
           {"+9198765x3210", "character 9 is not a digit"},
           {"+0919876543", "never start with 0"},
           {"+1234567", "it has 7 digits, at least 8 needed"},
           {"+1234567890123456", "it has 16 digits, at most 15 allowed"},
           {"+", "it has 0 digits"},
       }) {
    auto added = list_.Add(c.input, "api", "", manager_);
    ASSERT_FALSE(added) << c.input;
    EXPECT_EQ(added.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(added.error().detail_code, "invalid_phone");
    EXPECT_NE(added.error().message.find(c.says), std::string::npos)
        << c.input << ": " << added.error().message;
    EXPECT_NE(added.error().message.find("E.164"), std::string::npos);
    EXPECT_FALSE(list_.IsSuppressed(c.input));
  }
  EXPECT_TRUE(ValidateE164("+12025550123"));
  EXPECT_TRUE(ValidateE164("+123456789012345"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM do_not_call"), 0);

  auto bad_source = list_.Add("+919876543210", "Agent Opt-Out", "", manager_);
  ASSERT_FALSE(bad_source);
  EXPECT_EQ(bad_source.error().detail_code, "invalid_source");
  auto long_reason = list_.Add("+919876543210", "api", std::string(501, 'x'), manager_);
  ASSERT_FALSE(long_reason);
  EXPECT_EQ(long_reason.error().detail_code, "invalid_reason");
  auto control = list_.Add("+919876543210", "api", std::string("a\0b", 3), manager_);
  ASSERT_FALSE(control);
  EXPECT_NE(control.error().message.find("control character"), std::string::npos);
  auto not_utf8 = list_.Add("+919876543210", "api", "\xC3\x28", manager_);
  ASSERT_FALSE(not_utf8);
  EXPECT_NE(not_utf8.error().message.find("UTF-8"), std::string::npos);
  EXPECT_TRUE(list_.Add("+919876543210", "api", "ग्राहक ने मना किया", manager_));
}

TEST_P(DoNotCallListTest, ListsNewestFirstByPrefixWithRemovedOnRequest) {
  std::vector<int64_t> ids;
  for (const char* n : {"+919811111111", "+919822222222", "+14155550100", "+919833333333"}) {
    clock_.Advance(1000);
    ids.push_back(list_.Add(n, "api", "", manager_)->entry.id);
  }
  ASSERT_TRUE(list_.RemoveById(ids[1], "wrong number", admin_));

  auto all = list_.List({}, 0, 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, ids[3]);
  EXPECT_EQ((*all)[2].id, ids[0]);

  auto with_removed = list_.List({std::nullopt, true}, 0, 10);
  ASSERT_EQ(with_removed->size(), 4u);

  auto page1 = list_.List({std::nullopt, true}, 0, 2);
  ASSERT_EQ(page1->size(), 2u);
  auto page2 = list_.List({std::nullopt, true}, page1->back().id, 2);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].id, ids[1]);
  EXPECT_EQ((*page2)[1].id, ids[0]);

  auto india = list_.List({std::string("+9198"), false}, 0, 10);
  ASSERT_EQ(india->size(), 2u);
  auto india_all = list_.List({std::string("+9198"), true}, 0, 10);
  ASSERT_EQ(india_all->size(), 3u);
  auto us = list_.List({std::string("+1"), false}, 0, 10);
  ASSERT_EQ(us->size(), 1u);
  EXPECT_EQ((*us)[0].phone_e164, "+14155550100");

  auto bad = list_.List({std::string("+91%"), false}, 0, 10);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().detail_code, "invalid_prefix");
}

TEST_P(DoNotCallListTest, RefusesAChangedHashKey) {
  EXPECT_TRUE(list_.VerifyHashKey());
  EXPECT_TRUE(list_.VerifyHashKey());
  DoNotCallList other(tdb_.db(), clock_, audit_, SuppressionHasher(std::string(32, 'x')));
  auto changed = other.VerifyHashKey();
  ASSERT_FALSE(changed);
  EXPECT_EQ(changed.error().detail_code, "suppression_key_changed");
  EXPECT_THROW(SuppressionHasher("short"), std::invalid_argument);
}

TEST(SuppressionHasher, IsKeyedAndStable) {
  SuppressionHasher a(kKey), b(std::string(32, 'x'));
  EXPECT_EQ(a.Hash("+919876543210"), a.Hash("+919876543210"));
  EXPECT_EQ(a.Hash("+919876543210").size(), 64u);
  EXPECT_NE(a.Hash("+919876543210"), b.Hash("+919876543210"));
  EXPECT_NE(a.Hash("+919876543210"), a.Hash("+919876543211"));
  EXPECT_NE(a.KeyFingerprint(), b.KeyFingerprint());
  // The batch form gives the same hashes as the single one, in order.
  std::vector<std::string> numbers = {"+919876543210", "+14155550100", "+919876543210", ""};
  auto many = a.HashMany(numbers);
  ASSERT_EQ(many.size(), numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) EXPECT_EQ(many[i], a.Hash(numbers[i])) << i;
  EXPECT_EQ(b.HashMany({"+919876543210"})[0], b.Hash("+919876543210"));
  EXPECT_EQ(a.Hash("+919876543210"),
            core::HexEncode(core::HmacSha256(std::string(32, 'k'), "+919876543210")));
}

INSTANTIATE_TEST_SUITE_P(Dialects, DoNotCallListTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::compliance
