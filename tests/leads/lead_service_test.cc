#include "leads/lead_service.h"

#include <gtest/gtest.h>

#include "test_support/test_database.h"

namespace vaarta::leads {
namespace {

class LeadServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  LeadServiceTest()
      : tdb_(GetParam()),
        clock_(1795500000000),
        audit_(tdb_.db(), clock_),
        service_(tdb_.db(), clock_, audit_) {}

  // Inserts `count` leads the way an import does, in list `list_id` when given.
  std::vector<int64_t> Seed(int count, std::optional<int64_t> list_id = std::nullopt,
                            const std::string& status = "new") {
    std::vector<int64_t> ids;
    storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      auto reserved = repo_.ReserveIds(tx, static_cast<size_t>(count));
      std::vector<Lead> leads;
      for (int i = 0; i < count; ++i) {
        Lead l;
        l.id = reserved[static_cast<size_t>(i)];
        l.phone_e164 = "+9198" + std::to_string(10000000 + next_phone_++);
        l.name = (i % 2 ? "Anil Kumar " : "Bela राव ") + std::to_string(i);
        l.email = "lead" + std::to_string(l.id) + "@example.in";
        l.language = i % 3 == 0 ? "hi" : "en";
        l.source_kind = "file";
        l.source_detail = "file leads.csv";
        l.status = status;
        l.tags = i % 4 == 0 ? std::vector<std::string>{"hot"} : std::vector<std::string>{};
        l.created_at = l.updated_at = clock_.NowMillis();
        leads.push_back(l);
        ids.push_back(l.id);
      }
      repo_.InsertMany(tx, leads, list_id, clock_.NowMillis());
    });
    return ids;
  }
  int64_t MakeList(const std::string& name) {
    return storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      return tx
          .Execute(
              "INSERT INTO lead_lists (name, created_at, created_by) VALUES ($1, 1, 'test') "
              "RETURNING id",
              {storage::Text(name)})
          .rows[0]
          .GetInt(0);
    });
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  LeadService service_;
  LeadRepository repo_;
  Actor actor_{"user:1:admin@example.in", "admin", "127.0.0.1", "req-1"};
  int next_phone_ = 0;
};

TEST_P(LeadServiceTest, ListsNewestFirstWithKeysetPages) {
  auto ids = Seed(25);
  std::vector<int64_t> seen;
  int64_t before = 0;
  for (int page = 0; page < 5; ++page) {
    auto leads = service_.List({}, before, 10);
    if (leads.empty()) break;
    for (const auto& l : leads) seen.push_back(l.id);
    before = leads.back().id;
  }
  std::vector<int64_t> expected(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, expected);
}

TEST_P(LeadServiceTest, FiltersByListTagStatusLanguageAndText) {
  int64_t list = MakeList("Diwali");
  auto in_list = Seed(6, list);
  Seed(6, std::nullopt, "interested");
  LeadFilter by_list;
  by_list.list_id = list;
  EXPECT_EQ(service_.List(by_list, 0, 100).size(), 6u);
  LeadFilter by_tag;
  by_tag.tag = "hot";
  EXPECT_EQ(service_.List(by_tag, 0, 100).size(), 4u);  // i = 0 and 4 in each seed
  LeadFilter list_and_tag = by_list;
  list_and_tag.tag = "hot";
  EXPECT_EQ(service_.List(list_and_tag, 0, 100).size(), 2u);
  LeadFilter by_status;
  by_status.status = "interested";
  EXPECT_EQ(service_.List(by_status, 0, 100).size(), 6u);
  LeadFilter by_language;
  by_language.language = "hi";
  EXPECT_EQ(service_.List(by_language, 0, 100).size(), 4u);
  LeadFilter by_text;
  by_text.text = "राव";  // Devanagari in the name
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 6u);
  by_text.text = "ANIL";  // case-folded
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 6u);
  by_text.text = "10000003";  // part of the phone's digits
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 1u);
  by_text.text = "+91 98100 00003";  // a whole number, through the phone index
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 1u);
  by_text.text = "9810000003";
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 1u);
  by_text.text = "100%";  // LIKE wildcards are literal
  EXPECT_EQ(service_.List(by_text, 0, 100).size(), 0u);
  auto page = service_.List(by_list, 0, 100);
  EXPECT_EQ(page[0].list_ids, std::vector<int64_t>{list});
  EXPECT_EQ(page.back().id, in_list.front());
}

