#include "conversation/fasttext_intent_classifier.h"

#include <fasttext/fasttext.h>

#include <filesystem>
#include <sstream>

#include "campaigns/script.h"

namespace vaarta::conversation {

core::Result<std::unique_ptr<FastTextIntentClassifier>> FastTextIntentClassifier::Load(
    const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::Error{core::ErrorCode::kNotFound,
                       "intent model '" + path +
                           "' not found (build it with `vaarta nlu train`, or set nlu_model_path)"};
  }
  auto model = std::make_unique<fasttext::FastText>();
  try {
    model->loadModel(path);
  } catch (const std::exception& e) {
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "intent model '" + path + "' cannot be read: " + e.what()};
  }
  auto dictionary = model->getDictionary();
  if (dictionary->nlabels() == 0) {
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "intent model '" + path + "' is not a supervised model (no labels)"};
  }
  for (int32_t i = 0; i < dictionary->nlabels(); ++i) {
    std::string label = dictionary->getLabel(i).substr(std::string_view(kLabelPrefix).size());
    if (std::find(campaigns::kIntents.begin(), campaigns::kIntents.end(), label) ==
        campaigns::kIntents.end()) {
      return core::Error{core::ErrorCode::kInvalidArgument,
                         "intent model '" + path + "' has a label that is not an intent: " + label};
    }
  }
  return std::unique_ptr<FastTextIntentClassifier>(new FastTextIntentClassifier(std::move(model)));
}

FastTextIntentClassifier::FastTextIntentClassifier(std::unique_ptr<fasttext::FastText> model)
    : model_(std::move(model)) {}

FastTextIntentClassifier::~FastTextIntentClassifier() = default;

std::string FastTextIntentClassifier::ModelInput(const NormalizedText& text) {
  std::string line;
  for (const auto& key : text.keys) {
    if (!line.empty()) line += ' ';
    line += key;
  }
  return line;
}

std::vector<IntentScore> FastTextIntentClassifier::Scores(const NormalizedText& text, int k) const {
  std::vector<IntentScore> scores;
  if (text.empty()) return scores;
  std::istringstream in(ModelInput(text) + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  model_->predictLine(in, predictions, k, 0.0);
  scores.reserve(predictions.size());
  const size_t prefix = std::string_view(kLabelPrefix).size();
  for (auto& [probability, label] : predictions) {
    scores.push_back({label.substr(prefix), static_cast<double>(probability)});
  }
  return scores;
}

IntentResult FastTextIntentClassifier::Classify(const NormalizedText& text) const {
  IntentResult result;
  result.language = language_.Identify(text);
  if (text.empty()) return result;
  auto scores = Scores(text, 1);
  if (scores.empty()) {
    // Nothing the model knows (every word and n-gram unseen): not something to act on.
    result.intent = "out_of_scope";
    result.confidence = 0.0;
    return result;
  }
  result.intent = scores[0].intent;
  result.confidence = std::min(1.0, std::max(0.0, scores[0].probability));
  return result;
}

}  // namespace vaarta::conversation
