#include "storage/id_list.h"

namespace vaarta::storage {

std::string AnyOfIds(Dialect dialect, const std::string& column, const std::string& param) {
  return dialect == Dialect::kSqlite ? column + " IN (SELECT value FROM json_each(" + param + "))"
                                     : column + " = ANY(" + param + "::bigint[])";
}

Value IdsValue(Dialect dialect, const std::vector<int64_t>& ids) {
  const bool sqlite = dialect == Dialect::kSqlite;
  std::string out = sqlite ? "[" : "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + (sqlite ? "]" : "}");
}

}  // namespace vaarta::storage
