#include "sim/sim_engine_impl.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sim/relay_client.h"
#include "sim/twiml_parser.h"
#include "sim/wav.h"
#include "sim/webhook_client.h"

namespace vaarta::sim {
namespace {

using telephony::CallControlDocument;
using telephony::twilio::FormParams;

constexpr char kApiVersion[] = "2010-04-01";
constexpr char kGatherConfidence[] = "0.9";

// "Tue, 10 Aug 2010 20:50:17 +0000", as Twilio writes Timestamp and RecordingStartTime.
std::string Rfc2822(int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

// "+" then 7 to 15 digits, the first not 0.
bool IsE164(const std::string& number) {
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Simulated seconds to speak a line: about 2.5 words a second.
double SpeakingSeconds(const std::string& text) {
  const auto words =
      static_cast<double>(std::count(text.begin(), text.end(), ' ') + (text.empty() ? 0 : 1));
  return std::max(1.0, words * 0.4);
}

bool IsFinalStatus(const std::string& status) {
  return status == "completed" || status == "busy" || status == "no-answer" || status == "failed" ||
         status == "canceled";
}

core::Error TwilioError(core::ErrorCode code, const std::string& twilio_code, std::string message) {
  return core::MakeError(code, std::move(message), twilio_code);
}

}  // namespace

// Runs one call from creation to its final status on the call's own thread.
class CallRunner {
 public:
  CallRunner(TwilioSimEngine& engine, std::shared_ptr<TwilioSimEngine::CallState> state)
      : engine_(engine),
        state_(std::move(state)),
        params_(state_->params),
        persona_(*state_->persona),
        conversation_(persona_),
        client_(engine.options_.http_timeout_ms),
        random_(state_->fault_seed) {}

  void Run();

 private:
  enum class Interrupt { kNone, kHangup, kRedirect };
  // Where execution goes after a document: end the call, or fetch another document.
  struct Next {
    bool end = true;
    std::string url;
    std::string method = "POST";
    std::string twiml;  // inline document (UpdateCall with Twiml)
    FormParams extra;
  };

  // --- state shared with the engine (all under the engine's mutex) ---
  void SetStatus(const std::string& status) {
    std::lock_guard lock(engine_.mutex_);
    state_->view.status = status;
    state_->view.date_updated_ms = engine_.NowMs();
    if (status == "in-progress") state_->view.start_time_ms = engine_.NowMs();
  }
  void Say(const std::string& speaker, const std::string& text) {
    std::lock_guard lock(engine_.mutex_);
    state_->transcript.push_back(SimTurn{speaker, text});
  }
  Interrupt Pending() {
    std::lock_guard lock(engine_.mutex_);
    return PendingLocked();
  }
  Interrupt PendingLocked() const {
    if (state_->hangup_requested || engine_.stopping_) return Interrupt::kHangup;
    if (state_->redirect) return Interrupt::kRedirect;
    return Interrupt::kNone;
  }
  // Lets simulated time pass; returns early (with the reason) when the call is hung up
  // or redirected meanwhile.
  Interrupt Wait(double simulated_seconds) {
    if (answered_) talk_seconds_ += simulated_seconds;
    const auto real = std::chrono::milliseconds(
        static_cast<int64_t>(std::llround(simulated_seconds * engine_.options_.time_scale_ms)));
    std::unique_lock lock(engine_.mutex_);
    engine_.changed_.wait_for(lock, real, [&] { return PendingLocked() != Interrupt::kNone; });
    return PendingLocked();
  }
  Next TakeRedirect() {
    std::lock_guard lock(engine_.mutex_);
    Next next;
    if (state_->redirect) {
      next.end = false;
      next.url = state_->redirect->url.value_or("");
      next.method = state_->redirect->method;
      next.twiml = state_->redirect->twiml.value_or("");
      state_->redirect.reset();
    }
    return next;
  }
  Next AfterInterrupt(Interrupt why) {
    if (why == Interrupt::kRedirect) return TakeRedirect();
    return Next{};
  }

  // --- webhooks ---
  FormParams CallParams(const std::string& status) const {
    return {{"AccountSid", params_.account_sid},
            {"ApiVersion", kApiVersion},
            {"CallSid", sid_},
            {"CallStatus", status},
            {"Called", params_.to},
            {"Caller", params_.from},
            {"Direction", "outbound-api"},
            {"From", params_.from},
            {"To", params_.to}};
  }
  std::string NewToken() { return engine_.NewSid("") + engine_.NewSid(""); }
  bool Draw(double rate) {
    if (rate <= 0) return false;
    return std::uniform_real_distribution<double>(0, 1)(random_) < rate;
  }
  // A callback (status, AMD, recording): subject to the drop, reorder and duplicate faults.
  void Callback(const std::string& url, const std::string& method, FormParams params) {
    if (url.empty()) return;
    const SimFaults& faults = engine_.options_.faults;
    TwilioSimEngine::Webhook webhook{method.empty() ? "POST" : method,
                                     url,
                                     std::move(params),
                                     state_->auth_token,
                                     NewToken(),
                                     0};
    if (Draw(faults.callback_drop_rate)) {
      engine_.logger_.Info("sim: callback dropped", {{"call_sid", sid_}, {"url", url}});
      return;
    }
    const bool duplicate = Draw(faults.callback_duplicate_rate);
    if (Draw(faults.callback_reorder_rate)) {
      webhook.due_ms = engine_.NowMs() + faults.callback_reorder_delay_ms;
      if (duplicate) engine_.HoldBack(webhook);
      engine_.HoldBack(std::move(webhook));
      return;
    }
    engine_.SendWithRetries(client_, webhook);
    if (duplicate) engine_.SendWithRetries(client_, webhook);
  }
  void StatusCallback(const std::string& event, const std::string& status) {
    if (params_.status_callback.empty()) return;
    const bool final_status = IsFinalStatus(status);
    if (!final_status && params_.status_callback_events.count(event) == 0) return;
    FormParams p = CallParams(status);
    p.emplace_back("CallbackSource", "call-progress-events");
    p.emplace_back("SequenceNumber", std::to_string(sequence_++));
    p.emplace_back("Timestamp", Rfc2822(engine_.NowMs()));
    if (!answered_by_.empty()) p.emplace_back("AnsweredBy", answered_by_);
    if (final_status) {
      p.emplace_back("CallDuration", std::to_string(duration_));
      p.emplace_back("Duration", std::to_string(duration_));
    }
    Callback(params_.status_callback, params_.status_callback_method, std::move(p));
  }
  // A request whose answer is TwiML: retried on transport failures and 5xx only, since
  // a 4xx answer is the server's word.
  std::optional<CallControlDocument> FetchDocument(const std::string& url,
                                                   const std::string& method,
                                                   const FormParams& params) {
    TwilioSimEngine::Webhook webhook{
        method.empty() ? "POST" : method, url, params, state_->auth_token, NewToken(), 0};
    const int attempts = std::max(1, engine_.options_.callback_attempts);
    std::string failure;
    for (int attempt = 0; attempt < attempts; ++attempt) {
      if (attempt > 0) {
        std::this_thread::sleep_for(
            std::chrono::milliseconds(engine_.options_.callback_backoff_ms << (attempt - 1)));
      }
      auto response =
          client_.Send(webhook.method, url, params, webhook.auth_token, webhook.idempotency_token);
      if (!response) {
        failure = response.error().message;
        continue;
      }
      if (response->status >= 500) {
        failure = "HTTP " + std::to_string(response->status);
        continue;
      }
      if (response->status < 200 || response->status >= 300) {
        failure = "HTTP " + std::to_string(response->status);
        break;
      }
      if (response->body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return CallControlDocument{};
      }
      auto document = ParseTwiml(response->body);
      if (!document) {
        ApplicationError(document.error().detail_code, document.error().message);
        return std::nullopt;
      }
      return std::move(*document);
    }
    // Twilio's 11200: HTTP retrieval failure; it says so to the callee and hangs up.
    ApplicationError("11200", url + ": " + failure);
    return std::nullopt;
  }
  void ApplicationError(const std::string& code, const std::string& message) {
    engine_.logger_.Warn("sim: application error",
                         {{"call_sid", sid_}, {"code", code}, {"detail", message}});
    Say("agent", "[application error " + code + "]");
  }

  // --- the call ---
  void Ring();
  void Answer();
  void Finish(const std::string& status);
  void Execute(Next next);
  Next ExecuteDocument(const CallControlDocument& document, const std::string& document_url);
  Interrupt AgentSays(const std::string& text, int loop);
  Next RunGather(const telephony::GatherVerb& gather, const std::string& document_url, bool* go_on);
  Next RunRecord(const telephony::RecordVerb& record, bool* go_on);
  Next RunDial(const telephony::DialVerb& dial, bool* go_on);
  Next RunConnect(const telephony::ConnectVerb& connect, bool* go_on);
  PersonaReply CalleeReplies();

  TwilioSimEngine& engine_;
  std::shared_ptr<TwilioSimEngine::CallState> state_;
  const CreateCallParams& params_;
  const Persona& persona_;
  PersonaConversation conversation_;
  WebhookClient client_;
  std::mt19937_64 random_;
  std::string sid_ = state_->view.sid;

  int sequence_ = 0;
  bool answered_ = false;
  bool callee_hung_up_ = false;
  std::string answered_by_;
  int amd_duration_ms_ = 0;
  double talk_seconds_ = 0;
  int duration_ = 0;
  int steps_ = 0;
  int64_t answer_time_ms_ = 0;
  std::string heard_;  // what the agent said since the callee last spoke
};

void CallRunner::Run() {
  SetStatus("initiated");
  StatusCallback("initiated", "initiated");
  if (persona_.answer == AnswerKind::kFail) {
    Finish("failed");
    return;
  }
  SetStatus("ringing");
  StatusCallback("ringing", "ringing");
  Ring();
}

void CallRunner::Ring() {
  const int timeout = std::max(1, params_.timeout_seconds);
  const bool unanswered =
      persona_.answer == AnswerKind::kNoAnswer || persona_.ring_seconds > timeout;
  const double ring = unanswered ? timeout : persona_.ring_seconds;
  if (Wait(ring) == Interrupt::kHangup) {
    Finish("canceled");
    return;
  }
  if (persona_.answer == AnswerKind::kBusy) {
    Finish("busy");
    return;
  }
  if (unanswered) {
    Finish("no-answer");
    return;
  }
  Answer();
}

void CallRunner::Answer() {
  answered_ = true;
  answer_time_ms_ = engine_.NowMs();
  SetStatus("in-progress");
  const bool machine = persona_.answer == AnswerKind::kVoicemail;
  const bool amd = !params_.machine_detection.empty();
  if (amd) {
    const bool message_end = params_.machine_detection == "DetectMessageEnd";
    answered_by_ = !machine ? "human" : (message_end ? "machine_end_beep" : "machine_start");
    const double detect_seconds =
        !machine ? 2.5 : (message_end ? SpeakingSeconds(persona_.greeting) + 1.0 : 3.5);
    amd_duration_ms_ = static_cast<int>(detect_seconds * 1000);
    std::lock_guard lock(engine_.mutex_);
    state_->view.answered_by = answered_by_;
  }
  // Synchronous AMD: the voice URL is requested once detection is over, with the answer.
  const std::string sync_answered_by = amd && !params_.async_amd ? answered_by_ : "";
  if (params_.async_amd) answered_by_.clear();  // not known to the status callbacks yet
  StatusCallback("answered", "in-progress");
  if (!persona_.greeting.empty()) Say("callee", persona_.greeting);
  if (!sync_answered_by.empty() && Wait(amd_duration_ms_ / 1000.0) == Interrupt::kHangup) {
    Finish("completed");
    return;
  }

  Next first;
  first.end = false;
  {
    // UpdateCall may have replaced the instructions while the phone rang.
    std::lock_guard lock(engine_.mutex_);
    first.url = state_->params.url;
    first.method = state_->params.method;
    first.twiml = state_->params.twiml;
  }
  if (!sync_answered_by.empty()) {
    first.extra = {{"AnsweredBy", sync_answered_by},
                   {"MachineDetectionDuration", std::to_string(amd_duration_ms_)}};
  }
  Execute(std::move(first));
  Finish("completed");
}

void CallRunner::Execute(Next next) {
  bool amd_reported = !params_.async_amd || params_.machine_detection.empty();
  while (!next.end && ++steps_ <= engine_.options_.max_steps) {
    std::optional<CallControlDocument> document;
    if (!next.twiml.empty()) {
      auto parsed = ParseTwiml(next.twiml);
      if (!parsed) {
        ApplicationError(parsed.error().detail_code, parsed.error().message);
        return;
      }
      document = std::move(*parsed);
    } else {
      FormParams params = CallParams("in-progress");
      for (auto& p : next.extra) params.push_back(std::move(p));
      document = FetchDocument(next.url, next.method, params);
      if (!document) return;
    }
    if (!amd_reported) {
      // Asynchronous AMD: the document already runs when detection finishes.
      amd_reported = true;
      answered_by_ = state_->view.answered_by;
      Callback(params_.async_amd_status_callback, params_.async_amd_status_callback_method,
               {{"AccountSid", params_.account_sid},
                {"CallSid", sid_},
                {"AnsweredBy", answered_by_},
                {"MachineDetectionDuration", std::to_string(amd_duration_ms_)}});
    }
    next = ExecuteDocument(*document, next.url);
    if (callee_hung_up_) return;
  }
}

CallRunner::Interrupt CallRunner::AgentSays(const std::string& text, int loop) {
  if (text.empty()) return Pending();
  Say("agent", text);
  heard_ += (heard_.empty() ? "" : " ") + text;
  return Wait(SpeakingSeconds(text) * std::max(1, loop));
}

PersonaReply CallRunner::CalleeReplies() {
  PersonaReply reply = conversation_.Reply(heard_);
  heard_.clear();
  if (!reply.say.empty()) Say("callee", reply.say);
  if (!reply.digits.empty()) Say("callee", "[digits " + reply.digits + "]");
  if (conversation_.turns() >= engine_.options_.max_steps) reply.hang_up = true;
  return reply;
}

CallRunner::Next CallRunner::ExecuteDocument(const CallControlDocument& document,
                                             const std::string& document_url) {
  for (const auto& instruction : document.instructions) {
    if (Interrupt why = Pending(); why != Interrupt::kNone) return AfterInterrupt(why);
    Interrupt why = Interrupt::kNone;
    bool go_on = true;
    Next next;
    if (const auto* say = std::get_if<telephony::SayVerb>(&instruction)) {
      why = AgentSays(say->text, say->loop);
    } else if (const auto* play = std::get_if<telephony::PlayVerb>(&instruction)) {
      Say("agent",
          play->url.empty() ? "[digits " + play->digits + "]" : "[play " + play->url + "]");
      why = Wait(3.0 * std::max(1, play->loop));
    } else if (const auto* pause = std::get_if<telephony::PauseVerb>(&instruction)) {
      why = Wait(pause->seconds);
    } else if (const auto* gather = std::get_if<telephony::GatherVerb>(&instruction)) {
      next = RunGather(*gather, document_url, &go_on);
    } else if (const auto* record = std::get_if<telephony::RecordVerb>(&instruction)) {
      next = RunRecord(*record, &go_on);
    } else if (const auto* dial = std::get_if<telephony::DialVerb>(&instruction)) {
      next = RunDial(*dial, &go_on);
    } else if (std::holds_alternative<telephony::HangupVerb>(instruction)) {
      return Next{};
    } else if (const auto* redirect = std::get_if<telephony::RedirectVerb>(&instruction)) {
      next.end = false;
      next.url = redirect->url;
      next.method = redirect->method;
      return next;
    } else if (const auto* connect = std::get_if<telephony::ConnectVerb>(&instruction)) {
      next = RunConnect(*connect, &go_on);
    }
    if (why != Interrupt::kNone) return AfterInterrupt(why);
    if (callee_hung_up_) return Next{};
    if (!go_on) return next;
  }
  return Next{};
}

CallRunner::Next CallRunner::RunGather(const telephony::GatherVerb& gather,
                                       const std::string& document_url, bool* go_on) {
  for (const auto& prompt : gather.prompts) {
    Interrupt why = Interrupt::kNone;
    if (const auto* say = std::get_if<telephony::SayVerb>(&prompt)) {
      why = AgentSays(say->text, say->loop);
    } else if (const auto* play = std::get_if<telephony::PlayVerb>(&prompt)) {
      Say("agent", "[play " + play->url + "]");
      why = Wait(3.0);
    } else if (const auto* pause = std::get_if<telephony::PauseVerb>(&prompt)) {
      why = Wait(pause->seconds);
    }
    if (why != Interrupt::kNone) {
      *go_on = false;
      return AfterInterrupt(why);
    }
  }
  const PersonaReply reply = CalleeReplies();
  const bool speech = gather.input.find("speech") != std::string::npos;
  const bool dtmf = gather.input.find("dtmf") != std::string::npos;
  FormParams result;
  if (speech && !reply.say.empty()) {
    result = {{"SpeechResult", reply.say}, {"Confidence", kGatherConfidence}};
  }
  if (dtmf && !reply.digits.empty()) result.emplace_back("Digits", reply.digits);
  const double listening =
      result.empty() ? std::max(1, gather.timeout_seconds) : SpeakingSeconds(reply.say) + 1.0;
  if (Interrupt why = Wait(listening); why != Interrupt::kNone) {
    *go_on = false;
    return AfterInterrupt(why);
  }
  if (result.empty() && !gather.action_on_empty_result && !reply.hang_up) return Next{};
  // Without an action, Twilio posts the result to the document's own URL.
  Next next;
  next.end = false;
  next.url = gather.action.empty() ? document_url : gather.action;
  next.method = gather.action.empty() ? "POST" : gather.method;
  next.extra = std::move(result);
  *go_on = false;
  if (reply.hang_up) {
    // The callee said their piece and hung up: the result still reaches the server, but
    // the call is over whatever it answers.
    if (!next.url.empty()) {
      FormParams params = CallParams("completed");
      for (auto& p : next.extra) params.push_back(p);
      (void)FetchDocument(next.url, next.method, params);
    }
    callee_hung_up_ = true;
    return Next{};
  }
  if (next.url.empty()) return Next{};
  return next;
}

CallRunner::Next CallRunner::RunRecord(const telephony::RecordVerb& record, bool* go_on) {
  const PersonaReply reply = CalleeReplies();
  const int seconds = std::max(1, static_cast<int>(SpeakingSeconds(reply.say)));
  if (Interrupt why = Wait(seconds); why != Interrupt::kNone) {
    *go_on = false;
    return AfterInterrupt(why);
  }
  TwilioSimEngine::Recording recording;
  recording.view.sid = engine_.NewSid("RE");
  recording.view.account_sid = params_.account_sid;
  recording.view.call_sid = sid_;
  recording.view.status = "completed";
  recording.view.channels = 1;
  recording.view.channels_text = "1";
  recording.view.duration_seconds = seconds;
  recording.view.date_created_ms = engine_.NowMs();
  recording.view.source = "RecordVerb";
  std::vector<SimTurn> heard;
  if (!reply.say.empty()) heard.push_back({"callee", reply.say});
  recording.wav = RenderCallWav(heard, 1);
  const std::string recording_sid = recording.view.sid;
  engine_.AddRecording(std::move(recording));
  if (record.action.empty()) return Next{};
  Next next;
  next.end = false;
  next.url = record.action;
  next.method = record.method;
  next.extra = {{"RecordingSid", recording_sid},
                {"RecordingUrl", engine_.options_.public_base_url + "/2010-04-01/Accounts/" +
                                     params_.account_sid + "/Recordings/" + recording_sid},
                {"RecordingDuration", std::to_string(seconds)},
                {"Digits", "hangup"}};
  *go_on = false;
  return next;
}

CallRunner::Next CallRunner::RunDial(const telephony::DialVerb& dial, bool* go_on) {
  Say("agent", "[transfer to " + dial.number + "]");
  constexpr int kTransferSeconds = 30;
  if (Interrupt why = Wait(kTransferSeconds); why != Interrupt::kNone) {
    *go_on = false;
    return AfterInterrupt(why);
  }
  if (dial.action.empty()) return Next{};
  Next next;
  next.end = false;
  next.url = dial.action;
  next.method = dial.method;
  next.extra = {{"DialCallStatus", "completed"},
                {"DialCallSid", engine_.NewSid("CA")},
                {"DialCallDuration", std::to_string(kTransferSeconds)},
                {"DialBridged", "true"}};
  *go_on = false;
  return next;
}

CallRunner::Next CallRunner::RunConnect(const telephony::ConnectVerb& connect, bool* go_on) {
  *go_on = false;
  const auto* relay = std::get_if<telephony::ConversationRelayVerb>(&connect.target);
  const std::string session_id = engine_.NewSid("VX");
  const auto started = std::chrono::steady_clock::now();
  std::string session_status = "completed";
  std::string handoff_data;
  std::string error_message;
  bool call_over = false;  // the callee hung up or the line dropped: nothing runs after
  Next redirect;

  if (relay == nullptr) {
    Say("agent", "[stream " + std::get<telephony::StreamVerb>(connect.target).url + "]");
    session_status = "failed";
    error_message = "Media Streams are not simulated";
  } else {
    const std::string signature =
        telephony::twilio::ComputeSignature(state_->auth_token, relay->url, {});
    auto socket = RelayClient::Connect(relay->url, {{"X-Twilio-Signature", signature}},
                                       engine_.options_.http_timeout_ms);
    if (!socket) {
      session_status = "failed";
      error_message = socket.error().message;
      ApplicationError("64101", relay->url + ": " + error_message);
    } else {
      RelayClient& ws = **socket;
      nlohmann::json custom = nlohmann::json::object();
      for (const auto& [name, value] : relay->parameters) custom[name] = value;
      nlohmann::json setup = {{"type", "setup"},
                              {"sessionId", session_id},
                              {"callSid", sid_},
                              {"parentCallSid", ""},
                              {"from", params_.from},
                              {"to", params_.to},
                              {"forwardedFrom", ""},
                              {"callerName", ""},
                              {"direction", "outbound-api"},
                              {"callType", "PSTN"},
                              {"callStatus", "IN-PROGRESS"},
                              {"accountSid", params_.account_sid},
                              {"applicationSid", nullptr},
                              {"customParameters", custom}};
      (void)ws.Send(setup.dump());
      std::string lang = persona_.SpeechLanguage();
      std::string tokens;
      int prompts_sent = 0;
      const bool drop = Draw(engine_.options_.faults.websocket_drop_rate);
      int idle_ms = 0;
      constexpr int kPollMs = 100;
      bool session_over = false;

      // The callee answers what it heard; false once the session is over.
      auto callee_turn = [&]() -> bool {
        const PersonaReply reply = CalleeReplies();
        if (!reply.say.empty()) {
          if (Wait(SpeakingSeconds(reply.say)) == Interrupt::kHangup) return false;
          (void)ws.Send(nlohmann::json{
              {"type", "prompt"}, {"voicePrompt", reply.say}, {"lang", lang}, {"last", true}}
                            .dump());
          ++prompts_sent;
        }
        for (char digit : reply.digits) {
          (void)ws.Send(nlohmann::json{{"type", "dtmf"}, {"digit", std::string(1, digit)}}.dump());
        }
        if (drop && prompts_sent == 1) {
          ws.Abort();
          session_status = "failed";
          error_message = "WebSocket connection dropped";
          ApplicationError("64107", "ConversationRelay WebSocket dropped");
          call_over = true;
          return false;
        }
        if (reply.hang_up) {
          ws.Close();
          call_over = true;
          callee_hung_up_ = true;
          return false;
        }
        return true;
      };

      if (!relay->welcome_greeting.empty()) {
        Say("agent", relay->welcome_greeting);
        heard_ = relay->welcome_greeting;
        Wait(SpeakingSeconds(relay->welcome_greeting));
        session_over = !callee_turn();
      }
      while (!session_over) {
        if (Interrupt why = Pending(); why != Interrupt::kNone) {
          ws.Close();
          if (why == Interrupt::kRedirect) redirect = TakeRedirect();
          call_over = why == Interrupt::kHangup;
          break;
        }
        auto message = ws.Receive(kPollMs);
        if (!message) {  // our server closed the socket
          session_status = "ended";
          break;
        }
        if (!message->has_value()) {
          idle_ms += kPollMs;
          if (idle_ms >= engine_.options_.relay_idle_timeout_ms) {
            Say("callee", "[hangs up]");
            ws.Close();
            call_over = true;
            callee_hung_up_ = true;
            break;
          }
          continue;
        }
        idle_ms = 0;
        const auto json = nlohmann::json::parse(**message, nullptr, false);
        const std::string type =
            json.is_object() && json.contains("type") && json["type"].is_string()
                ? json["type"].get<std::string>()
                : "";
        if (type == "text") {
          if (json.contains("token") && json["token"].is_string()) {
            tokens += json["token"].get<std::string>();
          }
          if (json.value("last", false)) {
            const std::string said = tokens;
            tokens.clear();
            if (!said.empty()) {
              Say("agent", said);
              heard_ += (heard_.empty() ? "" : " ") + said;
              if (Wait(SpeakingSeconds(said)) == Interrupt::kHangup) continue;
            }
            if (!callee_turn()) break;
          }
        } else if (type == "end") {
          if (json.contains("handoffData")) {
            handoff_data = json["handoffData"].is_string() ? json["handoffData"].get<std::string>()
                                                           : json["handoffData"].dump();
          }
          session_status = "ended";
          ws.Close();
          break;
        } else if (type == "language") {
          lang = json.value("transcriptionLanguage", lang);
        } else if (type == "play") {
          Say("agent", "[play " + json.value("source", std::string()) + "]");
        } else if (type == "sendDigits") {
          Say("agent", "[digits " + json.value("digits", std::string()) + "]");
        } else {
          (void)ws.Send(nlohmann::json{{"type", "error"},
                                       {"description", "Invalid message received: " + **message}}
                            .dump());
        }
      }
    }
  }
  if (!redirect.end) return redirect;
  if (Pending() == Interrupt::kHangup) call_over = true;

  if (!connect.action.empty()) {
    FormParams params = CallParams(call_over ? "completed" : "in-progress");
    params.emplace_back("SessionId", session_id);
    params.emplace_back("SessionStatus", session_status);
    params.emplace_back("SessionDuration",
                        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count()));
    if (!handoff_data.empty()) params.emplace_back("HandoffData", handoff_data);
    if (!error_message.empty()) params.emplace_back("ErrorMessage", error_message);
    if (call_over) {
      (void)FetchDocument(connect.action, connect.method, params);
      callee_hung_up_ = true;
      return Next{};
    }
    Next next;
    next.end = false;
    next.url = connect.action;
    next.method = connect.method;
    next.extra.assign(params.begin() + static_cast<std::ptrdiff_t>(CallParams("").size()),
                      params.end());
    return next;
  }
  if (call_over) {
    callee_hung_up_ = true;
    return Next{};
  }
  // Without an action, Twilio goes on with the verbs after <Connect>.
  *go_on = true;
  return Next{};
}

void CallRunner::Finish(const std::string& status) {
  std::string final_status = status;
  if (answered_) {
    duration_ = std::max(1, static_cast<int>(std::lround(talk_seconds_)));
  }
  std::vector<SimTurn> transcript;
  {
    std::lock_guard lock(engine_.mutex_);
    state_->view.status = final_status;
    state_->view.duration_seconds = duration_;
    state_->view.end_time_ms = engine_.NowMs();
    state_->view.date_updated_ms = engine_.NowMs();
    transcript = state_->transcript;
  }
  if (params_.async_amd && answered_) answered_by_ = state_->view.answered_by;
  StatusCallback("completed", final_status);

  if (params_.record && answered_) {
    TwilioSimEngine::Recording recording;
    const int channels = params_.recording_channels == "dual" ? 2 : 1;
    recording.view.sid = engine_.NewSid("RE");
    recording.view.account_sid = params_.account_sid;
    recording.view.call_sid = sid_;
    recording.view.status = "completed";
    recording.view.channels = channels;
    recording.view.channels_text = std::to_string(channels);
    recording.view.duration_seconds = duration_;
    recording.view.date_created_ms = answer_time_ms_;
    recording.view.source = "OutboundAPI";
    recording.wav = RenderCallWav(transcript, channels);
    const std::string recording_sid = recording.view.sid;
    engine_.AddRecording(std::move(recording));
    Callback(params_.recording_status_callback, params_.recording_status_callback_method,
             {{"AccountSid", params_.account_sid},
              {"CallSid", sid_},
              {"RecordingSid", recording_sid},
              {"RecordingUrl", engine_.options_.public_base_url + "/2010-04-01/Accounts/" +
                                   params_.account_sid + "/Recordings/" + recording_sid},
              {"RecordingStatus", "completed"},
              {"RecordingDuration", std::to_string(duration_)},
              {"RecordingChannels", std::to_string(channels)},
              {"RecordingSource", "OutboundAPI"},
              {"RecordingStartTime", Rfc2822(answer_time_ms_)}});
  }
  engine_.logger_.Info("sim: call ended", {{"call_sid", sid_},
                                           {"status", final_status},
                                           {"persona", persona_.name},
                                           {"duration", duration_}});
}

// --- TwilioSimEngine ---

TwilioSimEngine::TwilioSimEngine(TwilioSimOptions options, PersonaDirectory personas,
                                 const core::Clock& clock, const core::Logger& logger)
    : options_(std::move(options)),
      personas_(std::move(personas)),
      clock_(clock),
      logger_(logger),
      sid_random_(std::random_device{}()),
      fault_seeds_(options_.faults.seed) {}

TwilioSimEngine::~TwilioSimEngine() { Stop(); }

void TwilioSimEngine::SetPublicBaseUrl(std::string url) {
  std::lock_guard lock(mutex_);
  while (!url.empty() && url.back() == '/') url.pop_back();
  options_.public_base_url = std::move(url);
}

void TwilioSimEngine::Start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  stopping_ = false;
  held_back_thread_ = std::thread([this] { HeldBackLoop(); });
}

void TwilioSimEngine::Stop() {
  {
    std::unique_lock lock(mutex_);
    if (!started_) return;
    stopping_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return live_calls_ == 0; });
  }
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(finished_workers_);
  }
  for (auto& worker : workers) worker.join();
  {
    std::lock_guard lock(mutex_);
    started_ = false;
    changed_.notify_all();
  }
  if (held_back_thread_.joinable()) held_back_thread_.join();
}

