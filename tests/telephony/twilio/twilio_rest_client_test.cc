#include "telephony/twilio/twilio_rest_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

#include "sim/sim_rest_test_server.h"
#include "telephony/circuit_breaker.h"

namespace vaarta::telephony::twilio {
namespace {

using sim::kTestAccountSid;
using sim::kTestAuthToken;

// Records the waits between retries instead of sleeping, and can run an action at each
// (to end an injected fault once the client has backed off).
class FakeSleep {
 public:
  SleepFunction Function() {
    return [this](int64_t millis) {
      std::function<void()> action;
      {
        std::lock_guard lock(mutex_);
        sleeps_.push_back(millis);
        action = on_sleep_;
      }
      if (action) action();
    };
  }
  void OnSleep(std::function<void()> action) { on_sleep_ = std::move(action); }
  std::vector<int64_t> sleeps() const {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<int64_t> sleeps_;
  std::function<void()> on_sleep_;
};

TwilioRestConfig ConfigFor(const std::string& base_url) {
  TwilioRestConfig config;
  config.api_base_url = base_url;
  config.account_sid = kTestAccountSid;
  config.auth_token = kTestAuthToken;
  config.max_retries = 3;
  config.backoff_base_ms = 100;
  config.backoff_max_ms = 1000;
  return config;
}

CreateCallRequest ACall() {
  CreateCallRequest call;
  call.to = "+919812345678";
  call.from = "+14155550100";
  call.url = "https://vaarta.example/voice?lead=1&x=a b";
  call.method = "POST";
  call.status_callback = "https://vaarta.example/status";
  call.status_callback_events = {"initiated", "ringing", "answered", "completed"};
  call.status_callback_method = "POST";
  call.timeout_seconds = 30;
  call.time_limit_seconds = 900;
  call.record = true;
  call.recording_channels = "dual";
  call.recording_status_callback = "https://vaarta.example/recording";
  call.machine_detection = "DetectMessageEnd";
  call.async_amd = true;
  call.async_amd_status_callback = "https://vaarta.example/amd";
  return call;
}

sim::SimFaults Faults(double rate_429, double rate_5xx) {
  sim::SimFaults faults;
  faults.rest_429_rate = rate_429;
  faults.rest_5xx_rate = rate_5xx;
  return faults;
}

sim::SimRestApiOptions Only500s() {
  sim::SimRestApiOptions options;
  options.rest_503_share = 0;
  return options;
}

TEST(TwilioRestClient, CreatesACallWithEveryParameterTheSimulatorUnderstands) {
  sim::SimRestTestServer server;
  FakeSleep sleep;
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->status, "queued");
  EXPECT_EQ(call->sid.substr(0, 2), "CA");
  EXPECT_EQ(call->account_sid, kTestAccountSid);
  EXPECT_EQ(call->date_created, "Tue, 10 Aug 2010 08:02:17 +0000");
  EXPECT_FALSE(call->duration_seconds.has_value());

