#include "test_support/test_database.h"

#include <cstdlib>
#include <filesystem>

#include "core/crypto.h"
#include "storage/migrator.h"

namespace vaarta::testing {

std::string MakeTempDir(const std::string& tag) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / ("vaarta-" + tag + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  return pattern;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

TestDatabase::TestDatabase(const std::string& dialect, bool migrate) : dialect_(dialect) {
  if (dialect == "sqlite") {
    sqlite_dir_ = MakeTempDir("db");
    url_ = "sqlite:" + sqlite_dir_ + "/test.db";
  } else if (dialect == "postgres") {
    const char* base = std::getenv("VAARTA_TEST_PG_URL");
    if (!base || !*base) {
      ADD_FAILURE() << "VAARTA_TEST_PG_URL is not set: run ./scripts/test.sh, which starts a "
                       "PostgreSQL server on loopback for the tests";
      throw std::runtime_error("no PostgreSQL server for tests");
    }
    pg_schema_ = "t_" + core::HexEncode(core::RandomBytes(6));
    {
      auto admin = storage::OpenDatabase(base, 1);
      admin->ExecuteScript("CREATE SCHEMA " + pg_schema_);
    }
    std::string sep = std::string(base).find('?') == std::string::npos ? "?" : "&";
    url_ = std::string(base) + sep + "options=-csearch_path%3D" + pg_schema_;
  } else {
    throw std::runtime_error("unknown test dialect " + dialect);
  }
  db_ = storage::OpenDatabase(url_, 4);
  if (migrate) {
    auto report = storage::Migrate(*db_);
    if (!report) throw std::runtime_error("migration failed: " + report.error().message);
  }
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!sqlite_dir_.empty()) RemoveTree(sqlite_dir_);
  if (!pg_schema_.empty()) {
    try {
      auto admin = storage::OpenDatabase(std::getenv("VAARTA_TEST_PG_URL"), 1);
      admin->ExecuteScript("DROP SCHEMA " + pg_schema_ + " CASCADE");
    } catch (const std::exception&) {
      // A leftover schema in a throw-away test cluster is harmless.
    }
  }
}

}  // namespace vaarta::testing
