#pragma once
// NluEvaluation: how well an IntentClassifier reads a labelled file (`vaarta nlu eval`):
// accuracy overall, per intent (recall and precision) and per script (English,
// Devanagari, Hinglish), opt_out's recall and how often each other intent was taken for
// an opt_out, and the confusion matrix.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation/intent_classifier.h"
#include "conversation/labelled_utterances.h"
#include "conversation/language_identifier.h"
#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

// The script an utterance is written in, for the per-script figures: "devanagari" when
// most letters are Devanagari, "hinglish" when Latin letters carry Hindi words, otherwise
// "english".
std::string ScriptOf(const NormalizedText& text, const LanguageIdentifier& language);

struct Tally {
  int total = 0;
  int correct = 0;
  double Accuracy() const { return total == 0 ? 0.0 : static_cast<double>(correct) / total; }
};

struct NluEvaluation {
  Tally overall;
  std::map<std::string, Tally> per_script;
  std::map<std::string, Tally> per_intent;                      // recall: by the expected intent
  std::map<std::string, int> predicted_count;                   // by the predicted intent
  std::map<std::string, std::map<std::string, int>> confusion;  // expected -> predicted -> n
  struct Miss {
    int line = 0;
    std::string expected;
    std::string predicted;
    double confidence = 0;
    std::string text;
  };
  std::vector<Miss> misses;

  double Precision(const std::string& intent) const;
  // Of the utterances of intent `other` (not opt_out), the share predicted as opt_out.
  double FalseOptOutRate(const std::string& other) const;
  // The largest FalseOptOutRate over the other intents, and which intent it is.
  std::pair<std::string, double> WorstFalseOptOut() const;

  nlohmann::json ToJson() const;
  // The report `vaarta nlu eval` prints: figures, then the confusion matrix (rows are
  // the expected intents, columns the predicted ones, abbreviated), then the misses.
  std::string Report(const std::string& title) const;
};

NluEvaluation Evaluate(const IntentClassifier& classifier, const TextNormalizer& normalizer,
                       const std::vector<LabelledUtterance>& utterances);

}  // namespace vaarta::conversation
