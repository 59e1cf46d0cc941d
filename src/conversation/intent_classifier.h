#pragma once
// IntentClassifier: what a callee's utterance means, as one of the intents of
// conversation.md (campaigns::kIntents), with a confidence and the utterance's language.
// The rule classifier is the first implementation; a statistical one (issue 6) sits
// behind the same interface with the rules layered over it for the safety intents.
#include <string>

#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

struct IntentResult {
  std::string intent;     // one of campaigns::kIntents; "" for empty text (silence)
  double confidence = 0;  // 0..1
  std::string language;   // "en", "hi" (Devanagari) or "hinglish"; "" for empty text
  // For language_switch: the language asked for, "en" or "hi"; "" when not said.
  std::string target_language;
};

class IntentClassifier {
 public:
  virtual ~IntentClassifier() = default;
  virtual IntentResult Classify(const NormalizedText& text) const = 0;
};

}  // namespace vaarta::conversation
