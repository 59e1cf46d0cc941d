#pragma once
// ScriptChecker: what is wrong with a campaign's script, as a list of findings with a
// severity. Two kinds of check:
//  - structure (on every save): the JSON matches the published schema
//    (docs/script-schema.json), every step is reachable from the start, every intent is
//    handled or falls through to a default, every line is filled in every language the
//    campaign speaks;
//  - compliance (compliance-india.md section 7): the greeting names the business and
//    the purpose, says the call is recorded and that this is an automated assistant, and
//    offers the way to stop calls; no forbidden promises (guaranteed returns, false
//    urgency, pretending to be a person).
// A campaign cannot start while any finding has severity "error".
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"

namespace vaarta::campaigns {

struct ScriptFinding {
  std::string severity;  // "error" or "warning"
  std::string code;      // stable: "unreachable_step", "missing_disclosure_recorded", ...
  std::string step;      // the step's id; empty for the whole script
  std::string language;  // "en", "hi" or empty
  std::string message;   // for a manager: what is wrong and how to fix it
  nlohmann::json ToJson() const;
};

// Structure only (schema, reachability, intents, languages).
std::vector<ScriptFinding> CheckScriptStructure(const nlohmann::json& script,
                                                const std::string& languages);
// Structure and compliance, with the campaign's facts (business name, goal, languages).
std::vector<ScriptFinding> CheckScript(const nlohmann::json& script, const Campaign& campaign);
bool HasErrors(const std::vector<ScriptFinding>& findings);

// The codes of the promises the rules forbid that `text` makes ("forbidden_guarantee",
// "forbidden_urgency", "forbidden_impersonation"), in English, Hindi or Hinglish; empty
// when none. The generator uses it to leave such sentences of a campaign's facts out.
std::vector<std::string> FindForbiddenPromises(const std::string& text);

}  // namespace vaarta::campaigns
