// The DND registry over HTTP: checking numbers with and without a registry, the
// category, mode and time-band rules, request validation, who may do what, the status
// of the registry and an admin's audited override of a stale one.
#include <gtest/gtest.h>

#include <fstream>

#include "core/clock.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

// Fully blocked; category 1 (banking) for robo calls only; and category 1 for robo
// calls, accepted on weekdays only.
const char kRegistry[] =
    "9812345670\n"
    "9812345671 cat=1 modes=robo\n"
    "9812345672 cat=1 modes=robo days=mon-fri\n";

// 2026-03-01 is a Sunday, 2026-03-02 a Monday.
const char kMondayEight[] = "2026-03-02T08:00:00+05:30";
const char kMondayEleven[] = "2026-03-02T11:00:00+05:30";
const char kSundayEleven[] = "2026-03-01T11:00:00+05:30";

class DndApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    dir_ = MakeTempDir("dnd-api");
    agent_ = server_->TokenFor("agent");
    manager_ = server_->TokenFor("manager");
    admin_ = server_->TokenFor("admin");
  }
  void TearDown() override {
    server_.reset();
    RemoveTree(dir_);
  }

  static std::string Today() { return core::IstDate(core::SystemClock().NowMillis()); }
  static std::string Yesterday() {
    return core::IstDate(core::SystemClock().NowMillis() - 86'400'000);
  }

  // Loads `text` as the whole registry, produced on `date` (empty: today in IST).
  compliance::DndLoadReport LoadRegistry(const std::string& text, const std::string& date = "") {
    std::string path = dir_ + "/registry-" + std::to_string(++loads_) + ".txt";
    std::ofstream(path, std::ios::binary) << text;
    compliance::DndLoadOptions options;
    options.registry_date = date;
    auto report =
        server_->app().dnd().Load(path, options, {"system:test", "admin", "127.0.0.1", ""});
    if (!report) {
      ADD_FAILURE() << "cannot load the registry: " << report.error().message;
      return {};
    }
    return *report;
  }

  HttpResult Check(const nlohmann::json& body, const std::string& token = "") {
    return server_->Client().Post("/api/v1/dnd/check", body, token.empty() ? agent_ : token);
  }

  // The result for each number of a check that must succeed, in order.
  nlohmann::json Results(const nlohmann::json& body) {
    auto res = Check(body);
    EXPECT_EQ(res.status, 200) << res.body;
    if (res.status != 200) return nlohmann::json::array();
    auto results = res.Json()["results"];
    EXPECT_EQ(results.size(), body["numbers"].size()) << res.body;
    return results;
  }

  // Asserts a problem-details answer with this status and code.
  static void ExpectProblem(const HttpResult& res, int status, const std::string& code) {
    EXPECT_EQ(res.status, status) << res.body;
    EXPECT_EQ(res.Header("content-type"), "application/problem+json") << res.body;
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res.body;
    EXPECT_EQ(body["code"], code) << res.body;
    EXPECT_EQ(body["type"], "https://vaarta.dev/problems/" + code) << res.body;
    EXPECT_EQ(body["status"], status) << res.body;
    EXPECT_FALSE(body["detail"].get<std::string>().empty()) << res.body;
  }

  nlohmann::json Status() {
    auto res = server_->Client().Get("/api/v1/dnd/status", manager_);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json();
  }

  std::unique_ptr<TestServer> server_;
  std::string dir_;
  std::string agent_, manager_, admin_;
  int loads_ = 0;
};