bool TwilioSimEngine::WaitUntilIdle(int timeout_ms) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return live_calls_ == 0 && held_back_.empty() && !delivering_held_back_;
  });
}

int TwilioSimEngine::LiveCalls() const {
  std::lock_guard lock(mutex_);
  return live_calls_;
}

std::string TwilioSimEngine::NewSid(const char* prefix) {
  static const char kHex[] = "0123456789abcdef";
  std::string sid = prefix;
  std::lock_guard lock(sid_mutex_);
  for (int i = 0; i < 32; ++i) sid.push_back(kHex[sid_random_() & 15]);
  return sid;
}

core::Result<SimCallView> TwilioSimEngine::CreateCall(const CreateCallParams& params) {
  auto account = options_.accounts.find(params.account_sid);
  if (account == options_.accounts.end()) {
    return TwilioError(core::ErrorCode::kUnauthenticated, "20003",
                       "Authenticate: account " + params.account_sid + " is not known");
  }
  if (!IsE164(params.to)) {
    return TwilioError(core::ErrorCode::kInvalidArgument, "21211",
                       "Invalid 'To' Phone Number: " + params.to);
  }
  if (!IsE164(params.from)) {
    return TwilioError(core::ErrorCode::kInvalidArgument, "21212",
                       "Invalid 'From' Phone Number: " + params.from);
  }
  if (params.url.empty() && params.twiml.empty()) {
    return TwilioError(core::ErrorCode::kInvalidArgument, "21205",
                       "Either Url or Twiml must be given");
  }
  auto state = std::make_shared<CallState>();
  state->params = params;
  state->auth_token = account->second;
  state->persona = &personas_.ForNumber(params.to);
  state->view.sid = NewSid("CA");
  state->view.account_sid = params.account_sid;
  state->view.to = params.to;
  state->view.from = params.from;
  state->view.status = "queued";
  state->view.date_created_ms = state->view.date_updated_ms = NowMs();

  std::vector<std::thread> finished;
  SimCallView view;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) {
      return core::MakeError(core::ErrorCode::kUnavailable, "the simulator is not running");
    }
    state->fault_seed = fault_seeds_();
    calls_[state->view.sid] = state;
    call_order_.push_back(state->view.sid);
    ++live_calls_;
    view = state->view;
    // Assigned under the lock so the worker, which ends under the lock, finds it set.
    state->worker = std::thread([this, state] { RunCall(state); });
    finished.swap(finished_workers_);
  }
  for (auto& worker : finished) worker.join();
  return view;
}

