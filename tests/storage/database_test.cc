#include "storage/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/migrator.h"
#include "storage/placeholder_rewrite.h"
#include "test_support/test_database.h"

namespace vaarta::storage {
namespace {

class DatabaseTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    tdb_ = std::make_unique<testing::TestDatabase>(GetParam());
    tdb_->db().ExecuteScript(
        "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT UNIQUE, score DOUBLE PRECISION, note "
        "TEXT)");
  }
  Database& db() { return tdb_->db(); }
  int64_t Count() {
    auto tx = db().Begin(false);
    return tx->Execute("SELECT COUNT(*) FROM items").rows[0].GetInt(0);
  }
  std::unique_ptr<testing::TestDatabase> tdb_;
};

TEST_P(DatabaseTest, RoundTripsEveryValueKindIncludingNull) {
  InTransaction(db(), [](Transaction& tx) {
    tx.Execute("INSERT INTO items (id, name, score, note) VALUES ($1, $2, $3, $4)",
               {Int(1), Text("नमस्ते 'quoted' $1"), Value(2.5), Null()});
  });
  auto tx = db().Begin(false);
  auto rows = tx->Execute("SELECT id, name, score, note FROM items WHERE id = $1", {Int(1)}).rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].GetInt(0), 1);
  EXPECT_EQ(rows[0].GetText(1), "नमस्ते 'quoted' $1");
  EXPECT_DOUBLE_EQ(rows[0].GetDouble(2), 2.5);
  EXPECT_TRUE(rows[0].IsNull(3));
  EXPECT_EQ(rows[0].GetOptText(3), std::nullopt);
}

TEST_P(DatabaseTest, PlaceholdersMayRepeatAndComeOutOfOrder) {
  InTransaction(db(), [](Transaction& tx) {
    tx.Execute("INSERT INTO items (id, name, note) VALUES ($2, $1, $1)", {Text("x"), Int(7)});
  });
  auto tx = db().Begin(false);
  auto rows = tx->Execute("SELECT id, name, note FROM items").rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].GetInt(0), 7);
  EXPECT_EQ(rows[0].GetText(2), "x");
}

TEST_P(DatabaseTest, UncommittedTransactionsRollBack) {
  {
    auto tx = db().Begin();
    tx->Execute("INSERT INTO items (id, name) VALUES (1, 'a')");
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_THROW(InTransaction(db(),
                             [](Transaction& tx) {
                               tx.Execute("INSERT INTO items (id, name) VALUES (1, 'a')");
                               throw std::runtime_error("boom");
                             }),
               std::runtime_error);
  EXPECT_EQ(Count(), 0);
}

TEST_P(DatabaseTest, UniqueViolationsAreReportedAsSuch) {
  InTransaction(
      db(), [](Transaction& tx) { tx.Execute("INSERT INTO items (id, name) VALUES (1, 'a')"); });
  try {
    InTransaction(
        db(), [](Transaction& tx) { tx.Execute("INSERT INTO items (id, name) VALUES (2, 'a')"); });
    FAIL() << "expected a unique violation";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), DatabaseError::Kind::kUniqueViolation) << e.what();
  }
  // The connection is usable afterwards.
  EXPECT_EQ(Count(), 1);
}

TEST_P(DatabaseTest, AffectedRowsAreCounted) {
  InTransaction(db(), [](Transaction& tx) {
    for (int i = 0; i < 5; ++i)
      tx.Execute("INSERT INTO items (id, name) VALUES ($1, $2)", {Int(i), Text(std::to_string(i))});
    EXPECT_EQ(tx.Execute("UPDATE items SET note = 'n' WHERE id >= $1", {Int(2)}).affected_rows, 3);
  });
}