TEST_P(DndApiTest, WithoutARegistryEveryIndianNumberIsBlocked) {
  auto res = Check({{"numbers", {"98123 45670", "+44 20 7946 0958", "12345"}}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = res.Json();
  EXPECT_TRUE(body["registry_date"].is_null()) << res.body;
  EXPECT_FALSE(body["usable"].get<bool>());
  EXPECT_EQ(body["category"], 0);
  EXPECT_EQ(body["mode"], "ai_agent");
  const auto& results = body["results"];
  ASSERT_EQ(results.size(), 3u) << res.body;

  EXPECT_EQ(results[0]["input"], "98123 45670");
  EXPECT_EQ(results[0]["phone"], "+919812345670");
  EXPECT_TRUE(results[0]["indian"].get<bool>());
  EXPECT_TRUE(results[0]["blocked"].get<bool>());
  EXPECT_FALSE(results[0]["listed"].get<bool>());
  EXPECT_NE(results[0]["reason"].get<std::string>().find("no DND registry is loaded"),
            std::string::npos)
      << results[0].dump();

  EXPECT_EQ(results[1]["phone"], "+442079460958");
  EXPECT_FALSE(results[1]["indian"].get<bool>());
  EXPECT_FALSE(results[1]["blocked"].get<bool>());
  EXPECT_FALSE(results[1]["reason"].get<std::string>().empty());
  EXPECT_FALSE(results[0]["may_call"].get<bool>());
  EXPECT_TRUE(results[1]["may_call"].get<bool>());  // India's registry does not cover it

  EXPECT_EQ(results[2]["input"], "12345");
  ASSERT_TRUE(results[2]["error"].is_object()) << results[2].dump();
  EXPECT_FALSE(results[2]["error"]["code"].get<std::string>().empty());
  EXPECT_FALSE(results[2]["error"]["message"].get<std::string>().empty());
  EXPECT_FALSE(results[2].contains("blocked")) << results[2].dump();
  EXPECT_FALSE(results[2].contains("phone")) << results[2].dump();
}

TEST_P(DndApiTest, ALoadedRegistryAnswersByCategoryAndMode) {
  auto report = LoadRegistry(kRegistry);
  ASSERT_EQ(report.numbers_after, 3u);
  nlohmann::json numbers = {"9812345670", "9812345671", "+91 98123 45679"};

  auto voice = Results({{"numbers", numbers}, {"category", 1}, {"mode", "voice"}});
  ASSERT_EQ(voice.size(), 3u);
  EXPECT_TRUE(voice[0]["listed"].get<bool>());
  EXPECT_TRUE(voice[0]["blocked"].get<bool>()) << voice[0].dump();
  EXPECT_TRUE(voice[0]["preference"]["fully_blocked"].get<bool>());
  EXPECT_TRUE(voice[1]["listed"].get<bool>());
  EXPECT_FALSE(voice[1]["blocked"].get<bool>()) << voice[1].dump();
  EXPECT_FALSE(voice[1]["preference"]["fully_blocked"].get<bool>());
  EXPECT_EQ(voice[1]["preference"]["blocked_categories"], nlohmann::json({1}));
  EXPECT_EQ(voice[1]["preference"]["blocked_modes"], nlohmann::json({"robo"}));
  EXPECT_FALSE(voice[2]["listed"].get<bool>());
  EXPECT_FALSE(voice[2]["blocked"].get<bool>()) << voice[2].dump();
  EXPECT_TRUE(voice[2]["preference"].is_null());

  // The AI agent counts as a robo call, so the partial listing stops it.
  auto agent = Results({{"numbers", numbers}, {"category", 1}, {"mode", "ai_agent"}});
  ASSERT_EQ(agent.size(), 3u);
  EXPECT_TRUE(agent[0]["blocked"].get<bool>());
  EXPECT_TRUE(agent[1]["blocked"].get<bool>()) << agent[1].dump();
  EXPECT_NE(agent[1]["reason"].get<std::string>().find("category 1"), std::string::npos)
      << agent[1].dump();
  EXPECT_FALSE(agent[2]["blocked"].get<bool>());

  auto robo = Results({{"numbers", {"9812345671"}}, {"category", 1}, {"mode", "robo"}});
  ASSERT_EQ(robo.size(), 1u);
  EXPECT_TRUE(robo[0]["blocked"].get<bool>()) << robo[0].dump();

  auto other_category = Results({{"numbers", numbers}, {"category", 2}, {"mode", "ai_agent"}});
  ASSERT_EQ(other_category.size(), 3u);
  EXPECT_TRUE(other_category[0]["blocked"].get<bool>());
  EXPECT_FALSE(other_category[1]["blocked"].get<bool>()) << other_category[1].dump();
  EXPECT_FALSE(other_category[2]["blocked"].get<bool>());

  // No category: any listing blocks the AI agent (the default mode).
  auto any = Results({{"numbers", {"9812345671"}}});
  ASSERT_EQ(any.size(), 1u);
  EXPECT_TRUE(any[0]["blocked"].get<bool>()) << any[0].dump();
  EXPECT_NE(any[0]["reason"].get<std::string>().find("no campaign category"), std::string::npos)
      << any[0].dump();
}

TEST_P(DndApiTest, ATimeOutsideTheCustomersBandsOrDaysIsBlocked) {
  LoadRegistry(kRegistry);
  nlohmann::json numbers = {"9812345671", "9812345672", "9812345679"};

  auto early = Results({{"numbers", numbers}, {"category", 2}, {"at", kMondayEight}});
  ASSERT_EQ(early.size(), 3u);
  EXPECT_TRUE(early[0]["blocked"].get<bool>()) << early[0].dump();
  EXPECT_NE(early[0]["reason"].get<std::string>().find("time bands"), std::string::npos)
      << early[0].dump();
  EXPECT_NE(early[0]["reason"].get<std::string>().find("08:00 IST"), std::string::npos)
      << early[0].dump();
  EXPECT_TRUE(early[1]["blocked"].get<bool>()) << early[1].dump();
  // The bands belong to listed customers; an unlisted number has none.
  EXPECT_FALSE(early[2]["blocked"].get<bool>()) << early[2].dump();

  auto in_band = Results({{"numbers", numbers}, {"category", 2}, {"at", kMondayEleven}});
  ASSERT_EQ(in_band.size(), 3u);
  EXPECT_FALSE(in_band[0]["blocked"].get<bool>()) << in_band[0].dump();
  EXPECT_FALSE(in_band[1]["blocked"].get<bool>()) << in_band[1].dump();
  EXPECT_FALSE(in_band[2]["blocked"].get<bool>());

  // The same instant in UTC is the same answer.
  auto utc =
      Results({{"numbers", {"9812345671"}}, {"category", 2}, {"at", "2026-03-02T02:30:00Z"}});
  ASSERT_EQ(utc.size(), 1u);
  EXPECT_TRUE(utc[0]["blocked"].get<bool>()) << utc[0].dump();

  auto sunday = Results({{"numbers", numbers}, {"category", 2}, {"at", kSundayEleven}});
  ASSERT_EQ(sunday.size(), 3u);
  EXPECT_FALSE(sunday[0]["blocked"].get<bool>()) << sunday[0].dump();
  EXPECT_TRUE(sunday[1]["blocked"].get<bool>()) << sunday[1].dump();
  EXPECT_NE(sunday[1]["reason"].get<std::string>().find("Sundays"), std::string::npos)
      << sunday[1].dump();
}

TEST_P(DndApiTest, InvalidCheckRequestsGetProblemDetails) {
  ExpectProblem(Check(nlohmann::json::object()), 400, "invalid_numbers");
  ExpectProblem(Check({{"numbers", nlohmann::json::array()}}), 400, "invalid_numbers");
  ExpectProblem(Check({{"numbers", "9812345670"}}), 400, "invalid_numbers");
  ExpectProblem(Check({{"numbers", {"9812345670", 9812345671}}}), 400, "invalid_numbers");
  ExpectProblem(Check({{"numbers", {nullptr}}}), 400, "invalid_numbers");
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 1001; ++i) many.push_back("98123" + std::to_string(10000 + i));
  ExpectProblem(Check({{"numbers", many}}), 400, "invalid_numbers");
  many.erase(many.size() - 1);
  auto most = Check({{"numbers", many}});
  ASSERT_EQ(most.status, 200) << most.body.substr(0, 300);
  EXPECT_EQ(most.Json()["results"].size(), 1000u);

  nlohmann::json one = {"9812345670"};
  ExpectProblem(Check({{"numbers", one}, {"category", 9}}), 400, "invalid_category");
  ExpectProblem(Check({{"numbers", one}, {"category", -1}}), 400, "invalid_category");
  ExpectProblem(Check({{"numbers", one}, {"category", "1"}}), 400, "invalid_category");
  ExpectProblem(Check({{"numbers", one}, {"category", 1.5}}), 400, "invalid_category");
  ExpectProblem(Check({{"numbers", one}, {"mode", "fax"}}), 400, "invalid_mode");
  ExpectProblem(Check({{"numbers", one}, {"mode", 3}}), 400, "invalid_field");
  ExpectProblem(Check({{"numbers", one}, {"at", "tomorrow"}}), 400, "invalid_at");
  ExpectProblem(Check({{"numbers", one}, {"at", "2026-03-02T08:00:00"}}), 400, "invalid_at");
  ExpectProblem(Check({{"numbers", one}, {"campaign", "diwali"}}), 400, "unknown_field");

  auto not_json = server_->Client().Request(
      "POST", "/api/v1/dnd/check", "{\"numbers\": [",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + agent_}});
  ExpectProblem(not_json, 400, "malformed_json");

  // Each valid option is accepted and echoed.
  for (const char* mode : {"ai_agent", "voice", "auto_recorded", "auto_live", "robo"}) {
    auto ok = Check({{"numbers", one}, {"category", 8}, {"mode", mode}, {"at", kMondayEleven}});
    ASSERT_EQ(ok.status, 200) << mode << ": " << ok.body;
    EXPECT_EQ(ok.Json()["mode"], mode);
    EXPECT_EQ(ok.Json()["category"], 8);
  }
}

