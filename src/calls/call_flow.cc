#include "calls/call_flow.h"

#include <nlohmann/json.hpp>

namespace vaarta::calls {

using telephony::CallControlDocument;
using telephony::CallEvent;

bool IsMachine(const std::string& answered_by) {
  return answered_by.rfind("machine", 0) == 0 || answered_by == "fax";
}

std::string CallFlow::Url(const std::string& kind, int64_t attempt_id) const {
  std::string base = options_.public_base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (kind == "relay") {
    if (base.rfind("https://", 0) == 0) {
      base = "wss://" + base.substr(8);
    } else if (base.rfind("http://", 0) == 0) {
      base = "ws://" + base.substr(7);
    }
  }
  return base + "/webhooks/" + provider_.name() + "/" + kind +
         "?attempt=" + std::to_string(attempt_id);
}

CallControlDocument CallFlow::Apology(const std::string& language) const {
  CallControlDocument doc;
  telephony::SayVerb say;
  say.language = SpeechLanguage(language);
  say.text = language == "hi"
                 ? "माफ़ कीजिए, हमारी तरफ़ तकनीकी दिक्कत है। हम आपको बाद में कॉल करेंगे। धन्यवाद।"
                 : "Sorry, we have a technical problem on our side. We will call you another "
                   "time. Goodbye.";
  doc.Add(say).Add(telephony::HangupVerb{});
  return doc;
}

CallControlDocument CallFlow::Voicemail(const CallFacts& facts) const {
  CallControlDocument doc;
  const auto& campaign = *facts.context.campaign;
  if (campaign.voicemail_policy == "leave_message") {
    telephony::SayVerb say;
    say.language = SpeechLanguage(facts.context.language);
    say.text = campaign.voicemail_message;
    if (say.text.empty()) {
      // Short and compliant: who calls, why, how to call back, how to stop the calls.
      say.text = "Hello, this is an automated assistant calling on behalf of " +
                 campaign.business_name + " about " + campaign.goal + "." +
                 (facts.caller_id.empty() ? std::string()
                                          : " You can call us back on " + facts.caller_id + ".") +
                 " If you do not want these calls, tell us when we call, and we will not call "
                 "again. Thank you.";
    }
    doc.Add(say);
  }
  doc.Add(telephony::HangupVerb{});
  return doc;
}

CallControlDocument CallFlow::TurnDocument(const CallFacts& facts,
                                           const conversation::AgentTurn& turn) {
  CallControlDocument doc;
  const std::string language = SpeechLanguage(turn.language);
  auto says = [&] {
    std::vector<telephony::SayVerb> out;
    for (const auto& line : turn.lines) {
      telephony::SayVerb say;
      say.text = line;
      say.language = language;
      out.push_back(std::move(say));
    }
    return out;
  };
  if (turn.action == "transfer") {
    const std::string to =
        turn.transfer_to.empty() ? facts.context.campaign->transfer_number : turn.transfer_to;
    for (auto& say : says()) doc.Add(say);
    if (!to.empty()) {
      telephony::DialVerb dial;
      dial.number = to;
      dial.caller_id = facts.caller_id;
      dial.action = Url("dial-end", facts.context.attempt_id);
      doc.Add(dial);
    }
    doc.Add(telephony::HangupVerb{});
    return doc;
  }
  if (turn.end_call) {
    for (auto& say : says()) doc.Add(say);
    doc.Add(telephony::HangupVerb{});
    return doc;
  }
  telephony::GatherVerb gather;
  gather.action = Url("gather", facts.context.attempt_id);
  gather.language = language;
  gather.timeout_seconds = options_.gather_timeout_seconds;
  gather.prompts.reserve(turn.lines.size());
  for (auto& say : says()) {
    gather.prompts.emplace_back(std::in_place_type<telephony::SayVerb>, std::move(say));
  }
  doc.Add(gather);
  return doc;
}

CallControlDocument CallFlow::Answered(int64_t attempt_id, const CallEvent& event) {
  auto facts = conversations_.Load(attempt_id);
  if (!facts) {
    conversations_.logger().Warn("answered call not found",
                                 {{"attempt", attempt_id}, {"error", facts.error().message}});
    return Apology("en");
  }
  if (IsMachine(event.answered_by)) {
    conversations_.MarkVoicemail(*facts);
    return Voicemail(*facts);
  }
  if (facts->transport == "relay") {
    telephony::ConversationRelayVerb relay;
    relay.url = Url("relay", attempt_id);
    relay.language = SpeechLanguage(facts->context.language);
    relay.interruptible = "any";
    relay.dtmf_detection = true;
    relay.parameters["attempt_id"] = std::to_string(attempt_id);
    relay.languages["en-IN"] = {{"ttsProvider", "Google"},
                                {"voice", "en-IN-Standard-A"},
                                {"transcriptionProvider", "Google"}};
    relay.languages["hi-IN"] = {{"ttsProvider", "Google"},
                                {"voice", "hi-IN-Standard-A"},
                                {"transcriptionProvider", "Google"}};
    telephony::ConnectVerb connect;
    connect.action = Url("connect-end", attempt_id);
    connect.target = relay;
    CallControlDocument doc;
    doc.Add(connect);
    return doc;
  }
  auto session = conversations_.Start(*facts);
  if (!session) {
    conversations_.logger().Error("conversation did not start",
                                  {{"attempt", attempt_id}, {"error", session.error().message}});
    return Apology(facts->context.language);
  }
  conversation::AgentTurn turn = (*session)->Open();
  if (auto done = conversations_.CarryOut(*facts, nullptr, turn, session->get()); !done) {
    return Apology(facts->context.language);
  }
  return TurnDocument(*facts, turn);
}

CallControlDocument CallFlow::Gathered(int64_t attempt_id, const CallEvent& event) {
  auto facts = conversations_.Load(attempt_id);
  if (!facts) return Apology("en");
  if (facts->call.disposition == "voicemail") return Voicemail(*facts);
  auto session = conversations_.Resume(*facts);
  if (!session) return Apology(facts->context.language);
  conversation::Utterance heard;
  heard.text = event.speech_result.value_or("");
  heard.confidence = event.speech_result ? event.confidence : 0;
  heard.digits = event.digits;
  heard.at_ms = event.timestamp_ms;
  conversation::AgentTurn turn = (*session)->Hear(heard);
  if (auto done = conversations_.CarryOut(*facts, &heard, turn, session->get()); !done) {
    return Apology(facts->context.language);
  }
  return TurnDocument(*facts, turn);
}

CallControlDocument CallFlow::ConnectEnded(int64_t attempt_id, const CallEvent& event) {
  CallControlDocument doc;
  auto facts = conversations_.Load(attempt_id);
  auto handoff_it = event.raw.find("HandoffData");
  if (facts && handoff_it != event.raw.end()) {
    auto handoff = nlohmann::json::parse(handoff_it->second, nullptr, false);
    if (handoff.is_object() && handoff.value("transfer_to", "") != "") {
      telephony::DialVerb dial;
      dial.number = handoff.value("transfer_to", "");
      dial.caller_id = facts->caller_id;
      dial.action = Url("dial-end", attempt_id);
      doc.Add(dial);
    }
  }
  doc.Add(telephony::HangupVerb{});
  return doc;
}

CallControlDocument CallFlow::DialEnded(int64_t attempt_id, const CallEvent& event) {
  if (auto facts = conversations_.Load(attempt_id)) {
    const auto status = event.raw.find("DialCallStatus");
    conversations_.Note(
        *facts, "system",
        "transfer ended: " + (status == event.raw.end() ? std::string("unknown") : status->second),
        "");
  }
  CallControlDocument doc;
  doc.Add(telephony::HangupVerb{});
  return doc;
}

core::Result<std::string> CallFlow::TakeOver(int64_t attempt_id, const std::string& by) {
  auto facts = conversations_.Load(attempt_id);
  if (!facts) return facts.error();
  const auto& call = facts->call;
  if (call.final || !call.answered_at || call.ended_at || IsMachine(call.answered_by)) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "call attempt " + std::to_string(attempt_id) +
                               " is not a conversation in progress (it is " + call.status + ")",
                           "call_not_in_progress");
  }
  const std::string to = facts->context.campaign->transfer_number;
  if (to.empty()) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "the campaign has no transfer number to connect the call to; set "
                           "one in the campaign's settings",
                           "no_transfer_number");
  }
  CallControlDocument doc;
  telephony::SayVerb say;
  const bool hindi = facts->context.language == "hi";
  say.language = SpeechLanguage(facts->context.language);
  say.text = hindi ? "एक क्षण, मैं आपको अपने सहकर्मी से जोड़ रही हूँ।"
                   : "One moment, I am connecting you to a colleague.";
  doc.Add(say);
  telephony::DialVerb dial;
  dial.number = to;
  dial.caller_id = facts->caller_id;
  dial.action = Url("dial-end", attempt_id);
  doc.Add(dial);
  doc.Add(telephony::HangupVerb{});
  if (auto updated = provider_.Update(facts->call_id, doc); !updated) return updated.error();
  conversations_.SetDisposition(*facts, dialer::Disposition::kTransferred);
  conversations_.Note(*facts, "system", "taken over from the live monitor by " + by, "");
  return to;
}

void CallFlow::MachineDetection(int64_t attempt_id, const CallEvent& event) {
  if (!IsMachine(event.answered_by)) return;
  auto facts = conversations_.Load(attempt_id);
  if (!facts) return;
  conversations_.MarkVoicemail(*facts);
  // The conversation may already be speaking to the machine: replace it.
  auto updated = provider_.Update(facts->call_id, Voicemail(*facts));
  if (!updated) {
    conversations_.logger().Warn("voicemail policy not applied",
                                 {{"attempt", attempt_id}, {"error", updated.error().message}});
  }
}

}  // namespace vaarta::calls
