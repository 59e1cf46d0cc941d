#include "audit/audit_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/crypto.h"

namespace vaarta::audit {
namespace {

// Key of the PostgreSQL advisory lock that queues appenders, so each reads the true
// last record before inserting the next one.
constexpr int64_t kAppendLockKey = 7261002;
constexpr int kVerifyBatch = 1000;
const std::string kGenesisHash(64, '0');

constexpr char kColumns[] =
    "id, seq, at, actor, role, address, action, target, outcome, summary, request_id, "
    "prev_hash, hash";

AuditRecord FromRow(const storage::Row& row) {
  AuditRecord r;
  r.id = row.GetInt(0);
  r.seq = row.GetInt(1);
  r.at = row.GetInt(2);
  r.entry.actor = row.GetText(3);
  r.entry.role = row.GetText(4);
  r.entry.address = row.GetText(5);
  r.entry.action = row.GetText(6);
  r.entry.target = row.GetText(7);
  r.entry.outcome = row.GetText(8);
  r.entry.summary = row.GetText(9);
  r.entry.request_id = row.GetText(10);
  r.prev_hash = row.GetText(11);
  r.hash = row.GetText(12);
  return r;
}

// Values in audit entries partly come from clients (addresses, request ids, e-mails).
// PostgreSQL refuses text with NUL or invalid UTF-8, and the hash input must be one
// well-defined byte string, so such bytes become U+FFFD before anything is stored.
std::string Sanitize(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = 0;
    uint32_t min = 0;
    if (c == 0) {
      len = 0;
    } else if (c < 0x80) {
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      min = 0x10000;
    }
    bool valid = len > 0 && i + len <= text.size();
    uint32_t cp = len == 1 ? c : (len == 2 ? c & 0x1F : (len == 3 ? c & 0x0F : c & 0x07));
    for (size_t k = 1; valid && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8 either.
    if (valid && len > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) {
      valid = false;
    }
    if (valid) {
      out.append(text, i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      i += 1;
    }
  }
  return out;
}

AuditEntry SanitizeEntry(const AuditEntry& in) {
  AuditEntry e;
  e.actor = Sanitize(in.actor);
  e.role = Sanitize(in.role);
  e.address = Sanitize(in.address);
  e.action = Sanitize(in.action);
  e.target = Sanitize(in.target);
  e.outcome = Sanitize(in.outcome);
  e.summary = in.summary.empty() ? "{}" : Sanitize(in.summary);
  e.request_id = Sanitize(in.request_id);
  return e;
}

// Number of characters in UTF-8 text, as SQL substr() counts them.
int64_t CharCount(const std::string& text) {
  int64_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

AuditLog::AuditLog(storage::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

std::string AuditLog::ComputeHash(const AuditRecord& record) {
  const AuditEntry& e = record.entry;
  nlohmann::json fields =
      nlohmann::json::array({record.seq, record.at, e.actor, e.role, e.address, e.action, e.target,
                             e.outcome, e.summary, e.request_id});
  // Append stores only valid UTF-8, so "replace" never changes what is hashed for a
  // genuine record; it just keeps Verify from throwing on a row edited to hold bad bytes.
  std::string canonical = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return core::Sha256Hex(record.prev_hash + "\n" + canonical);
}

AuditRecord AuditLog::Append(const AuditEntry& entry) {
  auto tx = db_.Begin(true);
  AuditRecord record = Append(*tx, entry);
  tx->Commit();
  return record;
}

AuditRecord AuditLog::Append(storage::Transaction& tx, const AuditEntry& entry) {
  if (tx.dialect() == storage::Dialect::kPostgres) {
    // Held until the transaction ends. Under READ COMMITTED the SELECT below, run after
    // the lock is granted, sees the previous holder's committed record.
    tx.Execute("SELECT pg_advisory_xact_lock($1)", {storage::Int(kAppendLockKey)});
  }
  // On SQLite the caller's write transaction (BEGIN IMMEDIATE) already excludes others.
  auto last = tx.Execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  AuditRecord record;
  record.entry = SanitizeEntry(entry);
  record.at = clock_.NowMillis();
  if (last.rows.empty()) {
    record.seq = 1;
    record.prev_hash = kGenesisHash;
  } else {
    record.seq = last.rows.front().GetInt(0) + 1;
    record.prev_hash = last.rows.front().GetText(1);
  }
  record.hash = ComputeHash(record);
  const AuditEntry& e = record.entry;
  auto inserted = tx.Execute(
      "INSERT INTO audit_log (seq, at, actor, role, address, action, target, outcome, summary, "
      "request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
      "RETURNING id",
      {storage::Int(record.seq), storage::Int(record.at), storage::Text(e.actor),
       storage::Text(e.role), storage::Text(e.address), storage::Text(e.action),
       storage::Text(e.target), storage::Text(e.outcome), storage::Text(e.summary),
       storage::Text(e.request_id), storage::Text(record.prev_hash), storage::Text(record.hash)});
  record.id = inserted.rows.at(0).GetInt(0);
  if (listener_) {
    // Announced only once the caller's transaction commits; a failing live-feed
    // subscriber cannot turn a completed append into an error (RunCommitHooks).
    tx.OnCommit([listener = listener_, record] { listener(record); });
  }
  return record;
}

std::vector<AuditRecord> AuditLog::Page(const AuditFilter& filter, int64_t before_seq, int limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  storage::Params params;
  int n = 0;
  auto next = [&n] { return "$" + std::to_string(++n); };
  if (before_seq > 0) {
    sql += " AND seq < " + next();
    params.Add(storage::Int(before_seq));
  }
  if (filter.actor) {
    sql += " AND actor = " + next();
    params.Add(storage::Text(*filter.actor));
  }
  if (filter.action && !filter.action->empty()) {
    // substr() rather than LIKE: LIKE is case-insensitive in SQLite and treats '_' and
    // '%' in the prefix as wildcards.
    std::string text = next();
    std::string length = next();
    sql += " AND substr(action, 1, " + length + ") = " + text;
    params.Add(storage::Text(*filter.action));
    params.Add(storage::Int(CharCount(*filter.action)));
  }
  if (filter.since) {
    sql += " AND at >= " + next();
    params.Add(storage::Int(*filter.since));
  }
  if (filter.until) {
    sql += " AND at < " + next();
    params.Add(storage::Int(*filter.until));
  }
  sql += " ORDER BY seq DESC LIMIT " + next();
  params.Add(storage::Int(std::max(0, limit)));

  auto tx = db_.Begin(false);
  auto result = tx->Execute(sql, params);
  tx->Commit();
  std::vector<AuditRecord> records;
  records.reserve(result.rows.size());
  for (const auto& row : result.rows) records.push_back(FromRow(row));
  return records;
}

VerifyReport AuditLog::Verify() {
  VerifyReport report;
  int64_t expected_seq = 1;
  std::string prev_hash = kGenesisHash;
  auto fail = [&report](int64_t seq, std::string problem) {
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
    return report;
  };
  // One read transaction: on SQLite (WAL) it is a consistent snapshot; on PostgreSQL
  // each batch sees everything committed so far, and records only ever get appended.
  auto tx = db_.Begin(false);
  while (true) {
    auto result = tx->Execute(
        std::string("SELECT ") + kColumns + " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2",
        {storage::Int(expected_seq), storage::Int(kVerifyBatch)});
    // A record whose seq was lowered below expected_seq would be skipped by the query;
    // that still shows up, as the next record's prev_hash no longer matches.
    for (const auto& row : result.rows) {
      AuditRecord record = FromRow(row);
      if (record.seq != expected_seq) {
        return fail(expected_seq, expected_seq == 1 ? "the first record (seq 1) is missing"
                                                    : "record " + std::to_string(expected_seq) +
                                                          " is missing (deleted)");
      }
      if (record.prev_hash != prev_hash) {
        return fail(record.seq, record.seq == 1
                                    ? "the first record does not start from the genesis hash"
                                    : "prev_hash does not match the hash of record " +
                                          std::to_string(record.seq - 1) +
                                          " (a record was removed or "
                                          "replaced)");
      }
      if (ComputeHash(record) != record.hash) {
        return fail(record.seq, "hash mismatch: the record was modified after it was written");
      }
      prev_hash = record.hash;
      ++expected_seq;
      ++report.records;
      report.head_hash = record.hash;
    }
    if (result.rows.size() < static_cast<size_t>(kVerifyBatch)) break;
  }
  tx->Commit();
  return report;
}

void AuditLog::SetListener(std::function<void(const AuditRecord&)> listener) {
  listener_ = std::move(listener);
}

}  // namespace vaarta::audit
