#pragma once
// Demo data for `vaarta serve --demo`: a demo admin, manager and agent, default
// business settings, demo leads and a draft campaign over them. Idempotent: a second start finds
// them and changes nothing.
#include <string>

#include "app/application.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::app {

struct DemoLogin {
  std::string email;
  std::string password;
};

// Passwords are random per data folder and kept in data_dir/demo-login.json (0600), so
// the demo never ships a well-known password.
core::Result<DemoLogin> SeedDemoData(Application& app, const std::string& data_dir,
                                     int64_t now_millis);

}  // namespace vaarta::app
