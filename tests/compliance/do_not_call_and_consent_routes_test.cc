// The do-not-call and consent routes through ApiRouter (authentication, roles, problem
// details, audit), called in process without a server.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "api/consent_routes.h"
#include "api/do_not_call_routes.h"
#include "core/embedded_files.h"
#include "test_support/test_database.h"

namespace vaarta::api {
namespace {

constexpr int64_t kStart = 1795500000000;  // 2026-11-23T...
constexpr int64_t kDay = 86'400'000;

class ComplianceRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  ComplianceRoutesTest()
      : tdb_(GetParam()),
        clock_(kStart),
        logger_(log_, core::LogLevel::kError, clock_),
        audit_(tdb_.db(), clock_),
        auth_(tdb_.db(), clock_, audit_, Settings()),
        services_{tdb_.db(), clock_, logger_, metrics_, auth_, audit_, settings_, live_},
        router_(http_router_, services_),
        list_(tdb_.db(), clock_, audit_, compliance::SuppressionHasher(std::string(32, 'k'))),
        ledger_(tdb_.db(), clock_, audit_, compliance::SuppressionHasher(std::string(32, 'k'))) {
    RegisterDoNotCallRoutes(router_, list_);
    RegisterDoNotCallImportRoute(
        router_,
        [this](const std::string& path, const std::string& reason, const compliance::Actor& actor) {
          return leads::ImportDoNotCallFile(tdb_.db(), list_, phones_, path, reason, actor);
        },
        1 << 20);
    RegisterConsentRoutes(router_, ledger_);
    auth::Caller system{"system", auth::Role::kAdmin, 0, 0};
    for (auto role : {auth::Role::kAgent, auth::Role::kManager, auth::Role::kAdmin}) {
      std::string name(auth::RoleName(role));
      keys_[name] = auth_.CreateApiKey(name, role, system, {"127.0.0.1", "setup"})->plaintext;
    }
  }

  static auth::AuthSettings Settings() {
    auth::AuthSettings s;
    s.jwt_secret = std::string(32, 's');
    return s;
  }

