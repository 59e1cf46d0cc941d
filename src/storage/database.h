#pragma once
// Database: the storage interface every repository is written against.
// Two real implementations exist: SQLite (embedded default) and PostgreSQL.
// SQL text uses $1, $2, ... placeholders in both dialects.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vaarta::storage {

enum class Dialect { kSqlite, kPostgres };

// NULL is std::monostate. Booleans are stored as integers 0/1 in both dialects.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// A parameter list builder that accepts the C++ types repositories use.
class Params {
 public:
  Params() = default;
  Params(std::initializer_list<Value> values) : values_(values) {}
  Params& Add(Value v) {
    values_.push_back(std::move(v));
    return *this;
  }
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
};

inline Value Null() { return std::monostate{}; }
inline Value Text(std::string s) { return Value(std::move(s)); }
inline Value Int(int64_t v) { return Value(v); }
inline Value OptText(const std::optional<std::string>& s) { return s ? Value(*s) : Null(); }
inline Value OptInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Null(); }

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  // Converting accessors: PostgreSQL returns every value as text, SQLite by storage class;
  // these give repositories one view of both.
  std::string GetText(size_t i) const;
  int64_t GetInt(size_t i) const;
  double GetDouble(size_t i) const;
  std::optional<std::string> GetOptText(size_t i) const;
  std::optional<int64_t> GetOptInt(size_t i) const;

 private:
  std::vector<Value> values_;
};

struct QueryResult {
  std::vector<Row> rows;
  int64_t affected_rows = 0;
};

// Raised for infrastructure failures; callers at the edge turn it into 503/500.
class DatabaseError : public std::runtime_error {
 public:
  enum class Kind { kUniqueViolation, kConnection, kBusy, kOther };
  DatabaseError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// A unit of work on one pooled connection. Destroying it without Commit() rolls back.
class Transaction {
 public:
  virtual ~Transaction() = default;
  // Runs one statement (prepared and cached per connection).
  virtual QueryResult Execute(std::string_view sql, const Params& params = {}) = 0;
  virtual void Commit() = 0;
  virtual Dialect dialect() const = 0;
  // Inserts many rows into one table as fast as the engine allows: multi-row INSERT
  // statements on SQLite, COPY on PostgreSQL. Every row has one value per column.
  virtual void InsertRows(std::string_view table, const std::vector<std::string>& columns,
                          const std::vector<std::vector<Value>>& rows) = 0;

  // Runs `hook` after this transaction commits (never if it rolls back): for effects
  // outside the database, such as announcing an event, that must not run for a change
  // that did not happen.
  void OnCommit(std::function<void()> hook) { commit_hooks_.push_back(std::move(hook)); }

 protected:
  // Implementations call this after a successful commit. A failing hook cannot undo the
  // commit, so its exception is swallowed.
  void RunCommitHooks() {
    auto hooks = std::move(commit_hooks_);
    commit_hooks_.clear();
    for (auto& hook : hooks) {
      try {
        hook();
      } catch (const std::exception&) {
      }
    }
  }

 private:
  std::vector<std::function<void()>> commit_hooks_;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // `for_write` lets SQLite take its write lock up front (BEGIN IMMEDIATE) so that
  // concurrent writers queue instead of failing mid-transaction.
  virtual std::unique_ptr<Transaction> Begin(bool for_write = true) = 0;
  // Runs raw SQL script outside any transaction (used by migrations only).
  virtual void ExecuteScript(std::string_view sql) = 0;
  // True when a trivial query succeeds.
  virtual bool Ping() = 0;
  // Where the data lives, with any password masked.
  virtual std::string Describe() const = 0;
};

// Runs `fn` in a transaction and commits it; rolls back if fn throws.
template <typename Fn>
auto InTransaction(Database& db, Fn&& fn, bool for_write = true) {
  auto tx = db.Begin(for_write);
  if constexpr (std::is_void_v<decltype(fn(*tx))>) {
    fn(*tx);
    tx->Commit();
  } else {
    auto result = fn(*tx);
    tx->Commit();
    return result;
  }
}

// Opens a database from "sqlite:PATH" or "postgresql://..." (also "postgres://").
// Pool size is the number of connections kept open.
std::unique_ptr<Database> OpenDatabase(const std::string& url, int pool_size);

// Replaces the password in a connection URL with "****".
std::string MaskDatabaseUrl(const std::string& url);

}  // namespace vaarta::storage
