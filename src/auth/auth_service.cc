#include "auth/auth_service.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/jwt.h"
#include "core/crypto.h"

namespace vaarta::auth {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr size_t kMinSecretBytes = 32;
constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kApiKeyPrefixChars = 8;
constexpr int64_t kApiKeyTouchIntervalMillis = 60 * 1000;
constexpr int kMaxListLimit = 1000;
constexpr char kIssuer[] = "vaarta";

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string NormalizeEmail(const std::string& email) {
  std::string out(TrimView(email));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Deliberately loose: the address is confirmed by use, not by a grammar check.
bool LooksLikeEmail(const std::string& email) {
  if (email.empty() || email.size() > kMaxEmailBytes) return false;
  for (unsigned char c : email) {
    if (c <= 0x20 || c == 0x7F) return false;
  }
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  std::string_view domain = std::string_view(email).substr(at + 1);
  size_t dot = domain.find('.');
  return dot != std::string_view::npos && domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

std::string UserActor(const User& user) {
  return "user:" + std::to_string(user.id) + ":" + user.email;
}
std::string UserTarget(int64_t id) { return "user:" + std::to_string(id); }
std::string ApiKeyTarget(int64_t id) { return "api_key:" + std::to_string(id); }

// Users leave the service without their password hash: nothing above it needs one.
User Public(User user) {
  user.password_hash.clear();
  return user;
}

int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxListLimit); }

core::Error Unauthenticated(std::string message, std::string detail) {
  return MakeError(ErrorCode::kUnauthenticated, std::move(message), std::move(detail));
}

core::Error InvalidCredentials() {
  return Unauthenticated("invalid e-mail or password", "invalid_credentials");
}

core::Error InvalidRefreshToken() {
  return Unauthenticated("refresh token is invalid, expired or revoked: log in again",
                         "invalid_refresh_token");
}

core::Error InvalidApiKey(const std::string& why) {
  return Unauthenticated("invalid API key: " + why, "invalid_api_key");
}

core::Error TooManyAttempts(int64_t retry_after_millis) {
  int64_t seconds = std::max<int64_t>(1, (retry_after_millis + 999) / 1000);
  return MakeError(
      ErrorCode::kRateLimited,
      "too many failed login attempts: try again in " + std::to_string(seconds) + " seconds",
      "too_many_attempts");
}

core::Status CheckName(const std::string& name) {
  if (name.size() > kMaxNameBytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "name must be at most " + std::to_string(kMaxNameBytes) + " bytes",
                     "invalid_name");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) {
      return MakeError(ErrorCode::kInvalidArgument, "name must not contain control characters",
                       "invalid_name");
    }
  }
  return core::Ok{};
}

audit::AuditEntry Entry(std::string actor, std::string role, const RequestOrigin& origin,
                        std::string action, std::string target, std::string outcome,
                        const nlohmann::json& summary) {
  audit::AuditEntry e;
  e.actor = std::move(actor);
  e.role = std::move(role);
  e.address = origin.address;
  e.action = std::move(action);
  e.target = std::move(target);
  e.outcome = std::move(outcome);
  e.summary = summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  e.request_id = origin.request_id;
  return e;
}

audit::AuditEntry CallerEntry(const Caller& caller, const RequestOrigin& origin, std::string action,
                              std::string target, const nlohmann::json& summary) {
  return Entry(caller.actor, std::string(RoleName(caller.role)), origin, std::move(action),
               std::move(target), "success", summary);
}

// Eight characters from [a-z0-9], by rejection sampling so each is equally likely.
std::string RandomPrefix() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  constexpr unsigned kSize = sizeof(kAlphabet) - 1;
  constexpr unsigned kLimit = 256 - 256 % kSize;
  std::string out;
  while (out.size() < kApiKeyPrefixChars) {
    for (unsigned char b : core::RandomBytes(16)) {
      if (b >= kLimit) continue;
      out.push_back(kAlphabet[b % kSize]);
      if (out.size() == kApiKeyPrefixChars) break;
    }
  }
  return out;
}

bool IsPrefixChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

