// Test calls over HTTP: a manager types to a campaign's agent, the agent answers with the
// campaign's script, and nothing is dialled or written.
#include <gtest/gtest.h>

#include "test_support/service_campaign.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

class TestCallsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    manager_ = server_->TokenFor("manager");
    auto client = server_->Client();
    auto lead =
        client.Post("/api/v1/leads", {{"phone", "9812345670"}, {"list", "Trial"}}, manager_);
    ASSERT_EQ(lead.status, 201) << lead.body;
    const int64_t list = client.Get("/api/v1/lists", manager_).Json()["items"][0]["id"];
    auto created = client.Post("/api/v1/campaigns",
                               ServiceCampaignConfig("Trial run", list, "gather"), manager_);
    ASSERT_EQ(created.status, 201) << created.body;
    campaign_ = "/api/v1/campaigns/" + std::to_string(created.Json()["id"].get<int64_t>());
  }

  int64_t Count(const std::string& table) {
    auto tx = server_->app().db().Begin(false);
    return tx->Execute("SELECT COUNT(*) FROM " + table).rows.at(0).GetInt(0);
  }

  std::unique_ptr<TestServer> server_;
  std::string manager_;
  std::string campaign_;
};

TEST_P(TestCallsApiTest, TheAgentAnswersTypedTurnsAndChangesNothing) {
  auto client = server_->Client();
  auto opened =
      client.Post(campaign_ + "/test-calls", {{"lead_name", "Asha"}, {"language", "en"}}, manager_);
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto first = opened.Json();
  ASSERT_FALSE(first["turn"]["lines"].empty());
  EXPECT_EQ(first["turn"]["language"], "en");
  EXPECT_FALSE(first["turn"]["end_call"].get<bool>());
  std::string greeting;
  for (const auto& line : first["turn"]["lines"]) greeting += line.get<std::string>() + " ";
  // The disclosure names the business calling, as a real call does.
  EXPECT_NE(greeting.find("Acme Learning"), std::string::npos) << greeting;

  auto answer =
      client.Post(campaign_ + "/test-calls/turns",
                  {{"state", first["state"]}, {"text", "please remove my number"}}, manager_);
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto turn = answer.Json()["turn"];
  EXPECT_EQ(turn["intent"], "opt_out");
  EXPECT_EQ(turn["action"], "add_do_not_call");
  EXPECT_TRUE(turn["end_call"].get<bool>());
  EXPECT_EQ(turn["disposition"], "opted_out");
  // A test: nothing was dialled and the number is not on the do-not-call list.
  EXPECT_EQ(Count("do_not_call"), 0);
  EXPECT_EQ(Count("call_attempts"), 0);
}

TEST_P(TestCallsApiTest, RefusesForeignOrDamagedStateAndAgents) {
  auto client = server_->Client();
  EXPECT_EQ(
      client.Post(campaign_ + "/test-calls", nlohmann::json::object(), server_->TokenFor("agent"))
          .status,
      403);
  auto opened = client.Post(campaign_ + "/test-calls", nlohmann::json::object(), manager_);
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto state = opened.Json()["state"];

  auto missing = client.Post(campaign_ + "/test-calls/turns", {{"text", "hello"}}, manager_);
  EXPECT_EQ(missing.status, 400);
  auto damaged = state;
  damaged["engine"] = "not a state";
  auto bad =
      client.Post(campaign_ + "/test-calls/turns", {{"state", damaged}, {"text", "hi"}}, manager_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["code"], "invalid_state");
  auto other = state;
  other["campaign_id"] = 424242;
  EXPECT_EQ(
      client.Post(campaign_ + "/test-calls/turns", {{"state", other}, {"text", "hi"}}, manager_)
          .Json()["code"],
      "invalid_state");
  EXPECT_EQ(
      client.Post(campaign_ + "/test-calls/turns", {{"state", state}, {"digits", "12a"}}, manager_)
          .status,
      400);
  EXPECT_EQ(
      client.Post("/api/v1/campaigns/424242/test-calls", nlohmann::json::object(), manager_).status,
      404);
}

TEST_P(TestCallsApiTest, ASimulatedCalleeTalksUntilTheCallEnds) {
  auto client = server_->Client();
  auto personas = client.Get("/api/v1/test-calls/personas", manager_);
  ASSERT_EQ(personas.status, 200);
  bool has_hindi_opt_out = false;
  const auto items = personas.Json()["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& p : items) {
    has_hindi_opt_out |= p["name"] == "opt_out_hi";
    EXPECT_NE(p["name"], "voicemail");  // only people who answer
  }
  EXPECT_TRUE(has_hindi_opt_out);

  auto call =
      client.Post(campaign_ + "/test-calls/simulations", {{"persona", "opt_out_hi"}}, manager_);
  ASSERT_EQ(call.status, 200) << call.body;
  auto c = call.Json();
  EXPECT_EQ(c["disposition"], "opted_out");
  EXPECT_EQ(c["ended_by"], "agent");
  ASSERT_GE(c["lines"].size(), 3u);
  EXPECT_EQ(c["lines"][0]["speaker"], "agent");
  EXPECT_EQ(c["lines"][1]["speaker"], "callee");
  EXPECT_EQ(c["lines"][1]["text"], "मुझे दोबारा फ़ोन मत करना");
  EXPECT_EQ(c["lines"][2]["turn"]["action"], "add_do_not_call");
  EXPECT_EQ(Count("do_not_call"), 0);

  auto unknown =
      client.Post(campaign_ + "/test-calls/simulations", {{"persona", "voicemail"}}, manager_);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Json()["code"], "unknown_persona");
}

INSTANTIATE_TEST_SUITE_P(Dialects, TestCallsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
