// Telephony credentials entered in Settings: admin-only, write-only (a stored secret is
// never handed back, nor written to the audit trail or the logs), validated field by
// field, checked against the provider (the simulator's REST front, speaking Twilio's
// API), and put in use by the running telephony stack without a restart.
#include <gtest/gtest.h>

#include "sim/sim_rest_test_server.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

const std::string kToken = "0123456789abcdef0123456789abQ7x9";
const std::string kAccount = sim::kTestAccountSid;

class TelephonyCredentialsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(), [&](core::Config& c) {
      c.telephony = "twilio";
      c.twilio_api_base_url = sim_.base_url();
      c.twilio_account_sid = sim::kOtherAccountSid;
      c.twilio_auth_token = "configured-token-0123456789";
      c.dialer = false;
    });
    admin_ = server_->TokenFor("admin");
  }
  sim::SimRestTestServer sim_;
  std::unique_ptr<TestServer> server_;
  std::string admin_;
};

TEST_P(TelephonyCredentialsApiTest, SecretsGoInAndNeverComeOut) {
  auto client = server_->Client();
  auto before = client.Get("/api/v1/telephony/credentials", admin_);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.Json()["source"], "configuration");
  EXPECT_EQ(before.Json()["account_sid"], sim::kOtherAccountSid);
  EXPECT_EQ(before.Json()["active_provider"], "twilio");

  // Only admins: a manager neither reads nor writes them.
  const std::string manager = server_->TokenFor("manager");
  EXPECT_EQ(client.Get("/api/v1/telephony/credentials", manager).status, 403);
  EXPECT_EQ(client
                .Put("/api/v1/telephony/credentials",
                     {{"account_sid", kAccount}, {"auth_token", kToken}}, manager)
                .status,
            403);

  auto saved = client.Put("/api/v1/telephony/credentials",
                          {{"account_sid", kAccount}, {"auth_token", kToken}}, admin_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.body.find(kToken), std::string::npos);
  auto shown = client.Get("/api/v1/telephony/credentials", admin_);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.find(kToken), std::string::npos);
  auto j = shown.Json();
  EXPECT_EQ(j["source"], "dashboard");
  EXPECT_EQ(j["account_sid"], kAccount);
  EXPECT_EQ(j["auth_token"]["set"], true);
  EXPECT_EQ(j["auth_token"]["hint"], "…Q7x9");
  EXPECT_EQ(j["readable"], true);
  EXPECT_FALSE(j["updated_by"].get<std::string>().empty());

  // The audit trail says who changed what, without the secret.
  auto audit = client.Get("/api/v1/audit?action=PUT%20/api/v1/telephony/credentials", admin_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("auth_token_changed"), std::string::npos) << audit.body;
  EXPECT_EQ(audit.body.find(kToken), std::string::npos);
  // Nor do the server's logs hold it.
  EXPECT_EQ(server_->Logs().find(kToken), std::string::npos);
  // The running telephony stack took them up without a restart.
  EXPECT_NE(server_->Logs().find("telephony credentials entered in the dashboard are in use"),
            std::string::npos)
      << server_->Logs();

  // Changing only the API key keeps the stored token; a new account needs its own token.
  auto keyed = client.Put("/api/v1/telephony/credentials",
                          {{"account_sid", kAccount},
                           {"api_key_sid", sim::kTestKeySid},
                           {"api_key_secret", "key-secret-padded-0123"}},
                          admin_);
  ASSERT_EQ(keyed.status, 200) << keyed.body;
  EXPECT_EQ(keyed.Json()["auth_token"]["hint"], "…Q7x9");
  EXPECT_EQ(keyed.Json()["api_key_secret"]["hint"], "…0123");
  auto moved =
      client.Put("/api/v1/telephony/credentials", {{"account_sid", sim::kOtherAccountSid}}, admin_);
  EXPECT_EQ(moved.status, 400) << moved.body;
  EXPECT_EQ(moved.Json()["errors"][0]["field"], "auth_token");

  // Removing them hands the account back to the configuration.
  EXPECT_EQ(client.Delete("/api/v1/telephony/credentials", admin_).status, 204);
  EXPECT_EQ(client.Get("/api/v1/telephony/credentials", admin_).Json()["source"], "configuration");
  EXPECT_NE(server_->Logs().find("the configuration's are in use again"), std::string::npos);
  EXPECT_EQ(client.Delete("/api/v1/telephony/credentials", admin_).status, 404);
}

