#include "http/static_site.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "test_support/test_database.h"

namespace vaarta::http {
namespace {

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "";
}

std::string Gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

Request Get(const std::string& path, std::map<std::string, std::string> headers = {}) {
  Request r;
  r.method = "GET";
  r.path = path;
  r.headers = std::move(headers);
  return r;
}

class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = vaarta::testing::MakeTempDir("static-site");
    std::filesystem::create_directories(root_ + "/assets");
    Write("index.html", "<!doctype html><div id=root></div>");
    script_ = "console.log('वार्ता');\n";
    for (int i = 0; i < 200; ++i) script_ += "export const line" + std::to_string(i) + " = 1;\n";
    Write("assets/index-abc123.js", script_);
    Write("assets/logo-9f.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(2000, 'x'));
    Write("robots.txt", "User-agent: *\n");
    auto site = StaticSite::Load(root_);
    ASSERT_TRUE(site) << site.error().message;
    site_.emplace(std::move(*site));
  }
  void TearDown() override { vaarta::testing::RemoveTree(root_); }
  void Write(const std::string& name, const std::string& content) {
    std::ofstream(root_ + "/" + name, std::ios::binary) << content;
  }

  std::string root_;
  std::string script_;
  std::optional<StaticSite> site_;
};

TEST_F(StaticSiteTest, HashedAssetsAreImmutableAndThePageIsRevalidated) {
  EXPECT_EQ(site_->file_count(), 4u);
  Response js = site_->Serve(Get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.body, script_);
  Response page = site_->Serve(Get("/"));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(Header(page, "Cache-Control"), "no-cache");
  EXPECT_NE(Header(page, "Content-Security-Policy").find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_EQ(Header(site_->Serve(Get("/robots.txt")), "Cache-Control"), "no-cache");
}

TEST_F(StaticSiteTest, ClientRoutesGetThePageButMissingFilesAndApiPathsAre404) {
  for (std::string path : {"/leads", "/leads/42/timeline", "/campaigns/new", "/index.html"}) {
    Response r = site_->Serve(Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><div id=root></div>") << path;
  }
  // An old build's chunk must fail as a 404, not load HTML as a script.
  EXPECT_EQ(site_->Serve(Get("/assets/index-old999.js")).status, 404);
  for (std::string path : {"/api/v1/nothing", "/api", "/webhooks/twilio/x", "/metrics"}) {
    Response r = site_->Serve(Get(path));
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/problem+json") << path;
  }
}

TEST_F(StaticSiteTest, GzipOnlyWhenAcceptedAndWorthIt) {
  Response plain = site_->Serve(Get("/assets/index-abc123.js"));
  EXPECT_EQ(Header(plain, "Content-Encoding"), "");
  EXPECT_EQ(Header(plain, "Vary"), "Accept-Encoding");
  Response packed = site_->Serve(Get("/assets/index-abc123.js", {{"accept-encoding", "br, gzip"}}));
  EXPECT_EQ(Header(packed, "Content-Encoding"), "gzip");
  EXPECT_LT(packed.body.size(), script_.size());
  EXPECT_EQ(Gunzip(packed.body), script_);
  Response refused =
      site_->Serve(Get("/assets/index-abc123.js", {{"accept-encoding", "gzip;q=0, br"}}));
  EXPECT_EQ(Header(refused, "Content-Encoding"), "");
  // PNG is compressed already: never gzipped.
  Response png = site_->Serve(Get("/assets/logo-9f.png", {{"accept-encoding", "gzip"}}));
  EXPECT_EQ(Header(png, "Content-Encoding"), "");
  EXPECT_EQ(png.content_type, "image/png");
}

TEST_F(StaticSiteTest, MatchingEtagAnswers304WithoutABody) {
  Response first = site_->Serve(Get("/assets/index-abc123.js"));
  std::string etag = Header(first, "ETag");
  ASSERT_EQ(etag.size(), 34u);
  Response again = site_->Serve(Get("/assets/index-abc123.js", {{"if-none-match", etag}}));
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  Response other = site_->Serve(Get("/assets/index-abc123.js", {{"if-none-match", "\"x\""}}));
  EXPECT_EQ(other.status, 200);
}

TEST(StaticSite, LoadSaysWhatIsMissing) {
  std::string root = vaarta::testing::MakeTempDir("static-site-empty");
  auto site = StaticSite::Load(root);
  ASSERT_FALSE(site);
  EXPECT_NE(site.error().message.find("index.html missing"), std::string::npos);
  vaarta::testing::RemoveTree(root);
}

}  // namespace
}  // namespace vaarta::http