TEST_P(DndApiTest, RolesDecideWhoChecksSeesTheStatusAndOverrides) {
  HttpClient client = server_->Client();
  nlohmann::json body = {{"numbers", {"9812345670"}}};
  EXPECT_EQ(client.Post("/api/v1/dnd/check", body).status, 401);
  EXPECT_EQ(Check(body, agent_).status, 200);
  EXPECT_EQ(Check(body, manager_).status, 200);
  EXPECT_EQ(Check(body, admin_).status, 200);

  ExpectProblem(client.Get("/api/v1/dnd/status", agent_), 403, "insufficient_role");
  EXPECT_EQ(client.Get("/api/v1/dnd/status", manager_).status, 200);
  EXPECT_EQ(client.Get("/api/v1/dnd/status", admin_).status, 200);

  LoadRegistry(kRegistry, Yesterday());
  nlohmann::json reason = {{"reason", "today's file is late from the operator"}};
  ExpectProblem(client.Post("/api/v1/dnd/override", reason, agent_), 403, "insufficient_role");
  ExpectProblem(client.Post("/api/v1/dnd/override", reason, manager_), 403, "insufficient_role");
  EXPECT_FALSE(Status()["overridden"].get<bool>());
  EXPECT_EQ(client.Post("/api/v1/dnd/override", reason, admin_).status, 201);
}

