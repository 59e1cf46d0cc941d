#include "auth/auth_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "auth/jwt.h"
#include "core/crypto.h"
#include "test_support/test_database.h"

namespace vaarta::auth {
namespace {

constexpr int64_t kStart = 1'800'000'000'000;
const std::string kSecret = "test-secret-test-secret-test-secret!";
const std::string kAdminPassword = "admin password 1";
const std::string kAgentPassword = "agent password 1";
const RequestOrigin kOrigin{"10.0.0.1", "req-1"};

AuthSettings TestSettings() {
  AuthSettings s;
  s.jwt_secret = kSecret;
  s.access_token_ttl_seconds = 900;
  s.refresh_token_ttl_seconds = 3600;
  s.throttle = ThrottleLimits{
      .max_failures_per_account = 3, .max_failures_per_address = 10, .window_millis = 60'000};
  s.argon2 = Argon2Params{.time_cost = 1, .memory_kib = 1024, .parallelism = 1};
  return s;
}

Caller SystemAdmin() {
  Caller c;
  c.actor = "system";
  c.role = Role::kAdmin;
  return c;
}

class AuthServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  AuthServiceTest()
      : tdb_(GetParam()),
        clock_(kStart),
        audit_(tdb_.db(), clock_),
        auth_(tdb_.db(), clock_, audit_, TestSettings()) {
    admin_ = Create("admin@x.in", kAdminPassword, Role::kAdmin);
    agent_ = Create("agent@x.in", kAgentPassword, Role::kAgent);
  }

  User Create(const std::string& email, const std::string& password, Role role) {
    auto user = auth_.CreateUser({email, "Name", password, role}, "system", kOrigin);
    if (!user.ok()) throw std::runtime_error(user.error().message);
    return *user;
  }

  Caller CallerFor(const User& user) {
    Caller c;
    c.actor = "user:" + std::to_string(user.id) + ":" + user.email;
    c.role = user.role;
    c.user_id = user.id;
    return c;
  }

  std::vector<audit::AuditRecord> AuditWithAction(const std::string& action) {
    audit::AuditFilter filter;
    filter.action = action;
    return audit_.Page(filter, 0, 100);
  }

  int64_t CountRows(const std::string& sql) {
    auto tx = tdb_.db().Begin(false);
    return tx->Execute(sql).rows.at(0).GetInt(0);
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  AuthService auth_;
  User admin_;
  User agent_;
};

TEST_P(AuthServiceTest, LoginIssuesTokensThatAuthenticate) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(pair->expires_in, 900);
  EXPECT_EQ(pair->user.id, agent_.id);
  EXPECT_TRUE(pair->user.password_hash.empty());
  EXPECT_FALSE(pair->refresh_token.empty());

  auto claims = VerifyJwtHs256(pair->access_token, kSecret, kStart / 1000);
  ASSERT_TRUE(claims.ok());
  EXPECT_EQ((*claims)["iss"], "vaarta");
  EXPECT_EQ((*claims)["sub"], std::to_string(agent_.id));
  EXPECT_EQ((*claims)["email"], "agent@x.in");
  EXPECT_EQ((*claims)["role"], "agent");
  EXPECT_EQ((*claims)["iat"], kStart / 1000);
  EXPECT_EQ((*claims)["exp"], kStart / 1000 + 900);
  EXPECT_TRUE((*claims)["jti"].is_string());

  auto caller = auth_.Authenticate("Bearer " + pair->access_token);
  ASSERT_TRUE(caller.ok()) << caller.error().message;
  EXPECT_EQ(caller->user_id, agent_.id);
  EXPECT_EQ(caller->api_key_id, 0);
  EXPECT_EQ(caller->role, Role::kAgent);
  EXPECT_EQ(caller->actor, "user:" + std::to_string(agent_.id) + ":agent@x.in");
  EXPECT_TRUE(auth_.Authenticate(pair->access_token).ok());

  auto logins = AuditWithAction("auth.login");
  ASSERT_EQ(logins.size(), 1u);
  EXPECT_EQ(logins[0].entry.outcome, "success");
  EXPECT_EQ(logins[0].entry.address, "10.0.0.1");
  EXPECT_EQ(logins[0].entry.request_id, "req-1");
}

TEST_P(AuthServiceTest, LoginNormalizesEmail) {
  EXPECT_TRUE(auth_.Login("  Agent@X.IN ", kAgentPassword, kOrigin).ok());
}

TEST_P(AuthServiceTest, WrongPasswordUnknownEmailAndDisabledAccountFailAlike) {
  ASSERT_TRUE(auth_.UpdateUser(agent_.id, {.disabled = true}, SystemAdmin(), kOrigin).ok());
  for (auto [email, password] : {std::pair{"admin@x.in", "wrong password 1"},
                                 std::pair{"nobody@x.in", kAdminPassword.c_str()},
                                 std::pair{"agent@x.in", kAgentPassword.c_str()}}) {
    auto result = auth_.Login(email, password, {"10.0.0.2", ""});
    ASSERT_FALSE(result.ok()) << email;
    EXPECT_EQ(result.error().code, core::ErrorCode::kUnauthenticated);
    EXPECT_EQ(result.error().detail_code, "invalid_credentials");
    EXPECT_EQ(result.error().message, "invalid e-mail or password");
  }
  auto failures = AuditWithAction("auth.login_failed");
  ASSERT_EQ(failures.size(), 3u);
  for (const auto& f : failures) EXPECT_EQ(f.entry.outcome, "failed");
  // Newest first: disabled agent, unknown e-mail, wrong admin password.
  EXPECT_EQ(failures[1].entry.actor, "anonymous");
  EXPECT_EQ(failures[1].entry.summary.find("nobody"), std::string::npos);
  EXPECT_EQ(failures[2].entry.actor, "user:" + std::to_string(admin_.id) + ":admin@x.in");
  EXPECT_EQ(nlohmann::json::parse(failures[0].entry.summary)["reason"], "disabled");
}

TEST_P(AuthServiceTest, LoginIsThrottledPerAccountAndClearedBySuccess) {
  EXPECT_FALSE(auth_.Login("agent@x.in", "wrong password 1", kOrigin).ok());
  EXPECT_FALSE(auth_.Login("agent@x.in", "wrong password 2", kOrigin).ok());
  EXPECT_TRUE(auth_.Login("agent@x.in", kAgentPassword, kOrigin).ok());
  // The success cleared the account's two failures: three more are allowed.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(auth_.Login("agent@x.in", "wrong", kOrigin).error().detail_code,
              "invalid_credentials");
  }
  clock_.Advance(5'000);
  auto blocked = auth_.Login("agent@x.in", kAgentPassword, {"10.9.9.9", ""});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, core::ErrorCode::kRateLimited);
  EXPECT_EQ(blocked.error().detail_code, "too_many_attempts");
  EXPECT_NE(blocked.error().message.find("try again in 55 seconds"), std::string::npos)
      << blocked.error().message;
  // Other accounts are not affected.
  EXPECT_TRUE(auth_.Login("admin@x.in", kAdminPassword, {"10.9.9.9", ""}).ok());
  clock_.Advance(55'000);
  EXPECT_TRUE(auth_.Login("agent@x.in", kAgentPassword, kOrigin).ok());
}

TEST_P(AuthServiceTest, LoginIsThrottledPerAddress) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(
        auth_.Login("nobody" + std::to_string(i) + "@x.in", "wrong password", {"10.6.6.6", ""})
            .ok());
  }
  auto blocked = auth_.Login("agent@x.in", kAgentPassword, {"10.6.6.6", ""});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, core::ErrorCode::kRateLimited);
  EXPECT_TRUE(auth_.Login("agent@x.in", kAgentPassword, {"10.7.7.7", ""}).ok());
  clock_.Advance(60'000);
  EXPECT_TRUE(auth_.Login("agent@x.in", kAgentPassword, {"10.6.6.6", ""}).ok());
}

