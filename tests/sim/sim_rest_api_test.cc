#include "sim/sim_rest_api.h"

#include <gtest/gtest.h>

#include "core/crypto.h"
#include "sim/sim_rest_test_server.h"
#include "test_support/http_client.h"

namespace vaarta::sim {
namespace {

std::map<std::string, std::string> Auth(const std::string& user, const std::string& password) {
  return {{"Authorization", "Basic " + core::Base64Encode(user + ":" + password)},
          {"Content-Type", "application/x-www-form-urlencoded"}};
}

std::string CallsPath(const std::string& account = kTestAccountSid) {
  return "/2010-04-01/Accounts/" + account + "/Calls.json";
}

const char* kValidCall =
    "To=%2B919812345678&From=%2B14155550100&Url=https%3A%2F%2Fexample.com%2Fvoice"
    "&StatusCallback=https%3A%2F%2Fexample.com%2Fstatus&StatusCallbackEvent=initiated"
    "&StatusCallbackEvent=ringing&StatusCallbackEvent=answered&StatusCallbackEvent=completed"
    "&StatusCallbackMethod=POST&Timeout=25&TimeLimit=900&Record=true&RecordingChannels=dual"
    "&MachineDetection=DetectMessageEnd&AsyncAmd=true"
    "&AsyncAmdStatusCallback=https%3A%2F%2Fexample.com%2Famd";

class SimRestApiTest : public ::testing::Test {
 protected:
  explicit SimRestApiTest(SimFaults faults = {}, SimRestApiOptions options = {})
      : server_(faults, options), client_("127.0.0.1", server_.port()) {}

  testing::HttpResult Post(const std::string& path, const std::string& body,
                           const std::string& user = kTestAccountSid,
                           const std::string& password = kTestAuthToken) {
    return client_.Request("POST", path, body, Auth(user, password));
  }
  testing::HttpResult Get(const std::string& path) {
    return client_.Request("GET", path, "", Auth(kTestAccountSid, kTestAuthToken));
  }