  auto created = server.engine().created();
  ASSERT_EQ(created.size(), 1u);
  const sim::CreateCallParams& p = created[0];
  EXPECT_EQ(p.url, "https://vaarta.example/voice?lead=1&x=a b");
  EXPECT_EQ(p.status_callback_events,
            (std::set<std::string>{"initiated", "ringing", "answered", "completed"}));
  EXPECT_EQ(p.timeout_seconds, 30);
  EXPECT_EQ(p.time_limit_seconds, 900);
  EXPECT_TRUE(p.record);
  EXPECT_EQ(p.recording_channels, "dual");
  EXPECT_EQ(p.recording_status_callback, "https://vaarta.example/recording");
  EXPECT_EQ(p.machine_detection, "DetectMessageEnd");
  EXPECT_TRUE(p.async_amd);
  EXPECT_EQ(p.async_amd_status_callback, "https://vaarta.example/amd");
  EXPECT_TRUE(sleep.sleeps().empty());
}

TEST(TwilioRestClient, SendsStatusCallbackEventOncePerEvent) {
  auto form = ACall().ToForm();
  std::vector<std::string> events;
  for (const auto& [name, value] : form) {
    if (name == "StatusCallbackEvent") events.push_back(value);
  }
  EXPECT_EQ(events, (std::vector<std::string>{"initiated", "ringing", "answered", "completed"}));
  CreateCallRequest bare;
  bare.to = "+1";
  for (const auto& [name, value] : bare.ToForm()) EXPECT_EQ(name, "To");
}

TEST(TwilioRestClient, AuthenticatesWithAnApiKeyPair) {
  sim::SimRestTestServer server;
  auto config = ConfigFor(server.base_url());
  config.auth_token = "not-used-with-a-key";
  config.api_key_sid = sim::kTestKeySid;
  config.api_key_secret = sim::kTestKeySecret;
  TwilioRestClient client(config, FakeSleep().Function());
  EXPECT_TRUE(client.CreateCall(ACall()).ok());
}

TEST(TwilioRestClient, RefusedCredentialsAreAnAccountLevelAuthFailure) {
  sim::SimRestTestServer server;
  auto config = ConfigFor(server.base_url());
  config.auth_token = "wrong";
  FakeSleep sleep;
  TwilioRestClient client(config, sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderAuth);
  EXPECT_EQ(call.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_TRUE(IsAccountLevelFailure(call.error()));
  EXPECT_NE(call.error().message.find("20003"), std::string::npos);
  EXPECT_NE(call.error().message.find("https://www.twilio.com/docs/errors/20003"),
            std::string::npos);
  EXPECT_TRUE(sleep.sleeps().empty());  // not retried
  EXPECT_TRUE(server.engine().created().empty());
}

TEST(TwilioRestClient, AnInvalidNumberRejectsOnlyThisCall) {
  sim::SimRestTestServer server;
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  auto request = ACall();
  request.to = "98123";
  auto call = client.CreateCall(request);
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderRejected);
  EXPECT_FALSE(IsAccountLevelFailure(call.error()));
  EXPECT_NE(call.error().message.find("Twilio error 21211"), std::string::npos);
}

TEST(TwilioRestClient, GeoPermissionRefusalsAreAccountLevel) {
  sim::SimRestTestServer server;
  server.engine().FailCreate(core::MakeError(
      core::ErrorCode::kInvalidArgument,
      "Account not authorized to call +919812345678. Perhaps you need to enable some "
      "international permissions",
      "21215"));
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  auto call = client.CreateCall(ACall());
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderPermission);
  EXPECT_TRUE(IsAccountLevelFailure(call.error()));
  EXPECT_NE(call.error().message.find("21215"), std::string::npos);
}

TEST(TwilioRestClient, Retries429AfterTheRetryAfterItWasGiven) {
  sim::SimRestTestServer server(Faults(1, 0));
  FakeSleep sleep;
  sleep.OnSleep([&] { server.api().SetFaults({}); });
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_TRUE(call.ok()) << call.error().message;
  ASSERT_EQ(sleep.sleeps().size(), 1u);
  EXPECT_GE(sleep.sleeps()[0], 1000);  // Retry-After: 1
  EXPECT_EQ(server.engine().created().size(), 1u);
  EXPECT_EQ(server.api().injected_429(), 1);
}

TEST(TwilioRestClient, GivesUpOnPersistent429sAsRateLimited) {
  sim::SimRestTestServer server(Faults(1, 0));
  FakeSleep sleep;
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderRateLimited);
  EXPECT_EQ(call.error().code, core::ErrorCode::kRateLimited);
  EXPECT_NE(call.error().message.find("20429"), std::string::npos);
  EXPECT_NE(call.error().message.find("after 4 attempts"), std::string::npos);
  EXPECT_EQ(sleep.sleeps().size(), 3u);
  EXPECT_EQ(server.api().injected_429(), 4);
  EXPECT_TRUE(server.engine().created().empty());
}

TEST(TwilioRestClient, DoesNotWaitForARetryAfterBeyondItsLimit) {
  sim::SimRestApiOptions options;
  options.retry_after_seconds = 60;
  sim::SimRestTestServer server(Faults(1, 0), options);
  FakeSleep sleep;
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.FetchCall("CA00000000000000000000000000000001");
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderRateLimited);
  EXPECT_TRUE(sleep.sleeps().empty());
}

