#pragma once
// ScriptGenerator: a complete bilingual script from a campaign's goal, product facts and
// offer that passes the checker. Deterministic templates by default; with an LLM
// endpoint (OpenAI-compatible chat completions) configured, the LLM drafts and the
// checker validates and repairs the draft (falling back to the template).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "campaigns/llm_chat_client.h"  // LlmEndpoint
#include "campaigns/script_checker.h"
#include "core/result.h"

namespace vaarta::campaigns {

struct GeneratedScript {
  nlohmann::json script;
  std::string source;                   // "template", "llm", "llm_repaired", "template_fallback"
  std::vector<ScriptFinding> findings;  // of the returned script (no errors)
  std::vector<std::string> notes;       // what was repaired, why the LLM draft was dropped
};

// Deterministic: the same campaign gives the same script.
nlohmann::json GenerateTemplateScript(const Campaign& campaign);

// The sentences of a text (product facts): cut after '.', '!', '?' or '।' followed by a
// space or the end, each as plain one-line text; empty ones left out.
std::vector<std::string> FactSentences(const std::string& facts);
// Uses the LLM when `llm` is given and has a base_url, else the template.
GeneratedScript GenerateScript(const Campaign& campaign, const std::optional<LlmEndpoint>& llm);
// The same with any LLM client (the conversation engine's, a test's).
GeneratedScript GenerateScriptWith(const Campaign& campaign, const LlmClient& llm);

}  // namespace vaarta::campaigns
