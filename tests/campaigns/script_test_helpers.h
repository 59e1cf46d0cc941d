#pragma once
// What the script tests share: a sample campaign, a step of a script by its id, and the
// findings written out for a failure message.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "campaigns/script_checker.h"

namespace vaarta::campaigns::test {

inline Campaign GoldLoans() {
  Campaign c;
  c.business_name = "Sharma Gold Loans";
  c.goal = "book a gold loan appraisal visit";
  c.product_facts = "Loans against gold jewellery, valued at the branch in 30 minutes.";
  c.offer = "No processing fee in March";
  c.languages = "auto";
  return c;
}

inline const nlohmann::json& StepOf(const nlohmann::json& script, const std::string& id) {
  for (const auto& step : script.at("steps")) {
    if (step["id"] == id) return step;
  }
  throw std::logic_error("no step " + id);
}
inline nlohmann::json& StepOf(nlohmann::json& script, const std::string& id) {
  return const_cast<nlohmann::json&>(StepOf(static_cast<const nlohmann::json&>(script), id));
}

inline std::string Codes(const std::vector<ScriptFinding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.severity + ":" + f.code + "[" + f.step + "/" + f.language + "] " + f.message + "\n";
  }
  return out;
}

}  // namespace vaarta::campaigns::test
