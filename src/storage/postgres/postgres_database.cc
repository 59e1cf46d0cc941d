#include "storage/postgres/postgres_database.h"

#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <unordered_map>
#include <vector>

namespace vaarta::storage {
namespace {

[[noreturn]] void Rethrow() {
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    throw DatabaseError(DatabaseError::Kind::kUniqueViolation, e.what());
  } catch (const pqxx::broken_connection& e) {
    throw DatabaseError(DatabaseError::Kind::kConnection, e.what());
  } catch (const pqxx::serialization_failure& e) {
    throw DatabaseError(DatabaseError::Kind::kBusy, e.what());
  } catch (const pqxx::deadlock_detected& e) {
    throw DatabaseError(DatabaseError::Kind::kBusy, e.what());
  } catch (const pqxx::failure& e) {
    throw DatabaseError(DatabaseError::Kind::kOther, e.what());
  }
}

class PgConnection {
 public:
  explicit PgConnection(const std::string& url) {
    try {
      conn_ = std::make_unique<pqxx::connection>(url);
    } catch (const std::exception& e) {
      throw DatabaseError(DatabaseError::Kind::kConnection,
                          std::string("cannot connect to PostgreSQL: ") + e.what());
    }
  }
  pqxx::connection& conn() { return *conn_; }
  bool is_open() const { return conn_ && conn_->is_open(); }

  // Returns the server-side name of a prepared statement for `sql`, preparing it once.
  const std::string& Prepared(std::string_view sql) {
    std::string key(sql);
    auto it = names_.find(key);
    if (it != names_.end()) return it->second;
    std::string name = "v" + std::to_string(names_.size());
    conn_->prepare(name, key);
    return names_.emplace(std::move(key), std::move(name)).first->second;
  }

 private:
  std::unique_ptr<pqxx::connection> conn_;
  std::unordered_map<std::string, std::string> names_;
};

class PostgresDatabase;

class PgTransaction final : public Transaction {
 public:
  PgTransaction(PostgresDatabase& owner, std::unique_ptr<PgConnection> conn);
  ~PgTransaction() override;

  QueryResult Execute(std::string_view sql, const Params& params) override {
    std::vector<std::string> storage;
    storage.reserve(params.values().size());
    std::vector<const char*> pointers;
    pointers.reserve(params.values().size());
    for (const Value& v : params.values()) {
      if (std::holds_alternative<std::monostate>(v)) {
        storage.emplace_back();
      } else if (auto n = std::get_if<int64_t>(&v)) {
        storage.push_back(std::to_string(*n));
      } else if (auto d = std::get_if<double>(&v)) {
        storage.push_back(pqxx::to_string(*d));
      } else {
        storage.push_back(std::get<std::string>(v));
      }
    }
    for (size_t i = 0; i < storage.size(); ++i) {
      pointers.push_back(std::holds_alternative<std::monostate>(params.values()[i])
                             ? nullptr
                             : storage[i].c_str());
    }
    try {
      const std::string& name = conn_->Prepared(sql);
      pqxx::result r = work_->exec_prepared(name, pqxx::prepare::make_dynamic_params(pointers));
      QueryResult out;
      out.affected_rows = static_cast<int64_t>(r.affected_rows());
      out.rows.reserve(r.size());
      for (const auto& row : r) {
        std::vector<Value> values;
        values.reserve(row.size());
        for (const auto& field : row) {
          if (field.is_null())
            values.emplace_back(std::monostate{});
          else
            values.emplace_back(std::string(field.c_str(), field.size()));
        }
        out.rows.emplace_back(std::move(values));
      }
      return out;
    } catch (const pqxx::failure&) {
      Rethrow();
    }
  }

  void Commit() override {
    try {
      work_->commit();
    } catch (const pqxx::failure&) {
      Rethrow();
    }
    RunCommitHooks();
  }
  Dialect dialect() const override { return Dialect::kPostgres; }

