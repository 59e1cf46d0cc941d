#include "compliance/do_not_call_repository.h"

namespace vaarta::compliance {
namespace {

using storage::Int;
using storage::OptText;
using storage::Text;

constexpr char kColumns[] =
    "id, number_hash, phone_e164, source, reason, added_at, added_by, removed_at, removed_by, "
    "removal_reason, erased_at";

DncEntry FromRow(const storage::Row& row) {
  DncEntry e;
  e.id = row.GetInt(0);
  e.number_hash = row.GetText(1);
  e.phone_e164 = row.GetOptText(2);
  e.source = row.GetText(3);
  e.reason = row.GetText(4);
  e.added_at = row.GetInt(5);
  e.added_by = row.GetText(6);
  e.removed_at = row.GetOptInt(7);
  e.removed_by = row.GetOptText(8);
  e.removal_reason = row.GetOptText(9);
  e.erased_at = row.GetOptInt(10);
  return e;
}

std::optional<DncEntry> First(const storage::QueryResult& result) {
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows[0]);
}

std::vector<DncEntry> All(const storage::QueryResult& result) {
  std::vector<DncEntry> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace

std::optional<DncEntry> DoNotCallRepository::InsertIfAbsent(storage::Transaction& tx,
                                                            const DncEntry& e) {
  // ON CONFLICT names the partial unique index's column and predicate (both engines
  // accept this form); a concurrent add of the same number waits for the other
  // transaction and then inserts nothing.
  return First(tx.Execute(
      std::string("INSERT INTO do_not_call (number_hash, phone_e164, source, reason, added_at, "
                  "added_by) VALUES ($1, $2, $3, $4, $5, $6) "
                  "ON CONFLICT (number_hash) WHERE removed_at IS NULL DO NOTHING RETURNING ") +
          kColumns,
      {Text(e.number_hash), OptText(e.phone_e164), Text(e.source), Text(e.reason), Int(e.added_at),
       Text(e.added_by)}));
}

std::optional<DncEntry> DoNotCallRepository::FindActive(storage::Transaction& tx,
                                                        const std::string& number_hash) {
  return First(tx.Execute(std::string("SELECT ") + kColumns +
                              " FROM do_not_call WHERE number_hash = $1 AND removed_at IS NULL",
                          {Text(number_hash)}));
}

std::optional<DncEntry> DoNotCallRepository::FindById(storage::Transaction& tx, int64_t id) {
  return First(
      tx.Execute(std::string("SELECT ") + kColumns + " FROM do_not_call WHERE id = $1", {Int(id)}));
}

std::vector<DncEntry> DoNotCallRepository::History(storage::Transaction& tx,
                                                   const std::string& number_hash) {
  return All(tx.Execute(std::string("SELECT ") + kColumns +
                            " FROM do_not_call WHERE number_hash = $1 ORDER BY id DESC",
                        {Text(number_hash)}));
}

std::vector<DncEntry> DoNotCallRepository::List(storage::Transaction& tx,
                                                const DncListFilter& filter, int64_t before_id,
                                                int limit) {
  // Walks the list newest first by id and filters as it goes: the list holds thousands
  // to a few hundred thousand numbers, and a prefix search is an occasional admin
  // action, so it does not earn an index paid for on every add.
  std::string sql = std::string("SELECT ") + kColumns + " FROM do_not_call WHERE 1 = 1";
  storage::Params params;
  auto next = [&params](storage::Value v) {
    params.Add(std::move(v));
    return "$" + std::to_string(params.values().size());
  };
  if (!filter.include_removed) sql += " AND removed_at IS NULL";
  if (filter.number_prefix) {
    // The prefix is '+' and digits only (checked by the caller): no LIKE wildcards.
    sql += " AND phone_e164 LIKE " + next(Text(*filter.number_prefix + "%"));
  }
  if (before_id > 0) sql += " AND id < " + next(Int(before_id));
  sql += " ORDER BY id DESC LIMIT " + next(Int(limit));
  return All(tx.Execute(sql, params));
}

bool DoNotCallRepository::MarkRemoved(storage::Transaction& tx, int64_t id, int64_t at,
                                      const std::string& by, const std::string& reason) {
  return tx.Execute(
               "UPDATE do_not_call SET removed_at = $2, removed_by = $3, removal_reason = $4 "
               "WHERE id = $1 AND removed_at IS NULL",
               {Int(id), Int(at), Text(by), Text(reason)})
             .affected_rows == 1;
}

std::vector<std::string> DoNotCallRepository::ActiveAmong(storage::Transaction& tx,
                                                          const std::vector<std::string>& hashes) {
  std::vector<std::string> out;
  if (hashes.empty()) return out;
  std::string sql =
      "SELECT number_hash FROM do_not_call WHERE removed_at IS NULL AND number_hash IN (";
  storage::Params params;
  for (size_t i = 0; i < hashes.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 1);
    params.Add(Text(hashes[i]));
  }
  sql += ")";
  for (const auto& row : tx.Execute(sql, params).rows) out.push_back(row.GetText(0));
  return out;
}

std::unordered_set<std::string> DoNotCallRepository::AllActiveHashes(storage::Transaction& tx) {
  auto result = tx.Execute("SELECT number_hash FROM do_not_call WHERE removed_at IS NULL");
  std::unordered_set<std::string> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.insert(row.GetText(0));
  return out;
}

int64_t DoNotCallRepository::CountActive(storage::Transaction& tx) {
  return tx.Execute("SELECT COUNT(*) FROM do_not_call WHERE removed_at IS NULL").rows[0].GetInt(0);
}

int64_t DoNotCallRepository::Erase(storage::Transaction& tx, const std::string& number_hash,
                                   int64_t at) {
  return tx
      .Execute(
          "UPDATE do_not_call SET phone_e164 = NULL, reason = '', removal_reason = NULL, "
          "erased_at = $2 WHERE number_hash = $1 AND erased_at IS NULL",
          {Text(number_hash), Int(at)})
      .affected_rows;
}

std::string DoNotCallRepository::StoredKeyFingerprint(storage::Transaction& tx,
                                                      const std::string& name,
                                                      const std::string& fingerprint, int64_t at) {
  tx.Execute(
      "INSERT INTO compliance_keys (name, fingerprint, created_at) VALUES ($1, $2, $3) "
      "ON CONFLICT (name) DO NOTHING",
      {Text(name), Text(fingerprint), Int(at)});
  return tx.Execute("SELECT fingerprint FROM compliance_keys WHERE name = $1", {Text(name)})
      .rows[0]
      .GetText(0);
}

}  // namespace vaarta::compliance
