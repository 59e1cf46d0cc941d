// The HTTP API end to end: a real server on loopback, real HTTP, on SQLite and on
// PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/embedded_files.h"
#include "test_support/test_database.h"
#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

class ApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { server_ = std::make_unique<TestServer>(GetParam()); }
  void TearDown() override { server_.reset(); }
  std::unique_ptr<TestServer> server_;
};

TEST_P(ApiTest, HealthAndReadinessAnswerWithoutCredentials) {
  HttpClient client = server_->Client();
  auto health = client.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json()["status"], "ok");
  auto ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.Json()["database"], "ok");
}

TEST_P(ApiTest, MetricsCountRequestsByRouteAndStatus) {
  HttpClient client = server_->Client();
  client.Get("/healthz");
  client.Get("/api/v1/users");  // 401
  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.Header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.body.find(
                R"(vaarta_http_requests_total{route="/healthz",method="GET",status="200"} 1)"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(
                R"(vaarta_http_requests_total{route="/api/v1/users",method="GET",status="401"} 1)"),
            std::string::npos);
  EXPECT_NE(
      metrics.body.find(
          R"(vaarta_http_request_duration_seconds_bucket{route="/healthz",method="GET",le="+Inf"} 1)"),
      std::string::npos);
}

TEST_P(ApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  std::string two =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: "
      "close\r\n\r\n";
  std::string raw = server_->Client().Raw(two);
  size_t first = raw.find("HTTP/1.1 200 OK");
  ASSERT_NE(first, std::string::npos) << raw;
  EXPECT_NE(raw.find("HTTP/1.1 200 OK", first + 1), std::string::npos) << raw;
}

TEST_P(ApiTest, EveryRouteRefusesMissingCredentialsAndLowerRoles) {
  HttpClient client = server_->Client();
  std::map<std::string, std::string> tokens = {{"agent", server_->TokenFor("agent")},
                                               {"manager", server_->TokenFor("manager")},
                                               {"admin", server_->TokenFor("admin")}};
  const std::vector<std::string> order = {"agent", "manager", "admin"};
  int checked = 0;
  for (const auto& route : server_->app().router().routes()) {
    const auto& info = route->info;
    std::string path = info.pattern;
    // Fill path parameters with plausible values.
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"{id}", "1"}, {"{key}", "calling.window_start"}}) {
      if (auto pos = path.find(from); pos != std::string::npos) path.replace(pos, from.size(), to);
    }
    std::map<std::string, std::string> json{{"Content-Type", "application/json"}};
    if (info.min_role == "public") continue;
    auto none = client.Request(info.method, path, "{}", json);
    EXPECT_EQ(none.status, 401) << info.method << " " << info.pattern;
    EXPECT_EQ(none.Header("content-type"), "application/problem+json");
    auto garbage = client.Request(
        info.method, path, "{}",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer not.a.jwt"}});
    EXPECT_EQ(garbage.status, 401) << info.method << " " << info.pattern;
    auto need = std::find(order.begin(), order.end(), info.min_role);
    ASSERT_NE(need, order.end()) << "route " << info.pattern << " has unknown role "
                                 << info.min_role;
    for (auto lower = order.begin(); lower != need; ++lower) {
      auto res = client.Request(
          info.method, path, "{}",
          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + tokens[*lower]}});
      EXPECT_EQ(res.status, 403) << *lower << " on " << info.method << " " << info.pattern;
      EXPECT_EQ(res.Json()["code"], "insufficient_role");
    }
    // The minimum role itself gets past the role check.
    auto allowed = client.Request(
        info.method, path, "{}",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + tokens[*need]}});
    EXPECT_NE(allowed.status, 401) << info.method << " " << info.pattern;
    EXPECT_NE(allowed.status, 403) << info.method << " " << info.pattern;
    ++checked;
  }
  EXPECT_GE(checked, 14);
}

TEST_P(ApiTest, OpenApiDocumentsExactlyTheRegisteredRoutes) {
  auto res = server_->Client().Get("/api/openapi.json");
  ASSERT_EQ(res.status, 200);
  auto doc = res.Json();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> documented, registered;
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      documented.insert(upper + " " + path + " " + op["x-min-role"].get<std::string>());
    }
  }
  for (const auto& route : server_->app().router().routes()) {
    registered.insert(route->info.method + " " + route->info.pattern + " " + route->info.min_role);
  }
  EXPECT_EQ(documented, registered);
}

