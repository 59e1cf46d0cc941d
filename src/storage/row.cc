#include <charconv>
#include <cstdlib>

#include "storage/database.h"

namespace vaarta::storage {

std::string Row::GetText(size_t i) const {
  const Value& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

int64_t Row::GetInt(size_t i) const {
  const Value& v = values_.at(i);
  if (auto n = std::get_if<int64_t>(&v)) return *n;
  if (auto d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) {
    if (*s == "t" || *s == "true") return 1;  // PostgreSQL boolean text form
    if (*s == "f" || *s == "false") return 0;
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(s->data(), s->data() + s->size(), out);
    if (ec != std::errc() || ptr != s->data() + s->size()) {
      throw DatabaseError(DatabaseError::Kind::kOther,
                          "column " + std::to_string(i) + " is not an integer: '" + *s + "'");
    }
    return out;
  }
  return 0;
}

double Row::GetDouble(size_t i) const {
  const Value& v = values_.at(i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (auto s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::optional<std::string> Row::GetOptText(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetText(i);
}

std::optional<int64_t> Row::GetOptInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetInt(i);
}

}  // namespace vaarta::storage
