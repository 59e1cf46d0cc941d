#pragma once
// UserRepository: all SQL about users.
#include <optional>
#include <vector>

#include "auth/user.h"
#include "storage/database.h"

namespace vaarta::auth {

class UserRepository {
 public:
  // Throws storage::DatabaseError(kUniqueViolation) when the e-mail is taken.
  int64_t Insert(storage::Transaction& tx, const User& user);
  std::optional<User> FindByEmail(storage::Transaction& tx, const std::string& email);
  std::optional<User> FindById(storage::Transaction& tx, int64_t id);
  // Users with id > after_id, ascending, at most `limit`.
  std::vector<User> List(storage::Transaction& tx, int64_t after_id, int limit);
  void Update(storage::Transaction& tx,
              const User& user);  // name, role, disabled, hash, updated_at
  int64_t Count(storage::Transaction& tx);
  int64_t CountActiveAdmins(storage::Transaction& tx);
  // Serialises changes to users (role, disabled, password) until the transaction ends,
  // so that two concurrent demotions cannot both pass the last-admin check. PostgreSQL:
  // a transaction-scoped advisory lock; SQLite: a no-op, as its write transaction
  // (BEGIN IMMEDIATE) already excludes other writers.
  void LockForChange(storage::Transaction& tx);
};

}  // namespace vaarta::auth
