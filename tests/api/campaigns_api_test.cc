// Campaigns over HTTP: roles, field errors with their paths, a start refused with its
// findings, the admin's DLT override, and a whole start/pause/resume/complete flow.
#include <gtest/gtest.h>

#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

using nlohmann::json;

class CampaignsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    manager_ = server_->TokenFor("manager");
    agent_ = server_->TokenFor("agent");
    admin_ = server_->TokenFor("admin");
  }

  // Two leads in list "Diwali"; returns the list's id.
  int64_t SeedList() {
    HttpClient client = server_->Client();
    for (const char* phone : {"9812345670", "9812345671"}) {
      auto res = client.Post("/api/v1/leads", {{"phone", phone}, {"list", "Diwali"}}, manager_);
      EXPECT_EQ(res.status, 201) << res.body;
    }
    return client.Get("/api/v1/lists", manager_).Json()["items"][0]["id"];
  }

  // The facts of a campaign that may start, with a generated script.
  json Ready(const std::string& name, int64_t list_id) {
    json facts = {{"business_name", "Vidya Academy"},
                  {"goal", "book a free counselling session"},
                  {"product_facts", "Spoken English courses in Pune and online."},
                  {"offer", "15% off before Diwali"}};
    auto generated = server_->Client().Post("/api/v1/campaigns/script/generate", facts, manager_);
    EXPECT_EQ(generated.status, 200) << generated.body;
    json doc = facts;
    doc["name"] = name;
    doc["script"] = generated.Json()["script"];
    doc["ncpr_category"] = 3;
    doc["caller_id"] = "+911401234567";
    doc["dlt"] = {{"entity_id", "1201160000000012345"},
                  {"caller_id_series", "140"},
                  {"declaration_date", "2026-01-15"}};
    doc["list_ids"] = {list_id};
    return doc;
  }

  static std::vector<std::string> Codes(const json& findings, const std::string& severity) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
      if (f["severity"] == severity) out.push_back(f["code"]);
    }
    return out;
  }

  std::unique_ptr<TestServer> server_;
  std::string manager_, agent_, admin_;
};

TEST_P(CampaignsApiTest, ReadinessSaysWhatAStartWouldSayAndChangesNothing) {
  HttpClient client = server_->Client();
  json doc = Ready("Readiness", SeedList());
  doc["provider"] = "twilio";  // Twilio cannot carry Indian promotional calls
  auto created = client.Post("/api/v1/campaigns", doc, manager_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/api/v1/campaigns/" + std::to_string(created.Json()["id"].get<int64_t>());
  auto ready = client.Get(path + "/readiness", agent_);
  ASSERT_EQ(ready.status, 200) << ready.body;
  EXPECT_FALSE(ready.Json()["can_start"].get<bool>());
  EXPECT_EQ(Codes(ready.Json()["findings"], "error"), std::vector<std::string>{"twilio_india"});
  // The start refuses with the same findings, and the readiness check left the draft a draft.
  EXPECT_EQ(client.Get(path, agent_).Json()["state"], "draft");
  auto start = client.Post(path + "/start", json::object(), manager_);
  EXPECT_EQ(start.status, 409) << start.body;
  EXPECT_EQ(Codes(start.Json()["findings"], "error"), std::vector<std::string>{"twilio_india"});
  // Service calls to people who asked for them are not promotional: nothing stops the start.
  auto fixed = client.Patch(
      path, {{"call_class", "service"}, {"call_class_reason", "each lead asked to be called back"}},
      manager_);
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  auto again = client.Get(path + "/readiness", agent_).Json();
  EXPECT_TRUE(again["can_start"].get<bool>()) << again.dump();
  EXPECT_EQ(client.Get("/api/v1/campaigns/999999/readiness", agent_).status, 404);
}

TEST_P(CampaignsApiTest, ManagersCreateAgentsReadAndOnlyAdminsOverride) {
  HttpClient client = server_->Client();
  int64_t list = SeedList();
  json doc = Ready("Diwali calls", list);
  auto by_agent = client.Post("/api/v1/campaigns", doc, agent_);
  EXPECT_EQ(by_agent.status, 403);
  EXPECT_EQ(by_agent.Json()["code"], "insufficient_role");

  auto created = client.Post("/api/v1/campaigns", doc, manager_);
  ASSERT_EQ(created.status, 201) << created.body;
  json campaign = created.Json();
  int64_t id = campaign["id"];
  EXPECT_EQ(created.Header("location"), "/api/v1/campaigns/" + std::to_string(id));
  EXPECT_EQ(campaign["state"], "draft");
  EXPECT_EQ(campaign["window"]["start"], "10:00");
  EXPECT_TRUE(campaign["findings"].is_array());
  std::string path = "/api/v1/campaigns/" + std::to_string(id);

  auto listed = client.Get("/api/v1/campaigns", agent_);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.Json()["items"].size(), 1u);
  EXPECT_EQ(listed.Json()["items"][0]["name"], "Diwali calls");
  EXPECT_EQ(client.Get(path, agent_).status, 200);
  EXPECT_EQ(client.Get("/api/v1/campaigns?state=running", agent_).Json()["items"].size(), 0u);
  EXPECT_EQ(client.Get("/api/v1/campaigns?state=flying", agent_).status, 400);
  EXPECT_EQ(client.Patch(path, {{"goal", "x"}}, agent_).status, 403);
  EXPECT_EQ(client.Post(path + "/start", json::object(), agent_).status, 403);

  json override = {{"dlt", {{"override_reason", "registration pending"}}}};
  auto denied = client.Patch(path, override, manager_);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.Json()["code"], "dlt_override_needs_admin");
  EXPECT_EQ(denied.Json()["errors"][0]["field"], "dlt.override_reason");
  auto allowed = client.Patch(path, override, admin_);
  ASSERT_EQ(allowed.status, 200) << allowed.body;
  EXPECT_EQ(allowed.Json()["dlt"]["override_reason"], "registration pending");
  auto audit = client.Get("/api/v1/audit?action=campaigns.dlt_override", admin_).Json();
  ASSERT_EQ(audit["items"].size(), 2u);
  EXPECT_EQ(audit["items"][0]["outcome"], "success");
  EXPECT_EQ(audit["items"][1]["outcome"], "denied");

  auto taken = client.Post("/api/v1/campaigns", doc, manager_);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.Json()["code"], "campaign_name_taken");
}

