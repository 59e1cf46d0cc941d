// ConversationRelay sessions: directly against a recording peer (exact order of effects and
// paced tokens under a manual scheduler), and over a real server and WebSocket client.
#include "calls/relay_session.h"

#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "calls/relay_test_fakes.h"
#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/server.h"
#include "sim/relay_client.h"

namespace vaarta::testing {
namespace {

using nlohmann::json;

class RecordingPeer final : public http::WebSocketPeer {
 public:
  explicit RecordingPeer(EventLog& log) : log_(log) {}
  void Send(std::string text) override { log_.Add("send:" + text); }
  void Close() override { log_.Add("close"); }

 private:
  EventLog& log_;
};

std::vector<json> Sent(const EventLog& log) {
  std::vector<json> out;
  for (const auto& e : log.Events()) {
    if (e.rfind("send:", 0) == 0) out.push_back(json::parse(e.substr(5)));
  }
  return out;
}

std::string Joined(const std::vector<json>& messages) {
  std::string text;
  for (const auto& m : messages) {
    if (m["type"] == "text") text += m["token"].get<std::string>();
  }
  return text;
}

const std::string kLongLine =
    "Before we go on I would like to tell you about our new savings plan which pays a fixed "
    "rate every month and lets you withdraw at any time without a penalty of any kind at all "
    "and you can open it from your phone in under five minutes with just your account number";

conversation::AgentTurn OptOutGoodbye() {
  conversation::AgentTurn t = Turn({"Understood, we will not call you again. Goodbye."});
  t.action = "add_do_not_call";
  t.end_call = true;
  t.intent = "opt_out";
  t.callee_language = "en";
  t.disposition = dialer::Disposition::kOptedOut;
  return t;
}

class RelaySessionTest : public ::testing::Test {
 protected:
  RelaySessionTest()
      : logger_(log_stream_, core::LogLevel::kDebug, clock_), sink_(events_), resolver_([this] {
          return std::make_unique<ScriptedConversation>(opening_, replies_, fallback_, &heard_);
        }) {}

  std::shared_ptr<calls::RelaySession> Start(calls::RelaySessionOptions options = {}) {
    auto session =
        std::make_shared<calls::RelaySession>(std::make_shared<RecordingPeer>(events_), resolver_,
                                              sink_, scheduler_, logger_, clock_, options);
    return session;
  }
  static calls::RelaySessionOptions Unpaced() {
    calls::RelaySessionOptions o;
    o.words_per_second = 0;
    return o;
  }
  static std::string Setup(const std::string& call_sid = "CA123") {
    return json{{"type", "setup"},       {"sessionId", "VX1"},
                {"callSid", call_sid},   {"from", "+919800000001"},
                {"to", "+919800000002"}, {"customParameters", {{"attempt", "42"}}}}
        .dump();
  }
  static std::string Prompt(const std::string& text) {
    return json{{"type", "prompt"}, {"voicePrompt", text}, {"lang", "en-IN"}, {"last", true}}
        .dump();
  }

  core::ManualClock clock_{1'700'000'000'000};
  std::ostringstream log_stream_;
  core::Logger logger_;
  EventLog events_;
  FakeSink sink_;
  conversation::AgentTurn opening_ =
      Turn({"Hello, this is Asha from Acme Bank.", "This call is recorded. Is this a good time?"});
  std::map<std::string, conversation::AgentTurn> replies_;
  conversation::AgentTurn fallback_ = Turn({"Sorry, could you say that again?"});
  std::vector<std::string> heard_;
  FakeResolver resolver_;
  std::shared_ptr<ManualScheduler> scheduler_ = std::make_shared<ManualScheduler>();
};

TEST(RelayTokens, SplitsOnWordBoundariesIntoThreeToSixWords) {
  std::vector<std::string> tokens = calls::SplitIntoTokens(
      {"one two three four five six seven", "  eight   nine\tten  ", "", kLongLine});
  std::string joined;
  for (size_t i = 0; i < tokens.size(); ++i) {
    joined += tokens[i];
    std::istringstream words(tokens[i]);
    size_t n = 0;
    for (std::string w; words >> w;) ++n;
    if (i != 1) {  // "eight nine ten" is a whole three-word line
      EXPECT_GE(n, 3u) << tokens[i];
    }
    EXPECT_LE(n, 6u) << tokens[i];
  }
  EXPECT_EQ(joined, "one two three four five six seven eight nine ten " + kLongLine);
  EXPECT_NE(tokens.back().back(), ' ');  // no trailing space at the end of the turn
  EXPECT_TRUE(calls::SplitIntoTokens({"", "  "}).empty());
}

TEST(RelayTokens, MapsEngineLanguagesToProviderTags) {
  EXPECT_EQ(calls::RelayLanguageTag("en"), "en-IN");
  EXPECT_EQ(calls::RelayLanguageTag("hi"), "hi-IN");
  EXPECT_EQ(calls::RelayLanguageTag("en-US"), "en-US");
}

TEST_F(RelaySessionTest, SetupStreamsTheOpeningAsTokensEndingWithLast) {
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  ASSERT_EQ(resolver_.call_sids, std::vector<std::string>{"CA123"});
  EXPECT_EQ(resolver_.custom_parameters[0]["attempt"], "42");
  auto sent = Sent(events_);
  ASSERT_GE(sent.size(), 3u);
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i]["type"], "text");
    EXPECT_EQ(sent[i]["lang"], "en-IN");
    EXPECT_EQ(sent[i]["interruptible"], true);
    EXPECT_EQ(sent[i]["last"], i + 1 == sent.size()) << i;
  }
  EXPECT_EQ(Joined(sent),
            "Hello, this is Asha from Acme Bank. This call is recorded. Is this a good time?");
  EXPECT_EQ(events_.Count("ended"), 0);
}