TEST(TwilioRestClient, RetriesReadsAfterA500) {
  sim::SimRestTestServer server({}, Only500s());
  TwilioRestClient setup(ConfigFor(server.base_url()), FakeSleep().Function());
  auto placed = setup.CreateCall(ACall());
  ASSERT_TRUE(placed.ok());
  server.api().SetFaults(Faults(0, 1));
  FakeSleep sleep;
  sleep.OnSleep([&] { server.api().SetFaults({}); });
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.FetchCall(placed->sid);
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->sid, placed->sid);
  EXPECT_EQ(sleep.sleeps().size(), 1u);
  EXPECT_EQ(server.api().injected_5xx(), 1);
}

TEST(TwilioRestClient, NeverRepeatsACreateCallAnswered500) {
  sim::SimRestTestServer server(Faults(0, 1), Only500s());
  FakeSleep sleep;
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderUnavailable);
  EXPECT_NE(call.error().message.find("not repeated"), std::string::npos);
  EXPECT_TRUE(sleep.sleeps().empty());
  EXPECT_EQ(server.api().injected_5xx(), 1);
}

TEST(TwilioRestClient, RetriesACreateCallAnswered503) {
  sim::SimRestApiOptions options;
  options.rest_503_share = 1;
  sim::SimRestTestServer server(Faults(0, 1), options);
  FakeSleep sleep;
  sleep.OnSleep([&] { server.api().SetFaults({}); });
  TwilioRestClient client(ConfigFor(server.base_url()), sleep.Function());
  auto call = client.CreateCall(ACall());
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(sleep.sleeps().size(), 1u);
  EXPECT_EQ(server.engine().created().size(), 1u);  // one call, not two
}

TEST(TwilioRestClient, RetriesACreateCallThatNeverConnectedWithGrowingJitteredBackoff) {
  // A bound socket that does not listen: connecting to it is refused.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);

  FakeSleep sleep;
  TwilioRestClient client(ConfigFor("http://127.0.0.1:" + std::to_string(port)), sleep.Function());
  auto call = client.CreateCall(ACall());
  ::close(fd);
  ASSERT_FALSE(call.ok());
  EXPECT_EQ(call.error().detail_code, kProviderUnavailable);
  auto sleeps = sleep.sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_GE(sleeps[i], 0);
    EXPECT_LE(sleeps[i], std::min<int64_t>(1000, 100 << i)) << i;
  }
}

TEST(TwilioRestClient, ProviderFailuresOpenTheAccountsCircuitBreaker) {
  sim::SimRestTestServer server(Faults(0, 1), Only500s());
  core::ManualClock clock(1'700'000'000'000);
  CircuitBreaker breaker("Twilio account " + std::string(kTestAccountSid), {3, 30'000, 1}, clock);
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(breaker.Allow().ok()) << i;
    breaker.Record(client.CreateCall(ACall()));
  }
  auto refused = breaker.Allow();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().detail_code, kProviderCircuitOpen);
  EXPECT_NE(refused.error().message.find("20500"), std::string::npos);  // the last failure
  EXPECT_EQ(server.api().injected_5xx(), 3);

  server.api().SetFaults({});
  clock.Advance(30'000);
  ASSERT_TRUE(breaker.Allow().ok());  // the half-open probe
  breaker.Record(client.CreateCall(ACall()));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_EQ(server.engine().created().size(), 1u);
}

TEST(TwilioRestClient, HangsUpAndRedirectsCalls) {
  sim::SimRestTestServer server;
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  auto call = client.CreateCall(ACall());
  ASSERT_TRUE(call.ok());
  UpdateCallRequest redirect;
  redirect.url = "https://vaarta.example/next";
  ASSERT_TRUE(client.UpdateCall(call->sid, redirect).ok());
  UpdateCallRequest hang_up;
  hang_up.status = "completed";
  auto ended = client.UpdateCall(call->sid, hang_up);
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->status, "completed");
  EXPECT_EQ(ended->duration_seconds, 5);
  auto updates = server.engine().updates();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].url, "https://vaarta.example/next");
  EXPECT_EQ(updates[1].status, "completed");

  auto missing = client.FetchCall("CA0000000000000000000000000000dead");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().detail_code, kProviderNotFound);
  auto bad_sid = client.FetchCall("../Messages");
  ASSERT_FALSE(bad_sid.ok());
  EXPECT_EQ(bad_sid.error().detail_code, kProviderRejected);
}

