#pragma once
// AuditLog: an append-only, hash-chained record of state changes and security events.
// Each record stores the hash of the one before it, so editing or deleting any record
// breaks the chain and Verify() reports where.
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "storage/database.h"

namespace vaarta::audit {

struct AuditEntry {
  std::string actor;    // "user:3:a@b.in", "apikey:2:crm-sync", "anonymous", "system"
  std::string role;     // "admin", "manager", "agent", "" when unknown
  std::string address;  // client IP
  std::string action;   // "auth.login", "users.update", "POST /api/v1/users", ...
  std::string target;   // what was acted on: "user:7", a path, ...
  std::string outcome;  // "success", "denied", "failed"
  std::string summary;  // JSON text: what changed; "{}" when nothing to add
  std::string request_id;
};

struct AuditRecord {
  int64_t id = 0;
  int64_t seq = 0;  // 1, 2, 3, ... without gaps
  int64_t at = 0;   // Unix ms
  AuditEntry entry;
  std::string prev_hash;
  std::string hash;
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;  // prefix match: "auth." matches "auth.login"
  std::optional<int64_t> since;       // Unix ms, inclusive
  std::optional<int64_t> until;       // Unix ms, exclusive
};

struct VerifyReport {
  bool ok = true;
  int64_t records = 0;
  int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;        // what is wrong at first_bad_seq
  std::string head_hash;      // hash of the last record: write it down to detect truncation
};

class AuditLog {
 public:
  AuditLog(storage::Database& db, const core::Clock& clock);

  // Appends in its own transaction.
  AuditRecord Append(const AuditEntry& entry);
  // Appends inside the caller's transaction, so the record commits with the change.
  // `tx` must be a write transaction (Begin(true)); make the append the transaction's
  // last statement, as on PostgreSQL it holds the log's lock until commit.
  AuditRecord Append(storage::Transaction& tx, const AuditEntry& entry);

  // Newest first: records with seq < before_seq (0 = from the newest), at most limit.
  std::vector<AuditRecord> Page(const AuditFilter& filter, int64_t before_seq, int limit);
  VerifyReport Verify();

  // Called after each appended record commits, whichever Append wrote it (for the live
  // feed). Set once at wiring time.
  void SetListener(std::function<void(const AuditRecord&)> listener);

  static std::string ComputeHash(const AuditRecord& record);

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  std::function<void(const AuditRecord&)> listener_;
};

}  // namespace vaarta::audit
