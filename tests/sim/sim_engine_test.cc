#include "sim/sim_engine_impl.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/server.h"
#include "sim/wav.h"
#include "telephony/twilio/twilio_signature.h"

namespace vaarta::sim {
namespace {

constexpr char kAccount[] = "AC00000000000000000000000000000001";
constexpr char kToken[] = "secret-token-1";
constexpr char kFrom[] = "+911140000000";

// One webhook the test server received.
struct Received {
  std::string path;
  std::map<std::string, std::string> form;
  std::string idempotency_token;
  bool signature_ok = false;
  std::string Get(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? "<absent>" : it->second;
  }
  bool Has(const std::string& name) const { return form.count(name) > 0; }
};

// Plays our server: answers the voice URL and the actions with TwiML, records every
// request and checks its signature the way the real webhook routes will.
class FakeServer {
 public:
  using TwimlFor = std::function<std::string(const Received&)>;

  FakeServer() : logger_(log_, core::LogLevel::kWarn, clock_) {
    for (const char* path : {"/voice", "/gather", "/status", "/amd", "/recording", "/dial-end",
                             "/connect-end", "/redirected"}) {
      router_.Add({"POST", path, "public", ""},
                  [this](http::Request& request) { return Handle(request); });
    }
    router_.AddWebSocket(
        {"GET", "/relay", "public", ""},
        {[](http::Request&) { return http::Response::Text(101, ""); },
         [this](const http::Request& request, std::shared_ptr<http::WebSocketPeer> peer) {
           return OpenRelay(request, std::move(peer));
         }});
    http::ServerOptions options;
    options.port = 0;
    options.worker_threads = 8;
    options.shutdown_grace_seconds = 1;
    server_ = std::make_unique<http::Server>(options, router_, logger_, metrics_);
    auto port = server_->Listen();
    EXPECT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~FakeServer() {
    server_->Shutdown();
    thread_.join();
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void OnVoice(TwimlFor twiml) { Set("/voice", std::move(twiml)); }
  void Set(const std::string& path, TwimlFor twiml) {
    std::lock_guard lock(mutex_);
    twiml_[path] = std::move(twiml);
  }
  // The next `count` requests to `path` fail with `status` before any succeeds.
  void FailNext(const std::string& path, int count, int status) {
    std::lock_guard lock(mutex_);
    failures_[path] = {count, status};
  }
  std::vector<Received> Requests(const std::string& path) const {
    std::lock_guard lock(mutex_);
    std::vector<Received> out;
    for (const auto& r : received_) {
      if (path.empty() || r.path == path) out.push_back(r);
    }
    return out;
  }
  std::vector<Received> For(const std::string& path, const std::string& call_sid) const {
    std::vector<Received> out;
    for (auto& r : Requests(path)) {
      if (r.Get("CallSid") == call_sid) out.push_back(r);
    }
    return out;
  }
  int failed_attempts() const { return failed_attempts_; }

  // Relay script: what our side sends (text tokens) and what it heard.
  struct RelayLog {
    std::vector<nlohmann::json> received;
  };
  std::vector<nlohmann::json> RelayMessages() const {
    std::lock_guard lock(mutex_);
    return relay_messages_;
  }
  std::string relay_signature() const {
    std::lock_guard lock(mutex_);
    return relay_signature_;
  }

 private:
  http::Response Handle(http::Request& request) {
    Received r;
    r.path = request.path;
    http::ParseQueryString(request.body, &r.form);
    r.idempotency_token = request.Header("i-twilio-idempotency-token");
    telephony::twilio::FormParams params(r.form.begin(), r.form.end());
    r.signature_ok = telephony::twilio::ValidateSignature(
        kToken, request.Header("x-twilio-signature"), Url(request.target), params);
    TwimlFor twiml;
    {
      std::lock_guard lock(mutex_);
      auto failure = failures_.find(request.path);
      if (failure != failures_.end() && failure->second.first > 0) {
        --failure->second.first;
        ++failed_attempts_;
        return http::Response::Text(failure->second.second, "try later");
      }
      received_.push_back(r);
      auto it = twiml_.find(request.path);
      if (it != twiml_.end()) twiml = it->second;
    }
    if (!twiml) return http::Response::Text(204, "");
    return http::Response::Text(200, twiml(r), "text/xml");
  }

  // Our relay side: greets with two tokens, and on the first prompt ends the session
  // with hand-off data.
  class RelaySession final : public http::WebSocketSession {
   public:
    RelaySession(FakeServer& server, std::shared_ptr<http::WebSocketPeer> peer)
        : server_(server), peer_(std::move(peer)) {}
    void OnMessage(const std::string& text) override {
      auto json = nlohmann::json::parse(text);
      {
        std::lock_guard lock(server_.mutex_);
        server_.relay_messages_.push_back(json);
      }
      if (json["type"] == "setup") {
        peer_->Send(R"({"type":"text","token":"Hello, ","last":false})");
        peer_->Send(R"({"type":"text","token":"are you interested?","last":true})");
      } else if (json["type"] == "prompt") {
        if (++prompts_ == 1) {
          peer_->Send(R"({"type":"text","token":"Great, tell me when.","last":true})");
        } else {
          peer_->Send(R"({"type":"end","handoffData":"{\"reason\":\"done\"}"})");
        }
      }
    }
    void OnClose() override {}

   private:
    FakeServer& server_;
    std::shared_ptr<http::WebSocketPeer> peer_;
    int prompts_ = 0;
  };

  std::shared_ptr<http::WebSocketSession> OpenRelay(const http::Request& request,
                                                    std::shared_ptr<http::WebSocketPeer> peer) {
    {
      std::lock_guard lock(mutex_);
      relay_signature_ = request.Header("x-twilio-signature");
    }
    return std::make_shared<RelaySession>(*this, std::move(peer));
  }

  core::SystemClock clock_;
  std::ostringstream log_;
  core::Logger logger_;
  core::MetricsRegistry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;

  mutable std::mutex mutex_;
  std::map<std::string, TwimlFor> twiml_;
  std::map<std::string, std::pair<int, int>> failures_;
  std::vector<Received> received_;
  std::atomic<int> failed_attempts_{0};
  std::vector<nlohmann::json> relay_messages_;
  std::string relay_signature_;
};

class SimEngineTest : public ::testing::Test {
 protected:
  SimEngineTest() : logger_(log_, core::LogLevel::kWarn, clock_) {}
  ~SimEngineTest() override {
    if (engine_) engine_->Stop();
  }

  void StartEngine(SimFaults faults = {}, int time_scale_ms = 0) {
    TwilioSimOptions options;
    options.accounts = {{kAccount, kToken}};
    options.public_base_url = "http://127.0.0.1:9999";
    options.time_scale_ms = time_scale_ms;
    options.faults = faults;
    options.callback_backoff_ms = 10;
    options.relay_idle_timeout_ms = 3000;
    auto directory = PersonaDirectory::FromJson(nlohmann::json::parse(R"({
      "numbers": {
        "+919800000001": "interested_en", "+919800000002": "busy",
        "+919800000003": "no_answer", "+919800000004": "failed",
        "+919800000005": "voicemail", "+919800000006": "silent",
        "+919800000007": "opt_out_hi", "+919800000008": "quitter"},
      "personas": [{"name": "quitter", "script": ["bye"], "hang_up_after": 1}]})"));
    EXPECT_TRUE(directory.ok());
    engine_ = std::make_unique<TwilioSimEngine>(options, std::move(*directory), clock_, logger_);
    engine_->Start();
  }

  CreateCallParams Params(const std::string& to) {
    CreateCallParams p;
    p.account_sid = kAccount;
    p.to = to;
    p.from = kFrom;
    p.url = server_.Url("/voice");
    p.status_callback = server_.Url("/status");
    p.status_callback_events = {"initiated", "ringing", "answered", "completed"};
    return p;
  }

  // Places the call and waits until the simulator is done with it.
  SimCallView Place(const CreateCallParams& params) {
    auto created = engine_->CreateCall(params);
    EXPECT_TRUE(created.ok()) << created.error().message;
    EXPECT_EQ(created->status, "queued");
    EXPECT_TRUE(engine_->WaitUntilIdle(30000));
    return *engine_->FetchCall(kAccount, created->sid);
  }

  // Polls until the call reaches `status` (no timing is asserted: the deadline only
  // keeps a broken build from hanging).
  bool WaitForStatus(const std::string& sid, const std::string& status) {
    for (int i = 0; i < 3000; ++i) {
      if (engine_->FetchCall(kAccount, sid)->status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  static std::string SayGather(const std::string& say, const std::string& action) {
    return "<Response><Gather input=\"speech\" action=\"" + action + "\"><Say>" + say +
           "</Say></Gather></Response>";
  }

  core::SystemClock clock_;
  std::ostringstream log_;
  core::Logger logger_;
  FakeServer server_;
  std::unique_ptr<TwilioSimEngine> engine_;
};

TEST_F(SimEngineTest, HumanGatherConversationSendsSignedCallbacksInOrder) {
  StartEngine();
  std::atomic<int> turns{0};
  server_.OnVoice([&](const Received&) {
    return SayGather("Hello, this is Asha from Vaarta Loans.", server_.Url("/gather"));
  });
  server_.Set("/gather", [&](const Received&) {
    if (++turns == 1) return SayGather("It is a home loan at 8 percent.", server_.Url("/gather"));
    return std::string("<Response><Say>Thank you, goodbye.</Say><Hangup/></Response>");
  });
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(call.status, "completed");
  EXPECT_GT(call.duration_seconds, 0);
  EXPECT_EQ(call.sid.size(), 34u);
  EXPECT_EQ(call.sid.substr(0, 2), "CA");

  auto status = server_.For("/status", call.sid);
  ASSERT_EQ(status.size(), 4u);
  const std::vector<std::string> expected = {"initiated", "ringing", "in-progress", "completed"};
  for (size_t i = 0; i < status.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(status[i].signature_ok);
    EXPECT_EQ(status[i].Get("CallStatus"), expected[i]);
    EXPECT_EQ(status[i].Get("SequenceNumber"), std::to_string(i));
    EXPECT_EQ(status[i].Get("AccountSid"), kAccount);
    EXPECT_EQ(status[i].Get("ApiVersion"), "2010-04-01");
    EXPECT_EQ(status[i].Get("Direction"), "outbound-api");
    EXPECT_EQ(status[i].Get("CallbackSource"), "call-progress-events");
    EXPECT_EQ(status[i].Get("To"), "+919800000001");
    EXPECT_EQ(status[i].Get("Called"), "+919800000001");
    EXPECT_EQ(status[i].Get("From"), kFrom);
    EXPECT_EQ(status[i].Get("Caller"), kFrom);
    EXPECT_NE(status[i].Get("Timestamp").find(" +0000"), std::string::npos);
    EXPECT_FALSE(status[i].idempotency_token.empty());
  }
  EXPECT_FALSE(status[2].Has("CallDuration"));
  EXPECT_EQ(status[3].Get("CallDuration"), std::to_string(call.duration_seconds));
  EXPECT_EQ(status[3].Get("Duration"), std::to_string(call.duration_seconds));
  EXPECT_FALSE(status[3].Has("AnsweredBy"));  // no AMD requested

  auto voice = server_.For("/voice", call.sid);
  ASSERT_EQ(voice.size(), 1u);
  EXPECT_TRUE(voice[0].signature_ok);
  EXPECT_EQ(voice[0].Get("CallStatus"), "in-progress");

  auto gathers = server_.For("/gather", call.sid);
  ASSERT_EQ(gathers.size(), 2u);
  EXPECT_TRUE(gathers[0].signature_ok);
  EXPECT_EQ(gathers[0].Get("SpeechResult"), "Yes, I am interested, tell me more");
  EXPECT_EQ(gathers[0].Get("Confidence"), "0.9");
  EXPECT_EQ(gathers[1].Get("SpeechResult"), "Yes please go ahead");

  const std::vector<SimTurn> transcript = engine_->Transcript(call.sid);
  ASSERT_EQ(transcript.size(), 5u);
  EXPECT_EQ(transcript[0].speaker, "agent");
  EXPECT_EQ(transcript[0].text, "Hello, this is Asha from Vaarta Loans.");
  EXPECT_EQ(transcript[1].speaker, "callee");
  EXPECT_EQ(transcript[1].text, "Yes, I am interested, tell me more");
  EXPECT_EQ(transcript[4].text, "Thank you, goodbye.");
}

TEST_F(SimEngineTest, SendsOnlyTheFinalStatusWhenNoEventsAreRequested) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Say>Hi</Say></Response>"; });
  CreateCallParams params = Params("+919800000001");
  params.status_callback_events.clear();
  SimCallView call = Place(params);
  auto status = server_.For("/status", call.sid);
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].Get("CallStatus"), "completed");
  EXPECT_EQ(status[0].Get("SequenceNumber"), "0");
}

TEST_F(SimEngineTest, EachPersonaKindEndsInItsTwilioStatus) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Say>Hi there</Say></Response>"; });
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"+919800000002", "busy"},      {"+919800000003", "no-answer"},
      {"+919800000004", "failed"},    {"+919800000005", "completed"},  // voicemail answers
      {"+919800000006", "completed"},                                  // silent human
  };
  for (const auto& [number, final_status] : cases) {
    SCOPED_TRACE(number);
    CreateCallParams params = Params(number);
    params.timeout_seconds = 20;
    SimCallView call = Place(params);
    EXPECT_EQ(call.status, final_status);
    auto status = server_.For("/status", call.sid);
    ASSERT_FALSE(status.empty());
    EXPECT_EQ(status.back().Get("CallStatus"), final_status);
    EXPECT_EQ(status.front().Get("CallStatus"), "initiated");
    for (size_t i = 0; i < status.size(); ++i) {
      EXPECT_EQ(status[i].Get("SequenceNumber"), std::to_string(i));
    }
    const bool answered = final_status == "completed";
    EXPECT_EQ(server_.For("/voice", call.sid).size(), answered ? 1u : 0u);
    if (!answered) {
      EXPECT_EQ(call.duration_seconds, 0);
    }
  }
}

TEST_F(SimEngineTest, AsyncAmdReportsTheMachineAfterTheBeep) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Say>Hi there</Say></Response>"; });
  CreateCallParams params = Params("+919800000005");
  params.machine_detection = "DetectMessageEnd";
  params.async_amd = true;
  params.async_amd_status_callback = server_.Url("/amd");
  SimCallView call = Place(params);
  EXPECT_EQ(call.answered_by, "machine_end_beep");
  auto amd = server_.For("/amd", call.sid);
  ASSERT_EQ(amd.size(), 1u);
  EXPECT_TRUE(amd[0].signature_ok);
  EXPECT_EQ(amd[0].Get("AnsweredBy"), "machine_end_beep");
  EXPECT_GT(std::stoi(amd[0].Get("MachineDetectionDuration")), 0);
  // The voice URL was fetched before detection finished, so it did not carry the answer.
  EXPECT_FALSE(server_.For("/voice", call.sid).at(0).Has("AnsweredBy"));
  // The voicemail heard the message and said only its greeting.
  auto transcript = engine_->Transcript(call.sid);
  ASSERT_EQ(transcript.size(), 2u);
  EXPECT_EQ(transcript[0].speaker, "callee");
  EXPECT_EQ(transcript[1].text, "Hi there");
}