TEST(TwilioRestClient, ListsFetchesDownloadsAndDeletesRecordings) {
  sim::SimRestTestServer server;
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  auto call = client.CreateCall(ACall());
  ASSERT_TRUE(call.ok());
  const std::string rec = server.engine().AddRecording(kTestAccountSid, call->sid);

  auto listed = client.ListRecordings(call->sid);
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].sid, rec);
  EXPECT_EQ((*listed)[0].channels, 2);
  EXPECT_EQ((*listed)[0].duration_seconds, 42);

  auto fetched = client.FetchRecording(rec);
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->call_sid, call->sid);
  EXPECT_EQ(fetched->status, "completed");

  auto media = client.DownloadRecordingMedia(rec);
  ASSERT_TRUE(media.ok()) << media.error().message;
  EXPECT_EQ(media->content_type, "audio/x-wav");
  EXPECT_EQ(media->bytes.substr(0, 4), "RIFF");
  EXPECT_NE(media->bytes.find(rec), std::string::npos);

  EXPECT_TRUE(client.DeleteRecording(rec).ok());
  auto again = client.DeleteRecording(rec);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().detail_code, kProviderNotFound);
}

TEST(TwilioRestClient, SendsAnSms) {
  sim::SimRestTestServer server;
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  auto message = client.SendMessage("+919812345678", "+14155550100", "Aapka appointment kal hai",
                                    "https://vaarta.example/sms-status");
  ASSERT_TRUE(message.ok()) << message.error().message;
  EXPECT_EQ(message->sid.substr(0, 2), "SM");
  EXPECT_EQ(message->body, "Aapka appointment kal hai");
  ASSERT_EQ(server.engine().messages().size(), 1u);
}

TEST(TwilioRestClient, ServesSeveralThreadsAtOnce) {
  sim::SimRestTestServer server;
  TwilioRestClient client(ConfigFor(server.base_url()), FakeSleep().Function());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (client.CreateCall(ACall()).ok()) ok++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(server.engine().created().size(), 40u);
}

TEST(TwilioErrorMapping, ClassifiesTwilioCodesAndStatuses) {
  auto classify = [](int status, int code) { return ClassifyTwilioError({status, code, "", ""}); };
  EXPECT_EQ(classify(401, 20003), kProviderAuth);
  EXPECT_EQ(classify(401, 0), kProviderAuth);
  EXPECT_EQ(classify(401, 20005), kProviderAuth);
  EXPECT_EQ(classify(403, 20005), kProviderAccountSuspended);
  EXPECT_EQ(classify(400, 21215), kProviderPermission);
  EXPECT_EQ(classify(400, 13227), kProviderPermission);
  EXPECT_EQ(classify(400, 21210), kProviderPermission);
  EXPECT_EQ(classify(403, 0), kProviderPermission);
  EXPECT_EQ(classify(429, 20429), kProviderRateLimited);
  EXPECT_EQ(classify(503, 20503), kProviderUnavailable);
  EXPECT_EQ(classify(502, 0), kProviderUnavailable);
  EXPECT_EQ(classify(404, 20404), kProviderNotFound);
  EXPECT_EQ(classify(400, 21211), kProviderRejected);

  TwilioError parsed =
      ParseTwilioError(400, R"({"code":21211,"message":"Invalid 'To' Phone Number","more_info":)"
                            R"("https://www.twilio.com/docs/errors/21211","status":400})");
  EXPECT_EQ(parsed.code, 21211);
  EXPECT_EQ(parsed.more_info, "https://www.twilio.com/docs/errors/21211");
  EXPECT_EQ(ParseTwilioError(502, "<html>Bad Gateway</html>").message, "<html>Bad Gateway</html>");
}

}  // namespace
}  // namespace vaarta::telephony::twilio