TEST_F(RelaySessionTest, PromptIsHeardAndAnsweredAndTranscribedInOrder) {
  conversation::AgentTurn reply = Turn({"Great, let me tell you more."});
  reply.intent = "affirm";
  reply.callee_language = "en";
  replies_["yes sure"] = reply;
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  size_t greeting = Sent(events_).size();
  session->OnMessage(json{{"type", "prompt"}, {"voicePrompt", "yes"}, {"last", false}}.dump());
  EXPECT_EQ(Sent(events_).size(), greeting) << "a partial prompt gets no reply";
  session->OnMessage(Prompt("yes sure"));
  EXPECT_EQ(heard_, std::vector<std::string>{"yes sure"});
  auto sent = Sent(events_);
  std::vector<json> reply_tokens(sent.begin() + greeting, sent.end());
  EXPECT_EQ(Joined(reply_tokens), "Great, let me tell you more.");
  EXPECT_EQ(reply_tokens.back()["last"], true);

  std::vector<std::string> transcript;
  for (const auto& e : events_.Events()) {
    if (e.rfind("transcript:", 0) == 0) transcript.push_back(e);
  }
  ASSERT_EQ(transcript.size(), 2u);
  EXPECT_EQ(transcript[0],
            "transcript:agent:Hello, this is Asha from Acme Bank. This call is recorded. Is this "
            "a good time?|en||42");
  EXPECT_EQ(transcript[1], "transcript:callee:yes sure|en|affirm|42");
}

TEST_F(RelaySessionTest, OptOutIsWrittenBeforeTheGoodbyeIsSentAndTheCallEnds) {
  replies_["stop calling me"] = OptOutGoodbye();
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  session->OnMessage(Prompt("stop calling me"));
  std::vector<std::string> events = events_.Events();
  auto before = std::find(events.begin(), events.end(), "before:add_do_not_call:42");
  ASSERT_NE(before, events.end());
  auto goodbye = std::find_if(events.begin(), events.end(), [](const std::string& e) {
    return e.find("Understood") != std::string::npos && e.rfind("send:", 0) == 0;
  });
  ASSERT_NE(goodbye, events.end());
  EXPECT_LT(before, goodbye);

  auto sent = Sent(events_);
  json end = sent.back();
  ASSERT_EQ(end["type"], "end");
  json handoff = json::parse(end["handoffData"].get<std::string>());
  EXPECT_EQ(handoff["reason"], "completed");
  EXPECT_EQ(handoff["disposition"], "opted_out");
  EXPECT_EQ(handoff["attempt_id"], 42);
  EXPECT_EQ(sent[sent.size() - 2]["last"], true);
  EXPECT_EQ(events_.Count("ended:completed:opted_out:42"), 1);
  // The goodbye's transcript line is written before the call is reported ended.
  events = events_.Events();
  EXPECT_EQ(events.back(), "ended:completed:opted_out:42");
  EXPECT_EQ(events[events.size() - 2],
            "transcript:agent:Understood, we will not call you again. Goodbye.|en||42");

  session->OnMessage(Prompt("hello?"));  // after the end: ignored
  EXPECT_EQ(heard_.size(), 1u);
  session->OnClose();
  EXPECT_EQ(events_.Count("ended:"), 1);
}

