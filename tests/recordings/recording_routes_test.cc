// The recording routes through ApiRouter (authentication, roles, audit), called in
// process: listing a call's recordings, and the audio with single byte ranges.
#include "api/recording_routes.h"

#include <gtest/gtest.h>

#include <sstream>

#include "recordings/local_blob_store.h"
#include "recordings/recording_test_data.h"
#include "test_support/test_database.h"

namespace vaarta::api {
namespace {

constexpr int64_t kStart = 1'795'500'000'000;
const std::string kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(ByteRangeTest, ReadsTheThreeFormsAndRefusesWhatCannotBeServed) {
  using Kind = ByteRangeRequest::Kind;
  auto check = [](const std::string& header, int64_t size, Kind kind, int64_t first = 0,
                  int64_t last = 0) {
    ByteRangeRequest r = ParseByteRange(header, size, 1000);
    EXPECT_EQ(static_cast<int>(r.kind), static_cast<int>(kind)) << header << " of " << size;
    if (kind == Kind::kPartial) {
      EXPECT_EQ(r.first, first) << header;
      EXPECT_EQ(r.last, last) << header;
    }
  };
  check("", 100, Kind::kWhole);
  check("bytes=0-99", 100, Kind::kPartial, 0, 99);
  check("bytes=10-19", 100, Kind::kPartial, 10, 19);
  check("bytes=90-500", 100, Kind::kPartial, 90, 99);  // clamped to the end
  check("bytes=99-99", 100, Kind::kPartial, 99, 99);
  check("bytes=5-", 100, Kind::kPartial, 5, 99);
  check("bytes=0-", 5000, Kind::kPartial, 0, 999);  // open ranges come in pieces
  check("bytes=-10", 100, Kind::kPartial, 90, 99);
  check("bytes=-500", 100, Kind::kPartial, 0, 99);
  check(" Bytes=1-2 ", 100, Kind::kPartial, 1, 2);  // the unit is case-insensitive
  check("bytes=100-", 100, Kind::kUnsatisfiable);
  check("bytes=100-200", 100, Kind::kUnsatisfiable);
  check("bytes=-0", 100, Kind::kUnsatisfiable);
  check("bytes=0-0", 0, Kind::kUnsatisfiable);
  check("bytes=-5", 0, Kind::kUnsatisfiable);
  // Ignored: other units, several ranges, nonsense.
  check("items=0-5", 100, Kind::kWhole);
  check("bytes = 1-2", 100, Kind::kWhole);
  check("bytes=0-5,10-20", 100, Kind::kWhole);
  check("bytes=5-2", 100, Kind::kWhole);
  check("bytes=a-b", 100, Kind::kWhole);
  check("bytes=-", 100, Kind::kWhole);
  check("bytes=+1-2", 100, Kind::kWhole);
  check("bytes=1", 100, Kind::kWhole);
  check("bytes=99999999999999999999-", 100, Kind::kWhole);
}

class RecordingRoutesTest : public ::testing::TestWithParam<std::string> {
 protected:
  RecordingRoutesTest()
      : tdb_(GetParam()),
        clock_(kStart),
        logger_(log_, core::LogLevel::kError, clock_),
        audit_(tdb_.db(), clock_),
        auth_(tdb_.db(), clock_, audit_, Settings()),
        services_{tdb_.db(), clock_, logger_, metrics_, auth_, audit_, settings_, live_},
        router_(http_router_, services_),
        dir_(testing::MakeTempDir("recording-routes")),
        store_(dir_),
        recordings_(
            tdb_.db(), store_, *recordings::ParseRecordingKey(kKey),
            [this](const std::string&) -> telephony::TelephonyProvider* { return &provider_; },
            audit_, clock_) {
    RegisterRecordingRoutes(router_, recordings_);
    auth::Caller system{"system", auth::Role::kAdmin, 0, 0};
    for (auto role : {auth::Role::kAgent, auth::Role::kManager}) {
      std::string name(auth::RoleName(role));
      keys_[name] = auth_.CreateApiKey(name, role, system, {"127.0.0.1", "setup"})->plaintext;
    }
    call_ = recordings::testdata::SeedCall(tdb_.db(), "+919800000031");
    audio_.resize(300'000);
    for (size_t i = 0; i < audio_.size(); ++i) audio_[i] = static_cast<char>(i * 13 % 256);
    provider_.media["RE1"] = {"audio/x-wav", audio_};
    id_ = recordings_
              .OnRecordingEvent("fake", call_.attempt_id, call_.lead_id,
                                recordings::testdata::RecordingEvent("RE1"))
              ->recording_id;
    EXPECT_EQ(recordings_.FetchPending().stored, 1);
  }
  ~RecordingRoutesTest() override { testing::RemoveTree(dir_); }

  static auth::AuthSettings Settings() {
    auth::AuthSettings s;
    s.jwt_secret = std::string(32, 's');
    return s;
  }

  http::Response Get(const std::string& path, const std::string& role,
                     const std::string& range = "") {
    http::Request request;
    request.method = "GET";
    request.target = path;
    request.path = path;
    if (!role.empty()) request.headers["authorization"] = "Bearer " + keys_[role];
    if (!range.empty()) request.headers["range"] = range;
    request.remote_address = "10.0.0.7";
    request.request_id = "req-" + std::to_string(++request_count_);
    auto match = http_router_.Match("GET", request.path, &request.path_params);
    EXPECT_NE(match.route, nullptr) << path;
    if (!match.route) return http::Problem(404, "no_route", path);
    return match.route->handler(request);
  }
  static std::string Header(const http::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }
  std::string Media() const { return "/api/v1/recordings/" + std::to_string(id_) + "/media"; }
  std::vector<audit::AuditRecord> Listens() {
    audit::AuditFilter filter;
    filter.action = "GET /api/v1/recordings/{id}/media";
    return audit_.Page(filter, 0, 100);
  }

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
  std::string dir_;
  recordings::LocalBlobStore store_;
  recordings::testdata::FakeRecordingProvider provider_;
  recordings::RecordingService recordings_;
  std::map<std::string, std::string> keys_;
  int request_count_ = 0;
  recordings::testdata::SeededCall call_;
  std::string audio_;
  int64_t id_ = 0;
};

TEST_P(RecordingRoutesTest, StreamsTheAudioWholeAndInRanges) {
  auto whole = Get(Media(), "agent");
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(whole.body, audio_);
  EXPECT_EQ(whole.content_type, "audio/x-wav");
  EXPECT_EQ(Header(whole, "Accept-Ranges"), "bytes");
  EXPECT_EQ(Header(whole, "Content-Range"), "");
  EXPECT_EQ(Header(whole, "Cache-Control"), "private, no-store");

  auto part = Get(Media(), "manager", "bytes=70000-70099");
  ASSERT_EQ(part.status, 206) << part.body;
  EXPECT_EQ(part.body, audio_.substr(70000, 100));
  EXPECT_EQ(Header(part, "Content-Range"), "bytes 70000-70099/300000");
  EXPECT_EQ(Header(part, "Accept-Ranges"), "bytes");

  auto tail = Get(Media(), "agent", "bytes=-10");
  ASSERT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, audio_.substr(299'990));
  EXPECT_EQ(Header(tail, "Content-Range"), "bytes 299990-299999/300000");

  auto open = Get(Media(), "agent", "bytes=299000-");
  ASSERT_EQ(open.status, 206);
  EXPECT_EQ(open.body, audio_.substr(299'000));
  EXPECT_EQ(Header(open, "Content-Range"), "bytes 299000-299999/300000");

  auto beyond = Get(Media(), "agent", "bytes=300000-");
  EXPECT_EQ(beyond.status, 416);
  EXPECT_EQ(Header(beyond, "Content-Range"), "bytes */300000");

  auto several = Get(Media(), "agent", "bytes=0-1,5-6");
  EXPECT_EQ(several.status, 200);
  EXPECT_EQ(several.body.size(), audio_.size());
}

TEST_P(RecordingRoutesTest, EveryListeningIsAuditedAndStrangersAreRefused) {
  EXPECT_EQ(Get(Media(), "").status, 401);
  ASSERT_EQ(Get(Media(), "agent", "bytes=0-99").status, 206);
  ASSERT_EQ(Get(Media(), "manager").status, 200);
  auto listens = Listens();
  ASSERT_EQ(listens.size(), 2u);  // newest first
  EXPECT_EQ(listens[1].entry.actor.rfind("apikey:", 0), 0u) << listens[1].entry.actor;
  EXPECT_EQ(listens[1].entry.role, "agent");
  EXPECT_EQ(listens[1].entry.target, "recording:" + std::to_string(id_));
  EXPECT_EQ(listens[1].entry.outcome, "success");
  auto summary = nlohmann::json::parse(listens[1].entry.summary);
  EXPECT_EQ(summary["bytes"], "0-99/300000");
  EXPECT_EQ(summary["attempt_id"], call_.attempt_id);
  EXPECT_EQ(listens[0].entry.role, "manager");

  EXPECT_EQ(Get("/api/v1/recordings/999999/media", "agent").status, 404);
  EXPECT_EQ(Get("/api/v1/recordings/abc/media", "agent").status, 400);
}

TEST_P(RecordingRoutesTest, ListsACallsRecordingsAndRefusesErasedAndUnreadyOnes) {
  provider_.media["RE2"] = {"audio/mpeg", "mp3"};
  int64_t pending = recordings_
                        .OnRecordingEvent("fake", call_.attempt_id, call_.lead_id,
                                          recordings::testdata::RecordingEvent("RE2"))
                        ->recording_id;
  auto list = Get("/api/v1/calls/" + std::to_string(call_.attempt_id) + "/recordings", "agent");
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = nlohmann::json::parse(list.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["id"], id_);
  EXPECT_EQ(items[0]["state"], "stored");
  EXPECT_EQ(items[0]["size_bytes"], 300000);
  EXPECT_EQ(items[0]["content_type"], "audio/x-wav");
  EXPECT_EQ(items[0]["media_url"], Media());
  EXPECT_EQ(items[0]["remote_deleted"], true);
  EXPECT_EQ(items[0]["duration_seconds"], 42);
  EXPECT_EQ(items[0]["lead_id"], call_.lead_id);
  EXPECT_EQ(items[0]["created_at"], core::FormatIso8601Utc(kStart));
  EXPECT_EQ(items[1]["state"], "pending");
  EXPECT_TRUE(items[1]["media_url"].is_null());
  EXPECT_TRUE(items[1]["stored_at"].is_null());

  auto unready = Get("/api/v1/recordings/" + std::to_string(pending) + "/media", "agent");
  EXPECT_EQ(unready.status, 409);
  EXPECT_EQ(nlohmann::json::parse(unready.body)["code"], "recording_not_ready");

  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    return recordings_.EraseForLead(tx, call_.lead_id);
  });
  auto erased = Get(Media(), "agent");
  EXPECT_EQ(erased.status, 404);
  EXPECT_EQ(nlohmann::json::parse(erased.body)["code"], "recording_erased");
  auto after = Get("/api/v1/calls/" + std::to_string(call_.attempt_id) + "/recordings", "agent");
  EXPECT_EQ(nlohmann::json::parse(after.body)["items"][0]["state"], "erased");
  EXPECT_EQ(Get("/api/v1/calls/999999/recordings", "agent").body, R"({"items":[]})");
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, RecordingRoutesTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::api
