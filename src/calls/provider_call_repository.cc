#include "calls/provider_call_repository.h"

namespace vaarta::calls {

using storage::Int;
using storage::Null;
using storage::OptInt;
using storage::Text;

namespace {

constexpr const char* kColumns =
    "attempt_id, provider, account_id, call_id, worker, transport, status, status_sequence, "
    "answered_by, answered_at, ended_at, duration_seconds, error_code, conversation_state, "
    "disposition, callback_at, final, consumed, created_at, updated_at, sentiment_score, "
    "summary";

ProviderCall FromRow(const storage::Row& r) {
  ProviderCall c;
  c.attempt_id = r.GetInt(0);
  c.provider = r.GetText(1);
  c.account_id = r.GetText(2);
  c.call_id = r.GetText(3);
  c.worker = r.GetText(4);
  c.transport = r.GetText(5);
  c.status = r.GetText(6);
  c.status_sequence = r.GetInt(7);
  c.answered_by = r.GetText(8);
  c.answered_at = r.GetOptInt(9);
  c.ended_at = r.GetOptInt(10);
  c.duration_seconds = r.GetOptInt(11);
  c.error_code = r.GetText(12);
  c.conversation_state = nlohmann::json::parse(r.GetText(13), nullptr, false);
  if (c.conversation_state.is_discarded()) c.conversation_state = nlohmann::json::object();
  c.disposition = r.GetText(14);
  c.callback_at = r.GetOptInt(15);
  c.final = r.GetInt(16) != 0;
  c.consumed = r.GetInt(17) != 0;
  c.created_at = r.GetInt(18);
  c.updated_at = r.GetInt(19);
  if (!r.IsNull(20)) c.sentiment_score = r.GetDouble(20);
  c.summary = r.GetText(21);
  return c;
}

std::vector<ProviderCall> FromRows(const storage::QueryResult& result) {
  std::vector<ProviderCall> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace

std::string PendingCallId(int64_t attempt_id) { return "pending:" + std::to_string(attempt_id); }

void ProviderCallRepository::Insert(storage::Transaction& tx, const ProviderCall& c) const {
  tx.Execute(std::string("INSERT INTO provider_calls (") + kColumns +
                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                 "$16, $17, $18, $19, $20, CAST($21 AS DOUBLE PRECISION), $22)",
             {Int(c.attempt_id),
              Text(c.provider),
              Text(c.account_id),
              Text(c.call_id),
              Text(c.worker),
              Text(c.transport),
              Text(c.status),
              Int(c.status_sequence),
              Text(c.answered_by),
              OptInt(c.answered_at),
              OptInt(c.ended_at),
              OptInt(c.duration_seconds),
              Text(c.error_code),
              Text(c.conversation_state.dump()),
              Text(c.disposition),
              OptInt(c.callback_at),
              Int(c.final ? 1 : 0),
              Int(c.consumed ? 1 : 0),
              Int(c.created_at),
              Int(c.updated_at),
              c.sentiment_score ? storage::Value(*c.sentiment_score) : Null(),
              Text(c.summary)});
}

std::optional<ProviderCall> ProviderCallRepository::Find(storage::Transaction& tx,
                                                         int64_t attempt_id,
                                                         bool for_update) const {
  std::string sql =
      std::string("SELECT ") + kColumns + " FROM provider_calls WHERE attempt_id = $1";
  if (for_update && tx.dialect() == storage::Dialect::kPostgres) sql += " FOR UPDATE";
  auto result = tx.Execute(sql, {Int(attempt_id)});
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows[0]);
}

void ProviderCallRepository::Update(storage::Transaction& tx, const ProviderCall& c) const {
  tx.Execute(
      "UPDATE provider_calls SET call_id = $2, status = $3, status_sequence = $4, "
      "answered_by = $5, answered_at = $6, ended_at = $7, duration_seconds = $8, "
      "error_code = $9, conversation_state = $10, disposition = $11, callback_at = $12, "
      "final = $13, consumed = $14, updated_at = $15, "
      "sentiment_score = CAST($16 AS DOUBLE PRECISION), summary = $17 WHERE attempt_id = $1",
      {Int(c.attempt_id), Text(c.call_id), Text(c.status), Int(c.status_sequence),
       Text(c.answered_by), OptInt(c.answered_at), OptInt(c.ended_at), OptInt(c.duration_seconds),
       Text(c.error_code), Text(c.conversation_state.dump()), Text(c.disposition),
       OptInt(c.callback_at), Int(c.final ? 1 : 0), Int(c.consumed ? 1 : 0), Int(c.updated_at),
       c.sentiment_score ? storage::Value(*c.sentiment_score) : Null(), Text(c.summary)});
}

bool ProviderCallRepository::RecordEvent(storage::Transaction& tx, const CallEventRecord& e) const {
  auto result = tx.Execute(
      "INSERT INTO call_events (attempt_id, provider, call_id, kind, dedupe_key, status, "
      "sequence, received_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
      "ON CONFLICT (provider, call_id, kind, dedupe_key) DO NOTHING",
      {e.attempt_id > 0 ? Int(e.attempt_id) : Null(), Text(e.provider), Text(e.call_id),
       Text(e.kind), Text(e.dedupe_key), Text(e.status), Int(e.sequence), Int(e.received_at),
       Text(e.payload.dump())});
  return result.affected_rows > 0;
}

std::vector<ProviderCall> ProviderCallRepository::TakeFinished(storage::Transaction& tx,
                                                               const std::string& worker,
                                                               int limit) const {
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM provider_calls WHERE worker = $1 AND final = 1 AND consumed = 0 "
                    "ORDER BY attempt_id LIMIT $2";
  if (tx.dialect() == storage::Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  auto calls = FromRows(tx.Execute(sql, {Text(worker), Int(limit)}));
  for (auto& call : calls) {
    tx.Execute("UPDATE provider_calls SET consumed = 1 WHERE attempt_id = $1",
               {Int(call.attempt_id)});
    call.consumed = true;
  }
  return calls;
}

std::vector<ProviderCall> ProviderCallRepository::ListQuiet(storage::Transaction& tx,
                                                            const std::string& worker,
                                                            int64_t updated_before,
                                                            int limit) const {
  return FromRows(tx.Execute(std::string("SELECT ") + kColumns +
                                 " FROM provider_calls WHERE worker = $1 AND final = 0 AND "
                                 "updated_at < $2 ORDER BY updated_at LIMIT $3",
                             {Text(worker), Int(updated_before), Int(limit)}));
}

void ProviderCallRepository::AppendTurn(storage::Transaction& tx, const CallTurn& t) const {
  tx.Execute(
      "INSERT INTO call_turns (attempt_id, seq, speaker, text, language, intent, confidence, "
      "step, at, sentiment, sentiment_score, latency_ms) SELECT CAST($1 AS BIGINT), "
      "COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, CAST($6 AS DOUBLE PRECISION), $7, "
      "CAST($8 AS BIGINT), $9, CAST($10 AS DOUBLE PRECISION), CAST($11 AS BIGINT) "
      "FROM call_turns WHERE attempt_id = $1",
      {Int(t.attempt_id), Text(t.speaker), Text(t.text), Text(t.language), Text(t.intent),
       t.confidence ? storage::Value(*t.confidence) : Null(), Text(t.step), Int(t.at),
       Text(t.sentiment), t.sentiment_score ? storage::Value(*t.sentiment_score) : Null(),
       OptInt(t.latency_ms)});
}

std::vector<CallTurn> ProviderCallRepository::Turns(storage::Transaction& tx,
                                                    int64_t attempt_id) const {
  auto result = tx.Execute(
      "SELECT attempt_id, seq, speaker, text, language, intent, confidence, step, at, "
      "sentiment, sentiment_score, latency_ms FROM call_turns WHERE attempt_id = $1 ORDER BY seq",
      {Int(attempt_id)});
  std::vector<CallTurn> out;
  for (const auto& r : result.rows) {
    CallTurn t;
    t.attempt_id = r.GetInt(0);
    t.seq = static_cast<int>(r.GetInt(1));
    t.speaker = r.GetText(2);
    t.text = r.GetText(3);
    t.language = r.GetText(4);
    t.intent = r.GetText(5);
    if (!r.IsNull(6)) t.confidence = r.GetDouble(6);
    t.step = r.GetText(7);
    t.at = r.GetInt(8);
    t.sentiment = r.GetText(9);
    if (!r.IsNull(10)) t.sentiment_score = r.GetDouble(10);
    t.latency_ms = r.GetOptInt(11);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<CallEventRecord> ProviderCallRepository::Events(storage::Transaction& tx,
                                                            int64_t attempt_id) const {
  auto result = tx.Execute(
      "SELECT attempt_id, provider, call_id, kind, dedupe_key, status, sequence, received_at, "
      "payload FROM call_events WHERE attempt_id = $1 ORDER BY id",
      {Int(attempt_id)});
  std::vector<CallEventRecord> out;
  for (const auto& r : result.rows) {
    CallEventRecord e;
    e.attempt_id = r.GetInt(0);
    e.provider = r.GetText(1);
    e.call_id = r.GetText(2);
    e.kind = r.GetText(3);
    e.dedupe_key = r.GetText(4);
    e.status = r.GetText(5);
    e.sequence = r.GetInt(6);
    e.received_at = r.GetInt(7);
    e.payload = nlohmann::json::parse(r.GetText(8), nullptr, false);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vaarta::calls