TEST_P(DndApiTest, StatusDescribesTheLoadedRegistry) {
  auto empty = Status();
  EXPECT_FALSE(empty["loaded"].get<bool>()) << empty.dump();
  EXPECT_TRUE(empty["registry_date"].is_null());
  EXPECT_TRUE(empty["stale"].get<bool>());
  EXPECT_FALSE(empty["usable"].get<bool>());
  EXPECT_FALSE(empty["overridden"].get<bool>());
  EXPECT_EQ(empty["numbers"], 0);
  EXPECT_EQ(empty["partial"], 0);
  EXPECT_EQ(empty["today_ist"], Today());
  EXPECT_FALSE(empty["reason"].get<std::string>().empty());
  EXPECT_TRUE(empty["last_load"].is_null());

  auto report = LoadRegistry(kRegistry);
  EXPECT_EQ(report.registry_date, Today());
  auto fresh = Status();
  EXPECT_TRUE(fresh["loaded"].get<bool>()) << fresh.dump();
  EXPECT_EQ(fresh["registry_date"], Today());
  EXPECT_EQ(fresh["today_ist"], Today());
  EXPECT_FALSE(fresh["stale"].get<bool>());
  EXPECT_TRUE(fresh["usable"].get<bool>());
  EXPECT_FALSE(fresh["overridden"].get<bool>());
  EXPECT_EQ(fresh["numbers"], 3);
  EXPECT_EQ(fresh["partial"], 2);
  EXPECT_GT(fresh["bytes"].get<int64_t>(), 0);
  EXPECT_TRUE(fresh["override"].is_null());
  ASSERT_TRUE(fresh["last_load"].is_object()) << fresh.dump();
  EXPECT_EQ(fresh["last_load"]["id"], report.load_id);
  EXPECT_EQ(fresh["last_load"]["numbers_after"], 3);
  EXPECT_EQ(fresh["last_load"]["registry_date"], Today());

  // The check answers carry the same registry.
  auto checked = Check({{"numbers", {"9812345679"}}});
  ASSERT_EQ(checked.status, 200);
  EXPECT_EQ(checked.Json()["registry_date"], Today());
  EXPECT_FALSE(checked.Json()["stale"].get<bool>());
  EXPECT_TRUE(checked.Json()["usable"].get<bool>());
  EXPECT_NE(checked.Json()["results"][0]["reason"].get<std::string>().find(Today()),
            std::string::npos);
  EXPECT_TRUE(checked.Json()["results"][0]["may_call"].get<bool>());

  // A registry of an earlier day replaces it, and is stale.
  LoadRegistry("9812345670\n9812345673\n", Yesterday());
  auto stale = Status();
  EXPECT_EQ(stale["registry_date"], Yesterday());
  EXPECT_TRUE(stale["stale"].get<bool>());
  EXPECT_FALSE(stale["usable"].get<bool>());
  EXPECT_EQ(stale["numbers"], 2);
  EXPECT_EQ(stale["partial"], 0);
  EXPECT_NE(stale["reason"].get<std::string>().find(Yesterday()), std::string::npos)
      << stale.dump();
  // An unlisted number is not blocked, but nobody may call it on a stale registry.
  auto on_stale = Check({{"numbers", {"9812345679"}}}).Json()["results"][0];
  EXPECT_FALSE(on_stale["blocked"].get<bool>()) << on_stale.dump();
  EXPECT_FALSE(on_stale["may_call"].get<bool>()) << on_stale.dump();
}