TEST_P(CampaignsApiTest, InvalidFieldsComeBackTogetherWithTheirPaths) {
  auto res = server_->Client().Post("/api/v1/campaigns",
                                    {{"name", "Bad"},
                                     {"window", {{"start", "9am"}}},
                                     {"ncpr_category", 12},
                                     {"calls_per_second", 100},
                                     {"state", "running"}},
                                    manager_);
  ASSERT_EQ(res.status, 400);
  json problem = res.Json();
  EXPECT_EQ(problem["code"], "invalid_campaign");
  EXPECT_EQ(res.Header("content-type"), "application/problem+json");
  std::set<std::string> fields;
  for (const auto& e : problem["errors"]) fields.insert(e["field"]);
  EXPECT_EQ(fields,
            (std::set<std::string>{"window.start", "ncpr_category", "calls_per_second", "state"}));
  EXPECT_NE(problem["detail"].get<std::string>().find("calls_per_second: must be > 0 and <= 50"),
            std::string::npos);
}

TEST_P(CampaignsApiTest, StartIsRefusedWithTheFindingsThatStopIt) {
  HttpClient client = server_->Client();
  auto created = client.Post("/api/v1/campaigns", {{"name", "Unready"}}, manager_);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/api/v1/campaigns/" + std::to_string(created.Json()["id"].get<int64_t>());
  auto start = client.Post(path + "/start", json::object(), manager_);
  ASSERT_EQ(start.status, 409) << start.body;
  json problem = start.Json();
  EXPECT_EQ(problem["code"], "campaign_not_ready");
  auto errors = Codes(problem["findings"], "error");
  for (const char* code : {"script_missing", "ncpr_category_missing", "dlt_entity_id_missing",
                           "no_leads", "business_name_missing"}) {
    EXPECT_NE(std::find(errors.begin(), errors.end(), code), errors.end()) << code;
  }
  EXPECT_EQ(client.Get(path, agent_).Json()["state"], "draft");
  auto pause = client.Post(path + "/pause", json::object(), manager_);
  EXPECT_EQ(pause.status, 409);
  EXPECT_EQ(pause.Json()["code"], "invalid_transition");
  auto check = client.Post(path + "/script/check", json::object(), manager_);
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(check.Json()["can_start"], false);
  EXPECT_EQ(client.Get("/api/v1/campaigns/999", agent_).status, 404);
}

