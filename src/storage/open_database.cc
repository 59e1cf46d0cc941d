#include "core/config.h"
#include "storage/database.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace vaarta::storage {

std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) {
      throw DatabaseError(DatabaseError::Kind::kConnection,
                          "database URL 'sqlite:' has no path; use sqlite:data/vaarta.db");
    }
    return OpenSqliteDatabase(path, pool_size);
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return OpenPostgresDatabase(url, pool_size);
  }
  throw DatabaseError(DatabaseError::Kind::kConnection,
                      "unsupported database URL '" + MaskDatabaseUrl(url) +
                          "': use sqlite:PATH or postgresql://USER@HOST:PORT/DBNAME");
}

std::string MaskDatabaseUrl(const std::string& url) { return core::MaskUrlPassword(url); }

}  // namespace vaarta::storage