  void InsertRows(std::string_view table, const std::vector<std::string>& columns,
                  const std::vector<std::vector<Value>>& rows) override {
    if (rows.empty()) return;
    try {
      // stream_to (libpqxx 6.4) keeps its raw-line writer private and escapes only
      // typed tuples; tablewriter takes pre-escaped COPY lines. It is deprecated in
      // favour of stream_to, hence the pragma.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      pqxx::tablewriter stream(*work_, std::string(table), columns.begin(), columns.end());
#pragma GCC diagnostic pop
      std::string line;
      for (const auto& row : rows) {
        line.clear();
        for (size_t c = 0; c < row.size(); ++c) {
          if (c) line.push_back('\t');
          AppendCopyText(row[c], &line);
        }
        stream.write_raw_line(line);
      }
      stream.complete();
    } catch (const pqxx::failure&) {
      Rethrow();
    }
  }

 private:
  // COPY's text format: \N for NULL, and backslash escapes for the characters that
  // delimit fields and rows.
  static void AppendCopyText(const Value& v, std::string* out) {
    if (std::holds_alternative<std::monostate>(v)) {
      out->append("\\N");
    } else if (auto n = std::get_if<int64_t>(&v)) {
      out->append(std::to_string(*n));
    } else if (auto d = std::get_if<double>(&v)) {
      out->append(pqxx::to_string(*d));
    } else {
      for (char ch : std::get<std::string>(v)) {
        switch (ch) {
          case '\\':
            out->append("\\\\");
            break;
          case '\t':
            out->append("\\t");
            break;
          case '\n':
            out->append("\\n");
            break;
          case '\r':
            out->append("\\r");
            break;
          default:
            out->push_back(ch);
        }
      }
    }
  }

  PostgresDatabase& owner_;
  std::unique_ptr<PgConnection> conn_;
  std::unique_ptr<pqxx::work> work_;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(std::string url, int pool_size) : url_(std::move(url)), capacity_(pool_size) {
    // Connect one now so a wrong URL fails at start-up with a clear message.
    idle_.push_back(std::make_unique<PgConnection>(url_));
    created_ = 1;
  }
  Dialect dialect() const override { return Dialect::kPostgres; }

  std::unique_ptr<Transaction> Begin(bool /*for_write*/) override {
    return std::make_unique<PgTransaction>(*this, Acquire());
  }

  void ExecuteScript(std::string_view sql) override {
    auto conn = Acquire();
    try {
      pqxx::nontransaction tx(conn->conn());
      tx.exec(std::string(sql));
    } catch (const pqxx::failure&) {
      Release(std::move(conn));
      Rethrow();
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

  std::string Describe() const override { return MaskDatabaseUrl(url_); }

  std::unique_ptr<PgConnection> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || created_ < capacity_; });
    std::unique_ptr<PgConnection> conn;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++created_;
    }
    lock.unlock();
    if (!conn || !conn->is_open()) {
      // A dropped connection is replaced rather than handed out broken.
      try {
        conn = std::make_unique<PgConnection>(url_);
      } catch (...) {
        std::lock_guard relock(mutex_);
        --created_;
        available_.notify_one();
        throw;
      }
    }
    return conn;
  }

  void Release(std::unique_ptr<PgConnection> conn) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(std::move(conn));
    }
    available_.notify_one();
  }

 private:
  std::string url_;
  int capacity_;
  int created_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

PgTransaction::PgTransaction(PostgresDatabase& owner, std::unique_ptr<PgConnection> conn)
    : owner_(owner), conn_(std::move(conn)) {
  try {
    work_ = std::make_unique<pqxx::work>(conn_->conn());
  } catch (const pqxx::failure&) {
    owner_.Release(std::move(conn_));
    Rethrow();
  }
}

PgTransaction::~PgTransaction() {
  work_.reset();  // aborts if not committed
  owner_.Release(std::move(conn_));
}

}  // namespace

std::unique_ptr<Database> OpenPostgresDatabase(const std::string& url, int pool_size) {
  return std::make_unique<PostgresDatabase>(url, std::max(1, pool_size));
}

}  // namespace vaarta::storage
