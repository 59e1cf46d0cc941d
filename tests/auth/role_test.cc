#include "auth/role.h"

#include <gtest/gtest.h>

namespace vaarta::auth {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kAgent, Role::kManager, Role::kAdmin}) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, role);
  }
}

TEST(RoleTest, UnknownNamesAreRejected) {
  EXPECT_FALSE(ParseRole("").has_value());
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST(RoleTest, HigherRolesIncludeLowerOnes) {
  EXPECT_TRUE(RoleAtLeast(Role::kAdmin, Role::kManager));
  EXPECT_TRUE(RoleAtLeast(Role::kManager, Role::kManager));
  EXPECT_FALSE(RoleAtLeast(Role::kAgent, Role::kManager));
}

}  // namespace
}  // namespace vaarta::auth