AuthService::AuthService(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                         AuthSettings settings)
    : db_(db),
      clock_(clock),
      audit_(audit),
      settings_(std::move(settings)),
      hasher_(settings_.argon2),
      throttle_(settings_.throttle) {
  if (settings_.jwt_secret.size() < kMinSecretBytes) {
    throw std::invalid_argument("the JWT secret must be at least 32 bytes long");
  }
}

core::Result<TokenPair> AuthService::Login(const std::string& email, const std::string& password,
                                           const RequestOrigin& origin) {
  std::string normalized = NormalizeEmail(email);
  std::optional<User> user;
  {
    auto tx = db_.Begin(false);
    if (auto wait = throttle_.RetryAfter(*tx, normalized, origin.address, clock_.NowMillis())) {
      return TooManyAttempts(*wait);
    }
    user = users_.FindByEmail(*tx, normalized);
    tx->Commit();
  }
  // Argon2 runs outside any transaction: on SQLite a write transaction held for the
  // length of a hash would queue every other writer behind it. An unknown e-mail is
  // checked against the dummy hash so it costs the same time as a known one.
  bool password_ok = hasher_.Verify(password, user ? user->password_hash : hasher_.DummyHash());
  std::optional<std::string> rehash;
  if (user && password_ok && !user->disabled && hasher_.NeedsRehash(user->password_hash)) {
    rehash = hasher_.Hash(password);
  }

  int64_t now = clock_.NowMillis();
  auto tx = db_.Begin(true);
  // Checked again because concurrent attempts all passed the first check: only those
  // that finish while under the limit get an answer; the rest look alike, right or wrong.
  if (auto wait = throttle_.RetryAfter(*tx, normalized, origin.address, now)) {
    return TooManyAttempts(*wait);
  }
  std::optional<User> current;
  if (user) current = users_.FindById(*tx, user->id);
  // The password was verified against the hash read before; if it has changed since,
  // the verification no longer says anything.
  bool ok =
      password_ok && current && !current->disabled && current->password_hash == user->password_hash;
  if (!ok) {
    throttle_.RecordFailure(*tx, normalized, origin.address, now);
    std::string reason = !user                           ? "unknown_email"
                         : !password_ok                  ? "wrong_password"
                         : !current || current->disabled ? "disabled"
                                                         : "password_changed";
    // Unknown e-mails are not recorded: people type passwords into the e-mail field.
    audit_.Append(*tx,
                  Entry(user ? UserActor(*user) : "anonymous",
                        user ? std::string(RoleName(user->role)) : "", origin, "auth.login_failed",
                        user ? UserTarget(user->id) : "", "failed", {{"reason", reason}}));
    tx->Commit();
    return InvalidCredentials();
  }
  throttle_.ClearAccount(*tx, normalized);
  if (rehash) {
    current->password_hash = *rehash;
    current->updated_at = now;
    users_.Update(*tx, *current);
  }
  TokenPair pair = IssueTokens(*tx, *current, core::RandomToken(16), origin.address);
  audit_.Append(
      *tx, Entry(UserActor(*current), std::string(RoleName(current->role)), origin, "auth.login",
                 UserTarget(current->id), "success", nlohmann::json::object()));
  tx->Commit();
  return pair;
}

core::Result<TokenPair> AuthService::Refresh(const std::string& refresh_token,
                                             const RequestOrigin& origin) {
  if (refresh_token.empty()) return InvalidRefreshToken();
  int64_t now = clock_.NowMillis();
  auto tx = db_.Begin(true);
  auto record = refresh_tokens_.FindByHash(*tx, core::Sha256Hex(refresh_token));
  if (!record || record->revoked_at || record->expires_at <= now) return InvalidRefreshToken();
  auto user = users_.FindById(*tx, record->user_id);

  auto reused = [&]() -> core::Error {
    // A spent token presented again means two parties hold the family (one of them a
    // thief, and we cannot tell which): end the whole session.
    refresh_tokens_.RevokeFamily(*tx, record->family_id, now);
    audit_.Append(*tx,
                  Entry(user ? UserActor(*user) : UserTarget(record->user_id),
                        user ? std::string(RoleName(user->role)) : "", origin, "auth.token_reuse",
                        UserTarget(record->user_id), "denied", {{"family_id", record->family_id}}));
    tx->Commit();
    return Unauthenticated(
        "refresh token was already used; the session has been revoked: log in again",
        "refresh_token_reused");
  };

  if (record->rotated_at) return reused();
  if (!user || user->disabled) return InvalidRefreshToken();
  if (!refresh_tokens_.MarkRotated(*tx, record->id, now)) return reused();
  TokenPair pair = IssueTokens(*tx, *user, record->family_id, origin.address);
  tx->Commit();
  return pair;
}

