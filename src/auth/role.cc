#include "auth/role.h"

namespace vaarta::auth {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgent:
      return "agent";
    case Role::kManager:
      return "manager";
    case Role::kAdmin:
      return "admin";
  }
  return "agent";
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "agent") return Role::kAgent;
  if (name == "manager") return Role::kManager;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

}  // namespace vaarta::auth
