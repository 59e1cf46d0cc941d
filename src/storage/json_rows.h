#pragma once
// Many rows as one statement parameter: a JSON array of objects that a statement reads
// as a table (PostgreSQL json_to_recordset, SQLite json_each), so that a batch of
// different updates or inserts is one statement and one round trip, with a text that
// does not depend on the batch's size.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.h"

namespace vaarta::storage {

// A column of the rows: its key in each object and its PostgreSQL type ("bigint",
// "text").
struct JsonColumn {
  std::string name;
  std::string pg_type;
};

// The FROM item "(...) AS `alias`" that reads parameter `param` ("$3") as rows with
// `columns`. Bind the array with JsonRowsValue.
std::string JsonRowsSource(Dialect dialect, const std::string& param,
                           const std::vector<JsonColumn>& columns, const std::string& alias);
inline Value JsonRowsValue(const nlohmann::json& rows) { return rows.dump(); }

}  // namespace vaarta::storage
