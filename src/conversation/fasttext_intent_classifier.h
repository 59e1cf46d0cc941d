#pragma once
// FastTextIntentClassifier: the statistical intent model, a fastText supervised
// classifier over word bigrams and character n-grams of the normalised spelling keys
// (text_normalizer.h), so that English, Devanagari and Hinglish share one feature space.
// The model is trained by IntentModelTrainer (`vaarta nlu train`) from the corpus in
// corpus/nlu and ships beside the binary as a build artefact.
//
// Thread-safe once loaded: fastText's predict keeps its scratch state on the stack.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "conversation/intent_classifier.h"
#include "conversation/language_identifier.h"
#include "core/result.h"

namespace fasttext {
class FastText;
}

namespace vaarta::conversation {

struct IntentScore {
  std::string intent;
  double probability = 0;
};

class FastTextIntentClassifier final : public IntentClassifier {
 public:
  // kNotFound when the file is missing, kInvalidArgument when it is not a fastText
  // supervised model over our intents.
  static core::Result<std::unique_ptr<FastTextIntentClassifier>> Load(const std::string& path);
  ~FastTextIntentClassifier() override;

  IntentResult Classify(const NormalizedText& text) const override;
  // The `k` most probable intents, best first (empty for empty text).
  std::vector<IntentScore> Scores(const NormalizedText& text, int k) const;

  // The model's input line for `text`: its spelling keys joined by spaces. The trainer
  // writes the same form, so training and prediction see one representation.
  static std::string ModelInput(const NormalizedText& text);
  static constexpr const char* kLabelPrefix = "__label__";

 private:
  explicit FastTextIntentClassifier(std::unique_ptr<fasttext::FastText> model);

  std::unique_ptr<fasttext::FastText> model_;
  LanguageIdentifier language_;
};

}  // namespace vaarta::conversation