core::Status AuthService::Logout(const std::string& refresh_token, const RequestOrigin& origin) {
  if (refresh_token.empty()) return InvalidRefreshToken();
  auto tx = db_.Begin(true);
  auto record = refresh_tokens_.FindByHash(*tx, core::Sha256Hex(refresh_token));
  if (!record) return InvalidRefreshToken();
  // Logging out twice succeeds: the session is over either way.
  if (!record->revoked_at) {
    int64_t now = clock_.NowMillis();
    refresh_tokens_.RevokeFamily(*tx, record->family_id, now);
    auto user = users_.FindById(*tx, record->user_id);
    audit_.Append(*tx, Entry(user ? UserActor(*user) : UserTarget(record->user_id),
                             user ? std::string(RoleName(user->role)) : "", origin, "auth.logout",
                             UserTarget(record->user_id), "success", nlohmann::json::object()));
  }
  tx->Commit();
  return core::Ok{};
}

core::Result<Caller> AuthService::Authenticate(const std::string& credential) {
  std::string_view text = TrimView(credential);
  // The scheme name is case-insensitive (RFC 7235); "Bearer" alone carries nothing.
  if (text.size() >= 6) {
    std::string scheme(text.substr(0, 6));
    for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "bearer" &&
        (text.size() == 6 || std::isspace(static_cast<unsigned char>(text[6])))) {
      text = TrimView(text.substr(6));
    }
  }
  if (text.empty()) {
    return Unauthenticated("missing credentials: send \"Authorization: Bearer <token>\"",
                           "missing_credentials");
  }
  if (text.starts_with("vk_")) return AuthenticateApiKey(std::string(text));
  return AuthenticateJwt(std::string(text));
}

core::Result<Caller> AuthService::AuthenticateApiKey(const std::string& key) {
  // "vk_<prefix>_<secret>": the prefix has no '_', the secret (base64url) may.
  size_t sep = key.find('_', 3);
  if (sep == std::string::npos || sep + 1 >= key.size()) return InvalidApiKey("malformed");
  std::string prefix = key.substr(3, sep - 3);
  if (prefix.size() != kApiKeyPrefixChars ||
      !std::all_of(prefix.begin(), prefix.end(), IsPrefixChar)) {
    return InvalidApiKey("malformed");
  }
  std::optional<ApiKey> found;
  {
    auto tx = db_.Begin(false);
    found = api_keys_.FindByPrefix(*tx, prefix);
    tx->Commit();
  }
  if (!found || !core::ConstantTimeEquals(core::Sha256Hex(key), found->key_hash)) {
    return InvalidApiKey("unknown key");
  }
  if (found->revoked_at) return InvalidApiKey("the key has been revoked");

  int64_t now = clock_.NowMillis();
  // Recording every use would turn each request into a write; once a minute is enough
  // to tell which keys are alive.
  if (!found->last_used_at || now - *found->last_used_at >= kApiKeyTouchIntervalMillis) {
    try {
      auto tx = db_.Begin(true);
      api_keys_.TouchLastUsed(*tx, found->id, now);
      tx->Commit();
    } catch (const storage::DatabaseError&) {
      // Bookkeeping only: a busy database must not fail an otherwise valid request.
    }
  }
  Caller caller;
  caller.actor = "apikey:" + std::to_string(found->id) + ":" + found->name;
  caller.role = found->role;
  caller.api_key_id = found->id;
  return caller;
}