void TwilioSimEngine::RunCall(std::shared_ptr<CallState> state) {
  {
    CallRunner runner(*this, state);
    runner.Run();
  }
  std::lock_guard lock(mutex_);
  state->done = true;
  finished_workers_.push_back(std::move(state->worker));
  --live_calls_;
  changed_.notify_all();
}

core::Result<SimCallView> TwilioSimEngine::UpdateCall(const std::string& account_sid,
                                                      const std::string& call_sid,
                                                      const UpdateCallParams& params) {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(call_sid);
  if (it == calls_.end() || it->second->view.account_sid != account_sid) {
    return TwilioError(core::ErrorCode::kNotFound, "20404",
                       "The requested resource /Calls/" + call_sid + " was not found");
  }
  CallState& call = *it->second;
  const bool live = !call.done && !IsFinalStatus(call.view.status);
  if (params.status) {
    if (*params.status != "completed" && *params.status != "canceled") {
      return TwilioError(core::ErrorCode::kInvalidArgument, "21218",
                         "Status must be completed or canceled, not " + *params.status);
    }
    // "canceled" only ends a call that has not been answered yet; "completed" ends any.
    const bool answered = call.view.status == "in-progress";
    if (live && (*params.status == "completed" || !answered)) call.hangup_requested = true;
  } else if (params.url || params.twiml) {
    if (!live) {
      return TwilioError(core::ErrorCode::kInvalidArgument, "21220",
                         "Call is not in-progress. Cannot redirect.");
    }
    if (call.view.status == "in-progress") {
      call.redirect = params;
    } else {
      // Not answered yet: the new instructions run when it is.
      call.params.url = params.url.value_or("");
      call.params.method = params.method;
      call.params.twiml = params.twiml.value_or("");
    }
  }
  call.view.date_updated_ms = NowMs();
  changed_.notify_all();
  return call.view;
}