TEST_P(LeadServiceTest, UpdateRecordsWhatChangedAndRefusesBadValues) {
  auto id = Seed(1)[0];
  LeadChange change;
  change.name = "Anil K.";
  change.status = "interested";
  change.tags = std::vector<std::string>{"VIP", "vip", " Diwali "};
  change.time_zone = "Asia/Kolkata";
  auto updated = service_.Update(id, change, actor_);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->name, "Anil K.");
  EXPECT_EQ(updated->tags, (std::vector<std::string>{"vip", "diwali"}));
  auto stored = service_.Get(id);
  EXPECT_EQ(stored->status, "interested");
  auto timeline = service_.Timeline(id, 0, 10);
  ASSERT_TRUE(timeline.ok());
  EXPECT_EQ((*timeline)[0].kind, "update");
  EXPECT_EQ((*timeline)[0].data["name"]["to"], "Anil K.");
  EXPECT_EQ(timeline->back().kind, "import");

  LeadChange bad;
  bad.status = "hot";
  EXPECT_EQ(service_.Update(id, bad, actor_).error().detail_code, "invalid_status");
  LeadChange bad_zone;
  bad_zone.time_zone = "India/Delhi";
  EXPECT_EQ(service_.Update(id, bad_zone, actor_).error().detail_code, "invalid_time_zone");
  EXPECT_EQ(service_.Update(999999, change, actor_).error().code, core::ErrorCode::kNotFound);
}

TEST_P(LeadServiceTest, ErasureRemovesPersonalDataKeepsTheRowAndCallsHooks) {
  auto id = Seed(1)[0];
  std::vector<std::string> hooked;
  service_.AddErasureHook(
      [&](storage::Transaction&, const std::string& e164) { hooked.push_back(e164); });
  auto lead = service_.Get(id);
  ASSERT_TRUE(service_.AddNote(id, "called back, wants gold plan", actor_).ok());
  EXPECT_FALSE(service_.Erase(id, "", actor_).ok());  // a reason is required
  ASSERT_TRUE(service_.Erase(id, "DPDP request #12", actor_).ok());
  EXPECT_EQ(hooked, std::vector<std::string>{*lead->phone_e164});
  EXPECT_EQ(service_.Get(id).error().code, core::ErrorCode::kNotFound);
  auto tx = tdb_.db().Begin(false);
  auto row =
      tx->Execute("SELECT phone_e164, name, email, search_text, status FROM leads WHERE id = $1",
                  {storage::Int(id)})
          .rows;
  ASSERT_EQ(row.size(), 1u);
  EXPECT_TRUE(row[0].IsNull(0));
  EXPECT_EQ(row[0].GetText(1), "");
  EXPECT_EQ(row[0].GetText(2), "");
  EXPECT_EQ(row[0].GetText(3), "");
  EXPECT_EQ(row[0].GetText(4), "erased");
  EXPECT_EQ(tx->Execute("SELECT COUNT(*) FROM lead_events WHERE lead_id = $1", {storage::Int(id)})
                .rows[0]
                .GetInt(0),
            0);
  tx.reset();
  EXPECT_EQ(service_.Erase(id, "again", actor_).error().detail_code, "already_erased");
  auto records =
      audit_.Page({std::nullopt, std::string("leads.erase"), std::nullopt, std::nullopt}, 0, 10);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].entry.summary.find(*lead->phone_e164), std::string::npos);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(LeadServiceTest, BulkTagAddsAndRemoves) {
  auto ids = Seed(8);
  ASSERT_TRUE(service_.BulkTag(ids, {"Diwali"}, {"hot"}, actor_).ok());
  LeadFilter diwali;
  diwali.tag = "diwali";
  EXPECT_EQ(service_.List(diwali, 0, 100).size(), 8u);
  LeadFilter hot;
  hot.tag = "hot";
  EXPECT_EQ(service_.List(hot, 0, 100).size(), 0u);
  EXPECT_FALSE(service_.BulkTag({}, {"x"}, {}, actor_).ok());
}

INSTANTIATE_TEST_SUITE_P(Dialects, LeadServiceTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::leads
