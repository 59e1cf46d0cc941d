#include "leads/lead_search_index.h"

#include <gtest/gtest.h>

#include "leads/lead_repository.h"
#include "test_support/test_database.h"

namespace vaarta::leads {
namespace {

class LeadSearchIndexTest : public ::testing::TestWithParam<std::string> {
 protected:
  LeadSearchIndexTest() : tdb_(GetParam()) {}

  // Stores leads with these names (numbers 9800000000 + i), oldest first; returns ids.
  std::vector<int64_t> Add(const std::vector<std::string>& names,
                           const std::string& status = "new") {
    return storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      auto ids = repo_.ReserveIds(tx, names.size());
      std::vector<Lead> leads;
      for (size_t i = 0; i < names.size(); ++i) {
        Lead l;
        l.id = ids[i];
        l.phone_e164 = "+91" + std::to_string(9800000000 + next_number_++);
        l.name = names[i];
        l.source_kind = "api";
        l.status = status;
        l.created_at = l.updated_at = 1;
        leads.push_back(std::move(l));
      }
      repo_.InsertMany(tx, std::move(leads), std::nullopt, 1);
      return ids;
    });
  }
  // Every id of leads matching, paging `page` at a time.
  std::vector<int64_t> Search(const std::string& text, int page = 50,
                              std::optional<std::string> status = std::nullopt) {
    LeadFilter filter;
    filter.text = text;
    filter.status = status;
    std::vector<int64_t> ids;
    int64_t before = 0;
    while (true) {
      auto tx = tdb_.db().Begin(false);
      auto leads = repo_.List(*tx, filter, before, page);
      for (const auto& l : leads) ids.push_back(l.id);
      if (static_cast<int>(leads.size()) < page) break;
      before = leads.back().id;
    }
    return ids;
  }
  void IndexAll() {
    while (IndexQueuedLeads(tdb_.db(), 700) > 0) {
    }
    auto tx = tdb_.db().Begin(false);
    EXPECT_TRUE(SearchQueueEmpty(*tx));
  }

  testing::TestDatabase tdb_;
  LeadRepository repo_;
  int64_t next_number_ = 0;
};

TEST_P(LeadSearchIndexTest, FindsTheSameLeadsBeforeAndAfterIndexing) {
  auto ids = Add({"anil sharma", "sunita verma", "rahul sharma", "मनोज मिश्रा", "priya"});
  {
    auto tx = tdb_.db().Begin(false);
    EXPECT_FALSE(SearchQueueEmpty(*tx));
  }
  auto before = Search("sharma");
  EXPECT_EQ(before, (std::vector<int64_t>{ids[2], ids[0]}));
  IndexAll();
  {
    auto tx = tdb_.db().Begin(false);
    EXPECT_EQ(SearchCandidates(*tx, "sharma", 0, 10), before);  // from the index itself
    EXPECT_EQ(SearchCandidates(*tx, "sharma", ids[2], 10), (std::vector<int64_t>{ids[0]}));
    EXPECT_TRUE(SearchIndexCanAnswer("मनो"));
    EXPECT_FALSE(SearchIndexCanAnswer("मन"));
  }
  EXPECT_EQ(Search("sharma"), before);
  EXPECT_EQ(Search("मिश्रा"), (std::vector<int64_t>{ids[3]}));
  // Phone digits anywhere in the number.
  EXPECT_EQ(Search("9800000001"), (std::vector<int64_t>{ids[1]}));
  EXPECT_EQ(Search("00000004"), (std::vector<int64_t>{ids[4]}));
  // Too short for a trigram: read from the table, still right.
  EXPECT_EQ(Search("ri").size(), 1u);
  EXPECT_TRUE(Search("zzqq").empty());
}

TEST_P(LeadSearchIndexTest, EveryTrigramIsNotEnoughTheTextMustBeThere) {
  // Holds "abc", "bca" and "cab", but not "abcab".
  auto ids = Add({"xabcx bcay cabz", "abcab"});
  IndexAll();
  {
    auto tx = tdb_.db().Begin(false);
    auto candidates = SearchCandidates(*tx, "abcab", 0, 10);
    EXPECT_FALSE(candidates.empty());
    EXPECT_EQ(candidates.front(), ids[1]);
  }
  EXPECT_EQ(Search("abcab"), (std::vector<int64_t>{ids[1]}));
}

TEST_P(LeadSearchIndexTest, PagesThroughManyMatchesAcrossIndexWindows) {
  // 4,400 matches among 6,000 leads, so pages cross the 2,000-id windows of the index;
  // half of them have another status, which the windows must skip.
  std::vector<std::string> names;
  for (int i = 0; i < 6000; ++i) names.push_back(i % 15 < 11 ? "kumar " + std::to_string(i) : "x");
  auto ids = Add(names);
  auto other = Add(std::vector<std::string>(3000, "kumar other"), "contacted");
  IndexAll();
  std::vector<int64_t> expected;
  for (int i = 5999; i >= 0; --i) {
    if (i % 15 < 11) expected.push_back(ids[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(Search("kumar", 50, "new"), expected);
  EXPECT_EQ(Search("kumar", 500).size(), expected.size() + other.size());
}

TEST_P(LeadSearchIndexTest, EditsAndErasureReachTheIndex) {
  auto ids = Add({"old name", "keep this"});
  IndexAll();
  Lead lead;
  {
    auto tx = tdb_.db().Begin(false);
    lead = *repo_.FindById(*tx, ids[0]);
  }
  lead.name = "new name";
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) { repo_.Update(tx, lead); });
  // Queued again: the table answers.
  EXPECT_TRUE(Search("old name").empty());
  EXPECT_EQ(Search("new name"), (std::vector<int64_t>{ids[0]}));
  IndexAll();
  EXPECT_TRUE(Search("old name").empty());
  EXPECT_EQ(Search("new name"), (std::vector<int64_t>{ids[0]}));
  // Editing twice before the worker runs, then indexing, leaves one entry.
  lead.name = "third name";
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) { repo_.Update(tx, lead); });
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) { repo_.Update(tx, lead); });
  IndexAll();
  EXPECT_EQ(Search("third"), (std::vector<int64_t>{ids[0]}));
  EXPECT_TRUE(Search("new name").empty());
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) { repo_.Erase(tx, ids[0], 2); });
  IndexAll();
  EXPECT_TRUE(Search("third").empty());
  EXPECT_EQ(Search("keep"), (std::vector<int64_t>{ids[1]}));
}

INSTANTIATE_TEST_SUITE_P(Dialects, LeadSearchIndexTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::leads