core::Result<Caller> AuthService::AuthenticateJwt(const std::string& token) {
  auto claims = VerifyJwtHs256(token, settings_.jwt_secret, clock_.NowMillis() / 1000);
  if (!claims) return claims.error();
  const nlohmann::json& c = *claims;
  auto bad = [] { return Unauthenticated("invalid access token", "invalid_token"); };
  auto iss = c.find("iss");
  auto sub = c.find("sub");
  if (iss == c.end() || !iss->is_string() || iss->get<std::string>() != kIssuer) return bad();
  if (sub == c.end() || !sub->is_string()) return bad();
  const std::string& sub_text = sub->get_ref<const std::string&>();
  int64_t user_id = 0;
  auto [ptr, ec] = std::from_chars(sub_text.data(), sub_text.data() + sub_text.size(), user_id);
  if (ec != std::errc() || ptr != sub_text.data() + sub_text.size() || user_id <= 0) return bad();

  // The token's role claim is informational: the stored role applies, so a demotion or a
  // disabled account takes effect on the next request rather than at token expiry.
  std::optional<User> user;
  {
    auto tx = db_.Begin(false);
    user = users_.FindById(*tx, user_id);
    tx->Commit();
  }
  if (!user || user->disabled) {
    return Unauthenticated("the account behind this token no longer exists or is disabled",
                           "invalid_token");
  }
  Caller caller;
  caller.actor = UserActor(*user);
  caller.role = user->role;
  caller.user_id = user->id;
  return caller;
}

core::Result<User> AuthService::CreateUser(const NewUser& new_user, const std::string& actor,
                                           const RequestOrigin& origin) {
  std::string email = NormalizeEmail(new_user.email);
  if (!LooksLikeEmail(email)) {
    return MakeError(ErrorCode::kInvalidArgument, "'" + email + "' is not a valid e-mail address",
                     "invalid_email");
  }
  if (auto name_ok = CheckName(new_user.name); !name_ok) return name_ok.error();
  if (auto policy = CheckPasswordPolicy(new_user.password); !policy) return policy.error();
  std::string hash = hasher_.Hash(new_user.password);

  auto taken = [&] {
    return MakeError(ErrorCode::kConflict, "a user with e-mail " + email + " already exists",
                     "email_taken");
  };
  int64_t now = clock_.NowMillis();
  auto tx = db_.Begin(true);
  if (users_.FindByEmail(*tx, email)) return taken();
  User user;
  user.email = email;
  user.name = new_user.name;
  user.password_hash = std::move(hash);
  user.role = new_user.role;
  user.created_at = now;
  user.updated_at = now;
  try {
    user.id = users_.Insert(*tx, user);
  } catch (const storage::DatabaseError& e) {
    // A concurrent insert of the same e-mail (PostgreSQL) lands here.
    if (e.kind() == storage::DatabaseError::Kind::kUniqueViolation) return taken();
    throw;
  }
  audit_.Append(*tx, Entry(actor, "", origin, "users.create", UserTarget(user.id), "success",
                           {{"email", user.email},
                            {"name", user.name},
                            {"role", std::string(RoleName(user.role))}}));
  tx->Commit();
  return Public(std::move(user));
}

core::Result<User> AuthService::GetUser(int64_t id) {
  auto tx = db_.Begin(false);
  auto user = users_.FindById(*tx, id);
  tx->Commit();
  if (!user) {
    return MakeError(ErrorCode::kNotFound, "no user with id " + std::to_string(id),
                     "user_not_found");
  }
  return Public(std::move(*user));
}

core::Result<User> AuthService::GetUserByEmail(const std::string& email) {
  auto tx = db_.Begin(false);
  auto user = users_.FindByEmail(*tx, NormalizeEmail(email));
  tx->Commit();
  if (!user) {
    return MakeError(ErrorCode::kNotFound, "no user with e-mail '" + email + "'", "user_not_found");
  }
  return Public(std::move(*user));
}

std::vector<User> AuthService::ListUsers(int64_t after_id, int limit) {
  auto tx = db_.Begin(false);
  auto users = users_.List(*tx, after_id, ClampLimit(limit));
  tx->Commit();
  for (auto& user : users) user.password_hash.clear();
  return users;
}

