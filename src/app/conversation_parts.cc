#include "app/conversation_parts.h"

#include "app/intent_model_path.h"
#include "conversation/llm_answer_phraser.h"
#include "conversation/script_dialogue.h"

namespace vaarta::app {

ConversationParts MakeConversationParts(const core::Config& config, const core::Clock& clock,
                                        const core::Logger& logger) {
  ConversationParts parts;
  const std::string model_path = IntentModelPath(config);
  if (auto understanding = conversation::UtteranceUnderstanding::WithModel(model_path)) {
    parts.understanding = std::move(*understanding);
  } else {
    logger.Warn("intent model not loaded; understanding callees with the rules alone",
                {{"error", understanding.error().message}});
    parts.understanding = conversation::UtteranceUnderstanding::RulesOnly();
  }
  conversation::ScriptEngineOptions engine_options;
  if (config.llm_phrase_answers && !config.llm_base_url.empty()) {
    conversation::LlmPhraserOptions phrasing;
    phrasing.first_token_ms = config.llm_first_token_ms;
    phrasing.answer_ms = config.llm_answer_ms;
    parts.phraser = std::make_unique<conversation::LlmAnswerPhraser>(
        campaigns::LlmEndpoint{config.llm_base_url, config.llm_api_key, config.llm_model,
                               config.llm_answer_ms},
        phrasing, &logger);
    engine_options.phraser = parts.phraser.get();
  }
  parts.engine = std::make_unique<conversation::ScriptConversationEngine>(
      parts.understanding->classifier(), clock, engine_options);
  return parts;
}

}  // namespace vaarta::app
