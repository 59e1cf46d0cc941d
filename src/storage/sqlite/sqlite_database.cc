#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "storage/placeholder_rewrite.h"

namespace vaarta::storage {
namespace {

[[noreturn]] void Throw(sqlite3* db, int rc, const std::string& context) {
  std::string msg = context + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    throw DatabaseError(DatabaseError::Kind::kUniqueViolation, msg);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    throw DatabaseError(DatabaseError::Kind::kBusy, msg);
  }
  if (primary == SQLITE_CANTOPEN || primary == SQLITE_IOERR || primary == SQLITE_FULL) {
    throw DatabaseError(DatabaseError::Kind::kConnection, msg);
  }
  throw DatabaseError(DatabaseError::Kind::kOther, msg);
}

// One open connection with its prepared statement cache.
class SqliteConnection {
 public:
  explicit SqliteConnection(const std::string& path) {
    int rc =
        sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "cannot open SQLite database '" + path +
                        "': " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
      sqlite3_close(db_);
      db_ = nullptr;
      throw DatabaseError(DatabaseError::Kind::kConnection, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 10000);
    // WAL: readers never block the writer. synchronous=FULL: a committed transaction
    // survives a crash of the process and of the machine.
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  }
  ~SqliteConnection() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  void Exec(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        throw DatabaseError(DatabaseError::Kind::kUniqueViolation, msg);
      }
      if ((rc & 0xff) == SQLITE_BUSY) throw DatabaseError(DatabaseError::Kind::kBusy, msg);
      throw DatabaseError(DatabaseError::Kind::kOther, msg);
    }
  }

  QueryResult Query(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = Prepare(sql);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    int index = 1;
    for (const Value& v : params.values()) {
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (auto n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, index, *n);
      } else if (auto d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, index, *d);
      } else {
        const std::string& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) Throw(db_, rc, "binding parameter " + std::to_string(index));
      ++index;
    }
    QueryResult result;
    int columns = sqlite3_column_count(stmt);
    while (true) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        sqlite3_reset(stmt);
        Throw(db_, rc, "executing statement");
      }
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            int len = sqlite3_column_bytes(stmt, c);
            values.emplace_back(std::string(text ? text : "", static_cast<size_t>(len)));
          }
        }
      }
      result.rows.emplace_back(std::move(values));
    }
    result.affected_rows = sqlite3_changes(db_);
    sqlite3_reset(stmt);
    return result;
  }

  // Runs one multi-row INSERT binding `count` rows from `rows` starting at `start`,
  // without copying the values (they outlive the statement's step).
  void InsertBatch(std::string_view sql, const std::vector<std::vector<Value>>& rows, size_t start,
                   size_t count) {
    sqlite3_stmt* stmt = Prepare(sql);
    sqlite3_reset(stmt);
    int index = 1;
    for (size_t r = start; r < start + count; ++r) {
      for (const Value& v : rows[r]) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::monostate>(v)) {
          rc = sqlite3_bind_null(stmt, index);
        } else if (auto n = std::get_if<int64_t>(&v)) {
          rc = sqlite3_bind_int64(stmt, index, *n);
        } else if (auto d = std::get_if<double>(&v)) {
          rc = sqlite3_bind_double(stmt, index, *d);
        } else {
          const std::string& text = std::get<std::string>(v);
          rc = sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()),
                                 SQLITE_STATIC);
        }
        if (rc != SQLITE_OK) Throw(db_, rc, "binding parameter " + std::to_string(index));
        ++index;
      }
    }
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) Throw(db_, rc, "inserting rows");
  }

 private:
  sqlite3_stmt* Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    std::string native = RewritePlaceholders(sql, '?');
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, native.c_str(), static_cast<int>(native.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Throw(db_, rc, "preparing statement");
    statements_.emplace(std::move(key), stmt);
    return stmt;
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class SqliteDatabase;

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteDatabase& owner, std::unique_ptr<SqliteConnection> conn, bool for_write);
  ~SqliteTransaction() override;
  QueryResult Execute(std::string_view sql, const Params& params) override {
    return conn_->Query(sql, params);
  }
  void Commit() override {
    conn_->Exec("COMMIT");
    open_ = false;
    RunCommitHooks();
  }
  Dialect dialect() const override { return Dialect::kSqlite; }

  void InsertRows(std::string_view table, const std::vector<std::string>& columns,
                  const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return;
    // Multi-row VALUES lists amortise statement overhead; SQLite allows 32766 parameters
    // per statement, and 256 rows per statement is past the point of diminishing returns.
    const size_t per_statement = std::max<size_t>(1, std::min<size_t>(256, 32000 / columns.size()));
    std::string head = "INSERT INTO " + std::string(table) + " (";
    for (size_t c = 0; c < columns.size(); ++c) head += (c ? ", " : "") + columns[c];
    head += ") VALUES ";
    // Statements are cached per text, so the text for a full chunk is built once.
    auto statement_for = [&](size_t count) {
      std::string sql = head;
      int n = 0;
      for (size_t r = 0; r < count; ++r) {
        sql += r ? ",(" : "(";
        for (size_t c = 0; c < columns.size(); ++c) sql += (c ? ",$" : "$") + std::to_string(++n);
        sql += ')';
      }
      return sql;
    };
    std::string full = statement_for(per_statement);
    for (size_t start = 0; start < rows.size(); start += per_statement) {
      size_t count = std::min(per_statement, rows.size() - start);
      for (size_t r = start; r < start + count; ++r) {
        if (rows[r].size() != columns.size()) {
          throw DatabaseError(DatabaseError::Kind::kOther,
                              "InsertRows: row " + std::to_string(r) + " has " +
                                  std::to_string(rows[r].size()) + " values for " +
                                  std::to_string(columns.size()) + " columns");
        }
      }
      conn_->InsertBatch(count == per_statement ? full : statement_for(count), rows, start, count);
    }
  }

 private:
  SqliteDatabase& owner_;
  std::unique_ptr<SqliteConnection> conn_;
  bool open_ = true;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, int pool_size) : path_(std::move(path)) {
    for (int i = 0; i < std::max(1, pool_size); ++i) {
      idle_.push_back(std::make_unique<SqliteConnection>(path_));
    }
  }
  Dialect dialect() const override { return Dialect::kSqlite; }

  std::unique_ptr<Transaction> Begin(bool for_write) override {
    return std::make_unique<SqliteTransaction>(*this, Acquire(), for_write);
  }

  void ExecuteScript(std::string_view sql) override {
    auto conn = Acquire();
    try {
      conn->Exec(sql);
    } catch (...) {
      Release(std::move(conn));
      throw;
    }
    Release(std::move(conn));
  }

  bool Ping() override {
    try {
      auto tx = Begin(false);
      tx->Execute("SELECT 1");
      tx->Commit();
      return true;
    } catch (const DatabaseError&) {
      return false;
    }
  }

  std::string Describe() const override { return "sqlite:" + path_; }

  std::unique_ptr<SqliteConnection> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty(); });
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return conn;
  }
  void Release(std::unique_ptr<SqliteConnection> conn) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }

 private:
  std::string path_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

SqliteTransaction::SqliteTransaction(SqliteDatabase& owner, std::unique_ptr<SqliteConnection> conn,
                                     bool for_write)
    : owner_(owner), conn_(std::move(conn)) {
  try {
    conn_->Exec(for_write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  } catch (...) {
    owner_.Release(std::move(conn_));
    throw;
  }
}

SqliteTransaction::~SqliteTransaction() {
  if (open_) {
    try {
      conn_->Exec("ROLLBACK");
    } catch (const DatabaseError&) {
      // The transaction may already have been rolled back by SQLite after an error.
    }
  }
  owner_.Release(std::move(conn_));
}

}  // namespace

std::unique_ptr<Database> OpenSqliteDatabase(const std::string& path, int pool_size) {
  return std::make_unique<SqliteDatabase>(path, pool_size);
}

}  // namespace vaarta::storage
