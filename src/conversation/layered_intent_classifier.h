#pragma once
// LayeredIntentClassifier: the statistical model with the rule layer over it for the
// safety-critical intent. conversation.md: a missed opt_out breaks the law, a false one
// only costs a lead, so an opt_out rule match always wins. Otherwise the model decides,
// except where it is unsure and a rule matched: then the rule's reading is taken. (The
// rules for wrong_number, human_agent, is_bot and how_got_number once overrode the model
// too; measured on the held-out set they were wrong more often than the model, e.g.
// "kya aap real person ho" is asking whether it is a bot, not for a person.) The target
// language of a language_switch comes from the rules' reading of the words, whoever
// decided the intent. One exception the other way: the model's opt_out gives way to an
// outright wrong_number rule match ("rong number"), since both end the call and a wrong
// number must be marked as one.
#include "conversation/fasttext_intent_classifier.h"
#include "conversation/intent_classifier.h"
#include "conversation/rule_intent_classifier.h"

namespace vaarta::conversation {

struct LayeredClassifierOptions {
  // Below this model probability a rule match (other than out_of_scope) is preferred.
  double model_trust = 0.45;
};

class LayeredIntentClassifier final : public IntentClassifier {
 public:
  // Both must outlive this classifier.
  LayeredIntentClassifier(const FastTextIntentClassifier& model, const RuleIntentClassifier& rules,
                          LayeredClassifierOptions options = {});

  IntentResult Classify(const NormalizedText& text) const override;

 private:
  const FastTextIntentClassifier& model_;
  const RuleIntentClassifier& rules_;
  LayeredClassifierOptions options_;
};

}  // namespace vaarta::conversation
