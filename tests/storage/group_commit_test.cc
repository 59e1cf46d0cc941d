// GroupCommit: concurrent pieces of work committed together, each failing alone.
#include "storage/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_support/test_database.h"

namespace vaarta::storage {
namespace {

class GroupCommitTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam(), false);
    db_ = &test_db_->db();
    auto tx = db_->Begin(true);
    tx->Execute("CREATE TABLE group_commit_probe (id BIGINT PRIMARY KEY, note TEXT NOT NULL)");
    tx->Commit();
  }
  int64_t Count() {
    auto tx = db_->Begin(false);
    return tx->Execute("SELECT COUNT(*) FROM group_commit_probe").rows[0].GetInt(0);
  }
  std::unique_ptr<testing::TestDatabase> test_db_;
  Database* db_ = nullptr;
};

TEST_P(GroupCommitTest, EveryPieceFromManyThreadsIsCommitted) {
  GroupCommit commits(*db_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        commits.Run([&](Transaction& tx) {
          tx.Execute("INSERT INTO group_commit_probe (id, note) VALUES ($1, 'x')",
                     {Int(t * 1000 + i)});
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count(), 400);
}

TEST_P(GroupCommitTest, AFailingPieceRollsBackAloneAndItsErrorReachesItsCaller) {
  GroupCommit commits(*db_);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const bool bad = i % 4 == 0;
        try {
          commits.Run([&](Transaction& tx) {
            tx.Execute("INSERT INTO group_commit_probe (id, note) VALUES ($1, 'x')",
                       {Int(t * 1000 + i)});
            // Written, then refused: the row must not survive.
            if (bad) throw std::runtime_error("refused");
          });
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "refused");
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 8 * 10);
  EXPECT_EQ(Count(), 8 * 30);
  auto tx = db_->Begin(false);
  EXPECT_EQ(tx->Execute("SELECT COUNT(*) FROM group_commit_probe WHERE (id % 1000) % 4 = 0")
                .rows[0]
                .GetInt(0),
            0);
}

TEST_P(GroupCommitTest, ADatabaseErrorInOnePieceLeavesTheOthers) {
  GroupCommit commits(*db_);
  commits.Run([](Transaction& tx) {
    tx.Execute("INSERT INTO group_commit_probe (id, note) VALUES (1, 'first')");
  });
  std::vector<std::thread> threads;
  std::atomic<int> duplicates{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      try {
        commits.Run([&](Transaction& tx) {
          // Every even thread repeats id 1: a unique violation.
          tx.Execute("INSERT INTO group_commit_probe (id, note) VALUES ($1, 'again')",
                     {Int(t % 2 == 0 ? 1 : 100 + t)});
        });
      } catch (const DatabaseError&) {
        duplicates.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(duplicates.load(), 3);
  EXPECT_EQ(Count(), 4);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, GroupCommitTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::storage
