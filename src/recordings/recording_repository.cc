#include "recordings/recording_repository.h"

#include <nlohmann/json.hpp>

namespace vaarta::recordings {
namespace {

using storage::Int;
using storage::OptInt;
using storage::Text;

constexpr const char* kColumns =
    "id, attempt_id, lead_id, provider, provider_recording_id, call_id, state, blob_key, "
    "content_type, size_bytes, duration_seconds, channels, remote_deleted, error, created_at, "
    "stored_at, erased_at";

// The `error` column: {"reason": ..., "fetch_failures": n, "remote_delete_failures": n,
// "retry_at": ms}, or "" when nothing failed. Text that is not such an object (written
// by hand, say) is read as the reason.
void ReadError(const std::string& text, Recording* r) {
  if (text.empty()) return;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    r->error = text;
    return;
  }
  r->error = j.value("reason", "");
  r->fetch_failures = j.value("fetch_failures", 0);
  r->remote_delete_failures = j.value("remote_delete_failures", 0);
  r->retry_at = j.value("retry_at", int64_t{0});
}

std::string ErrorText(const Recording& r) {
  if (r.error.empty() && r.fetch_failures == 0 && r.remote_delete_failures == 0 &&
      r.retry_at == 0) {
    return "";
  }
  nlohmann::json j = {{"reason", r.error},
                      {"fetch_failures", r.fetch_failures},
                      {"remote_delete_failures", r.remote_delete_failures},
                      {"retry_at", r.retry_at}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Recording FromRow(const storage::Row& row) {
  Recording r;
  r.id = row.GetInt(0);
  r.attempt_id = row.GetOptInt(1);
  r.lead_id = row.GetOptInt(2);
  r.provider = row.GetText(3);
  r.provider_recording_id = row.GetText(4);
  r.call_id = row.GetText(5);
  r.state = ParseRecordingState(row.GetText(6)).value_or(RecordingState::kFailed);
  r.blob_key = row.GetText(7);
  r.content_type = row.GetText(8);
  r.size_bytes = row.GetInt(9);
  r.duration_seconds = static_cast<int>(row.GetInt(10));
  r.channels = static_cast<int>(row.GetInt(11));
  r.remote_deleted = row.GetInt(12) != 0;
  ReadError(row.GetText(13), &r);
  r.created_at = row.GetInt(14);
  r.stored_at = row.GetOptInt(15);
  r.erased_at = row.GetOptInt(16);
  return r;
}

std::vector<Recording> FromRows(const storage::QueryResult& result) {
  std::vector<Recording> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(FromRow(row));
  return out;
}

std::string Select(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM recordings WHERE " + where;
}

storage::Value StateText(RecordingState state) {
  return Text(std::string(RecordingStateName(state)));
}

// Locks the row where the engine can (SQLite's write transaction already excludes
// other writers).
std::optional<Recording> FindForUpdate(storage::Transaction& tx, int64_t id) {
  std::string sql = Select("id = $1");
  if (tx.dialect() == storage::Dialect::kPostgres) sql += " FOR UPDATE";
  auto rows = tx.Execute(sql, {Int(id)}).rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::vector<Recording> MarkErased(storage::Transaction& tx, const std::string& which,
                                  storage::Value key, int64_t now) {
  // The blob key stays until the blob is confirmed gone (ClearBlobKey), so a blob whose
  // deletion fails after the commit is found again and retried. The failure counts are
  // reset: the provider deletion an erasure asks for starts its own tries.
  return FromRows(
      tx.Execute(std::string("UPDATE recordings SET state = 'erased', erased_at = $2, error = '' "
                             "WHERE state <> 'erased' AND (") +
                     which + ") RETURNING " + kColumns,
                 {std::move(key), Int(now)}));
}

}  // namespace

InsertedRecording RecordingRepository::InsertIfAbsent(storage::Transaction& tx,
                                                      const NewRecording& r) const {
  Recording error_holder;
  error_holder.error = r.error;
  auto inserted = tx.Execute(
      "INSERT INTO recordings (attempt_id, lead_id, provider, provider_recording_id, call_id, "
      "state, duration_seconds, channels, error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, $9, $10) ON CONFLICT (provider, provider_recording_id) DO NOTHING RETURNING id",
      {OptInt(r.attempt_id), OptInt(r.lead_id), Text(r.provider), Text(r.provider_recording_id),
       Text(r.call_id), StateText(r.state), Int(r.duration_seconds), Int(r.channels),
       Text(ErrorText(error_holder)), Int(r.created_at)});
  if (!inserted.rows.empty()) return {inserted.rows[0].GetInt(0), true};
  auto existing =
      tx.Execute("SELECT id FROM recordings WHERE provider = $1 AND provider_recording_id = $2",
                 {Text(r.provider), Text(r.provider_recording_id)});
  return {existing.rows.at(0).GetInt(0), false};
}

std::optional<Recording> RecordingRepository::FindById(storage::Transaction& tx, int64_t id) const {
  auto rows = tx.Execute(Select("id = $1"), {Int(id)}).rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::optional<Recording> RecordingRepository::FindByProviderId(
    storage::Transaction& tx, const std::string& provider,
    const std::string& provider_recording_id) const {
  auto rows = tx.Execute(Select("provider = $1 AND provider_recording_id = $2"),
                         {Text(provider), Text(provider_recording_id)})
                  .rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::vector<Recording> RecordingRepository::ListForAttempt(storage::Transaction& tx,
                                                           int64_t attempt_id) const {
  return FromRows(tx.Execute(Select("attempt_id = $1 ORDER BY id"), {Int(attempt_id)}));
}

std::optional<int64_t> RecordingRepository::LeadOfAttempt(storage::Transaction& tx,
                                                          int64_t attempt_id) const {
  auto rows = tx.Execute("SELECT lead_id FROM call_attempts WHERE id = $1", {Int(attempt_id)}).rows;
  if (rows.empty()) return std::nullopt;
  return rows[0].GetOptInt(0);
}

std::vector<Recording> RecordingRepository::DueForFetch(storage::Transaction& tx, int64_t now,
                                                        int limit) const {
  // Pending rows are few (a copy takes seconds), so the retry time is checked here
  // rather than in SQL; the scan is bounded all the same.
  std::vector<Recording> due;
  for (auto& r : FromRows(tx.Execute(Select("state = 'pending' ORDER BY id LIMIT $1"),
                                     {Int(int64_t{limit} * 4)}))) {
    if (r.retry_at <= now && static_cast<int>(due.size()) < limit) due.push_back(std::move(r));
  }
  return due;
}

std::vector<Recording> RecordingRepository::DueForRemoteDelete(storage::Transaction& tx,
                                                               int64_t now, bool include_stored,
                                                               int max_failures, int limit) const {
  std::string states = include_stored ? "state IN ('erased', 'stored')" : "state = 'erased'";
  std::vector<Recording> due;
  for (auto& r :
       FromRows(tx.Execute(Select("remote_deleted = 0 AND " + states + " ORDER BY id LIMIT $1"),
                           {Int(int64_t{limit} * 4)}))) {
    if (r.retry_at <= now && r.remote_delete_failures < max_failures &&
        static_cast<int>(due.size()) < limit) {
      due.push_back(std::move(r));
    }
  }
  return due;
}

std::vector<Recording> RecordingRepository::ErasedWithBlobs(storage::Transaction& tx,
                                                            int limit) const {
  return FromRows(
      tx.Execute(Select("state = 'erased' AND blob_key <> '' ORDER BY id LIMIT $1"), {Int(limit)}));
}

bool RecordingRepository::MarkStored(storage::Transaction& tx, int64_t id,
                                     const std::string& blob_key, const std::string& content_type,
                                     int64_t size_bytes, int64_t now) const {
  return tx.Execute(
               "UPDATE recordings SET state = 'stored', blob_key = $2, content_type = $3, "
               "size_bytes = $4, stored_at = $5, error = '' WHERE id = $1 AND state = 'pending'",
               {Int(id), Text(blob_key), Text(content_type), Int(size_bytes), Int(now)})
             .affected_rows > 0;
}

bool RecordingRepository::RecordFetchFailure(storage::Transaction& tx, int64_t id,
                                             const std::string& reason, int64_t retry_at,
                                             bool give_up) const {
  auto r = FindForUpdate(tx, id);
  if (!r || r->state != RecordingState::kPending) return false;
  r->error = reason;
  r->fetch_failures += 1;
  r->retry_at = give_up ? 0 : retry_at;
  tx.Execute("UPDATE recordings SET state = $2, error = $3 WHERE id = $1 AND state = 'pending'",
             {Int(id), StateText(give_up ? RecordingState::kFailed : RecordingState::kPending),
              Text(ErrorText(*r))});
  return true;
}

void RecordingRepository::MarkRemoteDeleted(storage::Transaction& tx, int64_t id) const {
  auto r = FindForUpdate(tx, id);
  if (!r) return;
  // A stored row's remaining error was about the provider copy, which is now gone.
  r->error.clear();
  r->remote_delete_failures = 0;
  r->retry_at = 0;
  tx.Execute("UPDATE recordings SET remote_deleted = 1, error = $2 WHERE id = $1",
             {Int(id), Text(ErrorText(*r))});
}

int RecordingRepository::RecordRemoteDeleteFailure(storage::Transaction& tx, int64_t id,
                                                   const std::string& reason,
                                                   int64_t retry_at) const {
  auto r = FindForUpdate(tx, id);
  if (!r) return 0;
  r->error = reason;
  r->remote_delete_failures += 1;
  r->retry_at = retry_at;
  tx.Execute("UPDATE recordings SET error = $2 WHERE id = $1", {Int(id), Text(ErrorText(*r))});
  return r->remote_delete_failures;
}

std::vector<Recording> RecordingRepository::EraseForLead(storage::Transaction& tx, int64_t lead_id,
                                                         int64_t now) const {
  return MarkErased(
      tx, "lead_id = $1 OR attempt_id IN (SELECT id FROM call_attempts WHERE lead_id = $1)",
      Int(lead_id), now);
}

std::vector<Recording> RecordingRepository::EraseForNumber(storage::Transaction& tx,
                                                           const std::string& e164,
                                                           int64_t now) const {
  return MarkErased(tx,
                    "lead_id IN (SELECT id FROM leads WHERE phone_e164 = $1) OR attempt_id IN "
                    "(SELECT a.id FROM call_attempts a JOIN leads l ON l.id = a.lead_id WHERE "
                    "l.phone_e164 = $1)",
                    Text(e164), now);
}

void RecordingRepository::ClearBlobKey(storage::Transaction& tx, int64_t id) const {
  tx.Execute("UPDATE recordings SET blob_key = '' WHERE id = $1 AND state = 'erased'", {Int(id)});
}

}  // namespace vaarta::recordings