  http::Response Call(const std::string& method, const std::string& target, const std::string& role,
                      const std::string& body = "", const std::string& body_path = "") {
    http::Request request;
    request.body_path = body_path;
    request.method = method;
    request.target = target;
    auto q = target.find('?');
    request.path = target.substr(0, q);
    if (q != std::string::npos) {
      EXPECT_TRUE(http::ParseQueryString(target.substr(q + 1), &request.query, &request.query_all));
    }
    request.headers["authorization"] = "Bearer " + keys_[role];
    if (!body.empty()) request.headers["content-type"] = "application/json";
    request.body = body;
    request.remote_address = "10.0.0.7";
    request.request_id = "req-" + std::to_string(++request_count_);
    auto match = http_router_.Match(method, request.path, &request.path_params);
    EXPECT_NE(match.route, nullptr) << method << " " << target;
    if (!match.route) return http::Problem(404, "no_route", target);
    return match.route->handler(request);
  }
  static nlohmann::json Json(const http::Response& r) { return nlohmann::json::parse(r.body); }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  std::ostringstream log_;
  core::Logger logger_;
  core::MetricsRegistry metrics_;
  audit::AuditLog audit_;
  auth::AuthService auth_;
  settings::SettingsRepository settings_;
  http::LiveFeed live_;
  ApiServices services_;
  http::Router http_router_;
  ApiRouter router_;
  compliance::DoNotCallList list_;
  compliance::ConsentLedger ledger_;
  leads::PhoneNormalizer phones_;
  std::map<std::string, std::string> keys_;
  int request_count_ = 0;
};

TEST_P(ComplianceRoutesTest, AddsCheckedListsAndRemovesDoNotCallNumbers) {
  auto added = Call("POST", "/api/v1/do-not-call", "manager",
                    R"({"phone": "+919876543210", "reason": "asked by e-mail"})");
  ASSERT_EQ(added.status, 201) << added.body;
  auto entry = Json(added);
  int64_t id = entry["id"];
  EXPECT_EQ(entry["phone"], "+919876543210");
  EXPECT_EQ(entry["source"], "api");
  EXPECT_EQ(entry["active"], true);
  auto again = Call("POST", "/api/v1/do-not-call", "manager",
                    R"({"phone": "+919876543210", "source": "complaint"})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json(again)["id"], id);

  // The agent checks before dialling; an unencoded '+' (a space after decoding) works.
  for (std::string q : {"%2B919876543210", "+919876543210"}) {
    auto check = Call("GET", "/api/v1/do-not-call/check?phone=" + q, "agent");
    ASSERT_EQ(check.status, 200) << check.body;
    EXPECT_EQ(Json(check)["suppressed"], true);
    EXPECT_EQ(Json(check)["source"], "api");
    EXPECT_EQ(Json(check)["since"], core::FormatIso8601Utc(kStart));
  }
  auto clear = Call("GET", "/api/v1/do-not-call/check?phone=%2B919811111111", "agent");
  ASSERT_EQ(clear.status, 200);
  EXPECT_EQ(Json(clear)["suppressed"], false);
  EXPECT_TRUE(Json(clear)["since"].is_null());
  auto bad = Call("GET", "/api/v1/do-not-call/check?phone=09876543210", "agent");
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(Json(bad)["code"], "invalid_phone");
  EXPECT_NE(Json(bad)["detail"].get<std::string>().find("does not start with '+'"),
            std::string::npos);

  EXPECT_EQ(Call("POST", "/api/v1/do-not-call", "agent", R"({"phone": "+919811111111"})").status,
            403);
  auto invalid = Call("POST", "/api/v1/do-not-call", "manager", R"({"phone": "98765 43210"})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(Json(invalid)["code"], "invalid_phone");
  auto unknown =
      Call("POST", "/api/v1/do-not-call", "manager", R"({"phone": "+919811111111", "name": "x"})");
  EXPECT_EQ(Json(unknown)["code"], "unknown_field");

  ASSERT_EQ(Call("POST", "/api/v1/do-not-call", "manager", R"({"phone": "+14155550100"})").status,
            201);
  auto page = Call("GET", "/api/v1/do-not-call?limit=1", "manager");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(Json(page)["items"].size(), 1u);
  EXPECT_EQ(Json(page)["items"][0]["phone"], "+14155550100");
  std::string cursor = Json(page)["next_cursor"];
  auto page2 = Call("GET", "/api/v1/do-not-call?limit=1&after=" + cursor, "manager");
  EXPECT_EQ(Json(page2)["items"][0]["id"], id);
  auto prefix = Call("GET", "/api/v1/do-not-call?q=%2B9198", "manager");
  ASSERT_EQ(Json(prefix)["items"].size(), 1u);
  EXPECT_EQ(Call("GET", "/api/v1/do-not-call?q=98x", "manager").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/do-not-call?include_removed=yes", "manager").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/do-not-call", "agent").status, 403);

  std::string path = "/api/v1/do-not-call/" + std::to_string(id);
  EXPECT_EQ(Call("DELETE", path + "?reason=x", "manager").status, 403);
  auto no_reason = Call("DELETE", path, "admin");
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(Json(no_reason)["code"], "missing_reason");
  auto removed = Call("DELETE", path, "admin", R"({"reason": "called back, ticket 4411"})");
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(Json(removed)["active"], false);
  EXPECT_EQ(Json(removed)["removal_reason"], "called back, ticket 4411");
  EXPECT_EQ(Call("DELETE", path + "?reason=again", "admin").status, 409);
  EXPECT_EQ(Call("DELETE", "/api/v1/do-not-call/999999?reason=x", "admin").status, 404);
  auto after = Call("GET", "/api/v1/do-not-call/check?phone=%2B919876543210", "agent");
  EXPECT_EQ(Json(after)["suppressed"], false);
  EXPECT_EQ(Json(Call("GET", "/api/v1/do-not-call", "manager"))["items"].size(), 1u);
  EXPECT_EQ(
      Json(Call("GET", "/api/v1/do-not-call?include_removed=true", "manager"))["items"].size(), 2u);

  // One audit record per change, written by the domain with the request's origin.
  auto adds = audit_.Page({std::nullopt, std::string("dnc.add")}, 0, 10);
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(adds[0].entry.address, "10.0.0.7");
  EXPECT_EQ(adds[0].entry.role, "manager");
  // ...and ApiRouter adds none of its own, except for the refused agent (a security event).
  auto refused = audit_.Page({std::nullopt, std::string("POST ")}, 0, 10);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].entry.outcome, "denied");
  EXPECT_EQ(audit_.Page({std::nullopt, std::string("dnc.remove")}, 0, 10).size(), 1u);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(ComplianceRoutesTest, ImportsAFileOfNumbersIntoTheDoNotCallList) {
  std::string dir = testing::MakeTempDir("dnc-import");
  auto write = [&](const std::string& name, const std::string& text) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  };
  Call("POST", "/api/v1/do-not-call", "manager", R"({"phone": "+919876500002"})");
  // No header: the first row is a number. Row 3 is no number, row 5 repeats row 2.
  auto bare =
      write("bare.csv", "98765 00001\n+91 98765 00002\nnot a number\n\n98765-00003\n98765 00001\n");
  auto r = Call("POST", "/api/v1/do-not-call/import?reason=old%20CRM", "manager", "", bare);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Json(r);
  EXPECT_EQ(body["total"], 5);
  EXPECT_EQ(body["added"], 2);           // ...0001 and ...0003
  EXPECT_EQ(body["already_listed"], 2);  // ...0002 (listed before) and ...0001 again
  EXPECT_EQ(body["invalid"], 1);
  ASSERT_EQ(body["rejects"].size(), 1u);
  EXPECT_EQ(body["rejects"][0]["row"], 3);
  EXPECT_EQ(body["rejects"][0]["reason"], "letters");
  EXPECT_TRUE(
      Json(Call("GET", "/api/v1/do-not-call/check?phone=%2B919876500003", "agent"))["suppressed"]);
  // A header row: the phone column is found by its name.
  auto headed = write("headed.csv", "Name,Mobile No.\nAsha,9876500004\nRavi,1800 425 1234\n");
  body = Json(Call("POST", "/api/v1/do-not-call/import", "manager", "", headed));
  EXPECT_EQ(body["added"], 1);
  EXPECT_EQ(body["rejects"][0]["reason"], "not_callable_type");
  // A file without a phone column is refused as a whole, naming its headers.
  auto wrong = write("wrong.csv", "Name,City\nAsha,Pune\n");
  auto refused = Call("POST", "/api/v1/do-not-call/import", "manager", "", wrong);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("City"), std::string::npos) << refused.body;
  // Agents may not.
  EXPECT_EQ(Call("POST", "/api/v1/do-not-call/import", "agent", "", bare).status, 403);
  // Every entry is audited with the import as its source.
  audit::AuditFilter filter;
  filter.action = "dnc.add";
  EXPECT_EQ(audit_.Page(filter, 0, 100).size(), 4u);
  testing::RemoveTree(dir);
}