TEST_P(AuthServiceTest, RefreshRotatesTheToken) {
  auto first = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(first.ok());
  clock_.Advance(1000);
  auto second = auth_.Refresh(first->refresh_token, kOrigin);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_NE(second->refresh_token, first->refresh_token);
  EXPECT_TRUE(auth_.Authenticate(second->access_token).ok());
  auto third = auth_.Refresh(second->refresh_token, kOrigin);
  ASSERT_TRUE(third.ok());
  // Only hashes are stored.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = '" +
                      third->refresh_token + "'"),
            0);
}

TEST_P(AuthServiceTest, ReusingRotatedRefreshTokenRevokesFamily) {
  auto first = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  auto other_session = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(first.ok() && other_session.ok());
  auto second = auth_.Refresh(first->refresh_token, kOrigin);
  ASSERT_TRUE(second.ok());

  auto reuse = auth_.Refresh(first->refresh_token, {"10.66.0.1", "req-evil"});
  ASSERT_FALSE(reuse.ok());
  EXPECT_EQ(reuse.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(reuse.error().detail_code, "refresh_token_reused");
  // The legitimate holder's newer token died with the family...
  auto after = auth_.Refresh(second->refresh_token, kOrigin);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().detail_code, "invalid_refresh_token");
  // ...but the user's other session is untouched.
  EXPECT_TRUE(auth_.Refresh(other_session->refresh_token, kOrigin).ok());

  auto events = AuditWithAction("auth.token_reuse");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entry.outcome, "denied");
  EXPECT_EQ(events[0].entry.address, "10.66.0.1");
  EXPECT_EQ(events[0].entry.target, "user:" + std::to_string(agent_.id));
}