TEST_F(SimEngineTest, SyncAmdPutsAnsweredByOnTheVoiceRequest) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Hangup/></Response>"; });
  CreateCallParams params = Params("+919800000001");
  params.machine_detection = "Enable";
  SimCallView call = Place(params);
  auto voice = server_.For("/voice", call.sid);
  ASSERT_EQ(voice.size(), 1u);
  EXPECT_EQ(voice[0].Get("AnsweredBy"), "human");
  EXPECT_EQ(server_.For("/status", call.sid).back().Get("AnsweredBy"), "human");

  CreateCallParams machine = Params("+919800000005");
  machine.machine_detection = "Enable";
  SimCallView machine_call = Place(machine);
  EXPECT_EQ(server_.For("/voice", machine_call.sid).at(0).Get("AnsweredBy"), "machine_start");
}

TEST_F(SimEngineTest, RetriesFailedCallbacksWithTheSameIdempotencyToken) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Hangup/></Response>"; });
  server_.FailNext("/status", 2, 503);
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(server_.failed_attempts(), 2);
  auto status = server_.For("/status", call.sid);
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0].Get("CallStatus"), "initiated");
  std::set<std::string> tokens;
  for (const auto& r : status) tokens.insert(r.idempotency_token);
  EXPECT_EQ(tokens.size(), 4u);
}