// The dashboard through the real server: its page for client routes with the page's own
// caching (not the API's no-store), and the API's answers unchanged beside it.
TEST_P(ApiTest, ServesTheDashboardBesideTheApiWhenItsFilesAreThere) {
  const std::string dir = MakeTempDir("web-dist");
  std::filesystem::create_directories(dir + "/assets");
  std::ofstream(dir + "/index.html") << "<!doctype html><div id=root></div>";
  std::ofstream(dir + "/assets/app-1a2b.js") << "console.log(1);";
  TestServer site(GetParam(), [&](core::Config& c) { c.web_dir = dir; });
  HttpClient client = site.Client();
  auto page = client.Get("/campaigns/7");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<!doctype html><div id=root></div>");
  EXPECT_EQ(page.Header("cache-control"), "no-cache");
  EXPECT_NE(page.Header("content-security-policy").find("frame-ancestors 'none'"),
            std::string::npos);
  auto script = client.Get("/assets/app-1a2b.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("cache-control"), "public, max-age=31536000, immutable");
  auto api = client.Get("/api/v1/nothing-here");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.Json()["code"], "not_found");
  EXPECT_EQ(client.Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(client.Request("POST", "/campaigns/7").status, 404);
  // With web_dir = off (the test servers' default) there is no page at all.
  EXPECT_EQ(server_->Client().Get("/").status, 404);
  RemoveTree(dir);
}

TEST_P(ApiTest, LoginRefreshRotationAndReuseDetection) {
  server_->TokenFor("manager");
  HttpClient client = server_->Client();
  auto login = client.Post("/api/v1/auth/login", {{"email", TestServer::EmailFor("manager")},
                                                  {"password", TestServer::Password()}});
  ASSERT_EQ(login.status, 200) << login.body;
  auto tokens = login.Json();
  EXPECT_EQ(tokens["token_type"], "Bearer");
  EXPECT_EQ(tokens["user"]["role"], "manager");
  auto me = client.Get("/api/v1/auth/me", tokens["access_token"]);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.Json()["user"]["email"], TestServer::EmailFor("manager"));

  std::string first_refresh = tokens["refresh_token"];
  auto rotated = client.Post("/api/v1/auth/refresh", {{"refresh_token", first_refresh}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string second_refresh = rotated.Json()["refresh_token"];
  EXPECT_NE(second_refresh, first_refresh);

  // Reusing the spent token is theft: the whole family dies, including the new token.
  auto reuse = client.Post("/api/v1/auth/refresh", {{"refresh_token", first_refresh}});
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(reuse.Json()["code"], "refresh_token_reused");
  auto after = client.Post("/api/v1/auth/refresh", {{"refresh_token", second_refresh}});
  EXPECT_EQ(after.status, 401);

  auto audit = client.Get("/api/v1/audit?action=auth.token_reuse", server_->TokenFor("admin"));
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.Json()["items"].size(), 1u);
}

TEST_P(ApiTest, WrongPasswordIsRefusedAndRepeatedFailuresAreThrottled) {
  server_->TokenFor("agent");
  HttpClient client = server_->Client();
  nlohmann::json wrong = {{"email", TestServer::EmailFor("agent")},
                          {"password", "not the password"}};
  for (int i = 0; i < 5; ++i) {
    auto res = client.Post("/api/v1/auth/login", wrong);
    ASSERT_EQ(res.status, 401) << i;
    EXPECT_EQ(res.Json()["code"], "invalid_credentials");
  }
  auto throttled = client.Post("/api/v1/auth/login", wrong);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Json()["code"], "too_many_attempts");
  EXPECT_FALSE(throttled.Header("retry-after").empty());
  // Even the right password waits out the window.
  auto right = client.Post("/api/v1/auth/login", {{"email", TestServer::EmailFor("agent")},
                                                  {"password", TestServer::Password()}});
  EXPECT_EQ(right.status, 429);
}