TEST_P(AuthServiceTest, ConcurrentRefreshWithOneTokenSucceedsAtMostOnce) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  std::atomic<int> successes = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (auth_.Refresh(pair->refresh_token, kOrigin).ok()) ++successes;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(successes.load(), 1);
}

TEST_P(AuthServiceTest, ExpiredOrUnknownRefreshTokenIsInvalid) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(auth_.Refresh("not-a-token", kOrigin).error().detail_code, "invalid_refresh_token");
  EXPECT_EQ(auth_.Refresh("", kOrigin).error().detail_code, "invalid_refresh_token");
  clock_.Advance(3600 * 1000);
  EXPECT_EQ(auth_.Refresh(pair->refresh_token, kOrigin).error().detail_code,
            "invalid_refresh_token");
}

TEST_P(AuthServiceTest, LogoutEndsTheSession) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(auth_.Logout(pair->refresh_token, kOrigin).ok());
  EXPECT_TRUE(auth_.Logout(pair->refresh_token, kOrigin).ok());
  EXPECT_EQ(auth_.Refresh(pair->refresh_token, kOrigin).error().detail_code,
            "invalid_refresh_token");
  EXPECT_EQ(AuditWithAction("auth.logout").size(), 1u);
  EXPECT_FALSE(auth_.Logout("unknown", kOrigin).ok());
}

TEST_P(AuthServiceTest, DisabledUserLosesTokensAndSessions) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  ASSERT_TRUE(auth_.UpdateUser(agent_.id, {.disabled = true}, CallerFor(admin_), kOrigin).ok());
  auto auth = auth_.Authenticate("Bearer " + pair->access_token);
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().detail_code, "invalid_token");
  EXPECT_EQ(auth_.Refresh(pair->refresh_token, kOrigin).error().detail_code,
            "invalid_refresh_token");
}