TEST_P(ComplianceRoutesTest, RecordsListsAndWithdrawsConsent) {
  auto recorded = Call("POST", "/api/v1/consents", "manager", R"({
      "phone": "+919876543210", "purpose": "marketing_calls", "source": "recorded_call:812",
      "notice_version": "2026-11", "notice_language": "hi",
      "expires_at": "2027-11-23T00:00:00Z"})");
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  EXPECT_EQ(Json(recorded)["given_at"], core::FormatIso8601Utc(kStart));
  EXPECT_EQ(Json(recorded)["expires_at"], "2027-11-23T00:00:00.000Z");
  EXPECT_EQ(Call("POST", "/api/v1/consents", "agent", "{}").status, 403);
  auto missing = Call("POST", "/api/v1/consents", "manager", R"({"phone": "+919876543210"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Json(missing)["code"], "missing_field");
  auto bad_time = Call("POST", "/api/v1/consents", "manager", R"({
      "phone": "+919876543210", "purpose": "marketing_calls", "source": "web_form",
      "notice_version": "1", "notice_language": "en", "given_at": "yesterday"})");
  EXPECT_EQ(bad_time.status, 400);
  EXPECT_NE(Json(bad_time)["detail"].get<std::string>().find("given_at"), std::string::npos);

  auto listed =
      Call("GET", "/api/v1/consents?phone=%2B919876543210&purpose=marketing_calls", "manager");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(Json(listed)["items"].size(), 1u);
  EXPECT_EQ(Json(listed)["state"]["status"], "active");
  EXPECT_EQ(Json(listed)["state"]["can_ask_again"], true);

  clock_.Advance(kDay);
  auto withdrawn = Call("POST", "/api/v1/consents/withdraw", "agent",
                        R"({"phone": "+919876543210", "purpose": "marketing_calls"})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(Json(withdrawn)["withdrawn"], 1);
  EXPECT_EQ(Json(withdrawn)["ask_again_from"], core::FormatIso8601Utc(kStart + 91 * kDay));
  auto nothing = Call("POST", "/api/v1/consents/withdraw", "agent",
                      R"({"phone": "+919811111111", "purpose": "marketing_calls"})");
  EXPECT_EQ(nothing.status, 404);
  EXPECT_EQ(Json(nothing)["code"], "no_consent");

  auto state = Json(Call("GET", "/api/v1/consents?phone=+919876543210&purpose=marketing_calls",
                         "manager"))["state"];
  EXPECT_EQ(state["status"], "withdrawn");
  EXPECT_EQ(state["can_ask_again"], false);
  EXPECT_EQ(state["ask_again_from"], core::FormatIso8601Utc(kStart + 91 * kDay));

  clock_.Advance(3600'000);
  auto locked = Call("POST", "/api/v1/consents", "manager", R"({
      "phone": "+919876543210", "purpose": "marketing_calls", "source": "recorded_call:913",
      "notice_version": "2026-11", "notice_language": "hi"})");
  EXPECT_EQ(locked.status, 409);
  EXPECT_EQ(Json(locked)["code"], "reask_locked");
  auto own = Call("POST", "/api/v1/consents", "manager", R"({
      "phone": "+919876543210", "purpose": "marketing_calls", "source": "web_form",
      "notice_version": "2026-11", "notice_language": "en"})");
  EXPECT_EQ(own.status, 201) << own.body;

  auto all = Call("GET", "/api/v1/consents?limit=1", "manager");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(Json(all)["items"].size(), 1u);
  EXPECT_FALSE(Json(all)["next_cursor"].is_null());
  EXPECT_FALSE(Json(all).contains("state"));
  EXPECT_EQ(Call("GET", "/api/v1/consents", "agent").status, 403);

  EXPECT_EQ(audit_.Page({std::nullopt, std::string("consent.")}, 0, 10).size(), 3u);
  EXPECT_TRUE(audit_.Verify().ok);
}