TEST_F(SimEngineTest, DroppedCallbacksNeverArriveButTheCallCompletes) {
  SimFaults faults;
  faults.callback_drop_rate = 1;
  StartEngine(faults);
  server_.OnVoice([](const Received&) { return "<Response><Say>Hi</Say></Response>"; });
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(call.status, "completed");
  EXPECT_TRUE(server_.For("/status", call.sid).empty());
  EXPECT_EQ(server_.For("/voice", call.sid).size(), 1u);  // documents are never dropped
}

TEST_F(SimEngineTest, DuplicatedCallbacksArriveTwiceWithTheSameSequenceNumber) {
  SimFaults faults;
  faults.callback_duplicate_rate = 1;
  StartEngine(faults);
  server_.OnVoice([](const Received&) { return "<Response><Hangup/></Response>"; });
  SimCallView call = Place(Params("+919800000001"));
  auto status = server_.For("/status", call.sid);
  ASSERT_EQ(status.size(), 8u);
  for (size_t i = 0; i < status.size(); i += 2) {
    EXPECT_EQ(status[i].Get("SequenceNumber"), status[i + 1].Get("SequenceNumber"));
    EXPECT_EQ(status[i].idempotency_token, status[i + 1].idempotency_token);
  }
}

TEST_F(SimEngineTest, ReorderedCallbacksAllArriveAndSomeOvertake) {
  SimFaults faults;
  faults.callback_reorder_rate = 0.5;
  faults.callback_reorder_delay_ms = 200;
  faults.seed = 7;
  StartEngine(faults);
  server_.OnVoice([](const Received&) { return "<Response><Hangup/></Response>"; });
  int out_of_order = 0;
  for (int i = 0; i < 8; ++i) {
    SimCallView call = Place(Params("+919800000001"));
    auto status = server_.For("/status", call.sid);
    ASSERT_EQ(status.size(), 4u);
    std::set<std::string> sequence_numbers;
    for (size_t j = 0; j < status.size(); ++j) {
      sequence_numbers.insert(status[j].Get("SequenceNumber"));
      if (status[j].Get("SequenceNumber") != std::to_string(j)) ++out_of_order;
    }
    EXPECT_EQ(sequence_numbers, (std::set<std::string>{"0", "1", "2", "3"}));
  }
  EXPECT_GT(out_of_order, 0);
}

