#pragma once
#include <string>
#include <string_view>

namespace vaarta::storage {

// Rewrites "$N" placeholders outside quoted strings to "<prefix>N" (SQLite uses "?N",
// which binds by number exactly as PostgreSQL's "$N" does).
std::string RewritePlaceholders(std::string_view sql, char prefix);

}  // namespace vaarta::storage