TEST_P(DndApiTest, AnAdminOverridesAStaleRegistryForTodayWithAnAuditedReason) {
  HttpClient client = server_->Client();
  // Nothing loaded: nothing to override.
  ExpectProblem(client.Post("/api/v1/dnd/override", {{"reason", "late file"}}, admin_), 409,
                "dnd_not_loaded");

  LoadRegistry(kRegistry, Yesterday());
  auto before = Status();
  ASSERT_TRUE(before["stale"].get<bool>()) << before.dump();
  EXPECT_FALSE(before["usable"].get<bool>());
  // A stale registry still answers, flagged as stale and not usable.
  auto stale_check = Check({{"numbers", {"9812345670"}}});
  ASSERT_EQ(stale_check.status, 200);
  EXPECT_TRUE(stale_check.Json()["stale"].get<bool>());
  EXPECT_FALSE(stale_check.Json()["usable"].get<bool>());
  EXPECT_TRUE(stale_check.Json()["results"][0]["blocked"].get<bool>());

  ExpectProblem(client.Post("/api/v1/dnd/override", nlohmann::json::object(), admin_), 400,
                "missing_field");
  ExpectProblem(client.Post("/api/v1/dnd/override", {{"reason", ""}}, admin_), 400,
                "invalid_reason");
  ExpectProblem(client.Post("/api/v1/dnd/override", {{"reason", "  \t "}}, admin_), 400,
                "invalid_reason");
  ExpectProblem(client.Post("/api/v1/dnd/override", {{"reason", std::string(501, 'x')}}, admin_),
                400, "invalid_reason");
  ExpectProblem(client.Post("/api/v1/dnd/override", {{"reason", 5}}, admin_), 400, "invalid_field");
  ExpectProblem(
      client.Post("/api/v1/dnd/override", {{"reason", "late"}, {"until", "tomorrow"}}, admin_), 400,
      "unknown_field");
  EXPECT_FALSE(Status()["usable"].get<bool>());

  const std::string reason = "NCPR portal down; yesterday's file confirmed by compliance";
  auto made = client.Post("/api/v1/dnd/override", {{"reason", reason}}, admin_);
  ASSERT_EQ(made.status, 201) << made.body;
  auto override_json = made.Json();
  EXPECT_EQ(override_json["reason"], reason);
  EXPECT_EQ(override_json["ist_date"], Today());
  EXPECT_EQ(override_json["registry_date"], Yesterday());
  EXPECT_EQ(override_json["valid_until"], Today() + "T23:59:59+05:30");
  EXPECT_NE(override_json["created_by"].get<std::string>().find(TestServer::EmailFor("admin")),
            std::string::npos)
      << made.body;

  auto after = Status();
  EXPECT_TRUE(after["stale"].get<bool>()) << after.dump();
  EXPECT_TRUE(after["overridden"].get<bool>());
  EXPECT_TRUE(after["usable"].get<bool>());
  ASSERT_TRUE(after["override"].is_object()) << after.dump();
  EXPECT_EQ(after["override"]["id"], override_json["id"]);
  EXPECT_EQ(after["override"]["reason"], reason);
  auto usable_check = Check({{"numbers", {"9812345670"}}});
  EXPECT_TRUE(usable_check.Json()["usable"].get<bool>());

  auto audit = client.Get("/api/v1/audit?action=dnd.override", admin_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  auto audit_json = audit.Json();
  const auto& items = audit_json["items"];
  ASSERT_EQ(items.size(), 1u) << audit.body;  // the refused attempts left no override
  EXPECT_EQ(items[0]["action"], "dnd.override");
  EXPECT_EQ(items[0]["outcome"], "success");
  EXPECT_EQ(items[0]["role"], "admin");
  EXPECT_EQ(items[0]["actor"].get<std::string>().rfind("user:", 0), 0u) << items[0].dump();
  EXPECT_EQ(items[0]["target"],
            "dnd_override:" + std::to_string(override_json["id"].get<int64_t>()));
  EXPECT_EQ(items[0]["summary"]["reason"], reason);
  EXPECT_EQ(items[0]["summary"]["registry_date"], Yesterday());
  EXPECT_EQ(items[0]["summary"]["ist_date"], Today());

  // A new registry of today replaces the stale one and needs no override.
  LoadRegistry(kRegistry);
  auto fresh = Status();
  EXPECT_FALSE(fresh["stale"].get<bool>());
  EXPECT_FALSE(fresh["overridden"].get<bool>()) << fresh.dump();
  EXPECT_TRUE(fresh["usable"].get<bool>());
}

TEST_P(DndApiTest, TodaysRegistryNeedsNoOverride) {
  LoadRegistry(kRegistry);
  ExpectProblem(
      server_->Client().Post("/api/v1/dnd/override", {{"reason", "just in case"}}, admin_), 409,
      "dnd_not_stale");
  auto status = Status();
  EXPECT_FALSE(status["overridden"].get<bool>());
  EXPECT_TRUE(status["usable"].get<bool>());
  auto audit = server_->Client().Get("/api/v1/audit?action=dnd.override", admin_);
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.Json()["items"].size(), 0u) << audit.body;
}

INSTANTIATE_TEST_SUITE_P(Dialects, DndApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
