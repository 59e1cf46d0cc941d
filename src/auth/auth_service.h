#pragma once
// AuthService: login, token refresh and rotation, logout, request authentication,
// and user and API-key administration. Security events go to the audit log here,
// where the facts are known.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/api_key_repository.h"
#include "auth/caller.h"
#include "auth/login_throttle.h"
#include "auth/password_hasher.h"
#include "auth/refresh_token_repository.h"
#include "auth/user_repository.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::auth {

struct AuthSettings {
  std::string jwt_secret;  // at least 32 bytes
  int64_t access_token_ttl_seconds = 900;
  int64_t refresh_token_ttl_seconds = 30 * 86400;
  ThrottleLimits throttle;
  Argon2Params argon2;
};

struct TokenPair {
  std::string access_token;
  int64_t expires_in = 0;  // seconds
  std::string refresh_token;
  User user;
};

// Where a request came from, for the audit trail.
struct RequestOrigin {
  std::string address;
  std::string request_id;
};

struct NewUser {
  std::string email;
  std::string name;
  std::string password;
  Role role = Role::kAgent;
};

struct UserChange {
  std::optional<std::string> name;
  std::optional<Role> role;
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

struct CreatedApiKey {
  ApiKey key;
  std::string plaintext;  // shown once, never stored
};

class AuthService {
 public:
  // Throws std::invalid_argument when settings.jwt_secret is shorter than 32 bytes.
  AuthService(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
              AuthSettings settings);

  // Errors: kUnauthenticated "invalid_credentials" (same for unknown e-mail, wrong
  // password and disabled account), kRateLimited "too_many_attempts" (message says
  // when to retry).
  core::Result<TokenPair> Login(const std::string& email, const std::string& password,
                                const RequestOrigin& origin);
  // Rotates: the presented token is spent and a new one is issued in the same family.
  // Presenting a spent token revokes the whole family (kUnauthenticated
  // "refresh_token_reused"); unknown, expired or revoked tokens give
  // "invalid_refresh_token".
  core::Result<TokenPair> Refresh(const std::string& refresh_token, const RequestOrigin& origin);
  core::Status Logout(const std::string& refresh_token, const RequestOrigin& origin);

  // Accepts "Bearer <jwt>" access tokens and API keys ("Bearer vk_..." or a raw key).
  core::Result<Caller> Authenticate(const std::string& credential);

  core::Result<User> CreateUser(const NewUser& user, const std::string& actor,
                                const RequestOrigin& origin);
  core::Result<User> GetUser(int64_t id);
  // Looks the user up by e-mail (trimmed, case-insensitive); kNotFound "user_not_found".
  core::Result<User> GetUserByEmail(const std::string& email);
  std::vector<User> ListUsers(int64_t after_id, int limit);
  // Refuses to demote or disable the last active admin. Role changes are audited as
  // security events; changing the password or disabling revokes refresh tokens.
  core::Result<User> UpdateUser(int64_t id, const UserChange& change, const Caller& actor,
                                const RequestOrigin& origin);
  core::Status ChangeOwnPassword(const Caller& caller, const std::string& current_password,
                                 const std::string& new_password, const RequestOrigin& origin);

  core::Result<CreatedApiKey> CreateApiKey(const std::string& name, Role role, const Caller& actor,
                                           const RequestOrigin& origin);
  std::vector<ApiKey> ListApiKeys(int64_t after_id, int limit);
  core::Status RevokeApiKey(int64_t id, const Caller& actor, const RequestOrigin& origin);

 private:
  core::Result<Caller> AuthenticateApiKey(const std::string& key);
  core::Result<Caller> AuthenticateJwt(const std::string& token);
  TokenPair IssueTokens(storage::Transaction& tx, const User& user, const std::string& family_id,
                        const std::string& address);

  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  AuthSettings settings_;
  PasswordHasher hasher_;
  LoginThrottle throttle_;
  UserRepository users_;
  RefreshTokenRepository refresh_tokens_;
  ApiKeyRepository api_keys_;
};

}  // namespace vaarta::auth
