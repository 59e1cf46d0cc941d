#pragma once
// Script: the typed view of a campaign's conversation flow, the JSON document that
// docs/script-schema.json publishes. Steps carry bilingual lines and transitions by the
// callee's intent; `global_transitions` apply in every step that does not route the
// intent itself, so the honesty and safety intents (opt_out, is_bot, how_got_number,
// wrong_number) are handled once for the whole script. The dialogue engine walks this
// view; the checker and the generator read and write scripts through it.
//
// How the engine moves: on an intent in step S it goes to S.transitions[intent], else
// global_transitions[intent], else S.default. On entering a step it first performs the
// step's action (so the do-not-call write happens before the goodbye line is spoken),
// then says the line in the call's language, and hangs up after it when `end` is true.
// `repeat` and `language_switch` are answered in place (the current line again, in the
// asked-for language) unless the step routes them.
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vaarta::campaigns {

inline constexpr int kScriptVersion = 1;

// The callee intents of conversation.md, in its order.
inline constexpr std::array<std::string_view, 21> kIntents = {
    "greeting",         "affirm",          "deny",
    "interested",       "not_interested",  "opt_out",
    "callback_request", "ask_price",       "ask_details",
    "who_is_calling",   "how_got_number",  "is_bot",
    "language_switch",  "objection_price", "objection_existing",
    "objection_trust",  "repeat",          "human_agent",
    "wrong_number",     "goodbye",         "out_of_scope"};

// Intents the engine answers in place when a step does not route them.
inline constexpr std::array<std::string_view, 2> kInPlaceIntents = {"repeat", "language_switch"};

inline constexpr std::array<std::string_view, 10> kStepKinds = {
    "greeting", "qualify",  "pitch",    "objection", "answer",
    "close",    "callback", "transfer", "goodbye",   "opt_out"};

// What the engine does on entering a step, before its line.
inline constexpr std::array<std::string_view, 5> kStepActions = {
    "end_call", "add_do_not_call", "book_callback", "transfer", "mark_wrong_number"};

inline constexpr std::array<std::string_view, 2> kScriptLanguages = {"en", "hi"};

// Placeholders a line may use, filled by the engine when it speaks the line:
//   business     the campaign's business name        goal   the campaign's goal
//   offer        the campaign's offer                agent  the assistant's configured name
//   lead_name    the callee's name (may be empty)
//   lead_source  where the lead's number came from (its recorded source and consent)
//   answer       the knowledge base's answer to what the callee just asked (only in
//                steps of kind answer or objection); never invented by the engine
inline constexpr std::array<std::string_view, 7> kPlaceholders = {
    "business", "agent", "goal", "offer", "lead_name", "lead_source", "answer"};

// Longest line, in characters: a spoken line longer than this loses the callee.
inline constexpr size_t kMaxLineChars = 1000;

bool IsIntent(std::string_view name);
bool IsInPlaceIntent(std::string_view name);
bool IsStepKind(std::string_view name);
bool IsStepAction(std::string_view name);
bool IsScriptLanguage(std::string_view name);
bool IsPlaceholder(std::string_view name);
// "^[a-z][a-z0-9_]{0,39}$": step ids appear in analytics and in transitions.
bool IsValidStepId(std::string_view id);

// The languages whose lines a campaign needs: "en" or "hi" alone, otherwise ("auto")
// both, because the language is chosen per lead.
std::vector<std::string> RequiredLanguages(const std::string& campaign_languages);

struct ScriptStep {
  std::string id;
  std::string kind;
  std::map<std::string, std::string> lines;        // language -> text
  std::map<std::string, std::string> transitions;  // intent -> step id
  std::string default_step;                        // for intents not routed; "" when none
  std::string action;                              // one of kStepActions; "" when none
  bool end = false;                                // hang up after the line
};

struct Script {
  int version = kScriptVersion;
  std::string start;
  std::map<std::string, std::string> global_transitions;  // intent -> step id
  std::vector<ScriptStep> steps;

  // The first step with this id; nullptr when none.
  const ScriptStep* Find(std::string_view id) const;
  ScriptStep* Find(std::string_view id);
  // Where `intent` explicitly leads from `step`: its own transition, else the global
  // one; "" when neither routes it.
  std::string RoutedNext(const ScriptStep& step, std::string_view intent) const;
  // Where the engine goes: RoutedNext, else the step's default; "" when none.
  std::string Next(const ScriptStep& step, std::string_view intent) const;
};

// One way a document departs from docs/script-schema.json.
struct ScriptSchemaProblem {
  std::string code;  // "schema_type", "schema_required", "unknown_intent", ...
  std::string step;  // the step's id when known
  std::string language;
  std::string message;
};

// Reads what it can. A value of the wrong JSON type, an unknown field or a step without
// a string id is left out; a value of the right type but not allowed (an unknown kind,
// intent or language, a bad id) is kept. Either way it is reported in `problems`, so an
// empty list means the document matches the schema. References between steps are not
// checked here (see script_checker.h).
Script ReadScript(const nlohmann::json& json, std::vector<ScriptSchemaProblem>* problems);
// For the dialogue engine: the script, or kInvalidArgument when it does not match the
// schema (the checker's findings say more).
core::Result<Script> ParseScript(const nlohmann::json& json);
nlohmann::json ScriptToJson(const Script& script);

}  // namespace vaarta::campaigns
