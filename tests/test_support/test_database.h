#pragma once
// Fresh, migrated databases for tests: a temporary SQLite file, or a new schema in the
// PostgreSQL server that scripts/test.sh starts (its URL in VAARTA_TEST_PG_URL).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/database.h"

namespace vaarta::testing {

// A database that lives for one test and is removed afterwards.
class TestDatabase {
 public:
  // dialect: "sqlite" or "postgres". For postgres without VAARTA_TEST_PG_URL the test
  // fails (never skips): the test command always provides a server.
  explicit TestDatabase(const std::string& dialect, bool migrate = true);
  ~TestDatabase();
  storage::Database& db() { return *db_; }
  // URL that opens this same database (for a second pool or a child process).
  const std::string& url() const { return url_; }

 private:
  std::string dialect_;
  std::string url_;
  std::string sqlite_dir_;
  std::string pg_schema_;
  std::unique_ptr<storage::Database> db_;
};

// Parameter values for INSTANTIATE_TEST_SUITE_P over both engines.
inline auto BothDialects() {
  return ::testing::Values(std::string("sqlite"), std::string("postgres"));
}

// A new empty directory under /tmp, removed by the caller (or left for debugging).
std::string MakeTempDir(const std::string& tag);
void RemoveTree(const std::string& path);

}  // namespace vaarta::testing