core::Result<User> AuthService::UpdateUser(int64_t id, const UserChange& change,
                                           const Caller& actor, const RequestOrigin& origin) {
  if (change.name) {
    if (auto name_ok = CheckName(*change.name); !name_ok) return name_ok.error();
  }
  if (change.role && !RoleAtLeast(actor.role, *change.role)) {
    return MakeError(ErrorCode::kPermissionDenied, "cannot grant a role above your own",
                     "role_above_own");
  }
  std::optional<std::string> new_hash;
  if (change.password) {
    if (auto policy = CheckPasswordPolicy(*change.password); !policy) return policy.error();
    new_hash = hasher_.Hash(*change.password);
  }

  int64_t now = clock_.NowMillis();
  auto tx = db_.Begin(true);
  users_.LockForChange(*tx);
  auto current = users_.FindById(*tx, id);
  if (!current) {
    return MakeError(ErrorCode::kNotFound, "no user with id " + std::to_string(id),
                     "user_not_found");
  }
  if (!RoleAtLeast(actor.role, current->role)) {
    return MakeError(ErrorCode::kPermissionDenied, "cannot change a user with a higher role",
                     "role_above_own");
  }

  User updated = *current;
  nlohmann::json changes = nlohmann::json::object();
  if (change.name && *change.name != current->name) {
    updated.name = *change.name;
    changes["name"] = updated.name;
  }
  if (change.disabled && *change.disabled != current->disabled) {
    updated.disabled = *change.disabled;
    changes["disabled"] = updated.disabled;
  }
  if (new_hash) {
    updated.password_hash = *new_hash;
    changes["password"] = "changed";
  }
  bool role_changed = change.role && *change.role != current->role;
  if (role_changed) updated.role = *change.role;
  if (!role_changed && changes.empty()) {
    tx->Commit();
    return Public(std::move(*current));
  }

  bool was_active_admin = current->role == Role::kAdmin && !current->disabled;
  bool is_active_admin = updated.role == Role::kAdmin && !updated.disabled;
  if (was_active_admin && !is_active_admin && users_.CountActiveAdmins(*tx) <= 1) {
    return MakeError(ErrorCode::kConflict,
                     "cannot demote or disable the last active admin: promote another user first",
                     "last_admin");
  }

  updated.updated_at = now;
  users_.Update(*tx, updated);
  if (new_hash || (updated.disabled && !current->disabled)) {
    refresh_tokens_.RevokeAllForUser(*tx, id, now);
  }
  if (role_changed) {
    audit_.Append(*tx, CallerEntry(actor, origin, "users.role_changed", UserTarget(id),
                                   {{"from", std::string(RoleName(current->role))},
                                    {"to", std::string(RoleName(updated.role))}}));
  }
  if (!changes.empty()) {
    audit_.Append(*tx, CallerEntry(actor, origin, "users.update", UserTarget(id), changes));
  }
  tx->Commit();
  return Public(std::move(updated));
}

core::Status AuthService::ChangeOwnPassword(const Caller& caller,
                                            const std::string& current_password,
                                            const std::string& new_password,
                                            const RequestOrigin& origin) {
  if (caller.user_id == 0) {
    return MakeError(ErrorCode::kPermissionDenied, "API keys have no password to change",
                     "not_a_user");
  }
  std::optional<User> user;
  {
    auto tx = db_.Begin(false);
    user = users_.FindById(*tx, caller.user_id);
    if (user) {
      if (auto wait = throttle_.RetryAfter(*tx, user->email, origin.address, clock_.NowMillis())) {
        return TooManyAttempts(*wait);
      }
    }
    tx->Commit();
  }
  if (!user || user->disabled) return InvalidCredentials();
  // A stolen access token must not become a way to guess the password, so wrong
  // guesses count against the same limits as failed logins.
  if (!hasher_.Verify(current_password, user->password_hash)) {
    auto tx = db_.Begin(true);
    throttle_.RecordFailure(*tx, user->email, origin.address, clock_.NowMillis());
    audit_.Append(*tx, Entry(caller.actor, std::string(RoleName(caller.role)), origin,
                             "users.password_change", UserTarget(user->id), "failed",
                             {{"reason", "wrong_password"}}));
    tx->Commit();
    return InvalidCredentials();
  }
  if (auto policy = CheckPasswordPolicy(new_password); !policy) return policy.error();
  std::string new_hash = hasher_.Hash(new_password);

  int64_t now = clock_.NowMillis();
  auto tx = db_.Begin(true);
  users_.LockForChange(*tx);
  auto current = users_.FindById(*tx, caller.user_id);
  if (!current || current->disabled) return InvalidCredentials();
  if (current->password_hash != user->password_hash) {
    return MakeError(ErrorCode::kConflict,
                     "the password was changed by another request meanwhile: try again",
                     "concurrent_change");
  }
  current->password_hash = std::move(new_hash);
  current->updated_at = now;
  users_.Update(*tx, *current);
  refresh_tokens_.RevokeAllForUser(*tx, current->id, now);
  audit_.Append(*tx, CallerEntry(caller, origin, "users.password_change", UserTarget(current->id),
                                 {{"password", "changed"}}));
  tx->Commit();
  return core::Ok{};
}

