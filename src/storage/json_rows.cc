#include "storage/json_rows.h"

namespace vaarta::storage {

std::string JsonRowsSource(Dialect dialect, const std::string& param,
                           const std::vector<JsonColumn>& columns, const std::string& alias) {
  std::string out;
  if (dialect == Dialect::kPostgres) {
    out = "json_to_recordset(CAST(" + param + " AS json)) AS " + alias + "(";
    for (size_t i = 0; i < columns.size(); ++i) {
      out += (i ? ", " : "") + columns[i].name + " " + columns[i].pg_type;
    }
    return out + ")";
  }
  out = "(SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    out += (i ? ", " : "") + std::string("json_extract(value, '$.") + columns[i].name + "') AS " +
           columns[i].name;
  }
  return out + " FROM json_each(" + param + ")) AS " + alias;
}

}  // namespace vaarta::storage