TEST_P(ApiTest, AdminManagesUsersWithKeysetPagesAndDemotionTakesEffectAtOnce) {
  HttpClient client = server_->Client();
  std::string admin = server_->TokenFor("admin");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto res = client.Post("/api/v1/users",
                           {{"email", "User" + std::to_string(i) + "@Example.in"},
                            {"name", "User " + std::to_string(i)},
                            {"password", "a long enough password"},
                            {"role", "manager"}},
                           admin);
    ASSERT_EQ(res.status, 201) << res.body;
    EXPECT_EQ(res.Json()["email"], "user" + std::to_string(i) + "@example.in");
    EXPECT_EQ(res.Header("location"),
              "/api/v1/users/" + std::to_string(res.Json()["id"].get<int64_t>()));
    ids.push_back(res.Json()["id"]);
  }
  auto duplicate = client.Post(
      "/api/v1/users",
      {{"email", "user0@example.in"}, {"password", "a long enough password"}, {"role", "agent"}},
      admin);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.Json()["code"], "email_taken");

  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto page =
        client.Get("/api/v1/users?limit=2" + (cursor.empty() ? "" : "&after=" + cursor), admin);
    ASSERT_EQ(page.status, 200) << page.body;
    auto body = page.Json();
    EXPECT_LE(body["items"].size(), 2u);
    for (auto& u : body["items"])
      EXPECT_TRUE(seen.insert(u["email"]).second) << "repeated " << u["email"];
    cursor = body["next_cursor"].is_null() ? "" : body["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 6u);  // 5 + the admin
  EXPECT_EQ(pages, 3);

  auto bad_cursor = client.Get("/api/v1/users?after=zzz", admin);
  EXPECT_EQ(bad_cursor.status, 400);
  EXPECT_EQ(bad_cursor.Json()["code"], "invalid_cursor");

  // A manager logs in, then is demoted: the next request already sees the new role.
  auto login = client.Post("/api/v1/auth/login",
                           {{"email", "user1@example.in"}, {"password", "a long enough password"}});
  ASSERT_EQ(login.status, 200);
  std::string manager_token = login.Json()["access_token"];
  EXPECT_EQ(client.Get("/api/v1/settings", manager_token).status, 200);
  auto demote = client.Patch("/api/v1/users/" + std::to_string(ids[1]), {{"role", "agent"}}, admin);
  ASSERT_EQ(demote.status, 200) << demote.body;
  EXPECT_EQ(demote.Json()["role"], "agent");
  EXPECT_EQ(client.Get("/api/v1/settings", manager_token).status, 403);

  auto audit = client.Get("/api/v1/audit?action=users.role_changed", admin);
  ASSERT_EQ(audit.status, 200);
  ASSERT_EQ(audit.Json()["items"].size(), 1u);
  EXPECT_EQ(audit.Json()["items"][0]["summary"]["from"], "manager");
  EXPECT_EQ(audit.Json()["items"][0]["summary"]["to"], "agent");
}

TEST_P(ApiTest, BadRequestsGetPreciseProblemDetails) {
  HttpClient client = server_->Client();
  std::string admin = server_->TokenFor("admin");
  auto not_json = client.Request(
      "POST", "/api/v1/users",
      "{\"email\": ", {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + admin}});
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.Json()["code"], "malformed_json");
  EXPECT_NE(not_json.Json()["detail"].get<std::string>().find("at byte"), std::string::npos);

  auto wrong_type = client.Request("POST", "/api/v1/users", "email=x",
                                   {{"Content-Type", "application/x-www-form-urlencoded"},
                                    {"Authorization", "Bearer " + admin}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.Json()["code"], "unsupported_media_type");

  auto unknown = client.Post(
      "/api/v1/users", {{"email", "a@b.in"}, {"password", "x"}, {"role", "agent"}, {"admin", true}},
      admin);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Json()["code"], "unknown_field");

  auto missing = client.Post("/api/v1/users", {{"email", "a@b.in"}, {"role", "agent"}}, admin);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json()["code"], "missing_field");

  auto weak = client.Post("/api/v1/users",
                          {{"email", "a@b.in"}, {"password", "short"}, {"role", "agent"}}, admin);
  EXPECT_EQ(weak.status, 400);

  auto bad_role =
      client.Post("/api/v1/users",
                  {{"email", "a@b.in"}, {"password", "long enough pass"}, {"role", "boss"}}, admin);
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_EQ(bad_role.Json()["code"], "invalid_role");

  auto bad_id = client.Get("/api/v1/users/abc", admin);
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(bad_id.Json()["code"], "invalid_id");

  auto absent = client.Get("/api/v1/users/999999", admin);
  EXPECT_EQ(absent.status, 404);

  auto no_route = client.Get("/api/v1/nothing-here");
  EXPECT_EQ(no_route.status, 404);
  EXPECT_EQ(no_route.Header("content-type"), "application/problem+json");

  auto wrong_method = client.Request("DELETE", "/api/v1/users");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_NE(wrong_method.Header("allow").find("GET"), std::string::npos);

  auto bad_escape = client.Get("/api/v1/users?limit=%zz", admin);
  EXPECT_EQ(bad_escape.status, 400);
}

TEST_P(ApiTest, OversizedBodiesAreRefusedWith413) {
  std::string body(2 * 1024 * 1024, 'x');
  std::string raw = server_->Client().Raw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_NE(raw.find("HTTP/1.1 413"), std::string::npos) << raw.substr(0, 200);
  EXPECT_NE(raw.find("body_too_large"), std::string::npos);
}

