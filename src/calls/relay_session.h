#pragma once
// RelaySession: one call in ConversationRelay mode. The provider (Twilio) opens a
// WebSocket to us, does the speech recognition and synthesis, and exchanges JSON with
// this session: it sends setup, prompt, interrupt, dtmf and error; we answer with text
// tokens, language switches and end. The session hands what the callee said to the
// conversation engine and streams the engine's lines back, paced to the estimated
// speech so that a barge-in stops the rest of a long turn from being sent.
//
// Threading: OnMessage and OnClose run on the server's I/O thread (one connection's
// messages in order); paced tokens are released from the RelayScheduler's thread. A
// per-session mutex serialises the two; the injected interfaces are called under it, so
// they must be quick and must not call back into the session.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calls/provider_call_repository.h"
#include "calls/relay_scheduler.h"
#include "conversation/conversation_engine.h"
#include "core/clock.h"
#include "core/logger.h"
#include "core/result.h"
#include "dialer/disposition.h"
#include "http/router.h"

namespace vaarta::calls {

// What a relay connection is about, once its setup message names the call.
struct RelayCallBinding {
  conversation::CallContext context;
  std::unique_ptr<conversation::ConversationSession> session;
};

// Finds the call behind a relay connection (the lead: the attempt by provider call id)
// and starts its conversation.
class RelayCallResolver {
 public:
  virtual ~RelayCallResolver() = default;
  // `custom_parameters`: the setup message's customParameters (the <Parameter>s of the
  // <ConversationRelay>), an object, possibly empty.
  virtual core::Result<RelayCallBinding> Resolve(const std::string& call_sid,
                                                 const nlohmann::json& custom_parameters) = 0;
};

// Where the session's effects go (the lead: the database).
class RelayTurnSink {
 public:
  virtual ~RelayTurnSink() = default;
  // Carries out turn.action ("add_do_not_call", "book_callback", "transfer",
  // "mark_wrong_number", "end_call") before any of the turn's lines is sent. On failure
  // the session does not speak the turn: it apologises and ends the call.
  virtual core::Status BeforeSpeaking(const conversation::CallContext& context,
                                      const conversation::AgentTurn& turn) = 0;
  // One transcript line. speaker: "agent" or "callee". For the agent, the text is what
  // reached the provider, or after a barge-in what the provider says was heard
  // (utteranceUntilInterrupt); it is written when the turn is over (the callee answered
  // or interrupted, or the call ended), so lines arrive in conversation order. For the
  // callee, intent/confidence/language/sentiment are the engine's reading of the
  // utterance and latency_ms how long the engine took to answer it; keyed digits are
  // written as "[dtmf 5]". Agent lines have no intent or confidence. `turn.attempt_id`
  // and `turn.at` may be left 0 (the sink fills them).
  virtual void Transcript(int64_t attempt_id, CallTurn turn) = 0;
  // Called exactly once per resolved call: when our end message has been sent, or when
  // the connection closed first. `disposition` is the last one the engine decided (also
  // after a failed action, so that an opt-out is never lost); nullopt when nothing was
  // decided. reason: "completed", "transfer", "action_failed", "provider_error",
  // "connection_closed".
  virtual void Ended(const conversation::CallContext& context,
                     const std::optional<dialer::Disposition>& disposition,
                     const std::string& reason) = 0;
};

struct RelaySessionOptions {
  // Token pacing. The first `lead_words` words of a turn are sent at once (the provider
  // needs text ahead of its speech to synthesise smoothly); each later token is released
  // when the estimated speech, at `words_per_second`, is `lead_words` words before it.
  // The end message of a closing turn waits for the estimated end of the speech plus
  // `end_margin_ms`, so the goodbye is not cut. words_per_second <= 0 turns pacing off:
  // every token, and the end, is sent at once.
  double words_per_second = 2.5;
  int lead_words = 12;
  int64_t end_margin_ms = 500;
  // Text message flags. preemptible: a reply to a later prompt may cut this turn, which
  // matches the session dropping a superseded turn's unsent tokens.
  bool interruptible = true;
  bool preemptible = true;
  // Spoken when a turn's action could not be carried out or the provider reported an
  // error, before ending the call. Keyed by engine language ("en", "hi").
  std::string apology_en =
      "Sorry, we are facing a technical problem and have to end this call. Thank you for your "
      "time. Goodbye.";
  std::string apology_hi =
      "माफ़ कीजिए, तकनीकी समस्या के कारण हमें यह कॉल समाप्त करनी पड़ रही है। आपके समय के लिए "
      "धन्यवाद।";
};

// The provider's language tag for an engine language: "en" -> "en-IN", "hi" -> "hi-IN";
// a tag that already has a region passes through.
std::string RelayLanguageTag(const std::string& language);

// Splits a turn's lines into text tokens of three to six words on word boundaries; every
// token but the turn's final one ends with a space, so concatenating them gives the
// lines joined by spaces.
std::vector<std::string> SplitIntoTokens(const std::vector<std::string>& lines);

class RelaySession final : public http::WebSocketSession,
                           public std::enable_shared_from_this<RelaySession> {
 public:
  RelaySession(std::shared_ptr<http::WebSocketPeer> peer, RelayCallResolver& resolver,
               RelayTurnSink& sink, std::shared_ptr<RelayScheduler> scheduler,
               const core::Logger& logger, const core::Clock& clock, RelaySessionOptions options);

  void OnMessage(const std::string& text) override;
  void OnClose() override;

 private:
  struct Outgoing {
    std::string json;
    std::string text;  // the token's words (for the transcript); "" for other messages
    bool is_end = false;
    int64_t release_ms = 0;
  };
  struct EndPlan {
    std::string reason_code;  // handoffData reasonCode
    std::string reason;       // also the Ended reason
    std::string transfer_to;
  };

  struct TranscriptLine {
    std::string text;
    std::string language;
    std::string step;
  };

  void HandleSetup(const nlohmann::json& message);
  void HandlePrompt(const nlohmann::json& message);
  void HandleInterrupt(const nlohmann::json& message);
  void HandleDtmf(const nlohmann::json& message);
  void HandleProviderError(const nlohmann::json& message);

  // Hears an utterance and speaks the reply; writes the transcript lines.
  void Converse(const conversation::Utterance& utterance, const std::string& transcript_text);
  // Runs the turn's action, then streams its lines (or an apology if the action failed).
  void Speak(const conversation::AgentTurn& turn);
  void StreamApologyAndEnd(const std::string& reason, const std::string& language);
  // Replaces the queue with a turn's messages (language switch, tokens, end) and sends
  // what is due now.
  void Stream(const std::vector<std::string>& lines, const std::string& language,
              const std::string& step, const std::optional<EndPlan>& end);
  // Sends the queued messages whose time has come and arms the scheduler for the next.
  void Drain(uint64_t generation);
  // Ends the connection for a protocol violation or an unknown call (nothing bound).
  void FailUnbound(const std::string& reason);
  // The pending agent line: what was sent, or `heard` after a barge-in.
  std::optional<TranscriptLine> TakeAgentLine(const std::optional<std::string>& heard);
  void WriteAgentLine(const std::optional<TranscriptLine>& line);
  // Reports Ended once the end message is out.
  void FinishIfEnded();

  std::string EndMessage(const EndPlan& plan) const;
  std::string Apology(const std::string& language) const;

  std::shared_ptr<http::WebSocketPeer> peer_;
  RelayCallResolver& resolver_;
  RelayTurnSink& sink_;
  std::shared_ptr<RelayScheduler> scheduler_;
  const core::Logger& logger_;
  const core::Clock& clock_;
  const RelaySessionOptions options_;

  std::mutex mutex_;
  bool bound_ = false;
  conversation::CallContext context_;
  std::unique_ptr<conversation::ConversationSession> conversation_;
  std::string current_language_;  // the engine language of the last turn ("en", "hi")
  std::string current_tag_;       // the provider's current TTS/transcription language
  std::optional<dialer::Disposition> disposition_;
  // The turn being streamed. generation_ changes whenever its queue is abandoned, so a
  // scheduler task armed for an older turn does nothing.
  std::vector<Outgoing> queue_;
  size_t next_ = 0;
  uint64_t generation_ = 0;
  // The agent's turn whose transcript line is not written yet.
  bool agent_pending_ = false;
  std::string agent_sent_;
  std::string agent_language_;
  std::string agent_step_;
  // Ending: once an end is planned no new turn starts; once sent, Ended is due.
  std::optional<EndPlan> ending_;
  bool end_sent_ = false;
  bool ended_reported_ = false;
  bool closed_ = false;
};

// The WebSocket route for ConversationRelay. `verify` checks the upgrade request's
// X-Twilio-Signature (the lead's webhook verifier); false answers 403. Without a
// scheduler a thread-backed one is made, shared by the route's sessions.
http::WebSocketRoute MakeRelayWebSocketRoute(RelayCallResolver& resolver, RelayTurnSink& sink,
                                             std::function<bool(const http::Request&)> verify,
                                             const core::Logger& logger, const core::Clock& clock,
                                             RelaySessionOptions options = {},
                                             std::shared_ptr<RelayScheduler> scheduler = nullptr);

}  // namespace vaarta::calls
