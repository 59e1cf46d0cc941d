// GET /api/v1/overview: one India day of calls, counted from the attempts table, on SQLite
// and on PostgreSQL.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

using storage::Int;
using storage::Text;

class OverviewApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { server_ = std::make_unique<TestServer>(GetParam()); }
  void TearDown() override { server_.reset(); }

  // An attempt placed `hour` hours and 10 minutes after India's midnight of `day_start`.
  void AddAttempt(int64_t campaign, int64_t lead, int64_t placed_at, const std::string& outcome,
                  bool answered, bool ended) {
    auto tx = server_->app().db().Begin(true);
    tx->Execute(
        "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
        "answered_at, ended_at, status, outcome, answered, provider, worker, lease_until) VALUES "
        "($1, $2, $3, 330, NULL, $4, $5, $6, $7, 'simulated', 'test', 0)",
        {Int(campaign), Int(lead), Int(placed_at), ended ? Int(placed_at + 60000) : storage::Null(),
         Text(ended ? "completed" : "in_progress"), Text(outcome), Int(answered ? 1 : 0)});
    tx->Commit();
  }

  std::unique_ptr<TestServer> server_;
};

TEST_P(OverviewApiTest, CountsTodaysCallsByOutcomeAndIndianHour) {
  const std::string token = server_->TokenFor("agent");
  auto client = server_->Client();
  auto lead = client.Post("/api/v1/leads", {{"phone", "+919812300001"}, {"name", "Asha"}},
                          server_->TokenFor("manager"));
  ASSERT_EQ(lead.status, 201) << lead.body;
  int64_t lead_id = lead.Json()["id"];
  int64_t campaign_id = 0;
  {
    auto tx = server_->app().db().Begin(true);
    tx->Execute(
        "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at) VALUES "
        "('overview', 'running', '{}', 0, 'test', 0)");
    campaign_id = tx->Execute("SELECT id FROM campaigns WHERE name = 'overview'").rows[0].GetInt(0);
    tx->Commit();
  }
  // 2 March 2026 in India begins at 1 March 18:30 UTC.
  int64_t midnight = 0;
  ASSERT_TRUE(core::ParseIso8601("2026-03-02T00:00:00+05:30", &midnight));
  const int64_t hour = 3600000;
  AddAttempt(campaign_id, lead_id, midnight + 10 * hour + 600000, "interested", true, true);
  AddAttempt(campaign_id, lead_id, midnight + 10 * hour + 1200000, "no_answer", false, true);
  AddAttempt(campaign_id, lead_id, midnight + 14 * hour, "opted_out", true, true);
  AddAttempt(campaign_id, lead_id, midnight - 1, "interested", true, true);     // the day before
  AddAttempt(campaign_id, lead_id, midnight + 24 * hour, "busy", false, true);  // the day after

  auto res = client.Get("/api/v1/overview?day=2026-03-02", token);
  ASSERT_EQ(res.status, 200) << res.body;
  auto o = res.Json();
  EXPECT_EQ(o["day"], "2026-03-02");
  EXPECT_EQ(o["from"], "2026-03-01T18:30:00.000Z");
  EXPECT_EQ(o["placed"], 3);
  EXPECT_EQ(o["answered"], 2);
  EXPECT_DOUBLE_EQ(o["connect_rate"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(o["converted"], 1);
  EXPECT_EQ(o["opted_out"], 1);
  EXPECT_EQ(o["by_outcome"]["no_answer"], 1);
  EXPECT_FALSE(o["by_outcome"].contains("busy"));
  ASSERT_EQ(o["by_hour"].size(), 24u);
  EXPECT_EQ(o["by_hour"][10]["placed"], 2);
  EXPECT_EQ(o["by_hour"][10]["answered"], 1);
  EXPECT_EQ(o["by_hour"][10]["converted"], 1);
  EXPECT_EQ(o["by_hour"][14]["placed"], 1);
  EXPECT_EQ(o["by_hour"][0]["placed"], 0);
  EXPECT_EQ(o["running_campaigns"], 1);

  // A call placed now without an end is live.
  AddAttempt(campaign_id, lead_id, core::SystemClock().NowMillis(), "", false, false);
  auto today = client.Get("/api/v1/overview", token).Json();
  EXPECT_EQ(today["live_calls"], 1);
  EXPECT_EQ(today["day"], core::IstDate(core::SystemClock().NowMillis()));
}

TEST_P(OverviewApiTest, RefusesABadDayAndAnonymousCallers) {
  auto client = server_->Client();
  EXPECT_EQ(client.Get("/api/v1/overview").status, 401);
  auto bad = client.Get("/api/v1/overview?day=2026-13-45", server_->TokenFor("agent"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["code"], "invalid_day");
  // Well formed but not a day of the calendar.
  EXPECT_EQ(client.Get("/api/v1/overview?day=2026-02-30", server_->TokenFor("agent")).status, 400);
}

INSTANTIATE_TEST_SUITE_P(Dialects, OverviewApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
