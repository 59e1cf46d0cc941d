// Leads over HTTP: upload and import a file as a background job, preview, list and
// filter, per-role visibility, edit, tag, timeline, erasure.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

const std::string kSample = std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv";

class LeadsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(),
                                           [](core::Config& c) { c.max_upload_bytes = 64 * 1024; });
    manager_ = server_->TokenFor("manager");
  }
  nlohmann::json ImportSample(const std::string& query = "") {
    HttpClient client = server_->Client();
    auto started = client.Request(
        "POST", "/api/v1/imports?file_name=leads_sample.csv" + query, ReadFile(kSample),
        {{"Authorization", "Bearer " + manager_}, {"Content-Type", "text/csv"}});
    EXPECT_EQ(started.status, 202) << started.body;
    int64_t id = started.Json()["id"];
    for (int i = 0; i < 200; ++i) {
      auto job = client.Get("/api/v1/imports/" + std::to_string(id), manager_).Json();
      if (job["status"] != "running") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ADD_FAILURE() << "import did not finish";
    return {};
  }
  std::unique_ptr<TestServer> server_;
  std::string manager_;
};

TEST_P(LeadsApiTest, UploadedFileIsImportedInTheBackgroundWithAReport) {
  auto job = ImportSample("&list=Diwali");
  ASSERT_EQ(job["status"], "completed") << job.dump();
  EXPECT_EQ(job["summary"]["total"], 15);
  EXPECT_EQ(job["summary"]["imported"], 7);
  EXPECT_EQ(job["summary"]["duplicates"], 2);
  EXPECT_EQ(job["summary"]["invalid"], 6);
  auto report = server_->Client().Get(job["report_url"].get<std::string>(), manager_);
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(report.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(report.body.find("9,invalid,scientific_notation,"), std::string::npos) << report.body;
  EXPECT_NE(report.body.find("7,duplicate,duplicate_in_file,"), std::string::npos) << report.body;
  auto lists = server_->Client().Get("/api/v1/lists", manager_).Json();
  ASSERT_EQ(lists["items"].size(), 1u);
  EXPECT_EQ(lists["items"][0]["leads"], 7);
}

TEST_P(LeadsApiTest, PreviewShowsMappingAndOutcomesAndStoresNothing) {
  auto res = server_->Client().Request("POST", "/api/v1/imports/preview", ReadFile(kSample),
                                       {{"Authorization", "Bearer " + manager_}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto preview = res.Json();
  EXPECT_EQ(preview["encoding"], "utf-8-bom");
  EXPECT_EQ(preview["mapping"]["phone"], "Contact Number");
  EXPECT_EQ(preview["mapping"]["name"], "Name");
  EXPECT_EQ(preview["rows"][0]["e164"], "+919812345670");
  EXPECT_EQ(preview["rows"][7]["reason"], "scientific_notation");
  EXPECT_EQ(server_->Client().Get("/api/v1/leads", manager_).Json()["items"].size(), 0u);
}

TEST_P(LeadsApiTest, UploadsLargerThanTheLimitAreRefused) {
  std::string big(100 * 1024, 'x');
  std::string raw = server_->Client().Raw(
      "POST /api/v1/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + manager_ +
      "\r\nContent-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big);
  EXPECT_NE(raw.find("413"), std::string::npos) << raw.substr(0, 300);
}

TEST_P(LeadsApiTest, ListFiltersAndAgentsSeeOnlyTheirLeads) {
  ImportSample();
  HttpClient client = server_->Client();
  auto all = client.Get("/api/v1/leads?limit=3", manager_).Json();
  EXPECT_EQ(all["items"].size(), 3u);
  auto next =
      client.Get("/api/v1/leads?limit=3&after=" + all["next_cursor"].get<std::string>(), manager_)
          .Json();
  EXPECT_EQ(next["items"].size(), 3u);
  EXPECT_LT(next["items"][0]["id"].get<int64_t>(), all["items"][2]["id"].get<int64_t>());
  EXPECT_EQ(client.Get("/api/v1/leads?q=kapoor", manager_).Json()["items"].size(), 1u);
  EXPECT_EQ(client.Get("/api/v1/leads?language=hi", manager_).Json()["items"].size(), 3u);
  EXPECT_EQ(client.Get("/api/v1/leads?status=bogus", manager_).status, 400);

  std::string agent = server_->TokenFor("agent");
  EXPECT_EQ(client.Get("/api/v1/leads", agent).Json()["items"].size(), 0u);
  auto me = client.Get("/api/v1/auth/me", agent).Json();
  int64_t lead_id = all["items"][0]["id"];
  EXPECT_EQ(client.Get("/api/v1/leads/" + std::to_string(lead_id), agent).status, 403);
  auto assigned = client.Patch("/api/v1/leads/" + std::to_string(lead_id),
                               {{"owner_id", me["user"]["id"]}}, manager_);
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(client.Get("/api/v1/leads", agent).Json()["items"].size(), 1u);
  EXPECT_EQ(client.Get("/api/v1/leads/" + std::to_string(lead_id), agent).status, 200);
  EXPECT_EQ(client
                .Post("/api/v1/leads/" + std::to_string(lead_id) + "/notes",
                      {{"text", "asked for a callback"}}, agent)
                .status,
            201);
  auto timeline =
      client.Get("/api/v1/leads/" + std::to_string(lead_id) + "/timeline", agent).Json();
  EXPECT_EQ(timeline["items"][0]["kind"], "note");
  EXPECT_EQ(timeline["items"].back()["kind"], "import");
}

TEST_P(LeadsApiTest, CreateTagEditAndEraseALead) {
  HttpClient client = server_->Client();
  auto created = client.Post(
      "/api/v1/leads", {{"phone", "098123 45670"}, {"name", "Anil"}, {"tags", {"Hot"}}}, manager_);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["phone"], "+919812345670");
  EXPECT_EQ(created.Json()["source"]["kind"], "api");
  auto again = client.Post("/api/v1/leads", {{"phone", "+91 98123 45670"}}, manager_);
  EXPECT_EQ(again.status, 409);
  auto bad = client.Post("/api/v1/leads", {{"phone", "1800 425 1234"}}, manager_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["code"], "not_callable_type");
  int64_t id = created.Json()["id"];
  EXPECT_EQ(
      client.Post("/api/v1/leads/bulk-tag", {{"ids", {id}}, {"add", {"diwali"}}}, manager_).status,
      204);
  EXPECT_EQ(client.Get("/api/v1/leads?tag=diwali", manager_).Json()["items"].size(), 1u);
  std::string admin = server_->TokenFor("admin");
  EXPECT_EQ(client.Delete("/api/v1/leads/" + std::to_string(id), admin).status,
            400);  // reason required
  EXPECT_EQ(
      client.Delete("/api/v1/leads/" + std::to_string(id) + "?reason=DPDP%20request", manager_)
          .status,
      403);
  EXPECT_EQ(
      client.Delete("/api/v1/leads/" + std::to_string(id) + "?reason=DPDP%20request", admin).status,
      204);
  EXPECT_EQ(client.Get("/api/v1/leads/" + std::to_string(id), admin).status, 404);
  EXPECT_EQ(client.Get("/api/v1/leads?q=anil", admin).Json()["items"].size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, LeadsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
