#pragma once
// Language identification per utterance: "hi" when the callee's words are mostly in
// Devanagari, "hinglish" when Latin-script words include Hindi function words ("hai",
// "nahi", "kya", "mujhe", "kal", "haan", "theek", ...), otherwise "en". Empty text has
// no language ("").
#include <string>
#include <unordered_set>

#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

class LanguageIdentifier {
 public:
  LanguageIdentifier();
  std::string Identify(const NormalizedText& text) const;
  // The number of tokens that are Hindi function words.
  int HindiWords(const NormalizedText& text) const;

 private:
  std::unordered_set<std::string> hindi_keys_;
};

}  // namespace vaarta::conversation
