// Data principals' requests and grievances over HTTP, on both databases: deadlines, the
// refusals of bad input, and an erasure request that cannot be closed before its lead is
// erased.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

class DataRequestsApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    int64_t now = 0;
    ASSERT_TRUE(core::ParseIso8601("2027-01-10T12:00:00+05:30", &now));
    clock_ = std::make_unique<core::ManualClock>(now);
    server_ = std::make_unique<TestServer>(GetParam(), nullptr, clock_.get());
    manager_ = server_->TokenFor("manager");
  }

  std::unique_ptr<core::ManualClock> clock_;
  std::unique_ptr<TestServer> server_;
  std::string manager_;
};

TEST_P(DataRequestsApiTest, RequestsAreDueNinetyDaysAfterTheyArrive) {
  auto client = server_->Client();
  auto added = client.Post("/api/v1/data-requests",
                           {{"kind", "grievance"},
                            {"requester", "Ravi Kumar, ravi@example.in"},
                            {"channel", "email"},
                            {"details", "Called three times after I said no"},
                            {"received_on", "2027-01-02"}},
                           manager_);
  ASSERT_EQ(added.status, 201) << added.body;
  auto g = added.Json();
  EXPECT_EQ(g["due_on"], "2027-04-02");  // 90 days after 2 January
  EXPECT_EQ(g["days_left"], 82);
  EXPECT_FALSE(g["overdue"].get<bool>());
  EXPECT_TRUE(g["phone"].is_null());

  auto today =
      client.Post("/api/v1/data-requests",
                  {{"kind", "access"}, {"requester", "Sita"}, {"phone", "98123 45670"}}, manager_);
  ASSERT_EQ(today.status, 201) << today.body;
  EXPECT_EQ(today.Json()["phone"], "+919812345670");
  EXPECT_EQ(today.Json()["phone_hint"], "…5670");
  EXPECT_EQ(today.Json()["due_on"], "2027-04-10");

  // The soonest due first; past its day it is overdue.
  auto list = client.Get("/api/v1/data-requests?state=open", manager_).Json()["items"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["kind"], "grievance");
  clock_->Advance(83LL * 24 * 3600 * 1000);
  list = client.Get("/api/v1/data-requests", server_->TokenFor("manager")).Json()["items"];
  EXPECT_TRUE(list[0]["overdue"].get<bool>());
  EXPECT_EQ(list[0]["days_left"], -1);

  EXPECT_EQ(client.Get("/api/v1/data-requests", server_->TokenFor("agent")).status, 403);
}

TEST_P(DataRequestsApiTest, BadRequestsAreRefusedWithTheReason) {
  auto client = server_->Client();
  auto refused = [&](const nlohmann::json& body, const std::string& code) {
    auto res = client.Post("/api/v1/data-requests", body, manager_);
    EXPECT_EQ(res.status, 400) << body.dump();
    EXPECT_EQ(res.Json()["code"], code) << res.body;
    return res.Json().value("detail", "");
  };
  refused({{"kind", "complaint"}, {"requester", "x"}}, "invalid_kind");
  refused({{"kind", "grievance"}, {"requester", ""}}, "invalid_requester");
  refused({{"kind", "grievance"}, {"requester", "x"}, {"channel", "pigeon"}}, "invalid_channel");
  EXPECT_NE(refused({{"kind", "erasure"}, {"requester", "x"}}, "invalid_phone").find("erasure"),
            std::string::npos);
  EXPECT_NE(
      refused({{"kind", "access"}, {"requester", "x"}, {"phone", "98123OOOOO"}}, "invalid_phone")
          .find("letters"),
      std::string::npos);
  refused({{"kind", "grievance"}, {"requester", "x"}, {"received_on", "2027-02-30"}},
          "invalid_received_on");
  refused({{"kind", "grievance"}, {"requester", "x"}, {"received_on", "2027-01-11"}},
          "invalid_received_on");
  EXPECT_TRUE(client.Get("/api/v1/data-requests", manager_).Json()["items"].empty());
}

TEST_P(DataRequestsApiTest, AnErasureIsDoneOnlyWhenItsLeadIsErased) {
  auto client = server_->Client();
  auto lead = client.Post("/api/v1/leads", {{"phone", "9812345670"}, {"name", "Asha"}}, manager_);
  ASSERT_EQ(lead.status, 201) << lead.body;
  auto added = client.Post(
      "/api/v1/data-requests",
      {{"kind", "erasure"}, {"requester", "Asha, by phone"}, {"phone", "+91 98123 45670"}},
      manager_);
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string close =
      "/api/v1/data-requests/" + std::to_string(added.Json()["id"].get<int64_t>()) + "/close";

  auto early = client.Post(close, {{"outcome", "done"}, {"note", "erased"}}, manager_);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.Json()["code"], "lead_not_erased");
  EXPECT_EQ(client.Post(close, {{"outcome", "done"}}, manager_).status, 400);

  ASSERT_EQ(client
                .Delete("/api/v1/leads/" + std::to_string(lead.Json()["id"].get<int64_t>()) +
                            "?reason=erasure%20request",
                        server_->TokenFor("admin"))
                .status,
            204);
  auto item = client.Get("/api/v1/data-requests", manager_).Json()["items"][0];
  EXPECT_TRUE(item["phone"].is_null());  // the number went with the lead
  EXPECT_EQ(item["phone_hint"], "…5670");

  auto done =
      client.Post(close, {{"outcome", "done"}, {"note", "Lead erased on request"}}, manager_);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json()["state"], "closed");
  EXPECT_EQ(done.Json()["outcome"], "done");
  EXPECT_EQ(client.Post(close, {{"outcome", "done"}, {"note", "again"}}, manager_).status, 409);
  EXPECT_EQ(client.Get("/api/v1/data-requests?state=closed", manager_).Json()["items"].size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, DataRequestsApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