  SimRestTestServer server_;
  testing::HttpClient client_;
};

TEST_F(SimRestApiTest, CreatesACallWithEveryParameterAndAnswersInTwiliosShape) {
  auto r = Post(CallsPath(), kValidCall);
  ASSERT_EQ(r.status, 201) << r.body;
  auto json = r.Json();
  EXPECT_EQ(json["status"], "queued");
  EXPECT_EQ(json["account_sid"], kTestAccountSid);
  EXPECT_EQ(json["to"], "+919812345678");
  EXPECT_EQ(json["from"], "+14155550100");
  EXPECT_EQ(json["api_version"], "2010-04-01");
  EXPECT_EQ(json["direction"], "outbound-api");
  EXPECT_EQ(json["date_created"], "Tue, 10 Aug 2010 08:02:17 +0000");
  EXPECT_TRUE(json["duration"].is_null());
  EXPECT_TRUE(json["answered_by"].is_null());
  const std::string sid = json["sid"];
  EXPECT_EQ(json["uri"],
            "/2010-04-01/Accounts/" + std::string(kTestAccountSid) + "/Calls/" + sid + ".json");
  EXPECT_EQ(json["subresource_uris"]["recordings"], "/2010-04-01/Accounts/" +
                                                        std::string(kTestAccountSid) + "/Calls/" +
                                                        sid + "/Recordings.json");

  auto created = server_.engine().created();
  ASSERT_EQ(created.size(), 1u);
  const CreateCallParams& p = created[0];
  EXPECT_EQ(p.account_sid, kTestAccountSid);
  EXPECT_EQ(p.url, "https://example.com/voice");
  EXPECT_EQ(p.status_callback, "https://example.com/status");
  EXPECT_EQ(p.status_callback_events,
            (std::set<std::string>{"initiated", "ringing", "answered", "completed"}));
  EXPECT_EQ(p.timeout_seconds, 25);
  EXPECT_EQ(p.time_limit_seconds, 900);
  EXPECT_TRUE(p.record);
  EXPECT_EQ(p.recording_channels, "dual");
  EXPECT_EQ(p.machine_detection, "DetectMessageEnd");
  EXPECT_TRUE(p.async_amd);
  EXPECT_EQ(p.async_amd_status_callback, "https://example.com/amd");
}

TEST_F(SimRestApiTest, WrongCredentialsGetTwiliosAuthenticateError) {
  for (const auto& [user, password] :
       std::vector<std::pair<std::string, std::string>>{{kTestAccountSid, "wrong"},
                                                        {kTestKeySid, "wrong"},
                                                        {"ACnobody", "x"},
                                                        // valid, but another account's
                                                        {kOtherAccountSid, kOtherAuthToken}}) {
    auto r = Post(CallsPath(), kValidCall, user, password);
    EXPECT_EQ(r.status, 401) << user;
    EXPECT_EQ(r.Json(),
              nlohmann::json::parse(R"({"code":20003,"message":"Authenticate","more_info":)"
                                    R"("https://www.twilio.com/docs/errors/20003","status":401})"));
  }
  auto none = client_.Request("POST", CallsPath(), kValidCall);
  EXPECT_EQ(none.status, 401);
  EXPECT_TRUE(server_.engine().created().empty());
}

TEST_F(SimRestApiTest, AnApiKeyPairOfTheAccountAuthenticates) {
  auto r = Post(CallsPath(), kValidCall, kTestKeySid, kTestKeySecret);
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(SimRestApiTest, ValidatesWithTwiliosErrorCodesAndCreatesNothing) {
  struct Case {
    std::string body;
    int code;
  };
  for (const Case& c : std::vector<Case>{
           {"From=%2B14155550100&Url=https%3A%2F%2Fe.com%2Fv", 21201},
           {"To=12345&From=%2B14155550100&Url=https%3A%2F%2Fe.com%2Fv", 21211},
           {"To=%2B919812345678&Url=https%3A%2F%2Fe.com%2Fv", 21213},
           {"To=%2B919812345678&From=%2B14155550100", 21205},
           {"To=%2B919812345678&From=%2B14155550100&Url=ftp%3A%2F%2Fe.com", 21205},
           {"To=%2B919812345678&From=%2B14155550100&Url=https%3A%2F%2Fe.com%2Fv&Timeout=abc",
            21200},
           {"To=%2B919812345678&From=%2B14155550100&Url=https%3A%2F%2Fe.com%2Fv"
            "&StatusCallbackEvent=exploded",
            21200},
       }) {
    auto r = Post(CallsPath(), c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    auto json = r.Json();
    EXPECT_EQ(json["code"], c.code) << c.body;
    EXPECT_EQ(json["status"], 400);
    EXPECT_EQ(json["more_info"], "https://www.twilio.com/docs/errors/" + std::to_string(c.code));
  }
  EXPECT_TRUE(server_.engine().created().empty());
}

TEST_F(SimRestApiTest, InlineTwimlIsAcceptedInsteadOfAUrl) {
  auto r = Post(CallsPath(),
                "To=%2B919812345678&From=%2B14155550100&Twiml=%3CResponse%3E%3CHangup%2F%3E"
                "%3C%2FResponse%3E");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(server_.engine().created().at(0).twiml, "<Response><Hangup/></Response>");
}

TEST_F(SimRestApiTest, FetchesUpdatesAndReportsUnknownCallsAs20404) {
  const std::string sid = Post(CallsPath(), kValidCall).Json()["sid"];
  const std::string path = "/2010-04-01/Accounts/" + std::string(kTestAccountSid) + "/Calls/";
  auto fetched = Get(path + sid + ".json");
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.Json()["sid"], sid);

  auto hung_up = Post(path + sid + ".json", "Status=completed");
  ASSERT_EQ(hung_up.status, 200) << hung_up.body;
  EXPECT_EQ(hung_up.Json()["status"], "completed");
  EXPECT_EQ(hung_up.Json()["duration"], "5");
  auto redirected = Post(path + sid + ".json", "Url=https%3A%2F%2Fe.com%2Fnext&Method=GET");
  ASSERT_EQ(redirected.status, 200);
  auto updates = server_.engine().updates();
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1].url, "https://e.com/next");
  EXPECT_EQ(updates[1].method, "GET");

  auto missing = Get(path + "CA0000000000000000000000000000dead.json");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json()["code"], 20404);
  EXPECT_EQ(Post(path + "CA0000000000000000000000000000dead.json", "Status=completed").status, 404);
  EXPECT_EQ(Post(path + sid + ".json", "Status=ringing").Json()["code"], 21200);
}

TEST_F(SimRestApiTest, ServesRecordingsTheirMediaAndDeletesThem) {
  const std::string call_sid = Post(CallsPath(), kValidCall).Json()["sid"];
  const std::string rec_sid = server_.engine().AddRecording(kTestAccountSid, call_sid);
  const std::string account = "/2010-04-01/Accounts/" + std::string(kTestAccountSid);

  auto listed = Get(account + "/Calls/" + call_sid + "/Recordings.json");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["recordings"].size(), 1u);
  EXPECT_TRUE(listed.Json()["next_page_uri"].is_null());
  EXPECT_EQ(Get(account + "/Recordings.json?CallSid=" + call_sid).Json()["recordings"].size(), 1u);

