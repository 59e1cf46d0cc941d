#include "core/field_error.h"

namespace vaarta::core {

nlohmann::json FieldError::ToJson() const { return {{"field", field}, {"message", message}}; }

std::string DescribeFieldErrors(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.field + ": " + e.message;
  return out;
}

nlohmann::json FieldErrorsJson(const std::vector<FieldError>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors) out.push_back(e.ToJson());
  return out;
}

}  // namespace vaarta::core
