#pragma once
// CallConversations: what both conversation transports (Gather round trips and the
// ConversationRelay WebSocket) share: who is being called and for which campaign, the
// conversation engine's sessions, carrying out a turn's action before its lines are
// spoken (the do-not-call entry is committed before the goodbye is sent), the transcript,
// and the outcome the conversation decided, which the dialer reads when the call ends.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "calls/provider_call_repository.h"
#include "calls/transcript_writer.h"
#include "campaigns/campaign_service.h"
#include "compliance/do_not_call_list.h"
#include "conversation/conversation_engine.h"
#include "core/clock.h"
#include "core/logger.h"
#include "http/live_feed.h"
#include "storage/database.h"

namespace vaarta::calls {

// A live call's facts beyond the conversation's context.
struct CallFacts {
  conversation::CallContext context;
  std::string phone;      // the callee, E.164
  std::string caller_id;  // the campaign's number
  std::string call_id;
  std::string transport;  // "gather" or "relay"
  ProviderCall call;      // the row as loaded
};

class CallConversations {
 public:
  CallConversations(storage::Database& db, const core::Clock& clock,
                    campaigns::CampaignService& campaigns, compliance::DoNotCallList& do_not_call,
                    conversation::ConversationEngine& engine, const core::Logger& logger,
                    http::LiveFeed* live)
      : db_(db),
        clock_(clock),
        campaigns_(campaigns),
        do_not_call_(do_not_call),
        engine_(engine),
        logger_(logger),
        live_(live),
        transcripts_(db, logger) {}

  // kNotFound when the attempt has no placed call.
  core::Result<CallFacts> Load(int64_t attempt_id);
  // A new session (the call was just answered) or the saved one (Gather round trips).
  core::Result<std::unique_ptr<conversation::ConversationSession>> Start(const CallFacts& facts);
  core::Result<std::unique_ptr<conversation::ConversationSession>> Resume(const CallFacts& facts);

  // Carries out the turn's action and records its outcome, the session's state and the
  // transcript lines (what the callee said, then the agent's reply), in one transaction.
  // When this fails nothing of the turn is spoken as if done.
  // The relay transport writes its transcript itself (after barge-ins it knows what was
  // heard): it passes write_transcript = false.
  core::Status CarryOut(const CallFacts& facts, const conversation::Utterance* heard,
                        const conversation::AgentTurn& turn,
                        const conversation::ConversationSession* session,
                        bool write_transcript = true);
  // One transcript line as the transport heard or spoke it: published to the live feed
  // now, stored within milliseconds by a writer thread (never waiting for the disk).
  void AppendTranscript(const CallFacts& facts, CallTurn turn);
  // The outcome as the conversation left it, unless an opt-out or a wrong number stands.
  void SetDisposition(const CallFacts& facts, dialer::Disposition disposition);
  // A transcript line outside a turn (what the callee said before a barge-in, a transfer).
  void Note(const CallFacts& facts, const std::string& speaker, const std::string& text,
            const std::string& language);
  // The call reached a machine: the outcome is voicemail whatever was said.
  void MarkVoicemail(const CallFacts& facts);

  conversation::ConversationEngine& engine() { return engine_; }
  // Waits until the transcript lines given so far are stored (tests, shutdown).
  bool FlushTranscripts(int timeout_ms) { return transcripts_.Flush(timeout_ms); }
  const core::Logger& logger() const { return logger_; }

 private:
  void Publish(const CallFacts& facts, const CallTurn& turn);

  storage::Database& db_;
  const core::Clock& clock_;
  campaigns::CampaignService& campaigns_;
  compliance::DoNotCallList& do_not_call_;
  conversation::ConversationEngine& engine_;
  const core::Logger& logger_;
  http::LiveFeed* live_;
  ProviderCallRepository calls_;
  // Relay transcript lines, written off the reply path.
  TranscriptWriter transcripts_;
};

// "en" / "hi" → the provider's language tag ("en-IN" / "hi-IN").
std::string SpeechLanguage(const std::string& language);

}  // namespace vaarta::calls