TEST_P(TelephonyCredentialsApiTest, MalformedCredentialsAreRefusedFieldByField) {
  auto client = server_->Client();
  auto bad = client.Put("/api/v1/telephony/credentials",
                        {{"account_sid", "AC12"},
                         {"auth_token", "has a space in it 0123"},
                         {"api_key_sid", "SK0123456789abcdef0123456789abcdef"}},
                        admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["code"], "invalid_credentials");
  std::set<std::string> fields;
  const nlohmann::json problem = bad.Json();
  for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"account_sid", "auth_token", "api_key_secret"}));
  EXPECT_EQ(bad.body.find("has a space"), std::string::npos);
  EXPECT_EQ(
      client.Put("/api/v1/telephony/credentials", {{"account_sid", kAccount}, {"x", 1}}, admin_)
          .status,
      400);
  EXPECT_EQ(client
                .Put("/api/v1/telephony/credentials",
                     {{"account_sid", kAccount}, {"auth_token", 42}}, admin_)
                .status,
            400);
  // Nothing was stored.
  EXPECT_EQ(client.Get("/api/v1/telephony/credentials", admin_).Json()["source"], "configuration");
}

TEST_P(TelephonyCredentialsApiTest, TheCheckAsksTheProvider) {
  auto client = server_->Client();
  // Nothing stored and nothing sent: nothing to check.
  EXPECT_EQ(
      client.Post("/api/v1/telephony/credentials/check", nlohmann::json::object(), admin_).status,
      409);
  // Unsaved credentials can be checked before they are saved.
  auto wrong =
      client.Post("/api/v1/telephony/credentials/check",
                  {{"account_sid", kAccount}, {"auth_token", "wrong-token-0123456789"}}, admin_);
  ASSERT_EQ(wrong.status, 200) << wrong.body;
  EXPECT_EQ(wrong.Json()["ok"], false);
  EXPECT_EQ(wrong.Json()["detail_code"], "provider_auth");
  EXPECT_EQ(wrong.body.find("wrong-token"), std::string::npos);

  auto right = client.Post(
      "/api/v1/telephony/credentials/check",
      {{"account_sid", sim::kThirdAccountSid}, {"auth_token", sim::kThirdAuthToken}}, admin_);
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(right.Json()["ok"], true) << right.body;
  EXPECT_EQ(right.Json()["account"]["sid"], sim::kThirdAccountSid);
  EXPECT_EQ(right.Json()["account"]["status"], "active");
  EXPECT_EQ(right.body.find(sim::kThirdAuthToken), std::string::npos);

  // Stored credentials are checked when none are sent.
  ASSERT_EQ(client
                .Put("/api/v1/telephony/credentials",
                     {{"account_sid", sim::kThirdAccountSid}, {"auth_token", kToken}}, admin_)
                .status,
            200);
  EXPECT_EQ(client.Post("/api/v1/telephony/credentials/check", nlohmann::json::object(), admin_)
                .Json()["ok"],
            false);
  ASSERT_EQ(client
                .Put("/api/v1/telephony/credentials",
                     {{"account_sid", sim::kThirdAccountSid}, {"auth_token", sim::kThirdAuthToken}},
                     admin_)
                .status,
            200);
  auto stored =
      client.Post("/api/v1/telephony/credentials/check", nlohmann::json::object(), admin_);
  EXPECT_EQ(stored.Json()["ok"], true) << stored.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, TelephonyCredentialsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
