#include "storage/placeholder_rewrite.h"

namespace vaarta::storage {

std::string RewritePlaceholders(std::string_view sql, char prefix) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out.push_back(c);
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      out.push_back(prefix);
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace vaarta::storage
