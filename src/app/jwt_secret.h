#pragma once
#include <string>

#include "core/result.h"

namespace vaarta::app {

// The configured secret, or the one kept in data_dir/jwt.secret (created with mode
// 0600 on first use). Servers sharing one PostgreSQL must share one configured secret.
core::Result<std::string> LoadOrCreateJwtSecret(const std::string& configured,
                                                const std::string& data_dir);

// The same for any secret kept in data_dir/<file_name> when not configured.
core::Result<std::string> LoadOrCreateSecret(const std::string& configured,
                                             const std::string& data_dir,
                                             const std::string& file_name);

// Creates data_dir (and parents) if missing; error says why it could not.
core::Status EnsureDirectory(const std::string& dir);

}  // namespace vaarta::app