TEST_P(ApiTest, GarbageOnTheWireGets400) {
  std::string raw = server_->Client().Raw("HELLO THERE\r\n\r\n");
  EXPECT_NE(raw.find("HTTP/1.1 400"), std::string::npos) << raw;
}

TEST_P(ApiTest, RequestIdsAreEchoedOrGenerated) {
  HttpClient client = server_->Client();
  auto given = client.Request("GET", "/healthz", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(given.Header("x-request-id"), "abc-123");
  EXPECT_EQ(given.Header("cache-control"), "no-store");
  EXPECT_EQ(given.Header("x-content-type-options"), "nosniff");
  auto generated = client.Request("GET", "/healthz", "", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_FALSE(generated.Header("x-request-id").empty());
  EXPECT_NE(generated.Header("x-request-id"), "bad id with spaces");
}

TEST_P(ApiTest, SettingChangesAreAuditedWithWhatChangedAndTheChainVerifies) {
  HttpClient client = server_->Client();
  std::string admin = server_->TokenFor("admin");
  ASSERT_EQ(client.Put("/api/v1/settings/calling.window_end", {{"value", "21:00"}}, admin).status,
            200);
  auto put = client.Put("/api/v1/settings/calling.window_end", {{"value", "20:30"}}, admin);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["value"], "20:30");
  auto bad_key = client.Put("/api/v1/settings/Bad Key", {{"value", 1}}, admin);
  EXPECT_EQ(bad_key.status, 400);

  auto audit = client.Get("/api/v1/audit?action=PUT&limit=1", admin);
  ASSERT_EQ(audit.status, 200) << audit.body;
  auto item = audit.Json()["items"][0];
  EXPECT_EQ(item["target"], "setting:calling.window_end");
  EXPECT_EQ(item["summary"]["from"], "21:00");
  EXPECT_EQ(item["summary"]["to"], "20:30");
  EXPECT_EQ(item["outcome"], "success");
  EXPECT_EQ(item["actor"].get<std::string>().rfind("user:", 0), 0u);

  // A refused write is a security event too.
  std::string agent = server_->TokenFor("agent");
  EXPECT_EQ(client.Put("/api/v1/settings/calling.window_end", {{"value", "23:00"}}, agent).status,
            403);
  auto denied = client.Get("/api/v1/audit?limit=1", admin).Json()["items"][0];
  EXPECT_EQ(denied["outcome"], "denied");

  auto verify = client.Get("/api/v1/audit/verify", admin);
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(verify.Json()["ok"].get<bool>()) << verify.body;
  EXPECT_GE(verify.Json()["records"].get<int>(), 5);
}

TEST_P(ApiTest, ApiKeysAuthenticateWithTheirRoleUntilRevoked) {
  HttpClient client = server_->Client();
  std::string admin = server_->TokenFor("admin");
  auto created =
      client.Post("/api/v1/api-keys", {{"name", "crm-sync"}, {"role", "manager"}}, admin);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = created.Json()["key"];
  EXPECT_EQ(key.rfind("vk_", 0), 0u);
  EXPECT_EQ(client.Get("/api/v1/settings", key).status, 200);
  EXPECT_EQ(client.Get("/api/v1/users", key).status, 403);
  auto listed = client.Get("/api/v1/api-keys", admin).Json();
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_FALSE(listed["items"][0].contains("key"));
  EXPECT_EQ(listed["items"].dump().find(key), std::string::npos);
  int64_t id = created.Json()["id"];
  EXPECT_EQ(client.Delete("/api/v1/api-keys/" + std::to_string(id), admin).status, 204);
  EXPECT_EQ(client.Get("/api/v1/settings", key).status, 401);
}

TEST_P(ApiTest, SecretsNeverReachTheLogs) {
  HttpClient client = server_->Client();
  server_->TokenFor("admin");
  auto login = client.Post("/api/v1/auth/login", {{"email", TestServer::EmailFor("admin")},
                                                  {"password", TestServer::Password()}});
  ASSERT_EQ(login.status, 200);
  std::string access = login.Json()["access_token"];
  std::string refresh = login.Json()["refresh_token"];
  client.Get("/api/v1/users?access_token=" + access, access);
  client.Post("/api/v1/auth/login",
              {{"email", TestServer::EmailFor("admin")}, {"password", "wrong guess 123"}});
  std::string logs = server_->Logs();
  EXPECT_NE(logs.find("\"route\":\"/api/v1/users\""), std::string::npos) << logs;
  EXPECT_EQ(logs.find(TestServer::Password()), std::string::npos);
  EXPECT_EQ(logs.find("wrong guess 123"), std::string::npos);
  EXPECT_EQ(logs.find(access), std::string::npos);
  EXPECT_EQ(logs.find(refresh), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ApiTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
