#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/crypto.h"
#include "test_support/test_database.h"

namespace vaarta::audit {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;
const std::string kGenesis(64, '0');

AuditEntry MakeEntry(const std::string& action, const std::string& actor = "user:1:a@x.in") {
  AuditEntry e;
  e.actor = actor;
  e.role = "admin";
  e.address = "10.0.0.1";
  e.action = action;
  e.target = "user:7";
  e.outcome = "success";
  e.summary = R"({"name":"x"})";
  e.request_id = "req-1";
  return e;
}

class AuditLogTest : public ::testing::TestWithParam<std::string> {
 protected:
  AuditLogTest() : tdb_(GetParam()), clock_(kStart), log_(tdb_.db(), clock_) {}

  void AppendMany(int count) {
    for (int i = 0; i < count; ++i) {
      log_.Append(MakeEntry("test.event" + std::to_string(i)));
      clock_.Advance(1);
    }
  }
  void Sql(const std::string& sql) {
    auto tx = tdb_.db().Begin(true);
    tx->Execute(sql);
    tx->Commit();
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  AuditLog log_;
};

TEST_P(AuditLogTest, EmptyLogVerifies) {
  VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.records, 0);
  EXPECT_EQ(report.first_bad_seq, 0);
}

TEST_P(AuditLogTest, AppendChainsRecordsFromGenesis) {
  AuditRecord first = log_.Append(MakeEntry("a.one"));
  clock_.Advance(5);
  AuditRecord second = log_.Append(MakeEntry("a.two"));
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, kGenesis);
  EXPECT_EQ(first.at, kStart);
  EXPECT_GT(first.id, 0);
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(second.at, kStart + 5);
  EXPECT_EQ(first.hash.size(), 64u);
  EXPECT_EQ(first.hash, AuditLog::ComputeHash(first));

  VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 2);
  EXPECT_EQ(report.head_hash, second.hash);
}

TEST_P(AuditLogTest, HashFollowsTheDocumentedFormula) {
  AuditRecord r = log_.Append(MakeEntry("a.one"));
  std::string canonical =
      nlohmann::json::array({r.seq, r.at, "user:1:a@x.in", "admin", "10.0.0.1", "a.one", "user:7",
                             "success", R"({"name":"x"})", "req-1"})
          .dump();
  EXPECT_EQ(r.hash, core::Sha256Hex(kGenesis + "\n" + canonical));
}

TEST_P(AuditLogTest, VerifyDetectsEditedField) {
  AppendMany(5);
  Sql("UPDATE audit_log SET summary = '{\"name\":\"forged\"}' WHERE seq = 3");
  VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("modified"), std::string::npos) << report.problem;
  EXPECT_EQ(report.records, 2);
}

TEST_P(AuditLogTest, VerifyDetectsEditWithRecomputedHash) {
  AppendMany(4);
  // A forger who recomputes the edited record's own hash still breaks the next link.
  AuditRecord second = log_.Page({}, 3, 1).at(0);
  ASSERT_EQ(second.seq, 2);
  second.entry.outcome = "failed";
  std::string forged = AuditLog::ComputeHash(second);
  Sql("UPDATE audit_log SET outcome = 'failed', hash = '" + forged + "' WHERE seq = 2");
  VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST_P(AuditLogTest, VerifyDetectsDeletedMiddleRecord) {
  AppendMany(5);
  Sql("DELETE FROM audit_log WHERE seq = 3");
  VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_P(AuditLogTest, VerifyDetectsDeletedMiddleRecordWithRenumbering) {
  AppendMany(5);
  Sql("DELETE FROM audit_log WHERE seq = 3");
  Sql("UPDATE audit_log SET seq = seq + 100 WHERE seq > 3");
  Sql("UPDATE audit_log SET seq = seq - 101 WHERE seq > 100");
  VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
}

TEST_P(AuditLogTest, VerifyDetectsDeletedFirstRecord) {
  AppendMany(3);
  Sql("DELETE FROM audit_log WHERE seq = 1");
  VerifyReport report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 1);

  // Renumbering the rest to start at 1 does not help: seq 1 must chain from genesis.
  // Two steps, as both engines check the unique seq row by row.
  Sql("UPDATE audit_log SET seq = seq + 100");
  Sql("UPDATE audit_log SET seq = seq - 101");
  report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 1);
  EXPECT_NE(report.problem.find("genesis"), std::string::npos) << report.problem;
}

TEST_P(AuditLogTest, VerifyPagesThroughManyRecords) {
  {
    auto tx = tdb_.db().Begin(true);
    for (int i = 0; i < 2500; ++i) log_.Append(*tx, MakeEntry("bulk.event"));
    tx->Commit();
  }
  VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 2500);
  Sql("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2100");
  report = log_.Verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2100);
}