TEST_F(SimEngineTest, RecordsTheCallAsADualChannelWav) {
  StartEngine();
  server_.OnVoice([&](const Received&) {
    return SayGather("Hello, this call is recorded.", server_.Url("/gather"));
  });
  server_.Set("/gather", [](const Received&) { return "<Response><Hangup/></Response>"; });
  CreateCallParams params = Params("+919800000001");
  params.record = true;
  params.recording_channels = "dual";
  params.recording_status_callback = server_.Url("/recording");
  SimCallView call = Place(params);
  auto recording = server_.For("/recording", call.sid);
  ASSERT_EQ(recording.size(), 1u);
  const Received& r = recording[0];
  EXPECT_TRUE(r.signature_ok);
  EXPECT_EQ(r.Get("RecordingStatus"), "completed");
  EXPECT_EQ(r.Get("RecordingChannels"), "2");
  EXPECT_EQ(r.Get("RecordingSource"), "OutboundAPI");
  EXPECT_EQ(r.Get("RecordingDuration"), std::to_string(call.duration_seconds));
  EXPECT_NE(r.Get("RecordingStartTime").find("+0000"), std::string::npos);
  const std::string sid = r.Get("RecordingSid");
  EXPECT_EQ(sid.substr(0, 2), "RE");
  EXPECT_EQ(r.Get("RecordingUrl"), std::string("http://127.0.0.1:9999/2010-04-01/Accounts/") +
                                       kAccount + "/Recordings/" + sid);
  auto wav = engine_->RecordingWav(kAccount, sid);
  ASSERT_TRUE(wav.has_value());
  auto info = ReadWavInfo(*wav);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->channels, 2);
  ASSERT_EQ(engine_->ListRecordings(kAccount, call.sid).size(), 1u);
  EXPECT_EQ(engine_->FetchRecording(kAccount, sid)->channels_text, "2");
  EXPECT_TRUE(engine_->DeleteRecording(kAccount, sid));
  EXPECT_FALSE(engine_->RecordingWav(kAccount, sid).has_value());
  EXPECT_FALSE(engine_->DeleteRecording(kAccount, sid));
}

