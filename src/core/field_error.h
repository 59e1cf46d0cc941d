#pragma once
// FieldError: one thing wrong with one field of what someone entered, named by its path
// ("window.start", "knowledge[2].kind", "account_sid"). Modules that check input return
// all of them at once, so that an editor can mark every wrong field in one round trip;
// the API sends them as the "errors" of a problem document.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vaarta::core {

struct FieldError {
  std::string field;
  std::string message;
  nlohmann::json ToJson() const;
};

// Renders "window.start: must be HH:MM; ncpr_category: must be 1-8".
std::string DescribeFieldErrors(const std::vector<FieldError>& errors);
// [{"field": ..., "message": ...}, ...]
nlohmann::json FieldErrorsJson(const std::vector<FieldError>& errors);

}  // namespace vaarta::core
