#include "compliance/dnd_registry.h"

#include <gtest/gtest.h>

#include <fstream>

#include "leads/lead_dnd_rescrub.h"
#include "test_support/instant.h"
#include "test_support/test_database.h"

namespace vaarta::compliance {
namespace {

using testing::At;

class DndRegistryTest : public ::testing::TestWithParam<std::string> {
 protected:
  DndRegistryTest()
      : tdb_(GetParam()),
        clock_(At("2026-11-30T10:00:00+05:30")),
        audit_(tdb_.db(), clock_),
        dir_(testing::MakeTempDir("dnd-registry")),
        registry_(tdb_.db(), clock_, audit_, dir_ + "/dnd") {}
  ~DndRegistryTest() override { testing::RemoveTree(dir_); }

  std::string File(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  DndLoadReport Load(const std::string& text, DndLoadMode mode = DndLoadMode::kReplace,
                     const std::string& date = "2026-11-30") {
    DndLoadOptions options;
    options.mode = mode;
    options.registry_date = date;
    auto report = registry_.Load(File("registry.txt", text), options, admin_);
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message);
    return report.ok() ? *report : DndLoadReport{};
  }
  DndVerdict Check(const std::string& e164, int category, DndCallMode mode = DndCallMode::kAiAgent,
                   std::optional<int64_t> at = std::nullopt) {
    return DndRegistry::Check(registry_.Current().get(), e164, category, mode, at);
  }
  DndStatus Status() {
    auto status = registry_.Status();
    EXPECT_TRUE(status.ok());
    return status.ok() ? *status : DndStatus{};
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  std::string dir_;
  DndRegistry registry_;
  Actor admin_{"user:1:admin@example.in", "admin", "127.0.0.1", "req-1"};
};

TEST_P(DndRegistryTest, ChecksSayWhetherACallIsBlockedAndWhy) {
  Load(
      "9812345670\n"
      "9812345671 cat=1,3 modes=robo\n"
      "9812345672 cat=2 modes=voice bands=18-21 days=mon-fri\n");
  // Fully blocked: every category and mode.
  auto full = Check("+919812345670", 5, DndCallMode::kVoice);
  EXPECT_TRUE(full.blocked);
  EXPECT_TRUE(full.listed);
  EXPECT_NE(full.reason.find("fully blocked"), std::string::npos) << full.reason;
  // Blocked for category 1 robo calls; the AI agent counts as a robo call.
  EXPECT_TRUE(Check("+919812345671", 1, DndCallMode::kRobo).blocked);
  auto agent = Check("+919812345671", 1);
  EXPECT_TRUE(agent.blocked);
  EXPECT_NE(agent.reason.find("category 1 (banking"), std::string::npos) << agent.reason;
  auto voice = Check("+919812345671", 1, DndCallMode::kVoice);
  EXPECT_FALSE(voice.blocked);
  EXPECT_NE(voice.reason.find("blocks only robo calls"), std::string::npos) << voice.reason;
  // A number blocked only for another category.
  auto other = Check("+919812345671", 2);
  EXPECT_FALSE(other.blocked);
  EXPECT_TRUE(other.listed);
  EXPECT_NE(other.reason.find("does not block category 2 (real estate)"), std::string::npos);
  // No category given: any listing blocks.
  EXPECT_TRUE(Check("+919812345671", 0).blocked);
  // Not listed, and not Indian.
  auto clear = Check("+919812345679", 1);
  EXPECT_FALSE(clear.blocked);
  EXPECT_FALSE(clear.listed);
  EXPECT_NE(clear.reason.find("not on the DND registry of 2026-11-30"), std::string::npos);
  auto foreign = Check("+442079460958", 1);
  EXPECT_FALSE(foreign.indian);
  EXPECT_FALSE(foreign.blocked);
}

TEST_P(DndRegistryTest, TheCustomersTimeBandsAndDaysAreCheckedInIst) {
  Load("9812345672 cat=2 modes=voice bands=18-21 days=mon-fri\n");
  // Category 1 is not blocked, but calls are welcome only 18:00-21:00 IST, Monday-Friday.
  // 2026-11-30 is a Monday.
  auto at = [&](const std::string& iso) {
    return Check("+919812345672", 1, DndCallMode::kAiAgent, At(iso));
  };
  EXPECT_TRUE(at("2026-11-30T17:59:59+05:30").blocked);
  EXPECT_FALSE(at("2026-11-30T18:00:00+05:30").blocked);
  EXPECT_FALSE(at("2026-11-30T20:59:59+05:30").blocked);
  auto late = at("2026-11-30T21:00:00+05:30");
  EXPECT_TRUE(late.blocked);
  EXPECT_NE(late.reason.find("time bands 18-21, and it is 21:00 IST"), std::string::npos)
      << late.reason;
  // The same instant written in another zone: 12:30 UTC is 18:00 IST.
  EXPECT_FALSE(at("2026-11-30T12:30:00Z").blocked);
  EXPECT_TRUE(at("2026-11-30T12:29:59Z").blocked);
  // Saturday evening.
  auto saturday = at("2026-12-05T19:00:00+05:30");
  EXPECT_TRUE(saturday.blocked);
  EXPECT_NE(saturday.reason.find("Saturdays"), std::string::npos) << saturday.reason;
}

TEST_P(DndRegistryTest, WithoutARegistryEveryIndianNumberIsBlocked) {
  EXPECT_EQ(registry_.Current(), nullptr);
  auto v = Check("+919812345670", 1);
  EXPECT_TRUE(v.blocked);
  EXPECT_NE(v.reason.find("no DND registry is loaded"), std::string::npos);
  EXPECT_EQ(DndRegistry::LeadState(nullptr, "+919812345670"), "unknown");
  auto status = Status();
  EXPECT_FALSE(status.loaded);
  EXPECT_FALSE(status.usable);
  EXPECT_NE(status.reason.find("vaarta dnd load"), std::string::npos);
}

TEST_P(DndRegistryTest, LeadStatesFollowTheRegistry) {
  Load("9812345670\n9812345671 cat=1\n");
  auto snapshot = registry_.Current();
  EXPECT_EQ(DndRegistry::LeadState(snapshot.get(), "+919812345670"), "blocked");
  EXPECT_EQ(DndRegistry::LeadState(snapshot.get(), "+919812345671"), "partial");
  EXPECT_EQ(DndRegistry::LeadState(snapshot.get(), "+919812345672"), "clear");
  EXPECT_EQ(DndRegistry::LeadState(snapshot.get(), "+14155550100"), "clear");
}

TEST_P(DndRegistryTest, AddAndRemoveFilesUpdateTheRegistryAndEveryLoadIsRecorded) {
  auto first = Load("7000000001\n8000000002\n");
  EXPECT_EQ(first.numbers_after, 2u);
  auto added = Load("9000000003 cat=4\n", DndLoadMode::kAdd);
  EXPECT_EQ(added.numbers_before, 2u);
  EXPECT_EQ(added.numbers_after, 3u);
  EXPECT_EQ(added.partial_after, 1u);
  auto removed = Load("7000000001\n", DndLoadMode::kRemove);
  EXPECT_EQ(removed.numbers_after, 2u);
  EXPECT_FALSE(Check("+917000000001", 1).listed);
  EXPECT_TRUE(Check("+919000000003", 4).blocked);
  EXPECT_GT(removed.load_id, added.load_id);
  audit::AuditFilter filter;
  filter.action = "dnd.load";
  auto records = audit_.Page(filter, 0, 10);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].entry.actor, admin_.name);
  EXPECT_NE(records[0].entry.summary.find("\"mode\":\"remove\""), std::string::npos);
  auto status = Status();
  EXPECT_EQ(status.last_load["mode"], "remove");
  EXPECT_EQ(status.numbers, 2u);
}

TEST_P(DndRegistryTest, ARefusedLoadLeavesTheRegistryAsItWas) {
  Load("7000000001\n8000000002\n");
  DndLoadOptions options;
  options.registry_date = "2026-11-30";
  auto bad = registry_.Load(File("bad.txt", "9000000003\n90000 x\n"), options, admin_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("line 2, column 1"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("Nothing was loaded"), std::string::npos);
  EXPECT_EQ(Status().numbers, 2u);
  EXPECT_FALSE(Check("+919000000003", 1).listed);
  // With allow_invalid the good lines load, and the report keeps the errors.
  options.allow_invalid = true;
  auto partial = registry_.Load(File("bad.txt", "9000000003\n90000 x\n"), options, admin_);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->invalid, 1);
  ASSERT_EQ(partial->errors.size(), 1u);
  EXPECT_EQ(partial->errors[0].line, 2);
  EXPECT_EQ(Status().numbers, 1u);
  // An empty whole registry, a future date, a date that is no date, a missing file.
  options.allow_invalid = false;
  EXPECT_EQ(registry_.Load(File("empty.txt", "# nothing\n"), options, admin_).error().detail_code,
            "empty_dnd_file");
  options.registry_date = "2026-12-01";
  EXPECT_NE(registry_.Load(File("f.txt", "9000000003\n"), options, admin_)
                .error()
                .message.find("after today"),
            std::string::npos);
  options.registry_date = "2026-02-30";
  EXPECT_EQ(registry_.Load(File("f.txt", "9000000003\n"), options, admin_).error().detail_code,
            "invalid_date");
  options.registry_date = "";
  EXPECT_FALSE(registry_.Load(dir_ + "/missing.txt", options, admin_).ok());
  EXPECT_EQ(Status().numbers, 1u);
}

TEST_P(DndRegistryTest, AnUpdateNeedsAWholeRegistryFirst) {
  DndLoadOptions options;
  options.mode = DndLoadMode::kAdd;
  auto refused = registry_.Load(File("add.txt", "9000000003\n"), options, admin_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail_code, "dnd_not_loaded");
}

TEST_P(DndRegistryTest, ARegistryIsFreshOnlyOnItsOwnDayInIst) {
  Load("7000000001\n", DndLoadMode::kReplace, "2026-11-30");
  clock_.Set(At("2026-11-30T23:59:59.999+05:30"));
  auto fresh = Status();
  EXPECT_FALSE(fresh.stale);
  EXPECT_TRUE(fresh.usable);
  EXPECT_EQ(fresh.today_ist, "2026-11-30");
  clock_.Set(At("2026-12-01T00:00:00+05:30"));  // 2026-11-30T18:30:00Z
  auto stale = Status();
  EXPECT_TRUE(stale.stale);
  EXPECT_FALSE(stale.usable);
  EXPECT_EQ(stale.today_ist, "2026-12-01");
  EXPECT_NE(stale.reason.find("valid only on its own day"), std::string::npos) << stale.reason;
}

TEST_P(DndRegistryTest, AnAdminOverrideHoldsForOneIstDayWithAReason) {
  Load("7000000001\n", DndLoadMode::kReplace, "2026-11-30");
  // Not stale yet: nothing to override.
  EXPECT_EQ(registry_.Override("late file", admin_).error().detail_code, "dnd_not_stale");
  clock_.Set(At("2026-12-01T09:00:00+05:30"));
  EXPECT_EQ(registry_.Override("  ", admin_).error().detail_code, "invalid_reason");
  EXPECT_FALSE(registry_.Override("bad\x01text", admin_).ok());
  auto made = registry_.Override("operator's file is late today", admin_);
  ASSERT_TRUE(made.ok()) << made.error().message;
  EXPECT_EQ((*made)["valid_until"], "2026-12-01T23:59:59+05:30");
  auto status = Status();
  EXPECT_TRUE(status.stale);
  EXPECT_TRUE(status.overridden);
  EXPECT_TRUE(status.usable);
  EXPECT_EQ(status.override_["reason"], "operator's file is late today");
  audit::AuditFilter filter;
  filter.action = "dnd.override";
  auto records = audit_.Page(filter, 0, 10);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].entry.actor, admin_.name);
  // The next IST day it no longer holds.
  clock_.Set(At("2026-12-02T00:00:00+05:30"));
  EXPECT_FALSE(Status().overridden);
  EXPECT_FALSE(Status().usable);
  // Nor for a different registry loaded the same day (a new, also stale, file).
  clock_.Set(At("2026-12-01T10:00:00+05:30"));
  Load("7000000002\n", DndLoadMode::kReplace, "2026-11-29");
  EXPECT_FALSE(Status().overridden);
}

