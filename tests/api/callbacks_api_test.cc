// Callbacks booked by a person over HTTP: the time asked for is moved by the pre-dial
// gate into the campaign's window (and off national holidays), the lead goes to the
// front of the queue at that time, and bad requests are refused with what is wrong.
#include <gtest/gtest.h>

#include <fstream>

#include "core/clock.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

using nlohmann::json;

class CallbacksApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    manager_ = server_->TokenFor("manager");
    agent_ = server_->TokenFor("agent");
    // Today's DND scrub, so that Indian numbers may be called at all.
    dir_ = MakeTempDir("callbacks-api");
    std::ofstream(dir_ + "/dnd.txt") << "+919000000001\n";
    auto loaded = server_->app().dnd().Load(dir_ + "/dnd.txt", {}, {"test", "admin", "", ""});
    ASSERT_TRUE(loaded) << loaded.error().message;
    HttpClient client = server_->Client();
    for (const char* phone : {"9812345670", "9812345671"}) {
      auto res = client.Post("/api/v1/leads", {{"phone", phone}, {"list", "Callbacks"}}, manager_);
      ASSERT_EQ(res.status, 201) << res.body;
      leads_.push_back(res.Json()["id"]);
    }
    int64_t list = client.Get("/api/v1/lists", manager_).Json()["items"][0]["id"];
    json facts = {{"business_name", "Vidya Academy"}, {"goal", "book a counselling session"}};
    auto generated = client.Post("/api/v1/campaigns/script/generate", facts, manager_);
    ASSERT_EQ(generated.status, 200) << generated.body;
    json doc = facts;
    doc["name"] = "callbacks";
    doc["script"] = generated.Json()["script"];
    doc["ncpr_category"] = 3;
    doc["caller_id"] = "+911401234567";
    doc["dlt"] = {{"entity_id", "1201160000000012345"},
                  {"caller_id_series", "140"},
                  {"declaration_date", "2026-01-15"}};
    doc["list_ids"] = {list};
    auto created = client.Post("/api/v1/campaigns", doc, manager_);
    ASSERT_EQ(created.status, 201) << created.body;
    campaign_ = created.Json()["id"];
    auto started = client.Post(Path() + "/start", json::object(), manager_);
    ASSERT_EQ(started.status, 200) << started.body;
  }
  void TearDown() override {
    server_.reset();
    RemoveTree(dir_);
  }

  std::string Path() const { return "/api/v1/campaigns/" + std::to_string(campaign_); }

  // An instant `days` from today at hh:mm IST, written with its offset.
  static std::string IstAt(int days, const std::string& hhmm) {
    const int64_t now = core::SystemClock().NowMillis();
    return core::IstDate(now + int64_t{days} * 86'400'000) + "T" + hhmm + ":00+05:30";
  }

  std::unique_ptr<TestServer> server_;
  std::string manager_, agent_, dir_;
  std::vector<int64_t> leads_;
  int64_t campaign_ = 0;
};

TEST_P(CallbacksApiTest, ALateRequestMovesToTheNextLegalMorning) {
  HttpClient client = server_->Client();
  // 23:00 IST is outside 10:00-21:00: the first legal minute after it is 10:00 on a day
  // that is not a national holiday.
  auto booked =
      client.Post(Path() + "/callbacks",
                  {{"lead_id", leads_[0]}, {"at", IstAt(1, "23:00")}, {"note", "asked"}}, agent_);
  ASSERT_EQ(booked.status, 201) << booked.body;
  json cb = booked.Json();
  int64_t due = 0;
  ASSERT_TRUE(core::ParseIso8601(cb["due_at"], &due));
  const auto local = core::ToLocalTime(due, core::kIstOffsetMillis);
  EXPECT_EQ(local.hour, 10);
  EXPECT_EQ(local.minute, 0);
  EXPECT_GT(due, 0);
  EXPECT_NE(cb["due_at"], cb["requested_at"]);
  EXPECT_NE(cb["moved_because"].get<std::string>().find("window"), std::string::npos) << cb.dump();
  EXPECT_EQ(cb["state"], "pending");
  EXPECT_EQ(cb["note"], "asked");

  // A request inside the window stays as it was asked.
  auto kept = client.Post(Path() + "/callbacks",
                          {{"lead_id", leads_[1]}, {"at", IstAt(2, "15:30")}}, agent_);
  ASSERT_EQ(kept.status, 201) << kept.body;
  int64_t asked = 0, kept_due = 0;
  ASSERT_TRUE(core::ParseIso8601(IstAt(2, "15:30"), &asked));
  ASSERT_TRUE(core::ParseIso8601(kept.Json()["due_at"], &kept_due));
  if (core::IstDate(asked).substr(5) != "01-26" && core::IstDate(asked).substr(5) != "08-15" &&
      core::IstDate(asked).substr(5) != "10-02") {
    EXPECT_EQ(kept_due, asked);
    EXPECT_FALSE(kept.Json().contains("moved_because"));
  }

  auto list = client.Get(Path() + "/callbacks?state=pending", agent_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["items"].size(), 2u);
  auto stats = client.Get(Path() + "/stats", agent_);
  ASSERT_EQ(stats.status, 200);
}

TEST_P(CallbacksApiTest, BadRequestsSayWhatIsWrong) {
  HttpClient client = server_->Client();
  auto past = client.Post(Path() + "/callbacks",
                          {{"lead_id", leads_[0]}, {"at", IstAt(-1, "12:00")}}, agent_);
  EXPECT_EQ(past.status, 400);
  EXPECT_EQ(past.Json()["code"], "callback_in_past");
  auto no_zone = client.Post(Path() + "/callbacks",
                             {{"lead_id", leads_[0]}, {"at", "2027-01-05 12:00"}}, agent_);
  EXPECT_EQ(no_zone.status, 400);
  EXPECT_EQ(no_zone.Json()["code"], "invalid_at");
  auto stranger = client.Post("/api/v1/campaigns/999/callbacks",
                              {{"lead_id", leads_[0]}, {"at", IstAt(1, "12:00")}}, agent_);
  EXPECT_EQ(stranger.status, 404);
  auto other_lead =
      client.Post(Path() + "/callbacks", {{"lead_id", 987654}, {"at", IstAt(1, "12:00")}}, agent_);
  EXPECT_EQ(other_lead.status, 404);
  EXPECT_EQ(other_lead.Json()["code"], "lead_not_in_campaign");
  auto extra =
      client.Post(Path() + "/callbacks",
                  {{"lead_id", leads_[0]}, {"at", IstAt(1, "12:00")}, {"when", 1}}, agent_);
  EXPECT_EQ(extra.status, 400);
  auto anonymous =
      client.Post(Path() + "/callbacks", {{"lead_id", leads_[0]}, {"at", IstAt(1, "12:00")}}, "");
  EXPECT_EQ(anonymous.status, 401);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, CallbacksApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
