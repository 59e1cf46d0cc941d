#pragma once
// AnswerPhraser: turns the facts the knowledge base retrieved into a spoken answer. The
// dialogue quotes the retrieved fact as written when no phraser is configured or when the
// phraser gives nothing (too slow, down, or an answer that fails the honesty filter).
#include <optional>
#include <string>
#include <vector>

namespace vaarta::conversation {

struct PhraseRequest {
  std::string question;            // what the callee said
  std::string intent;              // ask_price, ask_details, objection_*
  std::vector<std::string> facts;  // retrieved from the campaign's knowledge base
  std::string script_line;         // the step's line with the fact quoted (the fallback)
  std::string language;            // "en" or "hi"
  std::string business;            // the business the agent speaks for
  std::string agent_name;
};

class AnswerPhraser {
 public:
  virtual ~AnswerPhraser() = default;
  // The answer to speak, or nullopt to fall back to the script line.
  virtual std::optional<std::string> Phrase(const PhraseRequest& request) const = 0;
};

}  // namespace vaarta::conversation
