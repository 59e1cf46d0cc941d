#pragma once
// Migrator: applies the versioned schema migrations of the database's dialect, each in
// its own transaction, and refuses to run when an applied migration was edited.
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace vaarta::storage {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
  std::string checksum;  // SHA-256 hex of sql
};

struct MigrationReport {
  std::vector<int> applied;  // versions applied by this run
  int current_version = 0;
};

// The migrations shipped for `dialect`, in version order, read from the embedded
// files storage/migrations/<dialect>/NNNN_name.sql.
std::vector<Migration> ShippedMigrations(Dialect dialect);

core::Result<MigrationReport> Migrate(Database& db, const std::vector<Migration>& migrations);
inline core::Result<MigrationReport> Migrate(Database& db) {
  return Migrate(db, ShippedMigrations(db.dialect()));
}

}  // namespace vaarta::storage
