#include "calls/relay_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <utility>

#include "http/problem.h"

namespace vaarta::calls {
namespace {

using nlohmann::json;

std::string StringField(const json& message, const char* key) {
  auto it = message.find(key);
  if (it == message.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Message types are logged, so keep a hostile one short and printable.
std::string Printable(const std::string& text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

}  // namespace

std::string RelayLanguageTag(const std::string& language) {
  if (language.empty()) return "en-IN";
  if (language.find('-') != std::string::npos) return language;
  if (language == "hinglish") return "hi-IN";
  return language + "-IN";
}

std::vector<std::string> SplitIntoTokens(const std::vector<std::string>& lines) {
  constexpr size_t kTargetWords = 5;
  std::vector<std::string> tokens;
  for (const std::string& line : lines) {
    std::vector<std::string> words = Words(line);
    if (words.empty()) continue;
    // ceil(n / 5) chunks of nearly equal size: three to six words each (fewer only when
    // the whole line is shorter).
    const size_t chunks = (words.size() + kTargetWords - 1) / kTargetWords;
    const size_t base = words.size() / chunks;
    size_t extra = words.size() % chunks;
    size_t w = 0;
    for (size_t c = 0; c < chunks; ++c) {
      size_t take = base + (extra > 0 ? 1 : 0);
      if (extra > 0) --extra;
      std::string token;
      for (size_t i = 0; i < take; ++i, ++w) {
        token += words[w];
        token += ' ';
      }
      tokens.push_back(std::move(token));
    }
  }
  if (!tokens.empty()) tokens.back().pop_back();  // the turn's last token: no trailing space
  return tokens;
}

RelaySession::RelaySession(std::shared_ptr<http::WebSocketPeer> peer, RelayCallResolver& resolver,
                           RelayTurnSink& sink, std::shared_ptr<RelayScheduler> scheduler,
                           const core::Logger& logger, const core::Clock& clock,
                           RelaySessionOptions options)
    : peer_(std::move(peer)),
      resolver_(resolver),
      sink_(sink),
      scheduler_(std::move(scheduler)),
      logger_(logger),
      clock_(clock),
      options_(std::move(options)) {}

void RelaySession::OnMessage(const std::string& text) {
  json message = json::parse(text, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    logger_.Warn("relay message is not a JSON object; ignored", {{"bytes", text.size()}});
    return;
  }
  const std::string type = StringField(message, "type");
  std::lock_guard lock(mutex_);
  if (closed_) return;
  try {
    if (type == "setup") {
      HandleSetup(message);
    } else if (type == "prompt") {
      HandlePrompt(message);
    } else if (type == "interrupt") {
      HandleInterrupt(message);
    } else if (type == "dtmf") {
      HandleDtmf(message);
    } else if (type == "error") {
      HandleProviderError(message);
    } else {
      logger_.Warn("relay message of unknown type; ignored",
                   {{"type", Printable(type, 32)}, {"attempt_id", context_.attempt_id}});
    }
  } catch (const std::exception& e) {
    // A bug in the engine or a sink: the call cannot go on, but the server must.
    logger_.Error("relay session failed",
                  {{"attempt_id", context_.attempt_id}, {"error", e.what()}});
    if (bound_ && !ending_) {
      StreamApologyAndEnd("internal_error", current_language_);
    } else if (!bound_ && !ending_) {
      FailUnbound("internal_error");
    }
  }
  FinishIfEnded();
}

void RelaySession::OnClose() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  closed_ = true;
  ++generation_;
  queue_.clear();
  next_ = 0;
  if (!bound_ || ended_reported_) return;
  ended_reported_ = true;
  WriteAgentLine(TakeAgentLine(std::nullopt));
  // A planned end that had not gone out yet (the goodbye was still playing) still ends
  // the call for its reason; otherwise the connection was lost mid-call.
  const std::string reason = ending_ ? ending_->reason : "connection_closed";
  logger_.Info("relay call ended", {{"attempt_id", context_.attempt_id}, {"reason", reason}});
  sink_.Ended(context_, disposition_, reason);
}

void RelaySession::HandleSetup(const json& message) {
  if (bound_ || ending_) {
    logger_.Warn("relay setup repeated; ignored", {{"attempt_id", context_.attempt_id}});
    return;
  }
  const std::string call_sid = StringField(message, "callSid");
  if (call_sid.empty()) {
    logger_.Warn("relay setup without callSid");
    FailUnbound("protocol_error");
    return;
  }
  json custom = json::object();
  if (auto it = message.find("customParameters"); it != message.end() && it->is_object()) {
    custom = *it;
  }
  auto binding = resolver_.Resolve(call_sid, custom);
  if (!binding) {
    logger_.Warn("relay setup for a call we cannot resolve",
                 {{"call_sid", call_sid}, {"error", binding.error().message}});
    FailUnbound("unknown_call");
    return;
  }
  if (!binding->session) {
    logger_.Error("relay resolver returned no conversation", {{"call_sid", call_sid}});
    FailUnbound("unknown_call");
    return;
  }
  context_ = binding->context;
  conversation_ = std::move(binding->session);
  bound_ = true;
  current_language_ = context_.language.empty() ? "en" : context_.language;
  current_tag_ = RelayLanguageTag(current_language_);
  logger_.Info("relay call started", {{"attempt_id", context_.attempt_id}});
  Speak(conversation_->Open());
}

void RelaySession::HandlePrompt(const json& message) {
  if (!bound_) {
    logger_.Warn("relay prompt before setup");
    if (!ending_) FailUnbound("protocol_error");
    return;
  }
  auto last = message.find("last");
  if (last != message.end() && last->is_boolean() && !last->get<bool>()) {
    // A partial transcription (partialPrompts): the final prompt follows. Speech over our
    // turn arrives as an interrupt, which is what stops it.
    logger_.Debug("relay partial prompt", {{"attempt_id", context_.attempt_id}});
    return;
  }
  conversation::Utterance utterance;
  utterance.text = StringField(message, "voicePrompt");
  utterance.at_ms = clock_.NowMillis();
  Converse(utterance, utterance.text);
}

void RelaySession::HandleInterrupt(const json& message) {
  if (!bound_ || !agent_pending_) {
    logger_.Debug("relay interrupt with no turn in progress",
                  {{"attempt_id", context_.attempt_id}});
    return;
  }
  // Drop what was not sent yet; an end planned for this turn goes out now, since the
  // call's outcome is decided whether or not the goodbye was heard in full.
  std::optional<std::string> end_json;
  size_t dropped = 0;
  for (size_t i = next_; i < queue_.size(); ++i) {
    if (queue_[i].is_end) {
      end_json = queue_[i].json;
    } else {
      ++dropped;
    }
  }
  ++generation_;
  queue_.clear();
  next_ = 0;
  if (end_json) {
    peer_->Send(*end_json);
    end_sent_ = true;
  }
  logger_.Debug("relay barge-in", {{"attempt_id", context_.attempt_id}, {"unsent", dropped}});
  WriteAgentLine(TakeAgentLine(StringField(message, "utteranceUntilInterrupt")));
}

void RelaySession::HandleDtmf(const json& message) {
  if (!bound_) {
    logger_.Warn("relay dtmf before setup");
    if (!ending_) FailUnbound("protocol_error");
    return;
  }
  const std::string digit = StringField(message, "digit");
  if (digit.empty()) {
    logger_.Warn("relay dtmf without a digit; ignored", {{"attempt_id", context_.attempt_id}});
    return;
  }
  conversation::Utterance utterance;
  utterance.digits = digit;
  utterance.at_ms = clock_.NowMillis();
  Converse(utterance, "[dtmf " + digit + "]");
}

void RelaySession::HandleProviderError(const json& message) {
  // The description may quote our own message back, so only its start is logged.
  logger_.Warn("relay provider error",
               {{"attempt_id", context_.attempt_id},
                {"description", StringField(message, "description").substr(0, 160)}});
  if (!bound_) {
    if (!ending_) FailUnbound("provider_error");
    return;
  }
  if (ending_) return;
  WriteAgentLine(TakeAgentLine(std::nullopt));
  StreamApologyAndEnd("provider_error", current_language_);
}

void RelaySession::Converse(const conversation::Utterance& utterance,
                            const std::string& transcript_text) {
  if (ending_) {
    logger_.Debug("relay input after the end; ignored", {{"attempt_id", context_.attempt_id}});
    return;
  }
  // The previous agent line is written after the reply's first tokens are out: the
  // time from prompt to first token is what the callee hears as our pause.
  std::optional<TranscriptLine> previous = TakeAgentLine(std::nullopt);
  const auto started = std::chrono::steady_clock::now();
  conversation::AgentTurn turn = conversation_->Hear(utterance);
  const auto decided = std::chrono::steady_clock::now();
  Speak(turn);
  WriteAgentLine(previous);
  CallTurn heard;
  heard.speaker = "callee";
  heard.text = transcript_text;
  heard.language = turn.callee_language;
  heard.intent = turn.intent;
  heard.confidence = turn.intent_confidence;
  heard.step = turn.step;
  heard.sentiment = turn.sentiment;
  if (!turn.sentiment.empty()) heard.sentiment_score = turn.sentiment_score;
  heard.latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(decided - started).count();
  sink_.Transcript(context_.attempt_id, std::move(heard));
}

void RelaySession::Speak(const conversation::AgentTurn& turn) {
  if (turn.disposition) disposition_ = turn.disposition;
  std::optional<EndPlan> end;
  if (turn.action == "transfer") {
    end = EndPlan{"live-agent-handoff", "transfer", turn.transfer_to};
  } else if (turn.end_call) {
    end = EndPlan{"end-call", "completed", ""};
  }
  if (!turn.action.empty()) {
    core::Status done = sink_.BeforeSpeaking(context_, turn);
    if (!done) {
      logger_.Error("relay turn action failed; ending the call",
                    {{"attempt_id", context_.attempt_id},
                     {"action", turn.action},
                     {"error", done.error().message}});
      StreamApologyAndEnd("action_failed",
                          turn.language.empty() ? current_language_ : turn.language);
      return;
    }
  }
  Stream(turn.lines, turn.language, turn.step, end);
}

void RelaySession::StreamApologyAndEnd(const std::string& reason, const std::string& language) {
  Stream({Apology(language)}, language, "", EndPlan{"error", reason, ""});
}

void RelaySession::Stream(const std::vector<std::string>& lines, const std::string& language,
                          const std::string& step, const std::optional<EndPlan>& end) {
  WriteAgentLine(TakeAgentLine(std::nullopt));
  ++generation_;
  queue_.clear();
  next_ = 0;
  const std::string turn_language = language.empty() ? current_language_ : language;
  const std::string tag = RelayLanguageTag(turn_language);
  const int64_t start = scheduler_->NowMs();
  const bool paced = options_.words_per_second > 0;
  auto at_word = [&](double words) {
    return paced
               ? start + static_cast<int64_t>(std::ceil(words * 1000.0 / options_.words_per_second))
               : start;
  };
  if (tag != current_tag_) {
    queue_.push_back(
        {json{{"type", "language"}, {"ttsLanguage", tag}, {"transcriptionLanguage", tag}}.dump(),
         "", false, start});
    current_tag_ = tag;
  }
  current_language_ = turn_language;
  const std::vector<std::string> tokens = SplitIntoTokens(lines);
  size_t words_before = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const double ahead = static_cast<double>(words_before) - options_.lead_words;
    queue_.push_back({json{{"type", "text"},
                           {"token", tokens[i]},
                           {"last", i + 1 == tokens.size()},
                           {"lang", tag},
                           {"interruptible", options_.interruptible},
                           {"preemptible", options_.preemptible}}
                          .dump(),
                      tokens[i], false, at_word(std::max(0.0, ahead))});
    words_before += Words(tokens[i]).size();
  }
  if (end) {
    ending_ = end;
    int64_t release = at_word(static_cast<double>(words_before));
    if (paced && !tokens.empty()) release += options_.end_margin_ms;
    queue_.push_back({EndMessage(*end), "", true, release});
  }
  agent_pending_ = !tokens.empty();
  agent_sent_.clear();
  agent_language_ = turn_language;
  agent_step_ = step;
  Drain(generation_);
}

void RelaySession::Drain(uint64_t generation) {
  if (generation != generation_ || closed_) return;
  const int64_t now = scheduler_->NowMs();
  while (next_ < queue_.size() && queue_[next_].release_ms <= now) {
    const Outgoing& out = queue_[next_++];
    peer_->Send(out.json);
    agent_sent_ += out.text;
    if (out.is_end) end_sent_ = true;
  }
  if (next_ < queue_.size()) {
    std::weak_ptr<RelaySession> weak = weak_from_this();
    scheduler_->At(queue_[next_].release_ms, [weak, generation] {
      auto self = weak.lock();
      if (!self) return;
      std::lock_guard lock(self->mutex_);
      self->Drain(generation);
      self->FinishIfEnded();
    });
  }
}

void RelaySession::FailUnbound(const std::string& reason) {
  EndPlan plan{"error", reason, ""};
  ending_ = plan;
  peer_->Send(EndMessage(plan));
  end_sent_ = true;
  peer_->Close();
}

std::optional<RelaySession::TranscriptLine> RelaySession::TakeAgentLine(
    const std::optional<std::string>& heard) {
  if (!agent_pending_) return std::nullopt;
  agent_pending_ = false;
  TranscriptLine line{heard ? *heard : agent_sent_, agent_language_, agent_step_};
  agent_sent_.clear();
  // Trailing separator of a superseded turn's last sent token.
  while (!line.text.empty() && line.text.back() == ' ') line.text.pop_back();
  if (line.text.empty()) return std::nullopt;  // nothing reached the callee
  return line;
}

void RelaySession::WriteAgentLine(const std::optional<TranscriptLine>& line) {
  if (!line) return;
  CallTurn said;
  said.speaker = "agent";
  said.text = line->text;
  said.language = line->language;
  said.step = line->step;
  sink_.Transcript(context_.attempt_id, std::move(said));
}

void RelaySession::FinishIfEnded() {
  if (!end_sent_ || ended_reported_ || !bound_) return;
  ended_reported_ = true;
  WriteAgentLine(TakeAgentLine(std::nullopt));
  const std::string reason = ending_ ? ending_->reason : "completed";
  logger_.Info("relay call ended", {{"attempt_id", context_.attempt_id}, {"reason", reason}});
  sink_.Ended(context_, disposition_, reason);
}

std::string RelaySession::EndMessage(const EndPlan& plan) const {
  json handoff = {{"reasonCode", plan.reason_code}, {"reason", plan.reason}};
  if (bound_) handoff["attempt_id"] = context_.attempt_id;
  if (disposition_) handoff["disposition"] = std::string(dialer::DispositionName(*disposition_));
  if (!plan.transfer_to.empty()) handoff["transfer_to"] = plan.transfer_to;
  return json{{"type", "end"}, {"handoffData", handoff.dump()}}.dump();
}

std::string RelaySession::Apology(const std::string& language) const {
  return language == "hi" ? options_.apology_hi : options_.apology_en;
}

http::WebSocketRoute MakeRelayWebSocketRoute(RelayCallResolver& resolver, RelayTurnSink& sink,
                                             std::function<bool(const http::Request&)> verify,
                                             const core::Logger& logger, const core::Clock& clock,
                                             RelaySessionOptions options,
                                             std::shared_ptr<RelayScheduler> scheduler) {
  if (!scheduler) scheduler = MakeThreadRelayScheduler();
  http::WebSocketRoute route;
  route.authorize = [verify = std::move(verify)](http::Request& request) {
    if (!verify || !verify(request)) {
      return http::Problem(403, "invalid_signature",
                           "the upgrade request's X-Twilio-Signature is missing or wrong");
    }
    http::Response accept;
    accept.status = 101;
    return accept;
  };
  route.open =
      [&resolver, &sink, &logger, &clock, options = std::move(options),
       scheduler = std::move(scheduler)](
          const http::Request&,
          std::shared_ptr<http::WebSocketPeer> peer) -> std::shared_ptr<http::WebSocketSession> {
    return std::make_shared<RelaySession>(std::move(peer), resolver, sink, scheduler, logger, clock,
                                          options);
  };
  return route;
}

}  // namespace vaarta::calls
