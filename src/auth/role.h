#pragma once
// Role: what a user or API key may do. Ordered: each role includes the ones below it.
#include <optional>
#include <string>
#include <string_view>

namespace vaarta::auth {

enum class Role { kAgent = 1, kManager = 2, kAdmin = 3 };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
inline bool RoleAtLeast(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace vaarta::auth
