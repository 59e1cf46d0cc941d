#pragma once
// RefreshTokenRepository: refresh tokens, stored as SHA-256 hashes and grouped in
// families (one family per login) so that reuse of a rotated token revokes them all.
#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace vaarta::auth {

struct RefreshTokenRecord {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string family_id;
  std::string token_hash;  // hex SHA-256 of the token
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> rotated_at;
  std::optional<int64_t> revoked_at;
  std::string address;
};

class RefreshTokenRepository {
 public:
  int64_t Insert(storage::Transaction& tx, const RefreshTokenRecord& record);
  std::optional<RefreshTokenRecord> FindByHash(storage::Transaction& tx, const std::string& hash);
  // Sets rotated_at only if the token was not rotated or revoked yet; false if it was
  // (a concurrent refresh won the race).
  bool MarkRotated(storage::Transaction& tx, int64_t id, int64_t at);
  void RevokeFamily(storage::Transaction& tx, const std::string& family_id, int64_t at);
  void RevokeAllForUser(storage::Transaction& tx, int64_t user_id, int64_t at);
};

}  // namespace vaarta::auth
