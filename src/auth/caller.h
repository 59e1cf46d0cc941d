#pragma once
// Caller: who is making a request, as established by a token or API key.
#include <cstdint>
#include <string>

#include "auth/role.h"

namespace vaarta::auth {

struct Caller {
  std::string actor;  // "user:<id>:<email>" or "apikey:<id>:<name>"
  Role role = Role::kAgent;
  int64_t user_id = 0;     // 0 for API keys
  int64_t api_key_id = 0;  // 0 for users
};

}  // namespace vaarta::auth