std::optional<SimCallView> TwilioSimEngine::FetchCall(const std::string& account_sid,
                                                      const std::string& call_sid) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(call_sid);
  if (it == calls_.end() || it->second->view.account_sid != account_sid) return std::nullopt;
  return it->second->view;
}

std::vector<SimCallView> TwilioSimEngine::ListCalls(const std::string& account_sid) const {
  std::lock_guard lock(mutex_);
  std::vector<SimCallView> out;
  // Newest first, as Twilio lists them.
  for (auto it = call_order_.rbegin(); it != call_order_.rend(); ++it) {
    const auto& view = calls_.at(*it)->view;
    if (view.account_sid == account_sid) out.push_back(view);
  }
  return out;
}

std::vector<SimRecordingView> TwilioSimEngine::ListRecordings(const std::string& account_sid,
                                                              const std::string& call_sid) const {
  std::lock_guard lock(mutex_);
  std::vector<SimRecordingView> out;
  for (const auto& [sid, recording] : recordings_) {
    if (recording.view.account_sid != account_sid) continue;
    if (!call_sid.empty() && recording.view.call_sid != call_sid) continue;
    out.push_back(recording.view);
  }
  return out;
}

std::optional<SimRecordingView> TwilioSimEngine::FetchRecording(
    const std::string& account_sid, const std::string& recording_sid) const {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(recording_sid);
  if (it == recordings_.end() || it->second.view.account_sid != account_sid) return std::nullopt;
  return it->second.view;
}