TEST_F(RelaySessionTest, FailedActionIsNotSpokenAsDoneButApologisedFor) {
  replies_["stop calling me"] = OptOutGoodbye();
  sink_.fail_actions = true;
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  size_t greeting = Sent(events_).size();
  session->OnMessage(Prompt("stop calling me"));
  auto sent = Sent(events_);
  std::vector<json> after(sent.begin() + greeting, sent.end());
  EXPECT_EQ(Joined(after).find("Understood"), std::string::npos);
  EXPECT_NE(Joined(after).find("technical problem"), std::string::npos);
  ASSERT_EQ(after.back()["type"], "end");
  json handoff = json::parse(after.back()["handoffData"].get<std::string>());
  EXPECT_EQ(handoff["reason"], "action_failed");
  // The callee's refusal stands even though writing it failed: never re-dial an opt-out.
  EXPECT_EQ(events_.Count("ended:action_failed:opted_out:42"), 1);
}

TEST_F(RelaySessionTest, TransferEndsWithLiveAgentHandoff) {
  conversation::AgentTurn transfer = Turn({"Connecting you to my colleague now."});
  transfer.action = "transfer";
  transfer.transfer_to = "+919812345678";
  transfer.disposition = dialer::Disposition::kTransferred;
  replies_["talk to a person"] = transfer;
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  session->OnMessage(Prompt("talk to a person"));
  EXPECT_EQ(events_.Count("before:transfer:42"), 1);
  json end = Sent(events_).back();
  ASSERT_EQ(end["type"], "end");
  json handoff = json::parse(end["handoffData"].get<std::string>());
  EXPECT_EQ(handoff["reasonCode"], "live-agent-handoff");
  EXPECT_EQ(handoff["reason"], "transfer");
  EXPECT_EQ(handoff["transfer_to"], "+919812345678");
  EXPECT_EQ(handoff["disposition"], "transferred");
  EXPECT_EQ(events_.Count("ended:transfer:transferred:42"), 1);
}

TEST_F(RelaySessionTest, LanguageSwitchPrecedesTheTextInTheNewLanguage) {
  replies_["hindi mein baat karo"] = Turn({"ज़रूर, हम हिंदी में बात करते हैं।"}, "hi");
  replies_["back to english"] = Turn({"Sure, English it is."}, "en");
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  size_t greeting = Sent(events_).size();
  session->OnMessage(Prompt("hindi mein baat karo"));
  auto sent = Sent(events_);
  ASSERT_GT(sent.size(), greeting + 1);
  EXPECT_EQ(sent[greeting]["type"], "language");
  EXPECT_EQ(sent[greeting]["ttsLanguage"], "hi-IN");
  EXPECT_EQ(sent[greeting]["transcriptionLanguage"], "hi-IN");
  EXPECT_EQ(sent[greeting + 1]["lang"], "hi-IN");
  size_t hindi_end = sent.size();
  session->OnMessage(Prompt("hindi mein baat karo"));  // same language: no switch
  sent = Sent(events_);
  EXPECT_EQ(sent[hindi_end]["type"], "text");
  size_t second_end = sent.size();
  session->OnMessage(Prompt("back to english"));
  sent = Sent(events_);
  EXPECT_EQ(sent[second_end]["type"], "language");
  EXPECT_EQ(sent[second_end]["ttsLanguage"], "en-IN");
}