TEST_P(DatabaseTest, ConcurrentWritersAllCommit) {
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        try {
          InTransaction(db(), [&](Transaction& tx) {
            int64_t id = t * 1000 + i;
            tx.Execute("INSERT INTO items (id, name) VALUES ($1, $2)",
                       {Int(id), Text(std::to_string(id))});
          });
        } catch (const std::exception&) {
          errors++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(Count(), kThreads * kEach);
}

TEST_P(DatabaseTest, PingAnswers) { EXPECT_TRUE(db().Ping()); }

TEST_P(DatabaseTest, InsertRowsLoadsManyRowsWithAwkwardText) {
  std::vector<std::vector<Value>> rows;
  for (int i = 0; i < 1000; ++i) {
    rows.push_back({Int(i), Text("name\t" + std::to_string(i) + "\\ \n'\"नाम"), Value(i * 0.5),
                    i % 3 == 0 ? Null() : Text("")});
  }
  InTransaction(db(), [&](Transaction& tx) {
    tx.InsertRows("items", {"id", "name", "score", "note"}, rows);
  });
  EXPECT_EQ(Count(), 1000);
  auto tx = db().Begin(false);
  auto found = tx->Execute("SELECT name, score, note FROM items WHERE id = 999").rows;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].GetText(0), "name\t999\\ \n'\"नाम");
  EXPECT_DOUBLE_EQ(found[0].GetDouble(1), 499.5);
  EXPECT_TRUE(tx->Execute("SELECT note FROM items WHERE id = 3").rows[0].IsNull(0));
  EXPECT_FALSE(tx->Execute("SELECT note FROM items WHERE id = 4").rows[0].IsNull(0));
}

TEST_P(DatabaseTest, InsertRowsIsPartOfTheTransaction) {
  {
    auto tx = db().Begin();
    tx->InsertRows("items", {"id", "name"}, {{Int(1), Text("a")}, {Int(2), Text("b")}});
  }
  EXPECT_EQ(Count(), 0);
  EXPECT_THROW(
      InTransaction(
          db(),
          [](Transaction& tx) {
            tx.InsertRows("items", {"id", "name"}, {{Int(1), Text("a")}, {Int(2), Text("a")}});
          }),
      DatabaseError);
  EXPECT_EQ(Count(), 0);
}

TEST_P(DatabaseTest, MigrationsApplyOnceAndRefuseEditedHistory) {
  testing::TestDatabase fresh(GetParam(), /*migrate=*/false);
  std::vector<Migration> migrations = {
      {1, "one", "CREATE TABLE m1 (id BIGINT);\nCREATE TABLE m1b (id BIGINT);\n", "c1"},
      {2, "two", "-- a comment only block;\nCREATE TABLE m2 (id BIGINT)", "c2"},
  };
  auto first = Migrate(fresh.db(), migrations);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->applied, (std::vector<int>{1, 2}));
  auto second = Migrate(fresh.db(), migrations);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->current_version, 2);
  migrations[0].checksum = "edited";
  auto edited = Migrate(fresh.db(), migrations);
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().detail_code, "migration_checksum_mismatch");
}

TEST_P(DatabaseTest, AFailingMigrationLeavesNoHalfAppliedSchema) {
  testing::TestDatabase fresh(GetParam(), /*migrate=*/false);
  std::vector<Migration> migrations = {
      {1, "bad", "CREATE TABLE half (id BIGINT);\nTHIS IS NOT SQL;\n", "c"}};
  auto result = Migrate(fresh.db(), migrations);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("migration 1 (bad) failed"), std::string::npos);
  auto tx = fresh.db().Begin(false);
  // The table from the first statement was rolled back with the failed one.
  EXPECT_THROW(tx->Execute("SELECT COUNT(*) FROM half"), DatabaseError);
}

TEST_P(DatabaseTest, ShippedMigrationsCoverBothDialectsWithTheSameVersions) {
  auto sqlite = ShippedMigrations(Dialect::kSqlite);
  auto postgres = ShippedMigrations(Dialect::kPostgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, static_cast<int>(i + 1));
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, DatabaseTest, testing::BothDialects());

TEST(PlaceholderRewrite, LeavesQuotedTextAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT $1, '$2', \"$3\", $10", '?'),
            "SELECT ?1, '$2', \"$3\", ?10");
}

TEST(OpenDatabase, RefusesUnknownSchemesWithTheAccepted) {
  try {
    OpenDatabase("mysql://x", 1);
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("sqlite:PATH or postgresql://"), std::string::npos);
  }
}

TEST(OpenDatabase, MasksPasswordsInDescriptions) {
  EXPECT_EQ(MaskDatabaseUrl("postgresql://u:secret@h:5432/db"), "postgresql://u:****@h:5432/db");
  EXPECT_EQ(MaskDatabaseUrl("postgresql://h/db?user=u&password=secret&x=1"),
            "postgresql://h/db?user=u&password=****&x=1");
}

TEST(OpenDatabase, UnreachablePostgresFailsWithAConnectionError) {
  try {
    OpenDatabase("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 1);
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.kind(), DatabaseError::Kind::kConnection);
  }
}

}  // namespace
}  // namespace vaarta::storage
