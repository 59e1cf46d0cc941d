#pragma once
// LIKE patterns from user text: the text's own %, _ and \ match only themselves (used
// with ESCAPE '\').
#include <string>

namespace vaarta::storage {

inline std::string EscapeLike(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace vaarta::storage