core::Result<CreatedApiKey> AuthService::CreateApiKey(const std::string& name, Role role,
                                                      const Caller& actor,
                                                      const RequestOrigin& origin) {
  std::string trimmed(TrimView(name));
  if (trimmed.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an API key needs a name", "invalid_name");
  }
  if (auto name_ok = CheckName(trimmed); !name_ok) return name_ok.error();
  if (!RoleAtLeast(actor.role, role)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "cannot create an API key with a role above your own", "role_above_own");
  }
  // Prefixes are unique; with 36^8 of them a clash is rare, but a retry costs nothing.
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    CreatedApiKey created;
    ApiKey& key = created.key;
    key.name = trimmed;
    key.prefix = RandomPrefix();
    key.role = role;
    if (actor.user_id != 0) key.created_by = actor.user_id;
    key.created_at = clock_.NowMillis();
    created.plaintext = "vk_" + key.prefix + "_" + core::RandomToken(32);
    key.key_hash = core::Sha256Hex(created.plaintext);
    auto tx = db_.Begin(true);
    try {
      key.id = api_keys_.Insert(*tx, key);
    } catch (const storage::DatabaseError& e) {
      if (e.kind() == storage::DatabaseError::Kind::kUniqueViolation && attempt < kAttempts) {
        continue;
      }
      throw;
    }
    audit_.Append(*tx, CallerEntry(actor, origin, "api_keys.create", ApiKeyTarget(key.id),
                                   {{"name", key.name},
                                    {"prefix", key.prefix},
                                    {"role", std::string(RoleName(key.role))}}));
    tx->Commit();
    return created;
  }
}

std::vector<ApiKey> AuthService::ListApiKeys(int64_t after_id, int limit) {
  auto tx = db_.Begin(false);
  auto keys = api_keys_.List(*tx, after_id, ClampLimit(limit));
  tx->Commit();
  return keys;
}

core::Status AuthService::RevokeApiKey(int64_t id, const Caller& actor,
                                       const RequestOrigin& origin) {
  auto tx = db_.Begin(true);
  auto key = api_keys_.FindById(*tx, id);
  if (!key) {
    return MakeError(ErrorCode::kNotFound, "no API key with id " + std::to_string(id),
                     "api_key_not_found");
  }
  // Revoking twice succeeds without a second audit record: the key is revoked either way.
  if (api_keys_.Revoke(*tx, id, clock_.NowMillis())) {
    audit_.Append(*tx, CallerEntry(actor, origin, "api_keys.revoke", ApiKeyTarget(id),
                                   {{"name", key->name}, {"prefix", key->prefix}}));
  }
  tx->Commit();
  return core::Ok{};
}

TokenPair AuthService::IssueTokens(storage::Transaction& tx, const User& user,
                                   const std::string& family_id, const std::string& address) {
  int64_t now = clock_.NowMillis();
  int64_t now_seconds = now / 1000;
  nlohmann::json claims = {
      {"iss", kIssuer},
      {"sub", std::to_string(user.id)},
      {"email", user.email},
      {"role", std::string(RoleName(user.role))},
      {"iat", now_seconds},
      {"exp", now_seconds + settings_.access_token_ttl_seconds},
      {"jti", core::RandomToken(16)},
  };
  TokenPair pair;
  pair.access_token = SignJwtHs256(claims, settings_.jwt_secret);
  pair.expires_in = settings_.access_token_ttl_seconds;
  pair.refresh_token = core::RandomToken(32);

  RefreshTokenRecord record;
  record.user_id = user.id;
  record.family_id = family_id;
  record.token_hash = core::Sha256Hex(pair.refresh_token);
  record.created_at = now;
  record.expires_at = now + settings_.refresh_token_ttl_seconds * 1000;
  record.address = address;
  refresh_tokens_.Insert(tx, record);
  pair.user = Public(user);
  return pair;
}

}  // namespace vaarta::auth