TEST_P(AuthServiceTest, DemotionTakesEffectOnNextAuthenticate) {
  auto pair = auth_.Login("admin@x.in", kAdminPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  User second_admin = Create("boss@x.in", "boss password 1", Role::kAdmin);
  EXPECT_EQ(auth_.Authenticate(pair->access_token)->role, Role::kAdmin);
  auto demoted =
      auth_.UpdateUser(admin_.id, {.role = Role::kAgent}, CallerFor(second_admin), kOrigin);
  ASSERT_TRUE(demoted.ok()) << demoted.error().message;
  // The token still says "admin"; the database says otherwise, and wins.
  auto caller = auth_.Authenticate(pair->access_token);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->role, Role::kAgent);
}

TEST_P(AuthServiceTest, RoleChangeIsAuditedAsSecurityEvent) {
  Caller admin = CallerFor(admin_);
  ASSERT_TRUE(
      auth_.UpdateUser(agent_.id, {.name = "Renamed", .role = Role::kManager}, admin, kOrigin)
          .ok());
  auto role_events = AuditWithAction("users.role_changed");
  ASSERT_EQ(role_events.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(role_events[0].entry.summary),
            (nlohmann::json{{"from", "agent"}, {"to", "manager"}}));
  EXPECT_EQ(role_events[0].entry.actor, admin.actor);
  EXPECT_EQ(role_events[0].entry.role, "admin");
  EXPECT_EQ(role_events[0].entry.target, "user:" + std::to_string(agent_.id));
  auto updates = AuditWithAction("users.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(updates[0].entry.summary), (nlohmann::json{{"name", "Renamed"}}));
}

TEST_P(AuthServiceTest, PasswordChangeByAdminRevokesSessionsAndIsNotLogged) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  auto updated =
      auth_.UpdateUser(agent_.id, {.password = "brand new secret"}, CallerFor(admin_), kOrigin);
  ASSERT_TRUE(updated.ok());
  EXPECT_TRUE(updated->password_hash.empty());
  EXPECT_EQ(auth_.Refresh(pair->refresh_token, kOrigin).error().detail_code,
            "invalid_refresh_token");
  EXPECT_FALSE(auth_.Login("agent@x.in", kAgentPassword, kOrigin).ok());
  EXPECT_TRUE(auth_.Login("agent@x.in", "brand new secret", kOrigin).ok());
  auto updates = AuditWithAction("users.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].entry.summary, R"({"password":"changed"})");
}

TEST_P(AuthServiceTest, UpdateRejectsWeakPasswordAndUnknownUser) {
  auto weak = auth_.UpdateUser(agent_.id, {.password = "short"}, CallerFor(admin_), kOrigin);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().detail_code, "weak_password");
  auto missing = auth_.UpdateUser(9999, {.name = "x"}, CallerFor(admin_), kOrigin);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_P(AuthServiceTest, LastActiveAdminCannotBeDemotedOrDisabled) {
  Caller admin = CallerFor(admin_);
  auto demote = auth_.UpdateUser(admin_.id, {.role = Role::kManager}, admin, kOrigin);
  ASSERT_FALSE(demote.ok());
  EXPECT_EQ(demote.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(demote.error().detail_code, "last_admin");
  auto disable = auth_.UpdateUser(admin_.id, {.disabled = true}, admin, kOrigin);
  ASSERT_FALSE(disable.ok());
  EXPECT_EQ(disable.error().detail_code, "last_admin");
  EXPECT_EQ(auth_.GetUser(admin_.id)->role, Role::kAdmin);

  // A disabled admin does not count as a second one.
  User dormant = Create("dormant@x.in", "dormant password", Role::kAdmin);
  ASSERT_TRUE(auth_.UpdateUser(dormant.id, {.disabled = true}, admin, kOrigin).ok());
  EXPECT_EQ(auth_.UpdateUser(admin_.id, {.role = Role::kAgent}, admin, kOrigin).error().detail_code,
            "last_admin");

  ASSERT_TRUE(auth_.UpdateUser(dormant.id, {.disabled = false}, admin, kOrigin).ok());
  EXPECT_TRUE(auth_.UpdateUser(admin_.id, {.role = Role::kAgent}, admin, kOrigin).ok());
}

TEST_P(AuthServiceTest, ConcurrentDemotionsLeaveOneAdmin) {
  User second = Create("second@x.in", "second password", Role::kAdmin);
  std::atomic<int> successes = 0;
  std::thread a([&] {
    if (auth_.UpdateUser(admin_.id, {.role = Role::kAgent}, SystemAdmin(), kOrigin).ok()) {
      ++successes;
    }
  });
  std::thread b([&] {
    if (auth_.UpdateUser(second.id, {.role = Role::kAgent}, SystemAdmin(), kOrigin).ok()) {
      ++successes;
    }
  });
  a.join();
  b.join();
  EXPECT_EQ(successes.load(), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM users WHERE role = 'admin'"), 1);
}

TEST_P(AuthServiceTest, CannotGrantRoleAboveOwn) {
  User manager = Create("manager@x.in", "manager password", Role::kManager);
  auto promote = auth_.UpdateUser(agent_.id, {.role = Role::kAdmin}, CallerFor(manager), kOrigin);
  ASSERT_FALSE(promote.ok());
  EXPECT_EQ(promote.error().code, core::ErrorCode::kPermissionDenied);
  auto touch_admin = auth_.UpdateUser(admin_.id, {.name = "x"}, CallerFor(manager), kOrigin);
  ASSERT_FALSE(touch_admin.ok());
  EXPECT_EQ(touch_admin.error().code, core::ErrorCode::kPermissionDenied);
}

TEST_P(AuthServiceTest, ChangeOwnPasswordRequiresCurrentPassword) {
  Caller agent = CallerFor(agent_);
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  auto wrong = auth_.ChangeOwnPassword(agent, "not my password", "a new password", kOrigin);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().detail_code, "invalid_credentials");
  auto weak = auth_.ChangeOwnPassword(agent, kAgentPassword, "short", kOrigin);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().detail_code, "weak_password");

  ASSERT_TRUE(auth_.ChangeOwnPassword(agent, kAgentPassword, "a new password", kOrigin).ok());
  EXPECT_FALSE(auth_.Refresh(pair->refresh_token, kOrigin).ok());
  EXPECT_TRUE(auth_.Login("agent@x.in", "a new password", kOrigin).ok());
  auto events = AuditWithAction("users.password_change");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].entry.outcome, "success");
  EXPECT_EQ(events[1].entry.outcome, "failed");

  Caller key_caller;
  key_caller.actor = "apikey:1:x";
  key_caller.api_key_id = 1;
  EXPECT_EQ(auth_.ChangeOwnPassword(key_caller, "x", "a new password", kOrigin).error().code,
            core::ErrorCode::kPermissionDenied);
}

