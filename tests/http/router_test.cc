#include "http/router.h"

#include <gtest/gtest.h>

namespace vaarta::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

TEST(Router, MatchesPathParametersAndPrefersLiteralSegments) {
  Router router;
  router.Add({"GET", "/api/v1/users/{id}", "admin", ""}, Named("one"));
  router.Add({"GET", "/api/v1/users/me", "agent", ""}, Named("me"));
  std::map<std::string, std::string> params;
  auto match = router.Match("GET", "/api/v1/users/42", &params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->info.pattern, "/api/v1/users/{id}");
  EXPECT_EQ(params["id"], "42");
  match = router.Match("GET", "/api/v1/users/me", &params);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->info.pattern, "/api/v1/users/me");
}

TEST(Router, ReportsOtherMethodsOnAKnownPath) {
  Router router;
  router.Add({"GET", "/things", "public", ""}, Named("get"));
  router.Add({"POST", "/things", "admin", ""}, Named("post"));
  auto match = router.Match("DELETE", "/things", nullptr);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_exists);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_FALSE(router.Match("GET", "/nothing", nullptr).path_exists);
}

TEST(Router, HeadIsServedByGet) {
  Router router;
  router.Add({"GET", "/healthz", "public", ""}, Named("h"));
  EXPECT_NE(router.Match("HEAD", "/healthz", nullptr).route, nullptr);
}

TEST(Router, EmptySegmentsDoNotMatchParameters) {
  Router router;
  router.Add({"GET", "/users/{id}", "admin", ""}, Named("one"));
  EXPECT_EQ(router.Match("GET", "/users/", nullptr).route, nullptr);
  EXPECT_EQ(router.Match("GET", "/users/1/extra", nullptr).route, nullptr);
}

TEST(Router, RefusesDuplicateRoutes) {
  Router router;
  router.Add({"GET", "/a", "public", ""}, Named("a"));
  EXPECT_THROW(router.Add({"GET", "/a", "public", ""}, Named("b")), std::invalid_argument);
}

TEST(QueryString, DecodesEscapesAndPlusAndRefusesBadEscapes) {
  std::map<std::string, std::string> q;
  ASSERT_TRUE(ParseQueryString("a=1&b=x+y%20z&c&d=%E0%A4%A8", &q));
  EXPECT_EQ(q["a"], "1");
  EXPECT_EQ(q["b"], "x y z");
  EXPECT_EQ(q["c"], "");
  EXPECT_EQ(q["d"], "न");
  EXPECT_FALSE(ParseQueryString("a=%zz", &q));
  EXPECT_FALSE(ParseQueryString("a=%4", &q));
}

TEST(Router, FallbackTakesOnlyUnmatchedGetAndHead) {
  Router router;
  router.Add({"GET", "/api/v1/things", "agent", ""}, Named("things"));
  router.Add({"POST", "/api/v1/upload", "agent", ""}, Named("upload"));
  router.SetFallback({"GET", "/{dashboard}", "public", ""}, Named("page"));
  auto match = router.Match("GET", "/leads/42", nullptr);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->info.pattern, "/{dashboard}");
  match = router.Match("HEAD", "/", nullptr);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->info.pattern, "/{dashboard}");
  // A real route still wins, and a path that exists under another method stays a 405.
  match = router.Match("GET", "/api/v1/things", nullptr);
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->info.pattern, "/api/v1/things");
  match = router.Match("GET", "/api/v1/upload", nullptr);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_exists);
  // Writes never reach the fallback.
  EXPECT_EQ(router.Match("POST", "/leads/42", nullptr).route, nullptr);
}

}  // namespace
}  // namespace vaarta::http