TEST_P(DndRegistryTest, ServersPickUpASnapshotWrittenByAnotherProcess) {
  // A second registry over the same folder stands for the CLI's 'dnd load'.
  DndRegistry other(tdb_.db(), clock_, audit_, dir_ + "/dnd");
  EXPECT_EQ(registry_.Current(), nullptr);
  DndLoadOptions options;
  options.registry_date = "2026-11-30";
  ASSERT_TRUE(other.Load(File("r.txt", "7000000001\n"), options, admin_).ok());
  // Looked at at most once a second.
  clock_.Advance(1000);
  auto seen = registry_.Current();
  ASSERT_NE(seen, nullptr);
  EXPECT_TRUE(seen->Lookup(7000000001).has_value());
  ASSERT_TRUE(other.Load(File("r.txt", "7000000002\n"), options, admin_).ok());
  clock_.Advance(1000);
  EXPECT_TRUE(registry_.Current()->Lookup(7000000002).has_value());
  EXPECT_TRUE(seen->Lookup(7000000001).has_value());  // the old mapping stays valid
}

TEST_P(DndRegistryTest, RescrubbingLeadsRecordsTheNewStates) {
  auto insert = [&](int64_t id, const std::string& phone, const std::string& state) {
    storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      tx.Execute(
          "INSERT INTO leads (id, name, phone_e164, phone_raw, source_kind, status, dnd_state, "
          "dnd_checked_on, created_at, updated_at) VALUES ($1, 'x', $2, $2, 'api', 'new', $3, "
          "'', 0, 0)",
          {storage::Int(id), storage::Text(phone), storage::Text(state)});
    });
  };
  insert(1, "+919812345670", "unknown");
  insert(2, "+919812345671", "clear");
  insert(3, "+919812345672", "blocked");
  insert(4, "+14155550100", "unknown");
  Load("9812345670\n9812345671 cat=3\n");
  auto snapshot = registry_.Current();
  leads::DndScrub scrub{
      [snapshot](const std::string& e164) { return DndRegistry::LeadState(snapshot.get(), e164); },
      "2026-11-30"};
  auto counts = leads::RescrubLeadsDnd(tdb_.db(), scrub);
  EXPECT_EQ(counts.checked, 4);
  EXPECT_EQ(counts.changed, 4);
  auto rows = storage::InTransaction(
      tdb_.db(),
      [](storage::Transaction& tx) {
        return tx.Execute("SELECT dnd_state, dnd_checked_on FROM leads ORDER BY id").rows;
      },
      false);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].GetText(0), "blocked");
  EXPECT_EQ(rows[1].GetText(0), "partial");
  EXPECT_EQ(rows[2].GetText(0), "clear");
  EXPECT_EQ(rows[3].GetText(0), "clear");
  for (const auto& r : rows) EXPECT_EQ(r.GetText(1), "2026-11-30");
  EXPECT_EQ(leads::RescrubLeadsDnd(tdb_.db(), scrub).changed, 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DndRegistryTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::compliance
