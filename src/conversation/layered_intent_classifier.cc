#include "conversation/layered_intent_classifier.h"

namespace vaarta::conversation {

LayeredIntentClassifier::LayeredIntentClassifier(const FastTextIntentClassifier& model,
                                                 const RuleIntentClassifier& rules,
                                                 LayeredClassifierOptions options)
    : model_(model), rules_(rules), options_(options) {}

IntentResult LayeredIntentClassifier::Classify(const NormalizedText& text) const {
  IntentResult rule = rules_.Classify(text);
  if (text.empty()) return rule;
  IntentResult result;
  if (rule.intent == "opt_out") {
    result = rule;
  } else {
    IntentResult model = model_.Classify(text);
    bool rule_matched = rule.intent != "out_of_scope";
    result = (model.confidence < options_.model_trust && rule_matched) ? rule : model;
    // "rong number" read by the model as an opt-out: both end the call, but a wrong
    // number is marked as one (the lead is not the callee) rather than put on the list.
    if (result.intent == "opt_out" && rule.intent == "wrong_number" && rule.confidence >= 0.85) {
      result = rule;
    }
  }
  result.language = rule.language;
  if (result.intent == "language_switch" && result.target_language.empty()) {
    result.target_language = rules_.TargetLanguage(text);
  }
  return result;
}

}  // namespace vaarta::conversation