TEST_P(AuthServiceTest, CreateUserValidatesAndNormalizesEmail) {
  for (const char* bad : {"", "plain", "a@b", "a@@b.in", "a b@x.in", "@x.in", "a@.x.in"}) {
    auto r = auth_.CreateUser({bad, "N", "long enough pw", Role::kAgent}, "system", kOrigin);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().detail_code, "invalid_email") << bad;
  }
  std::string too_long = std::string(250, 'a') + "@x.in";
  EXPECT_EQ(auth_.CreateUser({too_long, "N", "long enough pw", Role::kAgent}, "system", kOrigin)
                .error()
                .detail_code,
            "invalid_email");

  auto created =
      auth_.CreateUser({" New@X.in ", "New", "long enough pw", Role::kManager}, "system", kOrigin);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->email, "new@x.in");
  EXPECT_TRUE(created->password_hash.empty());
  auto dup =
      auth_.CreateUser({"NEW@x.in", "Dup", "long enough pw", Role::kAgent}, "system", kOrigin);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(dup.error().detail_code, "email_taken");

  auto weak = auth_.CreateUser({"weak@x.in", "W", "short", Role::kAgent}, "system", kOrigin);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().detail_code, "weak_password");

  auto creates = AuditWithAction("users.create");
  ASSERT_EQ(creates.size(), 3u);  // admin, agent, new
  EXPECT_EQ(nlohmann::json::parse(creates[0].entry.summary)["email"], "new@x.in");
}

