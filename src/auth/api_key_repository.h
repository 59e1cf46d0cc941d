#pragma once
// ApiKeyRepository: machine-client keys. A key is "vk_<prefix>_<secret>"; only the
// prefix (for lookup) and the SHA-256 of the whole key are stored.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/role.h"
#include "storage/database.h"

namespace vaarta::auth {

struct ApiKey {
  int64_t id = 0;
  std::string name;
  std::string prefix;
  std::string key_hash;
  Role role = Role::kAgent;
  std::optional<int64_t> created_by;
  int64_t created_at = 0;
  std::optional<int64_t> last_used_at;
  std::optional<int64_t> revoked_at;
};

class ApiKeyRepository {
 public:
  int64_t Insert(storage::Transaction& tx, const ApiKey& key);
  std::optional<ApiKey> FindByPrefix(storage::Transaction& tx, const std::string& prefix);
  std::optional<ApiKey> FindById(storage::Transaction& tx, int64_t id);
  std::vector<ApiKey> List(storage::Transaction& tx, int64_t after_id, int limit);
  bool Revoke(storage::Transaction& tx, int64_t id, int64_t at);  // false if absent/revoked
  void TouchLastUsed(storage::Transaction& tx, int64_t id, int64_t at);
};

}  // namespace vaarta::auth
