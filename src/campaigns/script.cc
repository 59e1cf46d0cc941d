#include "campaigns/script.h"

#include <algorithm>

namespace vaarta::campaigns {
namespace {

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string TypeName(const nlohmann::json& value) { return value.type_name(); }

class Reader {
 public:
  explicit Reader(std::vector<ScriptSchemaProblem>* problems) : problems_(problems) {}

  Script Read(const nlohmann::json& json) {
    Script script;
    script.version = 0;
    if (!json.is_object()) {
      Report("schema_type", "", "",
             "The script must be a JSON object with version, start and steps; got " +
                 TypeName(json) + ".");
      return script;
    }
    for (const auto& [key, value] : json.items()) {
      if (key == "version") {
        if (!value.is_number_integer()) {
          Report("schema_type", "", "", "version must be the number 1.");
        } else {
          script.version = value.get<int>();
          if (script.version != kScriptVersion) {
            Report("unsupported_version", "", "",
                   "Script version " + std::to_string(script.version) +
                       " is not supported; write version 1.");
          }
        }
      } else if (key == "start") {
        script.start = ReadStepRef(value, "", "start");
      } else if (key == "global_transitions") {
        script.global_transitions = ReadTransitions(value, "", "global_transitions");
      } else if (key == "steps") {
        ReadSteps(value, &script);
      } else {
        Report("schema_unknown_field", "", "",
               "Unknown field '" + key +
                   "' in the script; only version, start, global_transitions and steps are "
                   "allowed. Remove it.");
      }
    }
    for (const char* field : {"version", "start", "steps"}) {
      if (!json.contains(field)) {
        Report("schema_required", "", "",
               std::string("The script has no '") + field + "'; add it.");
      }
    }
    return script;
  }

 private:
  void Report(std::string code, std::string step, std::string language, std::string message) {
    if (problems_) {
      problems_->push_back(
          {std::move(code), std::move(step), std::move(language), std::move(message)});
    }
  }

  std::string Where(const std::string& step) {
    return step.empty() ? "the script" : "step '" + step + "'";
  }

  std::string ReadStepRef(const nlohmann::json& value, const std::string& step,
                          const std::string& field) {
    if (!value.is_string()) {
      Report("schema_type", step, "",
             field + " of " + Where(step) + " must be a step id (a string); got " +
                 TypeName(value) + ".");
      return "";
    }
    return value.get<std::string>();
  }

  std::map<std::string, std::string> ReadTransitions(const nlohmann::json& value,
                                                     const std::string& step,
                                                     const std::string& field) {
    std::map<std::string, std::string> out;
    if (!value.is_object()) {
      Report("schema_type", step, "",
             field + " of " + Where(step) + " must be an object from intent to step id; got " +
                 TypeName(value) + ".");
      return out;
    }
    for (const auto& [intent, target] : value.items()) {
      if (!IsIntent(intent)) {
        Report("unknown_intent", step, "",
               field + " of " + Where(step) + " names '" + intent +
                   "', which is not an intent of the conversation engine; use one of the "
                   "listed intents (docs/scripts.md).");
      }
      std::string id = ReadStepRef(target, step, field + "." + intent);
      if (!id.empty()) out[intent] = id;
    }
    return out;
  }

  void ReadSteps(const nlohmann::json& value, Script* script) {
    if (!value.is_array()) {
      Report("schema_type", "", "",
             "steps must be a list of step objects; got " + TypeName(value) + ".");
      return;
    }
    if (value.empty()) {
      Report("empty_script", "", "", "The script has no steps; add at least a greeting.");
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const auto& item = value[i];
      std::string label = "#" + std::to_string(i + 1);
      if (!item.is_object()) {
        Report("schema_type", "", "",
               "Step " + label + " must be an object; got " + TypeName(item) + ".");
        continue;
      }
      auto id = item.find("id");
      if (id == item.end() || !id->is_string()) {
        Report(id == item.end() ? "schema_required" : "schema_type", "", "",
               "Step " + label + " has no id (a string); give it one.");
        continue;
      }
      script->steps.push_back(ReadStep(item, id->get<std::string>()));
    }
  }

  ScriptStep ReadStep(const nlohmann::json& item, const std::string& id) {
    ScriptStep step;
    step.id = id;
    if (!IsValidStepId(id)) {
      Report("invalid_step_id", id, "",
             "Step id '" + id +
                 "' is not allowed; use 1 to 40 lower-case letters, digits or '_', "
                 "starting with a letter.");
    }
    for (const auto& [key, value] : item.items()) {
      if (key == "id") continue;
      if (key == "kind") {
        step.kind = ReadName(value, id, "kind", kStepKinds, "unknown_step_kind");
      } else if (key == "lines") {
        step.lines = ReadLines(value, id);
      } else if (key == "transitions") {
        step.transitions = ReadTransitions(value, id, "transitions");
      } else if (key == "default") {
        step.default_step = ReadStepRef(value, id, "default");
      } else if (key == "action") {
        step.action = ReadName(value, id, "action", kStepActions, "unknown_action");
      } else if (key == "end") {
        if (!value.is_boolean()) {
          Report("schema_type", id, "", "end of step '" + id + "' must be true or false.");
          continue;
        }
        step.end = value.get<bool>();
      } else {
        Report("schema_unknown_field", id, "",
               "Unknown field '" + key + "' in step '" + id +
                   "'; only id, kind, lines, transitions, default, action and end are "
                   "allowed. Remove it.");
      }
    }
    for (const char* field : {"kind", "lines"}) {
      if (!item.contains(field)) {
        Report("schema_required", id, "", "Step '" + id + "' has no '" + field + "'; add it.");
      }
    }
    return step;
  }