TEST_F(RelaySessionTest, PacedTurnReleasesTokensAsTheSpeechAdvances) {
  opening_ = Turn({kLongLine});
  calls::RelaySessionOptions options;
  options.words_per_second = 2;
  options.lead_words = 8;
  auto session = Start(options);
  session->OnMessage(Setup());
  size_t first = Sent(events_).size();
  size_t total = calls::SplitIntoTokens({kLongLine}).size();
  ASSERT_GE(first, 1u);
  EXPECT_LT(first, total) << "a long turn is not sent all at once";
  EXPECT_LE(Joined(Sent(events_)).size(), kLongLine.size() / 2);
  scheduler_->Advance(60'000);
  auto sent = Sent(events_);
  ASSERT_EQ(sent.size(), total);
  EXPECT_EQ(Joined(sent), kLongLine);
  EXPECT_EQ(sent.back()["last"], true);
}

TEST_F(RelaySessionTest, InterruptStopsTheRestOfTheTurnAndRecordsWhatWasHeard) {
  opening_ = Turn({kLongLine});
  replies_["I already have one"] = Turn({"Oh, I see. Thank you for telling me."});
  calls::RelaySessionOptions options;
  options.words_per_second = 2;
  options.lead_words = 8;
  auto session = Start(options);
  session->OnMessage(Setup());
  scheduler_->Advance(2'000);
  size_t before_interrupt = Sent(events_).size();
  ASSERT_LT(before_interrupt, calls::SplitIntoTokens({kLongLine}).size());
  session->OnMessage(json{
      {"type", "interrupt"},
      {"utteranceUntilInterrupt", "Before we go on I would"},
      {"durationUntilInterruptMs",
       1500}}.dump());
  EXPECT_EQ(events_.Count("transcript:agent:Before we go on I would|en||42"), 1);
  scheduler_->Advance(120'000);
  auto sent = Sent(events_);
  EXPECT_EQ(sent.size(), before_interrupt) << "no token of the interrupted turn after barge-in";
  for (const auto& m : sent) EXPECT_EQ(m["last"], false);

  session->OnMessage(Prompt("I already have one"));
  sent = Sent(events_);
  std::vector<json> reply(sent.begin() + before_interrupt, sent.end());
  EXPECT_EQ(Joined(reply), "Oh, I see. Thank you for telling me.");
  // The interrupted turn's line was written once, with what was heard, not again.
  EXPECT_EQ(events_.Count("transcript:agent:"), 1);
}

TEST_F(RelaySessionTest, PacedGoodbyeEndsAfterItsSpeechAndAnInterruptEndsAtOnce) {
  replies_["stop calling me"] = OptOutGoodbye();
  calls::RelaySessionOptions options;
  options.words_per_second = 2;
  options.lead_words = 20;
  auto session = Start(options);
  session->OnMessage(Setup());
  scheduler_->Advance(60'000);
  session->OnMessage(Prompt("stop calling me"));
  auto sent = Sent(events_);
  EXPECT_EQ(sent.back()["type"], "text");
  EXPECT_EQ(sent.back()["last"], true);
  EXPECT_EQ(events_.Count("ended:"), 0) << "the end waits for the goodbye to be spoken";
  session->OnMessage(json{{"type", "interrupt"}, {"utteranceUntilInterrupt", "Understood"}}.dump());
  sent = Sent(events_);
  ASSERT_EQ(sent.back()["type"], "end");
  EXPECT_EQ(events_.Count("ended:completed:opted_out:42"), 1);
  scheduler_->Advance(60'000);
  EXPECT_EQ(Sent(events_).size(), sent.size());
  EXPECT_EQ(events_.Count("ended:"), 1);
}

TEST_F(RelaySessionTest, DtmfIsHeardAsDigits) {
  replies_["#1"] = Turn({"You pressed one."});
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  session->OnMessage(json{{"type", "dtmf"}, {"digit", "1"}}.dump());
  EXPECT_EQ(heard_, std::vector<std::string>{"#1"});
  EXPECT_EQ(Joined(Sent(events_)).substr(Joined(Sent(events_)).size() - 16), "You pressed one.");
  EXPECT_EQ(events_.Count("transcript:callee:[dtmf 1]"), 1);
}

TEST_F(RelaySessionTest, MalformedAndUnknownMessagesAreIgnored) {
  auto session = Start(Unpaced());
  session->OnMessage("{not json");
  session->OnMessage("[1,2]");
  session->OnMessage(R"({"type":42})");
  session->OnMessage(R"({"type":"mystery","token":"secret"})");
  EXPECT_TRUE(Sent(events_).empty());
  session->OnMessage(Setup());
  size_t greeting = Sent(events_).size();
  EXPECT_GT(greeting, 0u);
  session->OnMessage(R"({"type":"prompt","voicePrompt":5})");  // wrong field type: silence
  session->OnMessage("\xff\xfe");
  session->OnMessage(Prompt("hello"));
  EXPECT_EQ(heard_, (std::vector<std::string>{"", "hello"}));
  EXPECT_EQ(log_stream_.str().find("secret"), std::string::npos);
  EXPECT_EQ(events_.Count("close"), 0);
}

TEST_F(RelaySessionTest, PromptBeforeSetupEndsTheSessionWithAnError) {
  auto session = Start(Unpaced());
  session->OnMessage(Prompt("hello"));
  auto sent = Sent(events_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["type"], "end");
  EXPECT_EQ(json::parse(sent[0]["handoffData"].get<std::string>())["reason"], "protocol_error");
  EXPECT_EQ(events_.Count("close"), 1);
  EXPECT_TRUE(heard_.empty());
  session->OnMessage(Setup());  // too late
  EXPECT_TRUE(resolver_.call_sids.empty());
  session->OnClose();
  EXPECT_EQ(events_.Count("ended:"), 0);  // no call was bound
}

TEST_F(RelaySessionTest, UnknownCallIsRefused) {
  auto session = Start(Unpaced());
  session->OnMessage(Setup("CAunknown"));
  auto sent = Sent(events_);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(json::parse(sent[0]["handoffData"].get<std::string>())["reason"], "unknown_call");
  EXPECT_EQ(events_.Count("close"), 1);
}

TEST_F(RelaySessionTest, ProviderErrorEndsPolitely) {
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  session->OnMessage(json{{"type", "error"}, {"description", "Invalid message received"}}.dump());
  auto sent = Sent(events_);
  ASSERT_EQ(sent.back()["type"], "end");
  EXPECT_NE(Joined(sent).find("technical problem"), std::string::npos);
  EXPECT_EQ(json::parse(sent.back()["handoffData"].get<std::string>())["reason"], "provider_error");
  EXPECT_EQ(events_.Count("ended:provider_error:none:42"), 1);
}

TEST_F(RelaySessionTest, ConnectionLostMidCallIsReportedOnce) {
  conversation::AgentTurn reply = Turn({"Wonderful."});
  reply.disposition = dialer::Disposition::kInterested;
  replies_["yes"] = reply;
  auto session = Start(Unpaced());
  session->OnMessage(Setup());
  session->OnMessage(Prompt("yes"));
  session->OnClose();
  session->OnClose();
  EXPECT_EQ(events_.Count("ended:"), 1);
  EXPECT_EQ(events_.Count("ended:connection_closed:interested:42"), 1);
  EXPECT_EQ(events_.Count("transcript:agent:Wonderful.|en||42"), 1);
  session->OnMessage(Prompt("hello"));
  EXPECT_EQ(heard_.size(), 1u);
}

// ---- over a real server and the simulator's WebSocket client ----

class RelayOverServerTest : public RelaySessionTest {
 protected:
  void Serve(calls::RelaySessionOptions options) {
    router_.AddWebSocket(
        {"GET", "/relay", "public", "ConversationRelay"},
        calls::MakeRelayWebSocketRoute(
            resolver_, sink_,
            [](const http::Request& r) { return r.Header("x-twilio-signature") == "good"; },
            logger_, clock_, options, scheduler_));
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 2;
    server_options.shutdown_grace_seconds = 2;
    server_ = std::make_unique<http::Server>(server_options, router_, logger_, metrics_);
    auto port = server_->Listen();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~RelayOverServerTest() override {
    if (server_) {
      server_->Shutdown();
      thread_.join();
    }
  }
  std::unique_ptr<sim::RelayClient> Connect(const std::string& signature = "good") {
    auto client = sim::RelayClient::Connect("ws://127.0.0.1:" + std::to_string(port_) + "/relay",
                                            {{"X-Twilio-Signature", signature}}, 5000);
    EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
    return client.ok() ? std::move(*client) : nullptr;
  }
  static json Next(sim::RelayClient& client) {
    auto message = client.Receive(10'000);
    if (!message.ok() || !message->has_value()) {
      ADD_FAILURE() << "no message";
      return json();
    }
    return json::parse(**message);
  }
  // Reads text tokens up to and including the one with last:true.
  static std::string ReadTurn(sim::RelayClient& client, std::vector<json>* messages = nullptr) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      json m = Next(client);
      if (messages) messages->push_back(m);
      if (m.is_null()) break;
      if (m["type"] == "text") text += m["token"].get<std::string>();
      if (m["type"] == "text" && m["last"] == true) break;
    }
    return text;
  }

  http::Router router_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(RelayOverServerTest, GreetingThenPromptAndReply) {
  replies_["yes"] = Turn({"Great, here is what we offer."});
  Serve(Unpaced());
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(Setup()).ok());
  EXPECT_EQ(ReadTurn(*client),
            "Hello, this is Asha from Acme Bank. This call is recorded. Is this a good time?");
  ASSERT_TRUE(client->Send(Prompt("yes")).ok());
  EXPECT_EQ(ReadTurn(*client), "Great, here is what we offer.");
  client->Close();
  EXPECT_TRUE(events_.WaitFor("ended:connection_closed"));
}

TEST_F(RelayOverServerTest, InterruptLeavesTheRestOfALongTurnUnsent) {
  opening_ = Turn({kLongLine, kLongLine});
  replies_["no thanks"] = Turn({"All right, thank you for your time."});
  calls::RelaySessionOptions options;
  options.words_per_second = 2;
  options.lead_words = 6;
  Serve(options);
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(Setup()).ok());
  json first = Next(*client);
  ASSERT_EQ(first["type"], "text");
  EXPECT_EQ(first["last"], false);
  ASSERT_TRUE(client
                  ->Send(json{
                      {"type", "interrupt"},
                      {"utteranceUntilInterrupt", "Before we go"},
                      {"durationUntilInterruptMs",
                       900}}.dump())
                  .ok());
  ASSERT_TRUE(events_.WaitFor("transcript:agent:Before we go|"));
  scheduler_->Advance(600'000);  // long past the end of the interrupted turn
  ASSERT_TRUE(client->Send(Prompt("no thanks")).ok());
  // Whatever was already on the wire before the interrupt was processed (the lead words)
  // may still arrive; nothing released after it may, so the reply's first token is next
  // once those are read, and the interrupted turn never reaches last:true.
  std::vector<json> messages;
  std::string text = ReadTurn(*client, &messages);
  EXPECT_NE(text.find("All right, thank you for your time."), std::string::npos);
  std::string leftover = text.substr(0, text.find("All right"));
  EXPECT_LT(leftover.size(), kLongLine.size() / 2);
  EXPECT_EQ(events_.Count("transcript:agent:"), 1);
  EXPECT_EQ(heard_, std::vector<std::string>{"no thanks"});
}

TEST_F(RelayOverServerTest, OptOutGoodbyeThenEndWithHandoffData) {
  replies_["stop calling me"] = OptOutGoodbye();
  Serve(Unpaced());
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(Setup()).ok());
  ReadTurn(*client);
  ASSERT_TRUE(client->Send(Prompt("stop calling me")).ok());
  std::string goodbye = ReadTurn(*client);
  EXPECT_EQ(goodbye, "Understood, we will not call you again. Goodbye.");
  // The action was carried out before the first goodbye token was sent, hence before
  // it was received.
  EXPECT_EQ(events_.Count("before:add_do_not_call:42"), 1);
  json end = Next(*client);
  ASSERT_EQ(end["type"], "end");
  json handoff = json::parse(end["handoffData"].get<std::string>());
  EXPECT_EQ(handoff["disposition"], "opted_out");
  EXPECT_TRUE(events_.WaitFor("ended:completed:opted_out:42"));
  client->Close();
  EXPECT_EQ(events_.Count("ended:"), 1);
}

TEST_F(RelayOverServerTest, UnsignedUpgradeIsRefusedWith403) {
  Serve(Unpaced());
  auto client = sim::RelayClient::Connect("ws://127.0.0.1:" + std::to_string(port_) + "/relay",
                                          {{"X-Twilio-Signature", "forged"}}, 5000);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(client.error().message.find("403"), std::string::npos);
  auto unsigned_client =
      sim::RelayClient::Connect("ws://127.0.0.1:" + std::to_string(port_) + "/relay", {}, 5000);
  EXPECT_FALSE(unsigned_client.ok());
  EXPECT_TRUE(resolver_.call_sids.empty());
}

TEST_F(RelayOverServerTest, MalformedJsonDoesNotEndTheSession) {
  Serve(Unpaced());
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("{{{").ok());
  ASSERT_TRUE(client->Send(R"({"type":"nonsense"})").ok());
  ASSERT_TRUE(client->Send(Setup()).ok());
  EXPECT_FALSE(ReadTurn(*client).empty());
  ASSERT_TRUE(client->Send("not json at all").ok());
  ASSERT_TRUE(client->Send(Prompt("anything")).ok());
  EXPECT_EQ(ReadTurn(*client), "Sorry, could you say that again?");
}

TEST_F(RelayOverServerTest, AbruptDropReportsEndedOnce) {
  Serve(Unpaced());
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(Setup()).ok());
  ReadTurn(*client);
  client->Abort();
  EXPECT_TRUE(events_.WaitFor("ended:connection_closed:none:42"));
  client.reset();
  server_->Shutdown();
  thread_.join();
  server_.reset();
  EXPECT_EQ(events_.Count("ended:"), 1);
}

}  // namespace
}  // namespace vaarta::testing
