#include "calls/call_conversations.h"

#include "dialer/disposition.h"

namespace vaarta::calls {

using storage::Int;
using storage::OptInt;
using storage::Text;

namespace {

// Where the number came from, in words the agent can say truthfully.
std::string SourceInWords(const std::string& kind, const std::string& detail,
                          const std::string& business) {
  if (kind == "form") {
    return "an enquiry you made with " + business + (detail.empty() ? "" : " (" + detail + ")");
  }
  if (kind == "api") {
    return "your details as recorded by " + business + (detail.empty() ? "" : " (" + detail + ")");
  }
  return "a customer list of " + business + (detail.empty() ? "" : " (" + detail + ")");
}

std::optional<dialer::Disposition> ActionDisposition(const std::string& action) {
  if (action == "add_do_not_call") return dialer::Disposition::kOptedOut;
  if (action == "book_callback") return dialer::Disposition::kCallbackBooked;
  if (action == "mark_wrong_number") return dialer::Disposition::kWrongNumber;
  return std::nullopt;
}

}  // namespace

std::string SpeechLanguage(const std::string& language) {
  return language == "hi" ? "hi-IN" : "en-IN";
}

core::Result<CallFacts> CallConversations::Load(int64_t attempt_id) {
  // One connection at a time: the transaction ends before the campaign is read.
  auto tx = db_.Begin(false);
  auto call = calls_.Find(*tx, attempt_id);
  if (!call) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "no placed call for attempt " + std::to_string(attempt_id),
                           "call_not_found");
  }
  auto row = tx->Execute(
      "SELECT a.campaign_id, a.lead_id, COALESCE(l.phone_e164, ''), l.name, l.language, "
      "l.source_kind, l.source_detail, l.time_zone FROM call_attempts a JOIN leads l ON l.id = "
      "a.lead_id "
      "WHERE a.id = $1",
      {Int(attempt_id)});
  tx->Commit();
  tx.reset();
  if (row.rows.empty()) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "attempt " + std::to_string(attempt_id) + " has no lead",
                           "call_not_found");
  }
  const auto& r = row.rows[0];
  auto campaign = campaigns_.Get(r.GetInt(0));
  if (!campaign) return campaign.error();
  CallFacts facts;
  facts.context.campaign = std::make_shared<const campaigns::Campaign>(std::move(*campaign));
  facts.context.campaign_id = r.GetInt(0);
  facts.context.lead_id = r.GetInt(1);
  facts.context.attempt_id = attempt_id;
  facts.phone = r.GetText(2);
  facts.context.lead_name = r.GetText(3);
  const std::string lead_language = r.GetText(4);
  const std::string& campaign_languages = facts.context.campaign->languages;
  facts.context.language = campaign_languages == "en" || campaign_languages == "hi"
                               ? campaign_languages
                               : (lead_language == "hi" ? "hi" : "en");
  facts.context.lead_source =
      SourceInWords(r.GetText(5), r.GetText(6), facts.context.campaign->business_name);
  facts.context.now_ms = clock_.NowMillis();
  facts.context.time_zone = r.GetText(7);
  facts.context.transfer_to = facts.context.campaign->transfer_number;
  facts.caller_id = facts.context.campaign->caller_id;
  facts.call_id = call->call_id;
  facts.transport = call->transport;
  facts.call = std::move(*call);
  return facts;
}

core::Result<std::unique_ptr<conversation::ConversationSession>> CallConversations::Start(
    const CallFacts& facts) {
  return engine_.Start(facts.context);
}

core::Result<std::unique_ptr<conversation::ConversationSession>> CallConversations::Resume(
    const CallFacts& facts) {
  if (facts.call.conversation_state.empty()) return engine_.Start(facts.context);
  return engine_.Resume(facts.context, facts.call.conversation_state);
}