  auto fetched = Get(account + "/Recordings/" + rec_sid + ".json");
  ASSERT_EQ(fetched.status, 200);
  auto json = fetched.Json();
  EXPECT_EQ(json["call_sid"], call_sid);
  EXPECT_EQ(json["channels"], 2);
  EXPECT_EQ(json["duration"], "42");
  EXPECT_EQ(json["source"], "OutboundAPI");
  EXPECT_EQ(json["uri"], account + "/Recordings/" + rec_sid + ".json");
  // Without a public base URL, the media URL is on the host the request named.
  EXPECT_EQ(json["media_url"], "http://127.0.0.1" + account + "/Recordings/" + rec_sid);

  auto wav = Get(account + "/Recordings/" + rec_sid + ".wav");
  ASSERT_EQ(wav.status, 200);
  EXPECT_EQ(wav.Header("content-type"), "audio/x-wav");
  EXPECT_EQ(wav.body.substr(0, 4), "RIFF");
  EXPECT_EQ(Get(account + "/Recordings/" + rec_sid + ".mp3").status, 404);

  auto deleted = client_.Request("DELETE", account + "/Recordings/" + rec_sid + ".json", "",
                                 Auth(kTestAccountSid, kTestAuthToken));
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  auto again = Get(account + "/Recordings/" + rec_sid + ".json");
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(again.Json()["code"], 20404);
}

TEST_F(SimRestApiTest, SendsMessagesAndValidatesThem) {
  const std::string path =
      "/2010-04-01/Accounts/" + std::string(kTestAccountSid) + "/Messages.json";
  auto sent = Post(path, "To=%2B919812345678&From=%2B14155550100&Body=Namaste+ji");
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(sent.Json()["body"], "Namaste ji");
  EXPECT_EQ(sent.Json()["status"], "queued");
  EXPECT_EQ(sent.Json()["sid"].get<std::string>().substr(0, 2), "SM");
  EXPECT_EQ(Post(path, "To=%2B919812345678&From=%2B14155550100").Json()["code"], 21602);
  EXPECT_EQ(Post(path, "From=%2B14155550100&Body=x").Json()["code"], 21604);
  EXPECT_EQ(server_.engine().messages().size(), 1u);
}

TEST_F(SimRestApiTest, ServesTheTranscriptForTests) {
  server_.engine().SetTranscript("CA1", {{"agent", "Namaste"}, {"callee", "haan ji"}});
  auto r = client_.Get("/sim/calls/CA1/transcript");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["turns"][1]["speaker"], "callee");
  EXPECT_EQ(r.Json()["turns"][1]["text"], "haan ji");
}

TEST(SimRestApiOptionsTest, MediaUrlsUseTheConfiguredPublicBaseUrl) {
  SimRestApiOptions options;
  options.public_base_url = "https://sim.example:9100";
  SimRestTestServer server({}, options);
  const std::string rec = server.engine().AddRecording(kTestAccountSid, "CA1");
  testing::HttpClient client("127.0.0.1", server.port());
  const std::string path =
      "/2010-04-01/Accounts/" + std::string(kTestAccountSid) + "/Recordings/" + rec;
  auto r = client.Request("GET", path + ".json", "", Auth(kTestAccountSid, kTestAuthToken));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["media_url"], "https://sim.example:9100" + path);
  // Twilio serves the media at the extension-less media_url too.
  auto media = client.Request("GET", path, "", Auth(kTestAccountSid, kTestAuthToken));
  EXPECT_EQ(media.status, 200);
  EXPECT_EQ(media.Header("content-type"), "audio/x-wav");
}