std::optional<std::string> TwilioSimEngine::RecordingWav(const std::string& account_sid,
                                                         const std::string& recording_sid) const {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(recording_sid);
  if (it == recordings_.end() || it->second.view.account_sid != account_sid) return std::nullopt;
  return it->second.wav;
}

bool TwilioSimEngine::DeleteRecording(const std::string& account_sid,
                                      const std::string& recording_sid) {
  std::lock_guard lock(mutex_);
  auto it = recordings_.find(recording_sid);
  if (it == recordings_.end() || it->second.view.account_sid != account_sid) return false;
  recordings_.erase(it);
  return true;
}

void TwilioSimEngine::AddRecording(Recording recording) {
  std::lock_guard lock(mutex_);
  std::string sid = recording.view.sid;
  recordings_[sid] = std::move(recording);
}

core::Result<SimMessageView> TwilioSimEngine::CreateMessage(const std::string& account_sid,
                                                            const std::string& to,
                                                            const std::string& from,
                                                            const std::string& body,
                                                            const std::string& status_callback) {
  auto account = options_.accounts.find(account_sid);
  if (account == options_.accounts.end()) {
    return TwilioError(core::ErrorCode::kUnauthenticated, "20003",
                       "Authenticate: account " + account_sid + " is not known");
  }
  if (!IsE164(to)) {
    return TwilioError(core::ErrorCode::kInvalidArgument, "21211",
                       "Invalid 'To' Phone Number: " + to);
  }
  if (body.empty()) {
    return TwilioError(core::ErrorCode::kInvalidArgument, "21602", "Message body is required.");
  }
  SimMessageView message;
  message.sid = NewSid("SM");
  message.account_sid = account_sid;
  message.to = to;
  message.from = from;
  message.body = body;
  message.date_created_ms = NowMs();
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopping_) {
      return core::MakeError(core::ErrorCode::kUnavailable, "the simulator is not running");
    }
    SimMessageView stored = message;
    stored.status = "delivered";
    messages_[message.sid] = stored;
  }
  if (!status_callback.empty()) {
    HoldBack(Webhook{"POST",
                     status_callback,
                     {{"AccountSid", account_sid},
                      {"ApiVersion", kApiVersion},
                      {"From", from},
                      {"MessageSid", message.sid},
                      {"MessageStatus", "delivered"},
                      {"SmsSid", message.sid},
                      {"SmsStatus", "delivered"},
                      {"To", to}},
                     account->second,
                     NewSid("") + NewSid(""),
                     NowMs()});
  }
  return message;
}

