#pragma once
// CallFlow: what a live call does next, decided from the provider's callbacks. When the
// call is answered it opens the conversation: in Gather mode each turn is a document of
// Say lines inside a Gather whose result comes back to Gathered(); in relay mode the
// document connects the call to our ConversationRelay WebSocket (calls/relay_session.h)
// and ConnectEnded() takes over when the socket closes. Machines get the campaign's
// voicemail policy. Documents are provider-neutral (telephony/call_control.h).
#include <cstdint>
#include <string>

#include "calls/call_conversations.h"
#include "telephony/call_control.h"
#include "telephony/telephony_provider.h"
#include "telephony/webhook.h"

namespace vaarta::calls {

struct CallFlowOptions {
  std::string public_base_url;  // how the provider reaches us: "https://calls.example.in"
  int gather_timeout_seconds = 5;
};

class CallFlow {
 public:
  CallFlow(CallConversations& conversations, telephony::TelephonyProvider& provider,
           CallFlowOptions options)
      : conversations_(conversations), provider_(provider), options_(std::move(options)) {}

  // The voice URL: the call was answered (by a person, or by a machine when AMD ran
  // synchronously).
  telephony::CallControlDocument Answered(int64_t attempt_id, const telephony::CallEvent& event);
  // A Gather's result.
  telephony::CallControlDocument Gathered(int64_t attempt_id, const telephony::CallEvent& event);
  // The relay WebSocket closed; its hand-off data says whether to transfer.
  telephony::CallControlDocument ConnectEnded(int64_t attempt_id,
                                              const telephony::CallEvent& event);
  // The transfer's Dial ended.
  telephony::CallControlDocument DialEnded(int64_t attempt_id, const telephony::CallEvent& event);
  // A person takes the call over from the agent (the live monitor's "Take over"): the
  // callee hears one line, then is connected to the campaign's transfer number, and the
  // call's outcome is "transferred". Returns the number dialled; kConflict when the call
  // is not answered and in progress or the campaign has no transfer number, kNotFound for
  // an unknown attempt, the provider's error when it refuses the change.
  core::Result<std::string> TakeOver(int64_t attempt_id, const std::string& by);
  // Asynchronous AMD decided: a machine's call is redirected to the voicemail policy.
  void MachineDetection(int64_t attempt_id, const telephony::CallEvent& event);

  // The webhook URL of `kind` ("voice", "status", "amd", "gather", "recording",
  // "connect-end", "dial-end", "relay") for an attempt.
  std::string Url(const std::string& kind, int64_t attempt_id) const;
  // The document a machine gets.
  telephony::CallControlDocument Voicemail(const CallFacts& facts) const;
  // An apology and a hang-up: what a caller hears when we cannot go on (the database is
  // unavailable, the call is unknown), instead of the provider's own error message.
  telephony::CallControlDocument Apology(const std::string& language) const;

 private:
  telephony::CallControlDocument TurnDocument(const CallFacts& facts,
                                              const conversation::AgentTurn& turn);

  CallConversations& conversations_;
  telephony::TelephonyProvider& provider_;
  CallFlowOptions options_;
};

bool IsMachine(const std::string& answered_by);

}  // namespace vaarta::calls