TEST(SimRestApiFaults, AnInjected429HasNoEffectAndCarriesRetryAfter) {
  SimFaults faults;
  faults.rest_429_rate = 1;
  SimRestTestServer server(faults);
  testing::HttpClient client("127.0.0.1", server.port());
  auto r = client.Request("POST", CallsPath(), kValidCall, Auth(kTestAccountSid, kTestAuthToken));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Json()["code"], 20429);
  EXPECT_EQ(r.Header("retry-after"), "1");
  EXPECT_TRUE(server.engine().created().empty());
  EXPECT_EQ(server.api().injected_429(), 1);
}

TEST(SimRestApiFaults, FiveHundredsComeInBurstsWithoutEffect) {
  SimFaults faults;
  faults.rest_5xx_rate = 1;
  faults.rest_5xx_burst = 3;
  SimRestApiOptions options;
  options.rest_503_share = 0;  // all 500
  SimRestTestServer server(faults, options);
  testing::HttpClient client("127.0.0.1", server.port());
  auto post = [&] {
    return client.Request("POST", CallsPath(), kValidCall, Auth(kTestAccountSid, kTestAuthToken));
  };
  auto first = post();
  EXPECT_EQ(first.status, 500);
  EXPECT_EQ(first.Json()["code"], 20500);
  server.api().SetFaults({});  // the burst under way still finishes
  EXPECT_EQ(post().status, 500);
  EXPECT_EQ(post().status, 500);
  EXPECT_TRUE(server.engine().created().empty());
  EXPECT_EQ(post().status, 201);
  EXPECT_EQ(server.engine().created().size(), 1u);
  EXPECT_EQ(server.api().injected_5xx(), 3);
}

TEST(SimRestApiFaults, TheSameSeedInjectsTheSameFaults) {
  auto run = [](uint64_t seed) {
    SimFaults faults;
    faults.rest_429_rate = 0.3;
    faults.rest_5xx_rate = 0.3;
    faults.seed = seed;
    SimRestTestServer server(faults);
    testing::HttpClient client("127.0.0.1", server.port());
    std::vector<int> statuses;
    for (int i = 0; i < 30; ++i) {
      statuses.push_back(
          client.Request("GET", CallsPath(), "", Auth(kTestAccountSid, kTestAuthToken)).status);
    }
    return statuses;
  };
  auto a = run(7);
  EXPECT_EQ(a, run(7));
  EXPECT_NE(a, run(8));
  EXPECT_NE(std::count(a.begin(), a.end(), 200), 30);
  EXPECT_NE(std::count(a.begin(), a.end(), 200), 0);
}

TEST(SimRestApiFormat, DatesAreWrittenTheWayTwilioWritesThem) {
  EXPECT_EQ(FormatRfc2822(1281427337000), "Tue, 10 Aug 2010 08:02:17 +0000");
  EXPECT_EQ(FormatRfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(SimAccountsTest, ReadsAccountsFromJsonAndNamesBadFields) {
  auto accounts = SimAccounts::FromJson(nlohmann::json::parse(
      R"({"accounts":[{"account_sid":"AC1","auth_token":"t","api_keys":[{"sid":"SK1","secret":"s"}]}]})"));
  ASSERT_TRUE(accounts.ok());
  EXPECT_NE(accounts->Authenticate("AC1", "t"), nullptr);
  EXPECT_NE(accounts->Authenticate("SK1", "s"), nullptr);
  EXPECT_EQ(accounts->Authenticate("SK1", "t"), nullptr);
  auto bad =
      SimAccounts::FromJson(nlohmann::json::parse(R"({"accounts":[{"account_sid":"AC1"}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("accounts[0].auth_token"), std::string::npos);
}

}  // namespace
}  // namespace vaarta::sim