  // A name from a fixed list; kept when it is not on the list (the report says so).
  template <size_t N>
  std::string ReadName(const nlohmann::json& value, const std::string& id, const std::string& field,
                       const std::array<std::string_view, N>& allowed, const char* unknown_code) {
    if (!value.is_string()) {
      Report("schema_type", id, "", field + " of step '" + id + "' must be a string.");
      return "";
    }
    std::string name = value.get<std::string>();
    if (!Contains(allowed, name)) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Report(unknown_code, id, "",
             "Step '" + id + "' has " + field + " '" + name + "'; use one of " + list + ".");
    }
    return name;
  }

  std::map<std::string, std::string> ReadLines(const nlohmann::json& value, const std::string& id) {
    std::map<std::string, std::string> lines;
    if (!value.is_object()) {
      Report("schema_type", id, "",
             "lines of step '" + id +
                 "' must be an object such as {\"en\": \"...\", \"hi\": "
                 "\"...\"}; got " +
                 TypeName(value) + ".");
      return lines;
    }
    for (const auto& [language, text] : value.items()) {
      if (!IsScriptLanguage(language)) {
        Report("unknown_language", id, language,
               "Step '" + id + "' has a line in '" + language +
                   "'; scripts have English ('en') and Hindi ('hi') lines only.");
      }
      if (!text.is_string()) {
        Report("schema_type", id, language,
               "The '" + language + "' line of step '" + id + "' must be text.");
        continue;
      }
      std::string line = text.get<std::string>();
      if (CodePoints(line) > kMaxLineChars) {
        Report("line_too_long", id, language,
               "The '" + language + "' line of step '" + id + "' has " +
                   std::to_string(CodePoints(line)) + " characters; keep a spoken line under " +
                   std::to_string(kMaxLineChars) + ".");
      }
      lines[language] = std::move(line);
    }
    return lines;
  }

  std::vector<ScriptSchemaProblem>* problems_;
};

}  // namespace

bool IsIntent(std::string_view name) { return Contains(kIntents, name); }
bool IsInPlaceIntent(std::string_view name) { return Contains(kInPlaceIntents, name); }
bool IsStepKind(std::string_view name) { return Contains(kStepKinds, name); }
bool IsStepAction(std::string_view name) { return Contains(kStepActions, name); }
bool IsScriptLanguage(std::string_view name) { return Contains(kScriptLanguages, name); }
bool IsPlaceholder(std::string_view name) { return Contains(kPlaceholders, name); }

bool IsValidStepId(std::string_view id) {
  if (id.empty() || id.size() > 40 || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::vector<std::string> RequiredLanguages(const std::string& campaign_languages) {
  if (campaign_languages == "en" || campaign_languages == "hi") return {campaign_languages};
  return {"en", "hi"};
}

const ScriptStep* Script::Find(std::string_view id) const {
  for (const auto& step : steps) {
    if (step.id == id) return &step;
  }
  return nullptr;
}

ScriptStep* Script::Find(std::string_view id) {
  for (auto& step : steps) {
    if (step.id == id) return &step;
  }
  return nullptr;
}

std::string Script::RoutedNext(const ScriptStep& step, std::string_view intent) const {
  std::string key(intent);
  if (auto it = step.transitions.find(key); it != step.transitions.end()) return it->second;
  if (auto it = global_transitions.find(key); it != global_transitions.end()) return it->second;
  return "";
}

std::string Script::Next(const ScriptStep& step, std::string_view intent) const {
  std::string routed = RoutedNext(step, intent);
  return routed.empty() ? step.default_step : routed;
}

Script ReadScript(const nlohmann::json& json, std::vector<ScriptSchemaProblem>* problems) {
  return Reader(problems).Read(json);
}

core::Result<Script> ParseScript(const nlohmann::json& json) {
  std::vector<ScriptSchemaProblem> problems;
  Script script = ReadScript(json, &problems);
  if (!problems.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, problems.front().message,
                           problems.front().code);
  }
  return script;
}

nlohmann::json ScriptToJson(const Script& script) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : script.steps) {
    nlohmann::json out = {{"id", step.id},
                          {"kind", step.kind},
                          {"lines", step.lines},
                          {"transitions", step.transitions},
                          {"end", step.end}};
    if (!step.default_step.empty()) out["default"] = step.default_step;
    if (!step.action.empty()) out["action"] = step.action;
    steps.push_back(std::move(out));
  }
  return {{"version", script.version},
          {"start", script.start},
          {"global_transitions", script.global_transitions},
          {"steps", std::move(steps)}};
}

}  // namespace vaarta::campaigns
