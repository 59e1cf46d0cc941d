// Outbound webhooks from Settings: admin-only; the signing secret is shown once and
// never again (not in lists, the audit trail or logs); endpoints are checked field by
// field; a test event and a finished import reach a real receiver, signed; deliveries are
// listed with their attempts; a paused endpoint receives nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_support/test_server.h"
#include "test_support/webhook_receiver.h"
#include "webhooks/webhook_signature.h"

namespace vaarta::testing {
namespace {

const std::string kSample = std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

class WebhooksApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(), [](core::Config& c) {
      c.webhooks_allow_http = true;
      c.webhooks_allow_private_network = true;  // the receiver is on loopback
      c.webhook_retry_base_ms = 100;
      c.max_upload_bytes = 64 * 1024;
    });
    admin_ = server_->TokenFor("admin");
  }
  nlohmann::json Deliveries(int64_t endpoint, size_t want, const std::string& state) {
    for (int i = 0; i < 300; ++i) {
      auto list =
          server_->Client()
              .Get("/api/v1/webhook-endpoints/" + std::to_string(endpoint) + "/deliveries", admin_)
              .Json();
      size_t in_state = 0;
      for (const auto& d : list["items"]) in_state += d["state"] == state ? 1 : 0;
      if (in_state >= want) return list;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "deliveries did not reach " << state;
    return {};
  }
  WebhookReceiver receiver_{{500, 200}};
  std::unique_ptr<TestServer> server_;
  std::string admin_;
};

TEST_P(WebhooksApiTest, TheSecretIsShownOnceAndTheTestEventArrivesSigned) {
  auto client = server_->Client();
  const std::string url = receiver_.url() + "?token=receiver-side-token";
  const std::string manager = server_->TokenFor("manager");
  EXPECT_EQ(client.Get("/api/v1/webhook-endpoints", manager).status, 403);
  EXPECT_EQ(client
                .Post("/api/v1/webhook-endpoints", {{"url", url}, {"events", {"call.completed"}}},
                      manager)
                .status,
            403);

  auto made =
      client.Post("/api/v1/webhook-endpoints",
                  {{"url", url}, {"events", {"call.completed"}}, {"description", "CRM"}}, admin_);
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string secret = made.Json()["secret"];
  const int64_t id = made.Json()["id"];
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  auto list = client.Get("/api/v1/webhook-endpoints", admin_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(list.Json()["items"][0]["secret_hint"], "…" + secret.substr(secret.size() - 4));
  EXPECT_EQ(list.Json()["events"], nlohmann::json({"call.completed", "import.completed"}));

  auto test = client.Post("/api/v1/webhook-endpoints/" + std::to_string(id) + "/test",
                          nlohmann::json::object(), admin_);
  EXPECT_EQ(test.status, 202) << test.body;
  // The receiver answers 500 first: the event arrives on the retry, with the same id.
  auto got = receiver_.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& hook : got) {
    EXPECT_TRUE(webhooks::VerifySignatureHeader(secret, hook.headers.at("x-vaarta-signature"),
                                                hook.body, std::time(nullptr)));
    EXPECT_EQ(hook.headers.at("x-vaarta-event"), "webhook.test");
  }
  EXPECT_EQ(got[0].headers.at("x-vaarta-event-id"), got[1].headers.at("x-vaarta-event-id"));
  auto deliveries = Deliveries(id, 1, "delivered");
  ASSERT_EQ(deliveries["items"].size(), 1u);
  EXPECT_EQ(deliveries["items"][0]["attempts"], 2);
  EXPECT_EQ(deliveries["items"][0]["last_status"], 200);
  const int64_t delivery = deliveries["items"][0]["id"];
  EXPECT_EQ(client
                .Post("/api/v1/webhook-deliveries/" + std::to_string(delivery) + "/retry",
                      nlohmann::json::object(), admin_)
                .status,
            409);

  // Neither the audit trail nor the logs hold the secret or the receiver's token.
  auto audit = client.Get("/api/v1/audit?limit=200", admin_);
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("webhook:" + std::to_string(id)), std::string::npos);
  EXPECT_EQ(audit.body.find(secret), std::string::npos);
  EXPECT_EQ(audit.body.find("receiver-side-token"), std::string::npos);
  EXPECT_EQ(server_->Logs().find(secret), std::string::npos);

  EXPECT_EQ(client.Delete("/api/v1/webhook-endpoints/" + std::to_string(id), admin_).status, 204);
  EXPECT_EQ(
      client.Get("/api/v1/webhook-endpoints/" + std::to_string(id) + "/deliveries", admin_).status,
      404);
}

TEST_P(WebhooksApiTest, AFinishedImportIsAnnouncedAndAPausedEndpointHearsNothing) {
  receiver_.SetStatuses({200});
  auto client = server_->Client();
  auto imports = client.Post(
      "/api/v1/webhook-endpoints",
      {{"url", receiver_.url()}, {"events", {"import.completed", "call.completed"}}}, admin_);
  ASSERT_EQ(imports.status, 201) << imports.body;
  auto paused =
      client.Post("/api/v1/webhook-endpoints",
                  {{"url", receiver_.url() + "?paused"}, {"events", {"import.completed"}}}, admin_);
  ASSERT_EQ(paused.status, 201);
  const int64_t paused_id = paused.Json()["id"];
  auto patched = client.Patch("/api/v1/webhook-endpoints/" + std::to_string(paused_id),
                              {{"active", false}}, admin_);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["active"], false);

  auto started = client.Request(
      "POST", "/api/v1/imports?file_name=leads_sample.csv", Slurp(kSample),
      {{"Authorization", "Bearer " + server_->TokenFor("manager")}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t job = started.Json()["id"];
  auto got = receiver_.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  auto body = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(body["type"], "import.completed");
  EXPECT_EQ(body["data"]["id"], job);
  EXPECT_NE(body["data"]["status"], "running");
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(receiver_.received().size(), 1u) << "the paused endpoint received the event";
}

TEST_P(WebhooksApiTest, BadEndpointsAreRefusedFieldByField) {
  auto client = server_->Client();
  auto bad = client.Post("/api/v1/webhook-endpoints",
                         {{"url", "ftp://crm.example.in/x"}, {"events", {"call.ended"}}}, admin_);
  ASSERT_EQ(bad.status, 400) << bad.body;
  const nlohmann::json problem = bad.Json();
  EXPECT_EQ(problem["code"], "invalid_webhook");
  std::set<std::string> fields;
  for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"url", "events"}));
  EXPECT_EQ(
      client.Post("/api/v1/webhook-endpoints", {{"url", receiver_.url()}, {"events", "x"}}, admin_)
          .status,
      400);
  EXPECT_EQ(
      client.Post("/api/v1/webhook-endpoints", {{"events", {"call.completed"}}}, admin_).status,
      400);
  EXPECT_EQ(client.Patch("/api/v1/webhook-endpoints/999", {{"active", false}}, admin_).status, 404);
  EXPECT_TRUE(client.Get("/api/v1/webhook-endpoints", admin_).Json()["items"].empty());
}

// Without webhooks_allow_http, only https:// endpoints are accepted.
TEST(WebhooksHttpsOnlyTest, PlainHttpIsRefusedByDefault) {
  TestServer server("sqlite");
  auto r =
      server.Client().Post("/api/v1/webhook-endpoints",
                           {{"url", "http://crm.example.in/hooks"}, {"events", {"call.completed"}}},
                           server.TokenFor("admin"));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("https://"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhooksApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
