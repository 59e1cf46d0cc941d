#include "auth/refresh_token_repository.h"

namespace vaarta::auth {

int64_t RefreshTokenRepository::Insert(storage::Transaction& tx, const RefreshTokenRecord& record) {
  auto result = tx.Execute(
      "INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at, "
      "rotated_at, revoked_at, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
      {storage::Int(record.user_id), storage::Text(record.family_id),
       storage::Text(record.token_hash), storage::Int(record.created_at),
       storage::Int(record.expires_at), storage::OptInt(record.rotated_at),
       storage::OptInt(record.revoked_at), storage::Text(record.address)});
  return result.rows.at(0).GetInt(0);
}

std::optional<RefreshTokenRecord> RefreshTokenRepository::FindByHash(storage::Transaction& tx,
                                                                     const std::string& hash) {
  auto result = tx.Execute(
      "SELECT id, user_id, family_id, token_hash, created_at, expires_at, rotated_at, "
      "revoked_at, address FROM refresh_tokens WHERE token_hash = $1",
      {storage::Text(hash)});
  if (result.rows.empty()) return std::nullopt;
  const storage::Row& row = result.rows.front();
  RefreshTokenRecord record;
  record.id = row.GetInt(0);
  record.user_id = row.GetInt(1);
  record.family_id = row.GetText(2);
  record.token_hash = row.GetText(3);
  record.created_at = row.GetInt(4);
  record.expires_at = row.GetInt(5);
  record.rotated_at = row.GetOptInt(6);
  record.revoked_at = row.GetOptInt(7);
  record.address = row.GetText(8);
  return record;
}

bool RefreshTokenRepository::MarkRotated(storage::Transaction& tx, int64_t id, int64_t at) {
  // The conditions make this a compare-and-set: of two concurrent refreshes with the
  // same token, PostgreSQL re-checks them after the first commits, so only one wins.
  auto result = tx.Execute(
      "UPDATE refresh_tokens SET rotated_at = $2 "
      "WHERE id = $1 AND rotated_at IS NULL AND revoked_at IS NULL",
      {storage::Int(id), storage::Int(at)});
  return result.affected_rows == 1;
}

void RefreshTokenRepository::RevokeFamily(storage::Transaction& tx, const std::string& family_id,
                                          int64_t at) {
  tx.Execute(
      "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
      {storage::Text(family_id), storage::Int(at)});
}

void RefreshTokenRepository::RevokeAllForUser(storage::Transaction& tx, int64_t user_id,
                                              int64_t at) {
  tx.Execute("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
             {storage::Int(user_id), storage::Int(at)});
}

}  // namespace vaarta::auth
