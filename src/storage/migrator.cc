#include "storage/migrator.h"

#include <algorithm>
#include <map>

#include "core/crypto.h"
#include "core/embedded_files.h"

namespace vaarta::storage {

std::vector<Migration> ShippedMigrations(Dialect dialect) {
  std::string prefix =
      std::string("storage/migrations/") + (dialect == Dialect::kSqlite ? "sqlite/" : "postgres/");
  std::vector<Migration> out;
  for (const auto& file : core::EmbeddedFiles()) {
    if (file.path.rfind(prefix, 0) != 0) continue;
    std::string base(file.path.substr(prefix.size()));
    Migration m;
    m.version = std::stoi(base.substr(0, 4));
    m.name = base.substr(5, base.size() - 5 - 4);  // strip "NNNN_" and ".sql"
    m.sql = std::string(file.content);
    m.checksum = core::Sha256Hex(m.sql);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

core::Result<MigrationReport> Migrate(Database& db, const std::vector<Migration>& migrations) {
  db.ExecuteScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL)");
  MigrationReport report;
  for (const Migration& m : migrations) {
    auto tx = db.Begin(true);
    if (db.dialect() == Dialect::kPostgres) {
      // Several servers may start at once: one applies, the others wait and then skip.
      tx->Execute("SELECT pg_advisory_xact_lock(7261001)");
    }
    auto existing =
        tx->Execute("SELECT checksum FROM schema_migrations WHERE version = $1", {Int(m.version)});
    if (!existing.rows.empty()) {
      if (existing.rows[0].GetText(0) != m.checksum) {
        return core::MakeError(core::ErrorCode::kConflict,
                               "migration " + std::to_string(m.version) + " (" + m.name +
                                   ") was changed after it was applied; restore the original "
                                   "file and add a new migration instead",
                               "migration_checksum_mismatch");
      }
      report.current_version = m.version;
      continue;
    }
    try {
      // Each statement of the file, split on ';' at line ends (migration files keep one
      // statement per ';'-terminated block and no ';' inside literals).
      size_t start = 0;
      while (start < m.sql.size()) {
        size_t end = m.sql.find(";\n", start);
        if (end == std::string::npos) end = m.sql.size();
        std::string statement = m.sql.substr(start, end - start);
        start = end + 2;
        if (statement.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        bool only_comments = true;
        size_t line_start = 0;
        while (line_start < statement.size()) {
          size_t line_end = statement.find('\n', line_start);
          if (line_end == std::string::npos) line_end = statement.size();
          std::string line = statement.substr(line_start, line_end - line_start);
          size_t first = line.find_first_not_of(" \t\r");
          if (first != std::string::npos && line.compare(first, 2, "--") != 0)
            only_comments = false;
          line_start = line_end + 1;
        }
        if (only_comments) continue;
        tx->Execute(statement);
      }
      tx->Execute(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
          "VALUES ($1, $2, $3, CURRENT_TIMESTAMP)",
          {Int(m.version), Text(m.name), Text(m.checksum)});
      tx->Commit();
    } catch (const DatabaseError& e) {
      return core::MakeError(
          core::ErrorCode::kInternal,
          "migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + e.what(),
          "migration_failed");
    }
    report.applied.push_back(m.version);
    report.current_version = m.version;
  }
  return report;
}

}  // namespace vaarta::storage