TEST_P(ComplianceRoutesTest, OpenApiFragmentsDocumentExactlyTheseRoutes) {
  // Reads the two fragments as embedded in the binary (what GET /api/openapi.json merges).
  nlohmann::json doc = {{"paths", nlohmann::json::object()},
                        {"components", {{"schemas", nlohmann::json::object()}}}};
  for (const char* file : {"api/openapi/do_not_call.json", "api/openapi/consent.json"}) {
    auto text = core::FindEmbeddedFile(file);
    ASSERT_TRUE(text.has_value()) << file << " is not embedded (re-run cmake)";
    auto fragment = nlohmann::json::parse(*text);
    doc["paths"].update(fragment["paths"]);
    doc["components"]["schemas"].update(fragment["components"]["schemas"]);
  }
  std::set<std::string> documented, registered;
  for (auto& [path, ops] : doc["paths"].items()) {
    for (auto& [method, op] : ops.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(c));
      documented.insert(upper + " " + path + " " + op["x-min-role"].get<std::string>());
      EXPECT_EQ(op["security"], nlohmann::json::parse(R"([{"bearer": []}])")) << path;
    }
  }
  for (const auto& route : http_router_.routes()) {
    registered.insert(route->info.method + " " + route->info.pattern + " " + route->info.min_role);
  }
  EXPECT_EQ(documented, registered);
  EXPECT_EQ(registered.size(), 8u);
  // Every schema reference points at a schema of these fragments or the foundation.
  auto foundation = nlohmann::json::parse(*core::FindEmbeddedFile("api/openapi/foundation.json"));
  std::string text = doc.dump();
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    size_t begin = at + std::string("#/components/schemas/").size();
    std::string name = text.substr(begin, text.find('"', begin) - begin);
    EXPECT_TRUE(doc["components"]["schemas"].contains(name) ||
                foundation["components"]["schemas"].contains(name))
        << name;
  }
  // Names defined twice stop the server from assembling the document.
  for (auto& [name, schema] : doc["components"]["schemas"].items()) {
    EXPECT_FALSE(foundation["components"]["schemas"].contains(name)) << name;
  }
  for (auto& [path, ops] : doc["paths"].items()) {
    EXPECT_FALSE(foundation["paths"].contains(path)) << path;
  }
  for (const char* schema : {"DoNotCallEntry", "NewDoNotCallEntry", "DoNotCallCheck", "Consent",
                             "NewConsent", "ConsentState", "ConsentWithdrawal"}) {
    EXPECT_TRUE(doc["components"]["schemas"].contains(schema)) << schema;
  }
}

INSTANTIATE_TEST_SUITE_P(Dialects, ComplianceRoutesTest, vaarta::testing::BothDialects());

}  // namespace
}  // namespace vaarta::api
