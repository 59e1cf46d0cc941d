#pragma once
#include <cstdint>
#include <string>

#include "auth/role.h"

namespace vaarta::auth {

struct User {
  int64_t id = 0;
  std::string email;  // stored lower-cased
  std::string name;
  std::string password_hash;
  Role role = Role::kAgent;
  bool disabled = false;
  int64_t created_at = 0;  // Unix ms
  int64_t updated_at = 0;
};

}  // namespace vaarta::auth