TEST_P(AuditLogTest, AppendInCallerTransactionCommitsOrRollsBackWithIt) {
  std::vector<std::string> announced;
  log_.SetListener([&](const AuditRecord& r) { announced.push_back(r.entry.action); });
  {
    auto tx = tdb_.db().Begin(true);
    log_.Append(*tx, MakeEntry("rolled.back"));
  }
  {
    auto tx = tdb_.db().Begin(true);
    AuditRecord r = log_.Append(*tx, MakeEntry("kept"));
    EXPECT_EQ(r.seq, 1);
    EXPECT_TRUE(announced.empty());  // not before the caller commits
    tx->Commit();
  }
  // Announced once committed; the rolled-back record never is.
  EXPECT_EQ(announced, (std::vector<std::string>{"kept"}));
  auto all = log_.Page({}, 0, 10);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].entry.action, "kept");
  EXPECT_TRUE(log_.Verify().ok);
}

TEST_P(AuditLogTest, ListenerSeesEachCommittedAppend) {
  std::vector<int64_t> seen;
  log_.SetListener([&](const AuditRecord& r) { seen.push_back(r.seq); });
  log_.Append(MakeEntry("a"));
  log_.Append(MakeEntry("b"));
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));
  // A throwing listener does not undo or fail the append.
  log_.SetListener([](const AuditRecord&) { throw std::runtime_error("subscriber gone"); });
  EXPECT_NO_THROW(log_.Append(MakeEntry("c")));
  EXPECT_EQ(log_.Page({}, 0, 10).size(), 3u);
}

TEST_P(AuditLogTest, ConcurrentAppendsFromTwoPoolsFormGapFreeChain) {
  // Two pools on one database stand in for two servers sharing it.
  auto second_db = storage::OpenDatabase(tdb_.url(), 4);
  AuditLog second_log(*second_db, clock_);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    AuditLog& log = t % 2 == 0 ? log_ : second_log;
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kPerThread; ++i) {
        log.Append(
            MakeEntry("thread" + std::to_string(t) + ".event", "thread:" + std::to_string(t)));
      }
    });
  }
  for (auto& th : threads) th.join();
  VerifyReport report = log_.Verify();
  EXPECT_TRUE(report.ok) << report.problem << " at " << report.first_bad_seq;
  EXPECT_EQ(report.records, kThreads * kPerThread);
}

TEST_P(AuditLogTest, PageIsNewestFirstWithCursorAndFilters) {
  log_.Append(MakeEntry("auth.login", "user:1:a@x.in"));  // seq 1, at +0
  clock_.Advance(1000);
  log_.Append(MakeEntry("users.update", "user:1:a@x.in"));  // seq 2, at +1000
  clock_.Advance(1000);
  log_.Append(MakeEntry("auth.login_failed", "anonymous"));  // seq 3, at +2000
  clock_.Advance(1000);
  log_.Append(MakeEntry("auth.logout", "user:2:b@x.in"));  // seq 4, at +3000

  auto seqs = [](const std::vector<AuditRecord>& records) {
    std::vector<int64_t> out;
    for (const auto& r : records) out.push_back(r.seq);
    return out;
  };
  EXPECT_EQ(seqs(log_.Page({}, 0, 10)), (std::vector<int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(seqs(log_.Page({}, 0, 2)), (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(seqs(log_.Page({}, 3, 2)), (std::vector<int64_t>{2, 1}));

  AuditFilter by_actor;
  by_actor.actor = "user:1:a@x.in";
  EXPECT_EQ(seqs(log_.Page(by_actor, 0, 10)), (std::vector<int64_t>{2, 1}));

  AuditFilter by_action;
  by_action.action = "auth.";
  EXPECT_EQ(seqs(log_.Page(by_action, 0, 10)), (std::vector<int64_t>{4, 3, 1}));
  by_action.action = "auth.login";
  EXPECT_EQ(seqs(log_.Page(by_action, 0, 10)), (std::vector<int64_t>{3, 1}));
  by_action.action = "AUTH.";
  EXPECT_TRUE(log_.Page(by_action, 0, 10).empty());  // case-sensitive on both engines
  by_action.action = "auth_";
  EXPECT_TRUE(log_.Page(by_action, 0, 10).empty());  // '_' is not a wildcard

  AuditFilter window;
  window.since = kStart + 1000;
  window.until = kStart + 3000;
  EXPECT_EQ(seqs(log_.Page(window, 0, 10)), (std::vector<int64_t>{3, 2}));

  AuditFilter combined;
  combined.action = "auth.";
  combined.since = kStart + 1000;
  EXPECT_EQ(seqs(log_.Page(combined, 4, 10)), (std::vector<int64_t>{3}));
}

TEST_P(AuditLogTest, InvalidUtf8AndNulBytesAreStoredSafely) {
  AuditEntry e = MakeEntry("auth.login_failed");
  e.request_id = std::string("bad\xff\xfe") + '\0' + "id";
  e.address = "\xc0\xaf";  // overlong '/'
  e.summary = "";
  AuditRecord r = log_.Append(e);
  EXPECT_EQ(r.entry.request_id, "bad\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDid");
  EXPECT_EQ(r.entry.summary, "{}");
  auto stored = log_.Page({}, 0, 1).at(0);
  EXPECT_EQ(stored.entry.request_id, r.entry.request_id);
  EXPECT_EQ(stored.entry.address, r.entry.address);
  EXPECT_TRUE(log_.Verify().ok);
}

INSTANTIATE_TEST_SUITE_P(Dialects, AuditLogTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::audit
