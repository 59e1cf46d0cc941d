#pragma once
// Many ids as one statement parameter, so that a statement's text (and the prepared
// statement cached for it) does not depend on how many ids there are: SQLite reads a
// JSON array with json_each, PostgreSQL a bigint[] literal.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.h"

namespace vaarta::storage {

// The predicate "`column` is one of the ids in parameter `param`" ("$3").
std::string AnyOfIds(Dialect dialect, const std::string& column, const std::string& param);
// The value to bind to that parameter.
Value IdsValue(Dialect dialect, const std::vector<int64_t>& ids);

}  // namespace vaarta::storage
