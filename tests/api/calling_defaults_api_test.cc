// The business's calling-policy defaults: stored as settings only when they read as a
// campaign's window and attempts, and given to campaigns created without their own.
#include <gtest/gtest.h>

#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

class CallingDefaultsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    admin_ = server_->TokenFor("admin");
  }
  std::unique_ptr<TestServer> server_;
  std::string admin_;
};

TEST_P(CallingDefaultsApiTest, BadPoliciesAreRefusedAndGoodOnesSeedNewCampaigns) {
  auto client = server_->Client();
  auto backwards = client.Put("/api/v1/settings/calling.window",
                              {{"value", {{"start", "18:00"}, {"end", "11:00"}}}}, admin_);
  EXPECT_EQ(backwards.status, 400) << backwards.body;
  EXPECT_EQ(backwards.Json()["code"], "invalid_setting");
  EXPECT_EQ(backwards.Json()["errors"][0]["field"], "window.end");
  EXPECT_EQ(
      client.Put("/api/v1/settings/calling.window", {{"value", "10:00-21:00"}}, admin_).status,
      400);
  auto caps =
      client.Put("/api/v1/settings/calling.attempts", {{"value", {{"max_per_day", 0}}}}, admin_);
  EXPECT_EQ(caps.status, 400) << caps.body;
  EXPECT_EQ(caps.Json()["errors"][0]["field"], "attempts.max_per_day");

  ASSERT_EQ(client
                .Put("/api/v1/settings/calling.window",
                     {{"value", {{"start", "11:00"}, {"end", "19:30"}, {"days", {"mon", "tue"}}}}},
                     admin_)
                .status,
            200);
  ASSERT_EQ(client
                .Put("/api/v1/settings/calling.attempts",
                     {{"value", {{"max_per_campaign", 2}, {"min_gap_hours", 48}}}}, admin_)
                .status,
            200);
  const std::string manager = server_->TokenFor("manager");
  auto plain = client.Post("/api/v1/campaigns", {{"name", "Defaults"}}, manager);
  ASSERT_EQ(plain.status, 201) << plain.body;
  auto c = plain.Json();
  EXPECT_EQ(c["window"]["start"], "11:00");
  EXPECT_EQ(c["window"]["end"], "19:30");
  EXPECT_EQ(c["window"]["days"], nlohmann::json({"mon", "tue"}));
  EXPECT_EQ(c["attempts"]["max_per_campaign"], 2);
  EXPECT_DOUBLE_EQ(c["attempts"]["min_gap_hours"].get<double>(), 48.0);
  EXPECT_EQ(c["attempts"]["max_per_day"], 1);  // not in the setting: the built-in default

  auto own = client.Post(
      "/api/v1/campaigns",
      {{"name", "Own window"}, {"window", {{"start", "10:00"}, {"end", "21:00"}}}}, manager);
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(own.Json()["window"]["end"], "21:00");
  EXPECT_EQ(own.Json()["attempts"]["max_per_campaign"], 2);
}

INSTANTIATE_TEST_SUITE_P(Dialects, CallingDefaultsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
