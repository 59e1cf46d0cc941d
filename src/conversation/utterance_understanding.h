#pragma once
// UtteranceUnderstanding: everything the product reads from one callee utterance, built
// once per process: the normal form, the intent (the fastText model with the rule layer
// over it, or the rules alone when no model is loaded), the language, the sentiment and
// the entities (callback time, numbers, e-mail addresses, target language).
// `vaarta nlu classify` prints it; the conversation engine uses its classifier.
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "campaigns/zone_rules.h"
#include "conversation/callback_time_parser.h"
#include "conversation/entity_extractor.h"
#include "conversation/fasttext_intent_classifier.h"
#include "conversation/layered_intent_classifier.h"
#include "conversation/rule_intent_classifier.h"
#include "conversation/sentiment_analyzer.h"
#include "conversation/text_normalizer.h"
#include "core/result.h"

namespace vaarta::conversation {

struct Understood {
  std::string text;  // as heard
  IntentResult intent;
  Sentiment sentiment;
  Entities entities;
  std::optional<int64_t> callback_at_ms;
  // The JSON line of `vaarta nlu classify`; callback_at is ISO 8601 with the offset of
  // `zone`.
  nlohmann::json ToJson(const campaigns::ZoneRules& zone) const;
};

class UtteranceUnderstanding {
 public:
  // With the model at `model_path`; an error when it cannot be loaded.
  static core::Result<std::unique_ptr<UtteranceUnderstanding>> WithModel(
      const std::string& model_path);
  // Rules only (no statistical model): for deployments without the model file.
  static std::unique_ptr<UtteranceUnderstanding> RulesOnly();

  Understood Understand(const std::string& text, int64_t now_ms,
                        const campaigns::ZoneRules& zone) const;

  const TextNormalizer& normalizer() const { return normalizer_; }
  const IntentClassifier& classifier() const;
  const SentimentAnalyzer& sentiment() const { return sentiment_; }
  bool has_model() const { return model_ != nullptr; }
  // The statistical model alone, without the rule layer (null without a model): for
  // measuring what the layering adds.
  const IntentClassifier* model_alone() const { return model_.get(); }

 private:
  UtteranceUnderstanding() = default;

  TextNormalizer normalizer_;
  RuleIntentClassifier rules_;
  std::unique_ptr<FastTextIntentClassifier> model_;
  std::unique_ptr<LayeredIntentClassifier> layered_;
  SentimentAnalyzer sentiment_;
  EntityExtractor entities_;
  CallbackTimeParser callback_parser_;
};

}  // namespace vaarta::conversation