TEST_P(CampaignsApiTest, AWholeCampaignRunsThroughItsLifecycle) {
  HttpClient client = server_->Client();
  int64_t list = SeedList();
  auto created = client.Post("/api/v1/campaigns", Ready("Diwali calls", list), manager_);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(Codes(created.Json()["findings"], "error").empty()) << created.body;
  std::string path = "/api/v1/campaigns/" + std::to_string(created.Json()["id"].get<int64_t>());

  auto check = client.Post(path + "/script/check", json::object(), manager_);
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(check.Json()["can_start"], true) << check.body;
  json draft = created.Json()["script"];
  draft["start"] = "nowhere";
  auto draft_check = client.Post(path + "/script/check", {{"script", draft}}, manager_);
  EXPECT_EQ(draft_check.Json()["can_start"], false);

  auto started = client.Post(path + "/start", json::object(), manager_);
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(started.Json()["state"], "running");
  EXPECT_EQ(started.Json()["enrolled"], 2);
  EXPECT_EQ(started.Json()["queued"], 2);
  EXPECT_FALSE(started.Json()["started_at"].is_null());

  auto goal = client.Patch(path, {{"goal", "sell more"}}, manager_);
  EXPECT_EQ(goal.status, 409);
  EXPECT_EQ(goal.Json()["code"], "pause_to_edit");
  auto paced = client.Patch(path, {{"calls_per_second", 2}}, manager_);
  ASSERT_EQ(paced.status, 200) << paced.body;
  EXPECT_EQ(paced.Json()["calls_per_second"], 2.0);
  EXPECT_EQ(client.Delete(path, manager_).status, 409);  // a running campaign is not archived

  auto stats = client.Get(path + "/stats", agent_);
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.Json()["leads"]["total"], 2);
  EXPECT_EQ(stats.Json()["leads"]["by_state"]["queued"], 2);
  EXPECT_EQ(stats.Json()["attempts"]["total"], 0);

  EXPECT_EQ(client.Post(path + "/pause", json::object(), manager_).Json()["state"], "paused");
  EXPECT_EQ(client.Patch(path, {{"goal", "sell more"}}, manager_).status, 200);
  auto resumed = client.Post(path + "/resume", json::object(), manager_);
  ASSERT_EQ(resumed.status, 200) << resumed.body;
  EXPECT_EQ(resumed.Json()["state"], "running");
  EXPECT_EQ(resumed.Json()["enrolled"], 0);
  auto completed = client.Post(path + "/complete", json::object(), manager_);
  ASSERT_EQ(completed.status, 200);
  EXPECT_EQ(completed.Json()["state"], "completed");
  EXPECT_FALSE(completed.Json()["finished_at"].is_null());
  auto archived = client.Delete(path, manager_);
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_EQ(archived.Json()["state"], "archived");

  auto audit = client.Get("/api/v1/audit?action=campaigns.", admin_).Json();
  std::vector<std::string> actions;
  for (const auto& r : audit["items"]) actions.push_back(r["action"]);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"campaigns.archive", "campaigns.complete", "campaigns.resume",
                                      "campaigns.update", "campaigns.pause", "campaigns.update",
                                      "campaigns.start", "campaigns.create"}));
}

TEST_P(CampaignsApiTest, GeneratingAScriptNeedsAGoal) {
  HttpClient client = server_->Client();
  auto missing = client.Post("/api/v1/campaigns/script/generate",
                             {{"business_name", "Vidya Academy"}}, manager_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json()["errors"][0]["field"], "goal");
  auto generated =
      client.Post("/api/v1/campaigns/script/generate",
                  {{"business_name", "Vidya Academy"}, {"goal", "book a demo"}}, manager_);
  ASSERT_EQ(generated.status, 200) << generated.body;
  EXPECT_EQ(generated.Json()["source"], "template");
  EXPECT_TRUE(Codes(generated.Json()["findings"], "error").empty());
  EXPECT_EQ(client.Post("/api/v1/campaigns/script/generate", {{"goal", "x"}}, agent_).status, 403);
}

TEST_P(CampaignsApiTest, TheScriptSchemaIsPublished) {
  auto res = server_->Client().Get("/api/v1/scripts/schema", agent_);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("content-type"), "application/schema+json");
  EXPECT_EQ(res.Json()["title"], "Vaarta campaign script, version 1");
}

INSTANTIATE_TEST_SUITE_P(Dialects, CampaignsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