core::Status CallConversations::CarryOut(const CallFacts& facts,
                                         const conversation::Utterance* heard,
                                         const conversation::AgentTurn& turn,
                                         const conversation::ConversationSession* session,
                                         bool write_transcript) {
  // A relay turn that decides nothing has nothing to write: answering it must not wait
  // for the database (the reply latency is the callee's silence).
  if (!write_transcript && !session && turn.action.empty() && !turn.disposition) {
    return core::Ok{};
  }
  const int64_t now = clock_.NowMillis();
  const int64_t attempt = facts.context.attempt_id;
  std::vector<CallTurn> written;
  try {
    auto tx = db_.Begin(true);
    auto call = calls_.Find(*tx, attempt, true);
    if (!call) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             "no placed call for attempt " + std::to_string(attempt));
    }
    if (turn.action == "add_do_not_call") {
      if (facts.phone.empty()) {
        return core::MakeError(core::ErrorCode::kInternal,
                               "the lead's number is gone: cannot record the opt-out");
      }
      auto added =
          do_not_call_.Add(*tx, facts.phone, "agent_opt_out",
                           "asked not to be called (call attempt " + std::to_string(attempt) + ")",
                           compliance::Actor{"agent:call:" + std::to_string(attempt), "", "", ""});
      if (!added) return added.error();
    }
    std::optional<dialer::Disposition> disposition = turn.disposition;
    if (!disposition) disposition = ActionDisposition(turn.action);
    if (turn.action == "transfer" && !turn.transfer_to.empty()) {
      disposition = dialer::Disposition::kTransferred;
    }
    // A refusal or an opt-out stands: later turns (a polite goodbye) do not soften it.
    const bool settled = call->disposition == "opted_out" || call->disposition == "wrong_number";
    if (disposition && !settled) call->disposition = std::string(DispositionName(*disposition));
    if (turn.action == "book_callback" && turn.callback_at_ms) {
      call->callback_at = *turn.callback_at_ms;
    }
    if (session) call->conversation_state = session->SaveState();
    if (!turn.intent.empty()) call->sentiment_score = turn.call_sentiment;
    if (!turn.summary.empty()) call->summary = turn.summary;
    call->updated_at = now;
    calls_.Update(*tx, *call);
    if (write_transcript && heard && (!heard->text.empty() || !heard->digits.empty())) {
      CallTurn t;
      t.attempt_id = attempt;
      t.speaker = "callee";
      t.text = heard->text.empty() ? "[keyed " + heard->digits + "]" : heard->text;
      t.language = turn.callee_language;
      t.intent = turn.intent;
      t.confidence = turn.intent_confidence;
      t.step = turn.step;
      t.sentiment = turn.sentiment;
      if (!turn.sentiment.empty()) t.sentiment_score = turn.sentiment_score;
      t.at = heard->at_ms > 0 ? heard->at_ms : now;
      calls_.AppendTurn(*tx, t);
      written.push_back(t);
    }
    for (const auto& line : write_transcript ? turn.lines : std::vector<std::string>{}) {
      CallTurn t;
      t.attempt_id = attempt;
      t.speaker = "agent";
      t.text = line;
      t.language = turn.language;
      t.step = turn.step;
      t.at = now;
      calls_.AppendTurn(*tx, t);
      written.push_back(t);
    }
    tx->Commit();
  } catch (const storage::DatabaseError& e) {
    logger_.Error("call turn not recorded", {{"attempt", attempt}, {"error", e.what()}});
    return core::MakeError(core::ErrorCode::kUnavailable, "the database is unavailable");
  }
  for (const auto& t : written) Publish(facts, t);
  return core::Ok{};
}

void CallConversations::AppendTranscript(const CallFacts& facts, CallTurn turn) {
  turn.attempt_id = facts.context.attempt_id;
  if (turn.at == 0) turn.at = clock_.NowMillis();
  Publish(facts, turn);
  transcripts_.Add(std::move(turn));
}

void CallConversations::SetDisposition(const CallFacts& facts, dialer::Disposition disposition) {
  auto tx = db_.Begin(true);
  auto call = calls_.Find(*tx, facts.context.attempt_id, true);
  if (!call) return;
  // These stand once decided: what the relay session concludes when its socket closes
  // afterwards (a call taken over by a person closes it too) does not replace them.
  if (call->disposition == "opted_out" || call->disposition == "wrong_number" ||
      call->disposition == "voicemail" || call->disposition == "transferred") {
    return;
  }
  call->disposition = std::string(dialer::DispositionName(disposition));
  call->updated_at = clock_.NowMillis();
  calls_.Update(*tx, *call);
  tx->Commit();
}

void CallConversations::Note(const CallFacts& facts, const std::string& speaker,
                             const std::string& text, const std::string& language) {
  CallTurn t;
  t.speaker = speaker;
  t.text = text;
  t.language = language;
  AppendTranscript(facts, std::move(t));
}

void CallConversations::MarkVoicemail(const CallFacts& facts) {
  auto tx = db_.Begin(true);
  auto call = calls_.Find(*tx, facts.context.attempt_id, true);
  if (!call) return;
  call->disposition = "voicemail";
  call->updated_at = clock_.NowMillis();
  calls_.Update(*tx, *call);
  tx->Commit();
}

void CallConversations::Publish(const CallFacts& facts, const CallTurn& turn) {
  if (!live_) return;
  nlohmann::json event = {{"type", "call.turn"},
                          {"attempt_id", turn.attempt_id},
                          {"campaign_id", facts.context.campaign_id},
                          {"lead_id", facts.context.lead_id},
                          {"speaker", turn.speaker},
                          {"text", turn.text},
                          {"language", turn.language},
                          {"intent", turn.intent},
                          {"step", turn.step}};
  if (turn.confidence) event["confidence"] = *turn.confidence;
  if (!turn.sentiment.empty()) event["sentiment"] = turn.sentiment;
  if (turn.sentiment_score) event["sentiment_score"] = *turn.sentiment_score;
  live_->Publish("calls", event.dump());
}

}  // namespace vaarta::calls
