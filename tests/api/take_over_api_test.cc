// "Take over" from the live monitor: a call in progress is handed to the campaign's
// transfer number through the provider (the simulator's REST front speaking Twilio's
// API): the call gets new TwiML that says one line and dials the desk, its outcome
// becomes "transferred" and stays so, and the transcript says who took it over. Calls not
// in progress, unknown attempts and servers without a real provider get a reason.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "calls/provider_call_repository.h"
#include "core/crypto.h"
#include "sim/sim_rest_test_server.h"
#include "test_support/http_client.h"
#include "test_support/service_campaign.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

const std::string kDesk = "+919800000077";

class TakeOverApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(), [&](core::Config& c) {
      c.telephony = "twilio";
      c.twilio_api_base_url = sim_.base_url();
      c.twilio_account_sid = sim::kTestAccountSid;
      c.twilio_auth_token = sim::kTestAuthToken;
      c.dialer = false;
    });
    agent_ = server_->TokenFor("agent");
  }

  // A call the simulator knows, recorded here as answered and in progress.
  int64_t CallInProgress(bool answered = true) {
    HttpClient sim("127.0.0.1", sim_.port());
    auto made = sim.Request(
        "POST", "/2010-04-01/Accounts/" + std::string(sim::kTestAccountSid) + "/Calls.json",
        "To=%2B919812345678&From=%2B14155550100&Url=https%3A%2F%2Fexample.com%2Fvoice",
        {{"Authorization", "Basic " + core::Base64Encode(std::string(sim::kTestAccountSid) + ":" +
                                                         sim::kTestAuthToken)},
         {"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(made.status, 201) << made.body;
    const std::string sid = made.Json()["sid"];
    auto& app = server_->app();
    auto lead = server_->Client().Post("/api/v1/leads",
                                       {{"phone", "+919812345678"},
                                        {"name", "Asha"},
                                        {"language", "hi"},
                                        {"list", "take-over"},
                                        {"source_kind", "form"},
                                        {"source_detail", "website enquiry form"}},
                                       server_->TokenFor("manager"));
    EXPECT_TRUE(lead.status == 201 || lead.status == 200) << lead.body;
    const int64_t lead_id = lead.Json()["id"];
    int64_t list_id = 0;
    {
      auto tx = app.db().Begin(false);
      list_id =
          tx->Execute("SELECT id FROM lead_lists WHERE name = 'take-over'").rows.at(0).GetInt(0);
    }
    nlohmann::json config = ServiceCampaignConfig("Take over", list_id, "relay");
    config["transfer_number"] = kDesk;
    auto campaign = app.campaigns().Create(config, {"test:admin", "admin", "127.0.0.1", ""});
    EXPECT_TRUE(campaign.ok());
    auto tx = app.db().Begin(true);
    const int64_t attempt =
        tx->Execute(
              "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
              "status, provider, provider_call_id, worker, lease_until) VALUES ($1, $2, 1000, "
              "330, 'active', 'twilio', $3, 'w', 999999999999999) RETURNING id",
              {storage::Int(campaign.campaign.id), storage::Int(lead_id), storage::Text(sid)})
            .rows.at(0)
            .GetInt(0);
    calls::ProviderCall call;
    call.attempt_id = attempt;
    call.provider = "twilio";
    call.account_id = sim::kTestAccountSid;
    call.call_id = sid;
    call.worker = "w";
    call.transport = "relay";
    call.status = answered ? "in-progress" : "ringing";
    call.answered_by = answered ? "human" : "";
    if (answered) call.answered_at = 2000;
    call.created_at = 1000;
    call.updated_at = 2000;
    calls::ProviderCallRepository().Insert(*tx, call);
    tx->Commit();
    return attempt;
  }

  std::string Disposition(int64_t attempt) {
    auto tx = server_->app().db().Begin(false);
    return tx
        ->Execute("SELECT disposition FROM provider_calls WHERE attempt_id = $1",
                  {storage::Int(attempt)})
        .rows.at(0)
        .GetText(0);
  }

  sim::SimRestTestServer sim_;
  std::unique_ptr<TestServer> server_;
  std::string agent_;
};

TEST_P(TakeOverApiTest, APersonTakesTheCallAndItsOutcomeIsTransferred) {
  const int64_t attempt = CallInProgress();
  auto taken =
      server_->Client().Post("/api/v1/live/calls/" + std::to_string(attempt) + "/take-over",
                             nlohmann::json::object(), agent_);
  ASSERT_EQ(taken.status, 200) << taken.body;
  EXPECT_EQ(taken.Json()["connected_to"], kDesk);
  auto updates = sim_.engine().updates();
  ASSERT_EQ(updates.size(), 1u);
  ASSERT_TRUE(updates[0].twiml.has_value());
  const std::string& twiml = *updates[0].twiml;
  EXPECT_NE(twiml.find("<Dial"), std::string::npos) << twiml;
  EXPECT_NE(twiml.find(kDesk), std::string::npos) << twiml;
  EXPECT_NE(twiml.find("सहकर्मी"), std::string::npos) << twiml;  // the lead speaks Hindi
  EXPECT_EQ(Disposition(attempt), "transferred");
  // The transcript says who took it over (written by the transcript writer's thread).
  bool noted = false;
  for (int i = 0; i < 200 && !noted; ++i) {
    {
      auto tx = server_->app().db().Begin(false);
      auto turns =
          tx->Execute("SELECT text FROM call_turns WHERE attempt_id = $1", {storage::Int(attempt)});
      for (const auto& r : turns.rows) {
        noted |=
            r.GetText(0).find("taken over from the live monitor by user:") != std::string::npos;
      }
    }
    if (!noted) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  EXPECT_TRUE(noted);
}

TEST_P(TakeOverApiTest, OnlyCallsInProgressAreTakenOver) {
  auto client = server_->Client();
  const int64_t ringing = CallInProgress(false);
  auto refused = client.Post("/api/v1/live/calls/" + std::to_string(ringing) + "/take-over",
                             nlohmann::json::object(), agent_);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.Json()["code"], "call_not_in_progress");
  EXPECT_TRUE(sim_.engine().updates().empty());
  EXPECT_EQ(
      client.Post("/api/v1/live/calls/987654/take-over", nlohmann::json::object(), agent_).status,
      404);
  EXPECT_EQ(client.Post("/api/v1/live/calls/1/take-over", nlohmann::json::object()).status, 401);
}

TEST(TakeOverSimulatedTest, TheSimulatedTelephonySaysItCannot) {
  TestServer server("sqlite");
  auto r = server.Client().Post("/api/v1/live/calls/1/take-over", nlohmann::json::object(),
                                server.TokenFor("agent"));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.Json()["code"], "take_over_unsupported");
}

INSTANTIATE_TEST_SUITE_P(Engines, TakeOverApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