TEST_F(SimEngineTest, HangingUpARingingCallCancelsIt) {
  StartEngine({}, /*time_scale_ms=*/20);
  CreateCallParams params = Params("+919800000003");  // rings until the timeout
  params.timeout_seconds = 600;
  auto created = engine_->CreateCall(params);
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(WaitForStatus(created->sid, "ringing"));
  UpdateCallParams hang_up;
  hang_up.status = "completed";
  ASSERT_TRUE(engine_->UpdateCall(kAccount, created->sid, hang_up).ok());
  ASSERT_TRUE(engine_->WaitUntilIdle(30000));
  EXPECT_EQ(engine_->FetchCall(kAccount, created->sid)->status, "canceled");
  EXPECT_EQ(server_.For("/status", created->sid).back().Get("CallStatus"), "canceled");
}

TEST_F(SimEngineTest, HangingUpALiveCallCompletesIt) {
  StartEngine({}, /*time_scale_ms=*/20);
  server_.OnVoice([](const Received&) {
    return "<Response><Say>Please hold</Say><Pause length=\"600\"/><Say>Never "
           "said</Say></Response>";
  });
  auto created = engine_->CreateCall(Params("+919800000001"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(WaitForStatus(created->sid, "in-progress"));
  UpdateCallParams hang_up;
  hang_up.status = "completed";
  ASSERT_TRUE(engine_->UpdateCall(kAccount, created->sid, hang_up).ok());
  ASSERT_TRUE(engine_->WaitUntilIdle(30000));
  EXPECT_EQ(engine_->FetchCall(kAccount, created->sid)->status, "completed");
  for (const auto& turn : engine_->Transcript(created->sid)) EXPECT_NE(turn.text, "Never said");
}

TEST_F(SimEngineTest, RedirectAbandonsTheRunningDocument) {
  StartEngine({}, /*time_scale_ms=*/20);
  server_.OnVoice([](const Received&) {
    return "<Response><Pause length=\"600\"/><Say>Never said</Say></Response>";
  });
  server_.Set("/redirected", [](const Received&) {
    return "<Response><Say>Leaving a message</Say><Hangup/></Response>";
  });
  auto created = engine_->CreateCall(Params("+919800000001"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(WaitForStatus(created->sid, "in-progress"));
  // Wait until the pause is running, i.e. the voice document was fetched.
  for (int i = 0; i < 3000 && server_.For("/voice", created->sid).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  UpdateCallParams redirect;
  redirect.url = server_.Url("/redirected");
  ASSERT_TRUE(engine_->UpdateCall(kAccount, created->sid, redirect).ok());
  ASSERT_TRUE(engine_->WaitUntilIdle(30000));
  auto redirected = server_.For("/redirected", created->sid);
  ASSERT_EQ(redirected.size(), 1u);
  EXPECT_TRUE(redirected[0].signature_ok);
  auto transcript = engine_->Transcript(created->sid);
  ASSERT_EQ(transcript.size(), 1u);
  EXPECT_EQ(transcript[0].text, "Leaving a message");
  // A finished call cannot be redirected.
  auto late = engine_->UpdateCall(kAccount, created->sid, redirect);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().detail_code, "21220");
}

TEST_F(SimEngineTest, SilentCalleeGivesAnEmptyGatherResult) {
  StartEngine();
  std::atomic<int> asked{0};
  server_.OnVoice([&](const Received&) { return SayGather("Hello?", server_.Url("/gather")); });
  server_.Set("/gather", [&](const Received&) {
    if (++asked < 2) return SayGather("Are you there?", server_.Url("/gather"));
    return std::string("<Response><Hangup/></Response>");
  });
  SimCallView call = Place(Params("+919800000006"));
  auto gathers = server_.For("/gather", call.sid);
  ASSERT_EQ(gathers.size(), 2u);
  EXPECT_FALSE(gathers[0].Has("SpeechResult"));
  EXPECT_FALSE(gathers[0].Has("Digits"));
  EXPECT_EQ(call.status, "completed");
}

TEST_F(SimEngineTest, HindiSpeechAndACalleeWhoHangsUp) {
  StartEngine();
  server_.OnVoice([&](const Received&) { return SayGather("Namaste", server_.Url("/gather")); });
  server_.Set("/gather", [&](const Received&) { return SayGather("Ok", server_.Url("/gather")); });
  SimCallView opt_out = Place(Params("+919800000007"));
  auto gathers = server_.For("/gather", opt_out.sid);
  ASSERT_GE(gathers.size(), 1u);
  EXPECT_EQ(gathers[0].Get("SpeechResult"), "मुझे दोबारा फ़ोन मत करना");

  SimCallView quitter = Place(Params("+919800000008"));
  auto quit = server_.For("/gather", quitter.sid);
  ASSERT_EQ(quit.size(), 1u);  // said "bye", the result was posted, then the line went dead
  EXPECT_EQ(quit[0].Get("SpeechResult"), "bye");
  EXPECT_EQ(quit[0].Get("CallStatus"), "completed");
  EXPECT_EQ(quitter.status, "completed");
}

TEST_F(SimEngineTest, DialTransfersAndPostsTheDialAction) {
  StartEngine();
  server_.OnVoice([&](const Received&) {
    return "<Response><Dial action=\"" + server_.Url("/dial-end") +
           "\" callerId=\"+911140000000\"><Number>+919812345678</Number></Dial></Response>";
  });
  SimCallView call = Place(Params("+919800000001"));
  auto dial = server_.For("/dial-end", call.sid);
  ASSERT_EQ(dial.size(), 1u);
  EXPECT_EQ(dial[0].Get("DialCallStatus"), "completed");
  EXPECT_EQ(dial[0].Get("DialCallSid").substr(0, 2), "CA");
  auto transcript = engine_->Transcript(call.sid);
  ASSERT_EQ(transcript.size(), 1u);
  EXPECT_EQ(transcript[0].text, "[transfer to +919812345678]");
}

TEST_F(SimEngineTest, BadTwimlEndsTheCallWithAnApplicationError) {
  StartEngine();
  server_.OnVoice([](const Received&) { return "<Response><Say>unclosed</Response>"; });
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(call.status, "completed");
  auto transcript = engine_->Transcript(call.sid);
  ASSERT_EQ(transcript.size(), 1u);
  EXPECT_EQ(transcript[0].text, "[application error 12100]");
}

TEST_F(SimEngineTest, InlineTwimlRunsWithoutFetching) {
  StartEngine();
  CreateCallParams params = Params("+919800000001");
  params.url.clear();
  params.twiml = "<Response><Say>Inline hello</Say></Response>";
  SimCallView call = Place(params);
  EXPECT_TRUE(server_.For("/voice", call.sid).empty());
  EXPECT_EQ(engine_->Transcript(call.sid).at(0).text, "Inline hello");
}

TEST_F(SimEngineTest, RefusesBadCreateRequestsWithTwilioCodes) {
  StartEngine();
  CreateCallParams params = Params("+919800000001");
  params.account_sid = "AC99999999999999999999999999999999";
  EXPECT_EQ(engine_->CreateCall(params).error().detail_code, "20003");
  params = Params("12345");
  EXPECT_EQ(engine_->CreateCall(params).error().detail_code, "21211");
  params = Params("+919800000001");
  params.from = "nobody";
  EXPECT_EQ(engine_->CreateCall(params).error().detail_code, "21212");
  params = Params("+919800000001");
  params.url.clear();
  EXPECT_EQ(engine_->CreateCall(params).error().detail_code, "21205");
  EXPECT_EQ(engine_->UpdateCall(kAccount, "CAnope", {}).error().detail_code, "20404");
}

TEST_F(SimEngineTest, ManyConcurrentCallsAllFinish) {
  StartEngine({}, /*time_scale_ms=*/2);
  server_.OnVoice([&](const Received&) { return SayGather("Hello", server_.Url("/gather")); });
  server_.Set("/gather", [](const Received&) { return "<Response><Hangup/></Response>"; });
  std::vector<std::string> sids;
  for (int i = 0; i < 150; ++i) {
    auto created = engine_->CreateCall(Params("+9198" + std::to_string(10000000 + i)));
    ASSERT_TRUE(created.ok());
    sids.push_back(created->sid);
  }
  ASSERT_TRUE(engine_->WaitUntilIdle(120000));
  EXPECT_EQ(engine_->LiveCalls(), 0);
  EXPECT_EQ(engine_->ListCalls(kAccount).size(), 150u);
  for (const auto& sid : sids) {
    auto status = server_.For("/status", sid);
    ASSERT_FALSE(status.empty());
    EXPECT_TRUE(status.back().signature_ok);
    const std::string final_status = engine_->FetchCall(kAccount, sid)->status;
    EXPECT_EQ(status.back().Get("CallStatus"), final_status);
  }
}

TEST_F(SimEngineTest, ConversationRelaySessionEndsWithHandoffData) {
  StartEngine();
  server_.OnVoice([&](const Received&) {
    return "<Response><Connect action=\"" + server_.Url("/connect-end") +
           "\"><ConversationRelay url=\"ws://127.0.0.1:" +
           server_.Url("").substr(std::string("http://127.0.0.1:").size()) +
           "/relay\" language=\"en-IN\"><Parameter name=\"lead\" value=\"42\"/>"
           "</ConversationRelay></Connect></Response>";
  });
  server_.Set("/connect-end", [](const Received&) { return "<Response><Hangup/></Response>"; });
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(call.status, "completed");

  auto messages = server_.RelayMessages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0]["type"], "setup");
  EXPECT_EQ(messages[0]["callSid"], call.sid);
  EXPECT_EQ(messages[0]["accountSid"], kAccount);
  EXPECT_EQ(messages[0]["from"], kFrom);
  EXPECT_EQ(messages[0]["to"], "+919800000001");
  EXPECT_EQ(messages[0]["customParameters"]["lead"], "42");
  EXPECT_EQ(messages[1]["type"], "prompt");
  EXPECT_EQ(messages[1]["voicePrompt"], "Yes, I am interested, tell me more");
  EXPECT_EQ(messages[1]["lang"], "en-IN");
  EXPECT_EQ(messages[1]["last"], true);
  EXPECT_EQ(messages[2]["voicePrompt"], "Yes please go ahead");
  EXPECT_FALSE(server_.relay_signature().empty());

  auto end = server_.For("/connect-end", call.sid);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_TRUE(end[0].signature_ok);
  EXPECT_EQ(end[0].Get("SessionStatus"), "ended");
  EXPECT_EQ(end[0].Get("HandoffData"), "{\"reason\":\"done\"}");
  EXPECT_EQ(end[0].Get("SessionId").substr(0, 2), "VX");

  auto transcript = engine_->Transcript(call.sid);
  ASSERT_EQ(transcript.size(), 4u);
  EXPECT_EQ(transcript[0].text, "Hello, are you interested?");
  EXPECT_EQ(transcript[2].text, "Great, tell me when.");
}

TEST_F(SimEngineTest, DroppedRelaySocketEndsTheCall) {
  SimFaults faults;
  faults.websocket_drop_rate = 1;
  StartEngine(faults);
  server_.OnVoice([&](const Received&) {
    return "<Response><Connect action=\"" + server_.Url("/connect-end") +
           "\"><ConversationRelay url=\"ws://127.0.0.1:" +
           server_.Url("").substr(std::string("http://127.0.0.1:").size()) +
           "/relay\"/></Connect><Say>Never said</Say></Response>";
  });
  SimCallView call = Place(Params("+919800000001"));
  EXPECT_EQ(call.status, "completed");
  auto end = server_.For("/connect-end", call.sid);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].Get("SessionStatus"), "failed");
  EXPECT_EQ(end[0].Get("CallStatus"), "completed");
  for (const auto& turn : engine_->Transcript(call.sid)) EXPECT_NE(turn.text, "Never said");
}

}  // namespace
}  // namespace vaarta::sim
