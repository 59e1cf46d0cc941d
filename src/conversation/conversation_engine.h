#pragma once
// ConversationEngine: the agent's side of a call in text. A transport (Gather round trips,
// a ConversationRelay WebSocket, later our own speech path) hands it what the callee said
// and speaks the lines it returns. The engine decides; the transport acts: a turn's
// `action` (do-not-call, callback, transfer, wrong number) is carried out by the
// transport before it speaks the turn's lines, so an opt-out is written before the
// goodbye is heard.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "core/result.h"
#include "dialer/disposition.h"

namespace vaarta::conversation {

struct CallContext {
  std::shared_ptr<const campaigns::Campaign> campaign;
  int64_t campaign_id = 0;
  int64_t lead_id = 0;
  int64_t attempt_id = 0;
  std::string lead_name;    // may be empty
  std::string lead_source;  // how the number was obtained, in words ("your enquiry on our website")
  std::string language;     // the opening language: "en" or "hi"
  int64_t now_ms = 0;
  // The callee's IANA time zone, for callback times they name ("" : Asia/Kolkata).
  std::string time_zone;
  // E.164 of a person to hand the call to on human_agent; "" when the campaign has none
  // (the engine then books a callback from a person instead of promising a transfer).
  std::string transfer_to;
};

struct Utterance {
  std::string text;         // what the recogniser heard ("" for silence)
  double confidence = 1.0;  // recogniser confidence, 0..1
  std::string digits;       // DTMF keyed ("" : none)
  int64_t at_ms = 0;
};

struct AgentTurn {
  std::vector<std::string> lines;  // to speak, in order
  std::string language;            // "en" or "hi": the language of `lines`
  // What the transport must do before speaking: "", "add_do_not_call", "book_callback",
  // "transfer", "mark_wrong_number", "end_call" (see campaigns/script.h kStepActions).
  std::string action;
  bool end_call = false;                  // hang up after the lines
  std::optional<int64_t> callback_at_ms;  // for book_callback: the instant asked for
  std::string transfer_to;                // for transfer: E.164 of the person
  // What was understood of the callee's utterance ("" on Open).
  std::string intent;
  double intent_confidence = 0;
  std::string callee_language;  // "en", "hi" or "hinglish" ("" on Open)
  // The utterance's sentiment ("positive", "neutral", "negative"; "" on Open) and score
  // (-1..1), and the call's running score after it.
  std::string sentiment;
  double sentiment_score = 0;
  double call_sentiment = 0;
  // When the call ends with this turn: what happened, in a sentence or two (English, for
  // the CRM: language spoken, questions, objections, outcome).
  std::string summary;
  std::string step;  // the script step the call is now in
  // The call's outcome as it stands after this turn (interested, opted out, ...); empty
  // while nothing has been decided.
  std::optional<dialer::Disposition> disposition;
};

class ConversationSession {
 public:
  virtual ~ConversationSession() = default;
  // The opening turn (greeting with the disclosures).
  virtual AgentTurn Open() = 0;
  // The callee said something (or nothing: empty text and digits).
  virtual AgentTurn Hear(const Utterance& utterance) = 0;
  // The session's state as JSON, so a stateless transport (Gather round trips, possibly
  // on another server) can resume it with ConversationEngine::Resume.
  virtual nlohmann::json SaveState() const = 0;
};

class ConversationEngine {
 public:
  virtual ~ConversationEngine() = default;
  // kInvalidArgument when the campaign's script cannot be run.
  virtual core::Result<std::unique_ptr<ConversationSession>> Start(const CallContext& context) = 0;
  virtual core::Result<std::unique_ptr<ConversationSession>> Resume(
      const CallContext& context, const nlohmann::json& state) = 0;
};

}  // namespace vaarta::conversation
