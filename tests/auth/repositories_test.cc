// The auth repositories' SQL on both engines.
#include <gtest/gtest.h>

#include "auth/api_key_repository.h"
#include "auth/refresh_token_repository.h"
#include "auth/user_repository.h"
#include "test_support/test_database.h"

namespace vaarta::auth {
namespace {

User MakeUser(const std::string& email, Role role, bool disabled = false) {
  User user;
  user.email = email;
  user.name = "Name of " + email;
  user.password_hash = "$argon2id$placeholder";
  user.role = role;
  user.disabled = disabled;
  user.created_at = 1000;
  user.updated_at = 1000;
  return user;
}

class AuthRepositoriesTest : public ::testing::TestWithParam<std::string> {
 protected:
  AuthRepositoriesTest() : tdb_(GetParam()) {}
  testing::TestDatabase tdb_;
  UserRepository users_;
  RefreshTokenRepository tokens_;
  ApiKeyRepository keys_;
};

TEST_P(AuthRepositoriesTest, UserRoundTripsAndUpdates) {
  auto tx = tdb_.db().Begin(true);
  int64_t id = users_.Insert(*tx, MakeUser("a@x.in", Role::kManager));
  auto found = users_.FindByEmail(*tx, "a@x.in");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->role, Role::kManager);
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(found->name, "Name of a@x.in");
  found->role = Role::kAdmin;
  found->disabled = true;
  found->name = "Renamed";
  found->password_hash = "new";
  found->updated_at = 2000;
  users_.Update(*tx, *found);
  auto again = users_.FindById(*tx, id);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->role, Role::kAdmin);
  EXPECT_TRUE(again->disabled);
  EXPECT_EQ(again->name, "Renamed");
  EXPECT_EQ(again->password_hash, "new");
  EXPECT_EQ(again->created_at, 1000);
  EXPECT_EQ(again->updated_at, 2000);
  EXPECT_FALSE(users_.FindById(*tx, id + 100).has_value());
  tx->Commit();
}

TEST_P(AuthRepositoriesTest, DuplicateEmailThrowsUniqueViolation) {
  auto tx = tdb_.db().Begin(true);
  users_.Insert(*tx, MakeUser("a@x.in", Role::kAgent));
  try {
    users_.Insert(*tx, MakeUser("a@x.in", Role::kAgent));
    FAIL() << "expected a unique violation";
  } catch (const storage::DatabaseError& e) {
    EXPECT_EQ(e.kind(), storage::DatabaseError::Kind::kUniqueViolation);
  }
}

TEST_P(AuthRepositoriesTest, ListPagesByIdAndCountsActiveAdmins) {
  auto tx = tdb_.db().Begin(true);
  users_.Insert(*tx, MakeUser("a@x.in", Role::kAdmin));
  users_.Insert(*tx, MakeUser("b@x.in", Role::kAdmin, /*disabled=*/true));
  users_.Insert(*tx, MakeUser("c@x.in", Role::kAgent));
  auto first = users_.List(*tx, 0, 2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].email, "a@x.in");
  auto rest = users_.List(*tx, first.back().id, 2);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].email, "c@x.in");
  EXPECT_EQ(users_.Count(*tx), 3);
  EXPECT_EQ(users_.CountActiveAdmins(*tx), 1);
  users_.LockForChange(*tx);  // must be harmless on both engines
  tx->Commit();
}

TEST_P(AuthRepositoriesTest, RefreshTokenRotatesOnlyOnceAndRevokesByFamily) {
  auto tx = tdb_.db().Begin(true);
  int64_t user_id = users_.Insert(*tx, MakeUser("a@x.in", Role::kAgent));
  RefreshTokenRecord record;
  record.user_id = user_id;
  record.family_id = "fam-1";
  record.token_hash = "hash-1";
  record.created_at = 10;
  record.expires_at = 100;
  record.address = "10.0.0.1";
  int64_t first = tokens_.Insert(*tx, record);
  record.token_hash = "hash-2";
  int64_t second = tokens_.Insert(*tx, record);
  record.family_id = "fam-2";
  record.token_hash = "hash-3";
  tokens_.Insert(*tx, record);

  auto found = tokens_.FindByHash(*tx, "hash-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first);
  EXPECT_EQ(found->family_id, "fam-1");
  EXPECT_EQ(found->address, "10.0.0.1");
  EXPECT_EQ(found->expires_at, 100);
  EXPECT_FALSE(found->rotated_at.has_value());

  EXPECT_TRUE(tokens_.MarkRotated(*tx, first, 20));
  EXPECT_FALSE(tokens_.MarkRotated(*tx, first, 21));
  EXPECT_EQ(tokens_.FindByHash(*tx, "hash-1")->rotated_at, 20);

  tokens_.RevokeFamily(*tx, "fam-1", 30);
  EXPECT_EQ(tokens_.FindByHash(*tx, "hash-2")->revoked_at, 30);
  EXPECT_FALSE(tokens_.FindByHash(*tx, "hash-3")->revoked_at.has_value());
  EXPECT_FALSE(tokens_.MarkRotated(*tx, second, 31));

  tokens_.RevokeAllForUser(*tx, user_id, 40);
  EXPECT_EQ(tokens_.FindByHash(*tx, "hash-3")->revoked_at, 40);
  EXPECT_EQ(tokens_.FindByHash(*tx, "hash-2")->revoked_at, 30);  // first revocation kept
  EXPECT_FALSE(tokens_.FindByHash(*tx, "unknown").has_value());
  tx->Commit();
}

TEST_P(AuthRepositoriesTest, ApiKeyRoundTripsRevokesAndTouches) {
  auto tx = tdb_.db().Begin(true);
  int64_t user_id = users_.Insert(*tx, MakeUser("a@x.in", Role::kAdmin));
  ApiKey key;
  key.name = "crm-sync";
  key.prefix = "abcd1234";
  key.key_hash = "h";
  key.role = Role::kManager;
  key.created_by = user_id;
  key.created_at = 50;
  int64_t id = keys_.Insert(*tx, key);
  key.prefix = "zzzz9999";
  key.created_by.reset();
  int64_t id2 = keys_.Insert(*tx, key);

  auto found = keys_.FindByPrefix(*tx, "abcd1234");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->role, Role::kManager);
  EXPECT_EQ(found->created_by, user_id);
  EXPECT_FALSE(found->last_used_at.has_value());
  EXPECT_FALSE(keys_.FindById(*tx, id2)->created_by.has_value());

  keys_.TouchLastUsed(*tx, id, 60);
  EXPECT_EQ(keys_.FindById(*tx, id)->last_used_at, 60);
  EXPECT_TRUE(keys_.Revoke(*tx, id, 70));
  EXPECT_FALSE(keys_.Revoke(*tx, id, 71));
  EXPECT_FALSE(keys_.Revoke(*tx, id + 100, 71));
  EXPECT_EQ(keys_.FindById(*tx, id)->revoked_at, 70);

  auto listed = keys_.List(*tx, 0, 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(keys_.List(*tx, id, 10).size(), 1u);
  tx->Commit();
}

INSTANTIATE_TEST_SUITE_P(Dialects, AuthRepositoriesTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::auth
