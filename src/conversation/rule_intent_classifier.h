#pragma once
// RuleIntentClassifier: keyword and phrase rules over normalised text (English, Hindi in
// Devanagari and romanised Hindi meet in one Latin spelling, see text_normalizer.h).
// The rules are compiled once, in the constructor, into word ids; classifying an
// utterance then costs a hash lookup per word and a few comparisons per rule.
//
// A rule is a sequence of words, each with alternatives ("call|phone|fon * mat"): "*"
// lets up to three other words stand before the next one, "#" is a number, a trailing
// "~" matches a word's beginning ("unsubscribe~"), "^" and "$" anchor the rule to the
// utterance's start and end. Every intent has a tier: the higher tier wins, so the
// safety intents (opt_out first, then wrong_number, human_agent, is_bot,
// how_got_number) are never outvoted by a "yes" or "ok" in the same utterance; within a
// tier the rule with more words wins. No rule matching gives out_of_scope with a low
// confidence, which the dialogue answers with a re-prompt.
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "conversation/intent_classifier.h"
#include "conversation/language_identifier.h"
#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

class RuleIntentClassifier final : public IntentClassifier {
 public:
  RuleIntentClassifier();
  // `normalizer` is used only while compiling the rules.
  explicit RuleIntentClassifier(const TextNormalizer& normalizer);

  IntentResult Classify(const NormalizedText& text) const override;
  // The language a language_switch asks for ("en", "hi"; "" when not said).
  std::string TargetLanguage(const NormalizedText& text) const;

  // Confidence given when no rule matches (out_of_scope).
  static constexpr double kUnmatchedConfidence = 0.3;

 private:
  struct Element {
    std::vector<int> ids;               // word ids of the alternatives
    std::vector<std::string> prefixes;  // alternatives ending in "~"
    bool number = false;                // "#"
    bool gap_before = false;            // "*" before it
  };
  struct Rule {
    int intent = 0;  // index into campaigns::kIntents
    int tier = 0;
    bool anchored_start = false;
    bool anchored_end = false;
    std::vector<Element> elements;
  };
  struct Input {
    const std::vector<std::string>* keys;
    std::vector<int> ids;  // -1: not a word of any rule
    std::vector<bool> numbers;
  };

  void AddRule(const TextNormalizer& normalizer, std::string_view intent, std::string_view pattern);
  int WordId(const std::string& key);
  bool ElementMatches(const Element& element, const Input& input, size_t at) const;
  bool MatchFrom(const Rule& rule, size_t element, const Input& input, size_t at) const;
  bool Matches(const Rule& rule, const Input& input) const;

  std::vector<Rule> rules_;
  std::unordered_map<std::string, int> words_;
  std::unordered_set<std::string> number_keys_;
  LanguageIdentifier language_;
};

}  // namespace vaarta::conversation