std::vector<SimTurn> TwilioSimEngine::Transcript(const std::string& call_sid) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(call_sid);
  if (it == calls_.end()) return {};
  return it->second->transcript;
}

void TwilioSimEngine::HoldBack(Webhook webhook) {
  std::lock_guard lock(mutex_);
  held_back_.push_back(std::move(webhook));
  changed_.notify_all();
}

void TwilioSimEngine::HeldBackLoop() {
  WebhookClient client(options_.http_timeout_ms);
  std::unique_lock lock(mutex_);
  while (true) {
    if (held_back_.empty()) {
      if (!started_) return;
      changed_.wait(lock);
      continue;
    }
    auto earliest =
        std::min_element(held_back_.begin(), held_back_.end(),
                         [](const Webhook& a, const Webhook& b) { return a.due_ms < b.due_ms; });
    const int64_t wait_ms = earliest->due_ms - NowMs();
    // Once stopping, what is held back goes out at once.
    if (wait_ms > 0 && !stopping_) {
      changed_.wait_for(lock, std::chrono::milliseconds(wait_ms));
      continue;
    }
    Webhook webhook = std::move(*earliest);
    held_back_.erase(earliest);
    delivering_held_back_ = true;
    lock.unlock();
    SendWithRetries(client, webhook);
    lock.lock();
    delivering_held_back_ = false;
    changed_.notify_all();
  }
}

bool TwilioSimEngine::SendWithRetries(WebhookClient& client, const Webhook& webhook) {
  const int attempts = std::max(1, options_.callback_attempts);
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(options_.callback_backoff_ms << (attempt - 1)));
    }
    auto response = client.Send(webhook.method, webhook.url, webhook.params, webhook.auth_token,
                                webhook.idempotency_token);
    if (response && response->status >= 200 && response->status < 300) return true;
    logger_.Info("sim: callback attempt failed",
                 {{"url", webhook.url},
                  {"attempt", attempt + 1},
                  {"error", response ? "HTTP " + std::to_string(response->status)
                                     : response.error().message}});
  }
  logger_.Warn("sim: callback not delivered", {{"url", webhook.url}});
  return false;
}

}  // namespace vaarta::sim
