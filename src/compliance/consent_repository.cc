#include "compliance/consent_repository.h"

namespace vaarta::compliance {
namespace {

using storage::Int;
using storage::OptInt;
using storage::OptText;
using storage::Text;

constexpr char kColumns[] =
    "id, number_hash, phone_e164, purpose, source, notice_version, notice_language, given_at, "
    "expires_at, withdrawn_at, withdrawn_by, recorded_at, recorded_by, erased_at";

Consent FromRow(const storage::Row& row) {
  Consent c;
  c.id = row.GetInt(0);
  c.number_hash = row.GetText(1);
  c.phone_e164 = row.GetOptText(2);
  c.purpose = row.GetText(3);
  c.source = row.GetText(4);
  c.notice_version = row.GetText(5);
  c.notice_language = row.GetText(6);
  c.given_at = row.GetInt(7);
  c.expires_at = row.GetOptInt(8);
  c.withdrawn_at = row.GetOptInt(9);
  c.withdrawn_by = row.GetOptText(10);
  c.recorded_at = row.GetInt(11);
  c.recorded_by = row.GetText(12);
  c.erased_at = row.GetOptInt(13);
  return c;
}

std::vector<Consent> All(const storage::QueryResult& result) {
  std::vector<Consent> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) out.push_back(FromRow(row));
  return out;
}

}  // namespace

Consent ConsentRepository::Insert(storage::Transaction& tx, const Consent& c) {
  return FromRow(
      tx.Execute(std::string("INSERT INTO consents (number_hash, phone_e164, purpose, source, "
                             "notice_version, notice_language, given_at, expires_at, recorded_at, "
                             "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                             "RETURNING ") +
                     kColumns,
                 {Text(c.number_hash), OptText(c.phone_e164), Text(c.purpose), Text(c.source),
                  Text(c.notice_version), Text(c.notice_language), Int(c.given_at),
                  OptInt(c.expires_at), Int(c.recorded_at), Text(c.recorded_by)})
          .rows.at(0));
}

std::optional<Consent> ConsentRepository::FindById(storage::Transaction& tx, int64_t id) {
  auto rows =
      tx.Execute(std::string("SELECT ") + kColumns + " FROM consents WHERE id = $1", {Int(id)})
          .rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::vector<Consent> ConsentRepository::ForNumbers(storage::Transaction& tx,
                                                   const std::vector<std::string>& number_hashes,
                                                   const std::string& purpose) {
  // The hashes are hex digits, so they need no quoting inside either list literal.
  const bool pg = tx.dialect() == storage::Dialect::kPostgres;
  std::string list = pg ? "{" : "[";
  for (size_t i = 0; i < number_hashes.size(); ++i) {
    list += (i ? "," : "") + std::string(pg ? "" : "\"") + number_hashes[i] + (pg ? "" : "\"");
  }
  list += pg ? "}" : "]";
  return All(tx.Execute(std::string("SELECT ") + kColumns +
                            " FROM consents WHERE purpose = $2 AND " +
                            (pg ? "number_hash = ANY(CAST($1 AS text[]))"
                                : "number_hash IN (SELECT value FROM json_each($1))") +
                            " ORDER BY id DESC",
                        {Text(list), Text(purpose)}));
}

std::vector<Consent> ConsentRepository::ForNumber(storage::Transaction& tx,
                                                  const std::string& number_hash,
                                                  const std::string& purpose) {
  return All(tx.Execute(std::string("SELECT ") + kColumns +
                            " FROM consents WHERE number_hash = $1 AND purpose = $2 "
                            "ORDER BY id DESC",
                        {Text(number_hash), Text(purpose)}));
}

std::vector<Consent> ConsentRepository::List(storage::Transaction& tx, const ConsentFilter& filter,
                                             int64_t before_id, int limit) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM consents WHERE 1 = 1";
  storage::Params params;
  auto next = [&params](storage::Value v) {
    params.Add(std::move(v));
    return "$" + std::to_string(params.values().size());
  };
  if (filter.number_hash) sql += " AND number_hash = " + next(Text(*filter.number_hash));
  if (filter.purpose) sql += " AND purpose = " + next(Text(*filter.purpose));
  if (before_id > 0) sql += " AND id < " + next(Int(before_id));
  sql += " ORDER BY id DESC LIMIT " + next(Int(limit));
  return All(tx.Execute(sql, params));
}

int64_t ConsentRepository::Withdraw(storage::Transaction& tx, const std::string& number_hash,
                                    const std::string& purpose, int64_t at, const std::string& by) {
  return tx
      .Execute(
          "UPDATE consents SET withdrawn_at = $3, withdrawn_by = $4 WHERE number_hash = $1 AND "
          "purpose = $2 AND withdrawn_at IS NULL AND given_at <= $3",
          {Text(number_hash), Text(purpose), Int(at), Text(by)})
      .affected_rows;
}

int64_t ConsentRepository::Erase(storage::Transaction& tx, const std::string& number_hash,
                                 int64_t at) {
  return tx
      .Execute(
          "UPDATE consents SET phone_e164 = NULL, erased_at = $2 WHERE number_hash = $1 AND "
          "erased_at IS NULL",
          {Text(number_hash), Int(at)})
      .affected_rows;
}

}  // namespace vaarta::compliance