TEST_P(AuthServiceTest, GetAndListUsersOmitPasswordHashes) {
  auto got = auth_.GetUser(agent_.id);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->password_hash.empty());
  EXPECT_EQ(auth_.GetUser(4242).error().code, core::ErrorCode::kNotFound);
  auto users = auth_.ListUsers(0, 10);
  ASSERT_EQ(users.size(), 2u);
  for (const auto& u : users) EXPECT_TRUE(u.password_hash.empty());
  EXPECT_EQ(auth_.ListUsers(users[0].id, 10).size(), 1u);
}

TEST_P(AuthServiceTest, AuthenticateExplainsMissingBadAndExpiredTokens) {
  EXPECT_EQ(auth_.Authenticate("").error().detail_code, "missing_credentials");
  EXPECT_EQ(auth_.Authenticate("Bearer ").error().detail_code, "missing_credentials");
  EXPECT_EQ(auth_.Authenticate("Bearer garbage").error().detail_code, "invalid_token");

  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  clock_.Advance(900'000);
  auto expired = auth_.Authenticate("Bearer " + pair->access_token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(expired.error().detail_code, "token_expired");

  // A correctly signed token from another issuer or for a missing user is refused.
  int64_t now = clock_.NowMillis() / 1000;
  nlohmann::json foreign = {
      {"iss", "elsewhere"}, {"sub", std::to_string(agent_.id)}, {"exp", now + 60}};
  EXPECT_EQ(auth_.Authenticate(SignJwtHs256(foreign, kSecret)).error().detail_code,
            "invalid_token");
  nlohmann::json ghost = {{"iss", "vaarta"}, {"sub", "4242"}, {"exp", now + 60}};
  EXPECT_EQ(auth_.Authenticate(SignJwtHs256(ghost, kSecret)).error().detail_code, "invalid_token");
}

TEST_P(AuthServiceTest, ApiKeyAuthenticatesUntilRevoked) {
  auto created = auth_.CreateApiKey("crm-sync", Role::kManager, CallerFor(admin_), kOrigin);
  ASSERT_TRUE(created.ok()) << created.error().message;
  const std::string& plaintext = created->plaintext;
  ASSERT_EQ(plaintext.rfind("vk_" + created->key.prefix + "_", 0), 0u);
  EXPECT_EQ(created->key.prefix.size(), 8u);
  for (char c : created->key.prefix) EXPECT_TRUE(std::isalnum(c) && !std::isupper(c)) << c;
  EXPECT_EQ(created->key.key_hash, core::Sha256Hex(plaintext));
  EXPECT_EQ(created->key.created_by, admin_.id);

  for (const std::string& credential : {plaintext, "Bearer " + plaintext}) {
    auto caller = auth_.Authenticate(credential);
    ASSERT_TRUE(caller.ok()) << caller.error().message;
    EXPECT_EQ(caller->role, Role::kManager);
    EXPECT_EQ(caller->api_key_id, created->key.id);
    EXPECT_EQ(caller->user_id, 0);
    EXPECT_EQ(caller->actor, "apikey:" + std::to_string(created->key.id) + ":crm-sync");
  }
  auto listed = auth_.ListApiKeys(0, 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].last_used_at, kStart);

  ASSERT_TRUE(auth_.RevokeApiKey(created->key.id, CallerFor(admin_), kOrigin).ok());
  ASSERT_TRUE(auth_.RevokeApiKey(created->key.id, CallerFor(admin_), kOrigin).ok());
  auto revoked = auth_.Authenticate(plaintext);
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(revoked.error().detail_code, "invalid_api_key");
  EXPECT_EQ(auth_.RevokeApiKey(999, CallerFor(admin_), kOrigin).error().code,
            core::ErrorCode::kNotFound);

  EXPECT_EQ(AuditWithAction("api_keys.create").size(), 1u);
  EXPECT_EQ(AuditWithAction("api_keys.revoke").size(), 1u);
  EXPECT_EQ(AuditWithAction("api_keys.create")[0].entry.summary.find(plaintext), std::string::npos);
}

TEST_P(AuthServiceTest, ApiKeyWithWrongSecretOrMalformedIsRejected) {
  auto created = auth_.CreateApiKey("crm-sync", Role::kAgent, CallerFor(admin_), kOrigin);
  ASSERT_TRUE(created.ok());
  std::string wrong = created->plaintext;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (const std::string& key :
       {wrong, std::string("vk_"), std::string("vk_abc"), "vk_" + created->key.prefix + "_",
        std::string("vk_zzzzzzzz_secret"), std::string("vk_ABCDEFGH_secret")}) {
    auto r = auth_.Authenticate(key);
    ASSERT_FALSE(r.ok()) << key;
    EXPECT_EQ(r.error().detail_code, "invalid_api_key") << key;
  }
}

TEST_P(AuthServiceTest, ApiKeyUseIsRecordedAtMostOncePerMinute) {
  auto created = auth_.CreateApiKey("crm-sync", Role::kAgent, CallerFor(admin_), kOrigin);
  ASSERT_TRUE(created.ok());
  auto last_used = [&] { return auth_.ListApiKeys(0, 10).at(0).last_used_at; };
  EXPECT_FALSE(last_used().has_value());
  ASSERT_TRUE(auth_.Authenticate(created->plaintext).ok());
  EXPECT_EQ(last_used(), kStart);
  clock_.Advance(59'000);
  ASSERT_TRUE(auth_.Authenticate(created->plaintext).ok());
  EXPECT_EQ(last_used(), kStart);
  clock_.Advance(1'000);
  ASSERT_TRUE(auth_.Authenticate(created->plaintext).ok());
  EXPECT_EQ(last_used(), kStart + 60'000);
}

TEST_P(AuthServiceTest, ApiKeyRoleCannotExceedCreatorsRole) {
  User manager = Create("manager@x.in", "manager password", Role::kManager);
  auto r = auth_.CreateApiKey("escalate", Role::kAdmin, CallerFor(manager), kOrigin);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(auth_.CreateApiKey("  ", Role::kAgent, CallerFor(admin_), kOrigin).error().code,
            core::ErrorCode::kInvalidArgument);
}

TEST_P(AuthServiceTest, AuditChainStaysValidThroughAuthOperations) {
  auto pair = auth_.Login("agent@x.in", kAgentPassword, kOrigin);
  ASSERT_TRUE(pair.ok());
  EXPECT_FALSE(auth_.Login("agent@x.in", "wrong password", kOrigin).ok());
  EXPECT_TRUE(auth_.Refresh(pair->refresh_token, kOrigin).ok());
  EXPECT_FALSE(auth_.Refresh(pair->refresh_token, kOrigin).ok());  // reuse
  EXPECT_TRUE(auth_.CreateApiKey("k", Role::kAgent, CallerFor(admin_), kOrigin).ok());
  auto report = audit_.Verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_GE(report.records, 6);
}

TEST(AuthServiceConstructionTest, ShortJwtSecretIsRefused) {
  vaarta::testing::TestDatabase tdb("sqlite");
  core::ManualClock clock(kStart);
  audit::AuditLog audit(tdb.db(), clock);
  AuthSettings settings = TestSettings();
  settings.jwt_secret = "too short";
  EXPECT_THROW(AuthService(tdb.db(), clock, audit, settings), std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Dialects, AuthServiceTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::auth
