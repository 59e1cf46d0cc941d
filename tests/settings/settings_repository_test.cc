#include "settings/settings_repository.h"

#include <gtest/gtest.h>

#include "test_support/test_database.h"

namespace vaarta::settings {
namespace {

class SettingsRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  SettingsRepositoryTest() : tdb_(GetParam()) {}
  testing::TestDatabase tdb_;
  SettingsRepository repo_;
};

TEST_P(SettingsRepositoryTest, PutGetListDelete) {
  auto tx = tdb_.db().Begin(true);
  EXPECT_FALSE(repo_.Get(*tx, "calling.window_start").has_value());
  EXPECT_TRUE(repo_.List(*tx).empty());

  repo_.Put(*tx, {"calling.window_start", R"("09:00")", 100, "user:1:a@x.in"});
  repo_.Put(*tx, {"calling.max_attempts", "3", 101, "system"});
  auto got = repo_.Get(*tx, "calling.window_start");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, R"("09:00")");
  EXPECT_EQ(got->updated_at, 100);
  EXPECT_EQ(got->updated_by, "user:1:a@x.in");

  auto all = repo_.List(*tx);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].key, "calling.max_attempts");  // ordered by key
  EXPECT_EQ(all[1].key, "calling.window_start");

  EXPECT_TRUE(repo_.Delete(*tx, "calling.max_attempts"));
  EXPECT_FALSE(repo_.Delete(*tx, "calling.max_attempts"));
  EXPECT_EQ(repo_.List(*tx).size(), 1u);
  tx->Commit();
}

TEST_P(SettingsRepositoryTest, PutReplacesExistingValue) {
  auto tx = tdb_.db().Begin(true);
  repo_.Put(*tx, {"calling.window_start", R"("09:00")", 100, "system"});
  repo_.Put(*tx, {"calling.window_start", R"("10:30")", 200, "user:2:b@x.in"});
  auto got = repo_.Get(*tx, "calling.window_start");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, R"("10:30")");
  EXPECT_EQ(got->updated_at, 200);
  EXPECT_EQ(got->updated_by, "user:2:b@x.in");
  EXPECT_EQ(repo_.List(*tx).size(), 1u);
  tx->Commit();
}

TEST_P(SettingsRepositoryTest, ValuesSurviveCommit) {
  {
    auto tx = tdb_.db().Begin(true);
    repo_.Put(*tx, {"a.b", R"({"nested":[1,2]})", 1, "system"});
    tx->Commit();
  }
  auto tx = tdb_.db().Begin(false);
  auto got = repo_.Get(*tx, "a.b");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->value, R"({"nested":[1,2]})");
}

INSTANTIATE_TEST_SUITE_P(Dialects, SettingsRepositoryTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::settings
