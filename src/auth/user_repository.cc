#include "auth/user_repository.h"

#include <stdexcept>

namespace vaarta::auth {
namespace {

constexpr char kColumns[] =
    "id, email, name, password_hash, role, disabled, created_at, updated_at";
// Distinct from the audit log's key (7261002).
constexpr int64_t kUserChangeLockKey = 7261003;

User FromRow(const storage::Row& row) {
  User user;
  user.id = row.GetInt(0);
  user.email = row.GetText(1);
  user.name = row.GetText(2);
  user.password_hash = row.GetText(3);
  std::string role = row.GetText(4);
  auto parsed = ParseRole(role);
  // The schema's CHECK constraint makes this unreachable short of manual edits.
  if (!parsed)
    throw std::runtime_error("user " + std::to_string(user.id) + " has unknown role '" + role +
                             "'");
  user.role = *parsed;
  user.disabled = row.GetInt(5) != 0;
  user.created_at = row.GetInt(6);
  user.updated_at = row.GetInt(7);
  return user;
}

std::optional<User> First(const storage::QueryResult& result) {
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows.front());
}

}  // namespace

int64_t UserRepository::Insert(storage::Transaction& tx, const User& user) {
  auto result = tx.Execute(
      "INSERT INTO users (email, name, password_hash, role, disabled, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {storage::Text(user.email), storage::Text(user.name), storage::Text(user.password_hash),
       storage::Text(std::string(RoleName(user.role))), storage::Int(user.disabled ? 1 : 0),
       storage::Int(user.created_at), storage::Int(user.updated_at)});
  return result.rows.at(0).GetInt(0);
}

std::optional<User> UserRepository::FindByEmail(storage::Transaction& tx,
                                                const std::string& email) {
  return First(tx.Execute(std::string("SELECT ") + kColumns + " FROM users WHERE email = $1",
                          {storage::Text(email)}));
}

std::optional<User> UserRepository::FindById(storage::Transaction& tx, int64_t id) {
  return First(tx.Execute(std::string("SELECT ") + kColumns + " FROM users WHERE id = $1",
                          {storage::Int(id)}));
}

std::vector<User> UserRepository::List(storage::Transaction& tx, int64_t after_id, int limit) {
  auto result = tx.Execute(
      std::string("SELECT ") + kColumns + " FROM users WHERE id > $1 ORDER BY id LIMIT $2",
      {storage::Int(after_id), storage::Int(limit)});
  std::vector<User> users;
  users.reserve(result.rows.size());
  for (const auto& row : result.rows) users.push_back(FromRow(row));
  return users;
}

void UserRepository::Update(storage::Transaction& tx, const User& user) {
  tx.Execute(
      "UPDATE users SET name = $2, role = $3, disabled = $4, password_hash = $5, "
      "updated_at = $6 WHERE id = $1",
      {storage::Int(user.id), storage::Text(user.name),
       storage::Text(std::string(RoleName(user.role))), storage::Int(user.disabled ? 1 : 0),
       storage::Text(user.password_hash), storage::Int(user.updated_at)});
}

int64_t UserRepository::Count(storage::Transaction& tx) {
  return tx.Execute("SELECT COUNT(*) FROM users").rows.at(0).GetInt(0);
}

int64_t UserRepository::CountActiveAdmins(storage::Transaction& tx) {
  return tx.Execute("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
      .rows.at(0)
      .GetInt(0);
}

void UserRepository::LockForChange(storage::Transaction& tx) {
  if (tx.dialect() == storage::Dialect::kPostgres) {
    tx.Execute("SELECT pg_advisory_xact_lock($1)", {storage::Int(kUserChangeLockKey)});
  }
}

}  // namespace vaarta::auth
