// The reports API over HTTP on both databases: the calls report, exports made in the
// background and downloaded, the campaign heatmap, and who may see them.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/clock.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

using storage::Int;
using storage::Text;

class ReportsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    auto client = server_->Client();
    auto lead = client.Post("/api/v1/leads", {{"phone", "+919812300001"}, {"name", "Asha"}},
                            server_->TokenFor("manager"));
    ASSERT_EQ(lead.status, 201) << lead.body;
    lead_id_ = lead.Json()["id"];
    const int64_t lead_id = lead_id_;
    auto tx = server_->app().db().Begin(true);
    tx->Execute(
        "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at) VALUES "
        "('Reports', 'running', '{}', 0, 'test', 0)");
    campaign_id_ = tx->Execute("SELECT id FROM campaigns WHERE name = 'Reports'").rows[0].GetInt(0);
    int64_t monday = 0;
    EXPECT_TRUE(core::ParseIso8601("2026-03-02T11:15:00+05:30", &monday));
    for (int i = 0; i < 3; ++i) {
      tx->Execute(
          "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
          "answered_at, ended_at, status, outcome, answered, provider, worker, lease_until) "
          "VALUES ($1, $2, $3, 330, $4, $5, 'completed', $6, 1, 'simulated', 'test', 0)",
          {Int(campaign_id_), Int(lead_id), Int(monday + i), Int(monday + i),
           Int(monday + i + 60000), Text(i == 0 ? "transferred" : "interested")});
    }
    tx->Commit();
  }

  std::unique_ptr<TestServer> server_;
  int64_t campaign_id_ = 0;
  int64_t lead_id_ = 0;
};

TEST_P(ReportsApiTest, ReportsCallsForManagersOnly) {
  auto client = server_->Client();
  const std::string query = "/api/v1/reports/calls?from=2026-03-01&to=2026-03-07";
  EXPECT_EQ(client.Get(query).status, 401);
  EXPECT_EQ(client.Get(query, server_->TokenFor("agent")).status, 403);
  auto res = client.Get(query, server_->TokenFor("manager"));
  ASSERT_EQ(res.status, 200) << res.body;
  auto r = res.Json();
  EXPECT_EQ(r["totals"]["placed"], 3);
  EXPECT_EQ(r["totals"]["handed_over"], 1);
  EXPECT_EQ(r["totals"]["converted"], 2);
  EXPECT_EQ(r["totals"]["talk_seconds"], 180);
  EXPECT_EQ(r["by_day"].size(), 7u);
  EXPECT_EQ(r["by_day"][1]["day"], "2026-03-02");
  EXPECT_EQ(r["by_campaign"][0]["name"], "Reports");

  auto bad = client.Get("/api/v1/reports/calls?from=2026-03-09&to=2026-03-01",
                        server_->TokenFor("manager"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["code"], "invalid_period");
  EXPECT_EQ(
      client.Get("/api/v1/reports/calls?campaign_id=abc", server_->TokenFor("manager")).status,
      400);
  EXPECT_EQ(
      client.Get("/api/v1/reports/calls?campaign_id=99999", server_->TokenFor("manager")).status,
      404);
}

TEST_P(ReportsApiTest, ExportsRunInTheBackgroundAndDownloadAsAttachments) {
  auto client = server_->Client();
  const std::string token = server_->TokenFor("manager");
  EXPECT_EQ(client.Post("/api/v1/reports/exports", {{"format", "csv"}}, server_->TokenFor("agent"))
                .status,
            403);
  auto wrong = client.Post("/api/v1/reports/exports", {{"format", "docx"}}, token);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.Json()["code"], "invalid_format");
  auto unknown =
      client.Post("/api/v1/reports/exports", {{"format", "csv"}, {"colour", "red"}}, token);
  EXPECT_EQ(unknown.status, 400);

  auto started = client.Post("/api/v1/reports/exports",
                             {{"format", "xlsx"},
                              {"from", "2026-03-01"},
                              {"to", "2026-03-07"},
                              {"campaign_id", campaign_id_}},
                             token);
  ASSERT_EQ(started.status, 202) << started.body;
  const int64_t id = started.Json()["id"];
  EXPECT_EQ(started.Header("location"), "/api/v1/reports/exports/" + std::to_string(id));
  nlohmann::json job;
  for (int i = 0; i < 600; ++i) {
    job = client.Get("/api/v1/reports/exports/" + std::to_string(id), token).Json();
    if (job["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["rows_done"], 3);
  EXPECT_EQ(job["rows_total"], 3);
  auto file = client.Get(job["download_url"].get<std::string>(), token);
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body.substr(0, 2), "PK");
  EXPECT_EQ(file.Header("content-type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(file.Header("content-disposition")
                .find("vaarta-calls-2026-03-01-to-2026-03-07-campaign-" +
                      std::to_string(campaign_id_) + ".xlsx"),
            std::string::npos);
  EXPECT_EQ(file.Header("cache-control"), "private, no-store");
  EXPECT_EQ(client.Get(job["download_url"].get<std::string>(), server_->TokenFor("agent")).status,
            403);
  auto list = client.Get("/api/v1/reports/exports", token).Json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], id);
  EXPECT_EQ(client.Get("/api/v1/reports/exports/424242", token).status, 404);
  EXPECT_EQ(client.Get("/api/v1/reports/exports/424242/file", token).status, 404);

  // Erasing a lead removes the call lists that may hold it.
  EXPECT_EQ(
      client
          .Delete("/api/v1/leads/" + std::to_string(lead_id_) + "?reason=asked+to+be+forgotten",
                  server_->TokenFor("admin"))
          .status,
      204);
  auto erased = client.Get(job["download_url"].get<std::string>(), token);
  EXPECT_EQ(erased.status, 409);
  EXPECT_NE(erased.body.find("erased"), std::string::npos);

  // The download is in the audit trail.
  auto tx = server_->app().db().Begin(false);
  auto audited =
      tx->Execute("SELECT COUNT(*) FROM audit_log WHERE action LIKE '%/file' AND target = $1",
                  {Text("report_export:" + std::to_string(id))});
  EXPECT_EQ(audited.rows.at(0).GetInt(0), 1);
}

TEST_P(ReportsApiTest, HeatmapByWeekdayAndHour) {
  auto client = server_->Client();
  const std::string token = server_->TokenFor("agent");
  auto res = client.Get("/api/v1/campaigns/" + std::to_string(campaign_id_) + "/heatmap", token);
  ASSERT_EQ(res.status, 200) << res.body;
  auto cells = res.Json()["cells"];
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0]["weekday"], 0);  // Monday
  EXPECT_EQ(cells[0]["hour"], 11);
  EXPECT_EQ(cells[0]["placed"], 3);
  EXPECT_DOUBLE_EQ(cells[0]["conversion_rate"].get<double>(), 2.0 / 3.0);
  auto empty = client.Get("/api/v1/campaigns/" + std::to_string(campaign_id_) +
                              "/heatmap?from=2026-04-01&to=2026-04-30",
                          token);
  EXPECT_EQ(empty.Json()["cells"].size(), 0u);
  EXPECT_EQ(client.Get("/api/v1/campaigns/99999/heatmap", token).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ReportsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
