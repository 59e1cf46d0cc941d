// The dashboard in a real browser: the product runs here (SQLite, its clock in a calling
// window), `vaarta telephony-sim` runs as Twilio, and Playwright drives Debian's Chromium
// through web/tests/*.spec.ts as a child process. This file prepares what the journeys
// need (users of each role, leads, a DND registry, a draft campaign) and passes it to them
// in the environment; the journeys assert what a person would see.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "test_support/process.h"
#include "test_support/service_campaign.h"
#include "test_support/test_database.h"
#include "test_support/test_server.h"
#include "test_support/webhook_receiver.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;
const std::string kWebDir = VAARTA_WEB_DIR;
const std::string kArtifacts = VAARTA_BROWSER_ARTIFACTS;
const std::string kAccountSid = "AC0123456789abcdef0123456789abcdef";
const std::string kAuthToken = "browser-auth-token-0123456789abcd";
// Tuesday 2 February 2027, 11:00 in India: inside every calling window.
constexpr int64_t kVirtualStartMs = 1801546200000;

const std::vector<std::pair<std::string, std::string>>& Callees() {
  static const std::vector<std::pair<std::string, std::string>> kCallees = {
      {"+919820000001", "interested_en"},  {"+919820000002", "callback_hinglish"},
      {"+919820000003", "price_hinglish"}, {"+919820000004", "not_interested_en"},
      {"+919820000005", "interested_en"},  {"+919820000006", "opt_out_hi"},
  };
  return kCallees;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The dashboard's API types (web/src/api/schema.ts) are generated from the server's OpenAPI
// document; a route or field changed on one side only fails here.
TEST(Dashboard, ApiTypesMatchTheServersOpenApiDocument) {
  TestServer server("sqlite");
  auto doc = server.Client().Get("/api/openapi.json");
  ASSERT_EQ(doc.status, 200);
  const std::string dir = MakeTempDir("openapi-types");
  std::ofstream(dir + "/openapi.json") << doc.body;
  ChildProcess generate({kWebDir + "/node_modules/.bin/openapi-typescript", dir + "/openapi.json",
                         "-o", dir + "/schema.ts"});
  ASSERT_EQ(generate.Wait(120), 0) << generate.Err();
  EXPECT_TRUE(ReadText(dir + "/schema.ts") == ReadText(kWebDir + "/src/api/schema.ts"))
      << "web/src/api/schema.ts is out of date: start the server and run `npm run gen:api` in web/";
  RemoveTree(dir);
}

TEST(Dashboard, JourneysInChromium) {
  ASSERT_TRUE(std::filesystem::exists(kWebDir + "/dist/index.html"))
      << "the dashboard is not built: run scripts/web_build.sh";
  const std::string dir = MakeTempDir("browser");
  nlohmann::json numbers = nlohmann::json::object();
  for (const auto& [phone, persona] : Callees()) numbers[phone] = persona;
  std::ofstream(dir + "/personas.json") << nlohmann::json{{"numbers", numbers}}.dump();
  const int sim_port = FreePort();
  ChildProcess sim({kVaarta, "telephony-sim", "--port", std::to_string(sim_port), "--account-sid",
                    kAccountSid, "--auth-token", kAuthToken, "--personas", dir + "/personas.json",
                    "--time-scale-ms", "400", "--log-level", "warn"});
  ASSERT_TRUE(sim.WaitForOutput("listening", 30)) << sim.Err();

  // The business's own system, receiving the webhooks the journey sets up.
  WebhookReceiver receiver({200});
  core::ScaledClock clock(kVirtualStartMs, core::SystemClock().NowMillis(), 1.0);
  const int port = FreePort();
  TestServer server(
      "sqlite",
      [&](core::Config& c) {
        c.port = port;
        c.public_base_url = "http://127.0.0.1:" + std::to_string(port);
        c.web_dir = kWebDir + "/dist";
        c.dialer = true;
        c.telephony = "twilio";
        c.twilio_api_base_url = "http://127.0.0.1:" + std::to_string(sim_port);
        c.twilio_account_sid = kAccountSid;
        c.twilio_auth_token = kAuthToken;
        c.telephony_quiet_poll_seconds = 3;
        c.default_region = "IN";
        c.webhooks_allow_http = true;
        c.webhooks_allow_private_network = true;  // the receiver is on loopback
        c.webhook_retry_base_ms = 500;
      },
      &clock);
  for (std::string role : {"admin", "manager", "agent"}) server.TokenFor(role);
  const std::string token = server.TokenFor("manager");

  // One registered number, none of the leads' (a registry cannot be empty).
  std::ofstream(dir + "/dnd.txt") << "9100000000\n";
  compliance::DndLoadOptions dnd;
  dnd.registry_date = "2027-02-02";
  auto loaded = server.app().dnd().Load(dir + "/dnd.txt", dnd, {"test:admin", "admin", "", ""});
  ASSERT_TRUE(loaded) << loaded.error().message;

  auto client = server.Client();
  int i = 0;
  for (const auto& [phone, persona] : Callees()) {
    auto created =
        client.Post("/api/v1/leads",
                    {{"phone", phone},
                     {"name", "Browser Lead " + std::to_string(++i)},
                     {"language", persona.find("_hi") != std::string::npos ? "hi" : "en"},
                     {"list", "browser"},
                     {"source_kind", "form"},
                     {"source_detail", "website enquiry form"}},
                    token);
    ASSERT_EQ(created.status, 201) << created.body;
  }
  int64_t list_id = 0;
  {
    auto tx = server.app().db().Begin(false);
    list_id = tx->Execute("SELECT id FROM lead_lists WHERE name = 'browser'").rows.at(0).GetInt(0);
  }
  nlohmann::json config = ServiceCampaignConfig("Browser: demo class", list_id, "gather");
  config["max_concurrent_calls"] = 2;
  config["calls_per_second"] = 1;
  auto created = server.app().campaigns().Create(config, {"test:admin", "admin", "127.0.0.1", ""});
  ASSERT_TRUE(created.ok()) << (created.error ? created.error->message : "");

  std::filesystem::create_directories(kArtifacts);
  ChildProcess playwright(
      {kWebDir + "/node_modules/.bin/playwright", "test", "--config",
       kWebDir + "/playwright.config.ts"},
      {{"VAARTA_URL", "http://127.0.0.1:" + std::to_string(port)},
       {"VAARTA_PASSWORD", TestServer::Password()},
       {"VAARTA_ADMIN", TestServer::EmailFor("admin")},
       {"VAARTA_MANAGER", TestServer::EmailFor("manager")},
       {"VAARTA_AGENT", TestServer::EmailFor("agent")},
       {"VAARTA_CAMPAIGN_ID", std::to_string(created.campaign.id)},
       {"VAARTA_TWILIO_SID", kAccountSid},
       {"VAARTA_TWILIO_TOKEN", kAuthToken},
       {"VAARTA_WEBHOOK_URL", receiver.url()},
       {"VAARTA_SAMPLE_LEADS", std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv"},
       {"VAARTA_ARTIFACTS", kArtifacts},
       {"CI", "1"}});
  int code = playwright.Wait(900);
  if (code == -1000) playwright.Signal(SIGKILL);
  EXPECT_EQ(code, 0) << playwright.Out() << playwright.Err();
  std::cout << playwright.Out();
  // The test event the journey sent from Settings reached the receiver, signed.
  bool tested = false;
  for (const auto& hook : receiver.received()) {
    if (hook.headers.count("x-vaarta-event") &&
        hook.headers.at("x-vaarta-event") == "webhook.test") {
      tested = hook.headers.count("x-vaarta-signature") > 0;
    }
  }
  EXPECT_TRUE(tested) << "no signed webhook.test reached the receiver";

  sim.Signal(SIGTERM);
  sim.Wait(20);
  RemoveTree(dir);
}

}  // namespace
}  // namespace vaarta::testing
