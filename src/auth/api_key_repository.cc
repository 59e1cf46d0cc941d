#include "auth/api_key_repository.h"

#include <stdexcept>

namespace vaarta::auth {
namespace {

constexpr char kColumns[] =
    "id, name, prefix, key_hash, role, created_by, created_at, last_used_at, revoked_at";

ApiKey FromRow(const storage::Row& row) {
  ApiKey key;
  key.id = row.GetInt(0);
  key.name = row.GetText(1);
  key.prefix = row.GetText(2);
  key.key_hash = row.GetText(3);
  std::string role = row.GetText(4);
  auto parsed = ParseRole(role);
  // The schema's CHECK constraint makes this unreachable short of manual edits.
  if (!parsed) {
    throw std::runtime_error("API key " + std::to_string(key.id) + " has unknown role '" + role +
                             "'");
  }
  key.role = *parsed;
  key.created_by = row.GetOptInt(5);
  key.created_at = row.GetInt(6);
  key.last_used_at = row.GetOptInt(7);
  key.revoked_at = row.GetOptInt(8);
  return key;
}

std::optional<ApiKey> First(const storage::QueryResult& result) {
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows.front());
}

}  // namespace

int64_t ApiKeyRepository::Insert(storage::Transaction& tx, const ApiKey& key) {
  auto result = tx.Execute(
      "INSERT INTO api_keys (name, prefix, key_hash, role, created_by, created_at, "
      "last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {storage::Text(key.name), storage::Text(key.prefix), storage::Text(key.key_hash),
       storage::Text(std::string(RoleName(key.role))), storage::OptInt(key.created_by),
       storage::Int(key.created_at), storage::OptInt(key.last_used_at),
       storage::OptInt(key.revoked_at)});
  return result.rows.at(0).GetInt(0);
}

std::optional<ApiKey> ApiKeyRepository::FindByPrefix(storage::Transaction& tx,
                                                     const std::string& prefix) {
  return First(tx.Execute(std::string("SELECT ") + kColumns + " FROM api_keys WHERE prefix = $1",
                          {storage::Text(prefix)}));
}

std::optional<ApiKey> ApiKeyRepository::FindById(storage::Transaction& tx, int64_t id) {
  return First(tx.Execute(std::string("SELECT ") + kColumns + " FROM api_keys WHERE id = $1",
                          {storage::Int(id)}));
}

std::vector<ApiKey> ApiKeyRepository::List(storage::Transaction& tx, int64_t after_id, int limit) {
  auto result = tx.Execute(
      std::string("SELECT ") + kColumns + " FROM api_keys WHERE id > $1 ORDER BY id LIMIT $2",
      {storage::Int(after_id), storage::Int(limit)});
  std::vector<ApiKey> keys;
  keys.reserve(result.rows.size());
  for (const auto& row : result.rows) keys.push_back(FromRow(row));
  return keys;
}

bool ApiKeyRepository::Revoke(storage::Transaction& tx, int64_t id, int64_t at) {
  auto result =
      tx.Execute("UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                 {storage::Int(id), storage::Int(at)});
  return result.affected_rows == 1;
}

void ApiKeyRepository::TouchLastUsed(storage::Transaction& tx, int64_t id, int64_t at) {
  tx.Execute("UPDATE api_keys SET last_used_at = $2 WHERE id = $1",
             {storage::Int(id), storage::Int(at)});
}

}  // namespace vaarta::auth
