#pragma once
// The agent's conversation engine as the configuration asks for it: the intent model
// with the rule layer (the rules alone, said loudly, when the model cannot be loaded),
// and the LLM answer phraser when one is configured. The application builds one
// (Application::Engine) for live calls (TelephonyStack) and test calls alike, so a test
// call talks as a real one would and the model is loaded once.
#include <memory>

#include "conversation/answer_phraser.h"
#include "conversation/conversation_engine.h"
#include "conversation/utterance_understanding.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/logger.h"

namespace vaarta::app {

struct ConversationParts {
  std::unique_ptr<conversation::UtteranceUnderstanding> understanding;
  std::unique_ptr<conversation::AnswerPhraser> phraser;  // null: no LLM phrasing
  std::unique_ptr<conversation::ConversationEngine> engine;
};

// The logger must outlive the parts (the phraser logs through it).
ConversationParts MakeConversationParts(const core::Config& config, const core::Clock& clock,
                                        const core::Logger& logger);

}  // namespace vaarta::app
