#pragma once
// ScriptConversationEngine: the first ConversationEngine. It walks the campaign's script
// (campaigns/script.h): the callee's utterance is normalised and classified, the intent
// moves the call to the step the script names (the step's own transition, else the
// global one, else the step's default), and entering a step yields its action and then
// its line in the call's language with the placeholders filled. `repeat` and
// `language_switch` are answered in place unless the step routes them.
//
// What the engine adds around the script, because the script cannot say it:
// - the opening turn always announces the recording and the automated assistant (they
//   are added in front of the greeting when its line lacks them);
// - silence or a low confidence (recogniser's or classifier's, below
//   `min_confidence`) gets one re-prompt with the current line, then a polite goodbye;
//   an opt-out is acted on whatever the confidence;
// - {answer} comes only from the campaign's knowledge base and product facts; with
//   nothing matching, an answer step says honestly that it does not have the
//   information, and an objection step leaves the answer out;
// - a transfer step without a number to transfer to (CallContext::transfer_to) books a
//   callback from a person instead and says so, rather than promising a transfer;
// - a strongly negative utterance (anger, abuse) that does not end the call by itself is
//   answered as a request for a person (a transfer, or a callback from a person);
// - every utterance gets a sentiment, and the call a running one and, when it ends, a
//   short summary (AgentTurn::summary);
// - the call's language follows an explicit request (then stays), otherwise what the
//   callee speaks (three or more words of Hindi or Hinglish switch an English call to
//   Hindi and the reverse), among the languages the script has lines for.
//
// Sessions keep a pointer to their engine: the engine must outlive them. Thread-safe:
// one engine serves every call.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "campaigns/zone_offset_cache.h"
#include "conversation/callback_time_parser.h"
#include "conversation/conversation_engine.h"
#include "conversation/intent_classifier.h"
#include "conversation/sentiment_analyzer.h"
#include "conversation/text_normalizer.h"
#include "core/clock.h"

namespace vaarta::conversation {

class AnswerPhraser;

struct ScriptEngineOptions {
  std::string agent_name = "Vaarta";               // {agent}
  std::string default_time_zone = "Asia/Kolkata";  // when the context names none
  double min_confidence = 0.5;
  int max_reprompts = 1;  // consecutive re-prompts before ending politely
  int max_turns = 40;     // callee utterances before ending politely
  // Phrases knowledge-base answers (an LLM); null: the retrieved fact is quoted as
  // written. Must outlive the engine.
  const AnswerPhraser* phraser = nullptr;
};

class ScriptConversationEngine final : public ConversationEngine {
 public:
  // Uses the system clock for callback times when an utterance carries no instant.
  explicit ScriptConversationEngine(const IntentClassifier& classifier,
                                    ScriptEngineOptions options = {});
  ScriptConversationEngine(const IntentClassifier& classifier, const core::Clock& clock,
                           ScriptEngineOptions options = {});
  ~ScriptConversationEngine() override;

  core::Result<std::unique_ptr<ConversationSession>> Start(const CallContext& context) override;
  core::Result<std::unique_ptr<ConversationSession>> Resume(const CallContext& context,
                                                            const nlohmann::json& state) override;

  // What sessions share with their engine (defined in the .cc file).
  struct Parts;
  // A campaign's script and knowledge base, prepared once per distinct content.
  struct Compiled;

 private:
  core::Result<std::shared_ptr<const Compiled>> CompiledFor(const CallContext& context);

  std::unique_ptr<Parts> parts_;
  // By the campaign's script, facts and knowledge: the transports load a fresh Campaign
  // object per turn, and parsing the script and indexing the knowledge base every turn
  // would cost milliseconds.
  std::mutex cache_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Compiled>> cache_;
};

}  // namespace vaarta::conversation
