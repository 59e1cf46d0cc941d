// RecordingService against a fake provider, a real blob folder and both databases:
// callbacks make one row, copies are encrypted and the provider's copy deleted,
// failures are retried with backoff up to a bound, erasure removes what was stored.
#include "recordings/recording_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "recordings/local_blob_store.h"
#include "recordings/recording_test_data.h"
#include "test_support/test_database.h"

namespace vaarta::recordings {
namespace {

constexpr int64_t kStart = 1'795'500'000'000;  // 2026-11-24 UTC
const std::string kKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::string Wav(size_t n) {
  std::string s = "RIFF....WAVEfmt ";
  while (s.size() < n) s += static_cast<char>(s.size() * 31 % 251);
  return s.substr(0, n);
}

// Deletes fail while `delete_failures_left` > 0.
class FlakyStore final : public BlobStore {
 public:
  explicit FlakyStore(BlobStore& inner) : inner_(inner) {}
  core::Status Put(const std::string& k, const std::string& b) override { return inner_.Put(k, b); }
  core::Result<int64_t> Size(const std::string& k) const override { return inner_.Size(k); }
  core::Result<std::string> Read(const std::string& k, int64_t o, int64_t n) const override {
    return inner_.Read(k, o, n);
  }
  core::Status Delete(const std::string& k) override {
    if (delete_failures_left > 0) {
      --delete_failures_left;
      return core::MakeError(core::ErrorCode::kUnavailable, "disk says no");
    }
    return inner_.Delete(k);
  }
  int delete_failures_left = 0;

 private:
  BlobStore& inner_;
};

class RecordingServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  RecordingServiceTest()
      : tdb_(GetParam()),
        clock_(kStart),
        audit_(tdb_.db(), clock_),
        dir_(testing::MakeTempDir("recording-service")),
        local_(dir_ + "/recordings"),
        store_(local_) {}
  ~RecordingServiceTest() override { testing::RemoveTree(dir_); }

  std::unique_ptr<RecordingService> Service(RecordingServiceOptions options = {}) {
    options.retry_base_millis = 1000;
    options.retry_max_millis = 8000;
    return std::make_unique<RecordingService>(
        tdb_.db(), store_, *ParseRecordingKey(kKey),
        [this](const std::string& name) -> telephony::TelephonyProvider* {
          return name == "fake" ? &provider_ : nullptr;
        },
        audit_, clock_, options);
  }
  int64_t Record(RecordingService& service, const testdata::SeededCall& call,
                 const std::string& sid, std::string_view media_bytes) {
    provider_.media[sid] = {"audio/x-wav", std::string(media_bytes)};
    auto event = service.OnRecordingEvent("fake", call.attempt_id, call.lead_id,
                                          testdata::RecordingEvent(sid));
    EXPECT_TRUE(event) << event.error().message;
    return event ? event->recording_id : 0;
  }
  std::vector<audit::AuditRecord> AuditRecords(const std::string& action) {
    audit::AuditFilter filter;
    filter.action = action;
    return audit_.Page(filter, 0, 100);
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  std::string dir_;
  LocalBlobStore local_;
  FlakyStore store_;
  testdata::FakeRecordingProvider provider_;
};

TEST_P(RecordingServiceTest, RepeatedCallbacksMakeOneRow) {
  auto service = Service();
  auto call = testdata::SeedCall(tdb_.db(), "+919800000011");
  auto first = service->OnRecordingEvent("fake", call.attempt_id, std::nullopt,
                                         testdata::RecordingEvent("RE1"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  auto again = service->OnRecordingEvent("fake", call.attempt_id, std::nullopt,
                                         testdata::RecordingEvent("RE1"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->recording_id, first->recording_id);
  auto rows = service->ListForAttempt(call.attempt_id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].lead_id, call.lead_id);  // taken from the attempt
  EXPECT_EQ(rows[0].state, RecordingState::kPending);
  EXPECT_EQ(rows[0].duration_seconds, 42);
  EXPECT_EQ(rows[0].channels, 2);
  EXPECT_EQ(rows[0].call_id, "CA-RE1");

  // In progress: the completed callback follows; nothing to record yet.
  auto progress = service->OnRecordingEvent("fake", call.attempt_id, call.lead_id,
                                            testdata::RecordingEvent("RE2", "in-progress"));
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->recording_id, 0);
  // Absent: a failed row that says why.
  auto absent = service->OnRecordingEvent("fake", call.attempt_id, call.lead_id,
                                          testdata::RecordingEvent("RE3", "absent"));
  ASSERT_TRUE(absent);
  EXPECT_EQ(service->Get(absent->recording_id)->state, RecordingState::kFailed);
  EXPECT_NE(service->Get(absent->recording_id)->error.find("absent"), std::string::npos);

  telephony::CallEvent status = testdata::RecordingEvent("RE4");
  status.kind = telephony::WebhookKind::kStatus;
  EXPECT_EQ(
      service->OnRecordingEvent("fake", call.attempt_id, call.lead_id, status).error().detail_code,
      "not_a_recording_event");
  EXPECT_EQ(
      service->OnRecordingEvent("fake", call.attempt_id, call.lead_id, testdata::RecordingEvent(""))
          .error()
          .detail_code,
      "missing_recording_id");
  EXPECT_EQ(service->ListForAttempt(call.attempt_id).size(), 2u);
}

TEST_P(RecordingServiceTest, CopiesEncryptedAndDeletesTheProvidersCopy) {
  auto service = Service();
  auto call = testdata::SeedCall(tdb_.db(), "+919800000012");
  const std::string media = Wav(200'000);
  int64_t id = Record(*service, call, "RE1", media);

  RecordingWork work = service->FetchPending();
  EXPECT_EQ(work.stored, 1);
  EXPECT_EQ(work.fetch_failures, 0);
  Recording r = *service->Get(id);
  EXPECT_EQ(r.state, RecordingState::kStored);
  EXPECT_EQ(r.blob_key, "rec/2026/11/" + std::to_string(id) + ".vrec");
  EXPECT_EQ(r.content_type, "audio/x-wav");
  EXPECT_EQ(r.size_bytes, 200'000);
  EXPECT_EQ(r.stored_at, kStart);
  EXPECT_TRUE(r.remote_deleted);
  EXPECT_EQ(provider_.deletes["RE1"], 1);
  EXPECT_EQ(provider_.media.count("RE1"), 0u);

  // On disk it is ciphertext.
  std::ifstream file(dir_ + "/recordings/" + r.blob_key, std::ios::binary);
  std::stringstream on_disk;
  on_disk << file.rdbuf();
  EXPECT_EQ(on_disk.str().substr(0, 5), "VREC1");
  EXPECT_EQ(on_disk.str().find(media.substr(100, 64)), std::string::npos);

  auto opened = service->OpenForRead(id);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->size, 200'000);
  EXPECT_EQ(opened->content_type, "audio/x-wav");
  EXPECT_EQ(*opened->reader.Read(0, 200'000), media);
  EXPECT_EQ(*opened->reader.Read(70'000, 100), media.substr(70'000, 100));

  // Nothing more to do; a second Fetch of a stored recording is a no-op.
  work = service->RunOnce();
  EXPECT_EQ(work.stored + work.remote_deleted + work.blobs_removed, 0);
  EXPECT_TRUE(service->Fetch(id));
  EXPECT_EQ(provider_.fetches["RE1"], 1);
  EXPECT_EQ(service->Fetch(999999).error().code, core::ErrorCode::kNotFound);
}

TEST_P(RecordingServiceTest, KeepsTheProvidersCopyWhenToldTo) {
  RecordingServiceOptions options;
  options.delete_remote_after_copy = false;
  auto service = Service(options);
  auto call = testdata::SeedCall(tdb_.db(), "+919800000013");
  int64_t id = Record(*service, call, "RE1", Wav(100));
  EXPECT_EQ(service->RunOnce().stored, 1);
  EXPECT_FALSE(service->Get(id)->remote_deleted);
  EXPECT_EQ(provider_.deletes.count("RE1"), 0u);
  EXPECT_EQ(provider_.media.count("RE1"), 1u);
}

TEST_P(RecordingServiceTest, FailedCopiesAreRetriedWithBackoffUpToTheBound) {
  RecordingServiceOptions options;
  options.max_fetch_attempts = 3;
  auto service = Service(options);
  auto call = testdata::SeedCall(tdb_.db(), "+919800000014");
  int64_t id = Record(*service, call, "RE1", Wav(1000));
  provider_.fetch_failures_left = 2;

  EXPECT_EQ(service->FetchPending().fetch_failures, 1);
  Recording r = *service->Get(id);
  EXPECT_EQ(r.state, RecordingState::kPending);
  EXPECT_EQ(r.fetch_failures, 1);
  EXPECT_EQ(r.error, "provider returned 503");
  EXPECT_EQ(r.retry_at, kStart + 1000);
  // Not again before the backoff has passed.
  EXPECT_EQ(service->FetchPending().fetch_failures + service->FetchPending().stored, 0);
  EXPECT_EQ(provider_.fetches["RE1"], 1);
  clock_.Advance(1000);
  EXPECT_EQ(service->FetchPending().fetch_failures, 1);
  EXPECT_EQ(service->Get(id)->retry_at, clock_.NowMillis() + 2000);  // doubled
  clock_.Advance(2000);
  EXPECT_EQ(service->FetchPending().stored, 1);
  EXPECT_EQ(service->Get(id)->state, RecordingState::kStored);
  EXPECT_EQ(service->Get(id)->error, "");

  // A recording that never comes is failed after the bound, and audited.
  int64_t lost = Record(*service, call, "RE2", "");
  provider_.media.erase("RE2");
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(service->Fetch(lost));
    clock_.Advance(10'000);
  }
  r = *service->Get(lost);
  EXPECT_EQ(r.state, RecordingState::kFailed);
  EXPECT_EQ(r.fetch_failures, 3);
  EXPECT_NE(r.error.find("no recording RE2"), std::string::npos);
  EXPECT_EQ(service->FetchPending().fetch_failures, 0);
  EXPECT_EQ(provider_.fetches["RE2"], 3);
  EXPECT_EQ(service->Fetch(lost).error().detail_code, "recording_not_pending");
  EXPECT_EQ(service->OpenForRead(lost).error().detail_code, "recording_failed");
  auto audited = AuditRecords("recordings.fetch_failed");
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].entry.target, "recording:" + std::to_string(lost));
  EXPECT_EQ(audited[0].entry.actor, "system");
}

TEST_P(RecordingServiceTest, AFailedProviderDeletionIsRecordedAndRetried) {
  RecordingServiceOptions options;
  options.max_remote_delete_attempts = 3;
  auto service = Service(options);
  auto call = testdata::SeedCall(tdb_.db(), "+919800000015");
  int64_t id = Record(*service, call, "RE1", Wav(500));
  provider_.delete_failures_left = 1;
  EXPECT_EQ(service->FetchPending().stored, 1);
  Recording r = *service->Get(id);
  EXPECT_EQ(r.state, RecordingState::kStored);  // the copy stands
  EXPECT_FALSE(r.remote_deleted);
  EXPECT_EQ(r.remote_delete_failures, 1);
  EXPECT_NE(r.error.find("provider returned 500"), std::string::npos);
  EXPECT_TRUE(service->OpenForRead(id));

  EXPECT_EQ(service->DeleteRemoteCopies().remote_deleted, 0);  // backoff
  clock_.Advance(1000);
  EXPECT_EQ(service->DeleteRemoteCopies().remote_deleted, 1);
  r = *service->Get(id);
  EXPECT_TRUE(r.remote_deleted);
  EXPECT_EQ(r.error, "");

  // Given up after the bound, for a person to look at.
  int64_t stuck = Record(*service, call, "RE2", Wav(10));
  provider_.delete_failures_left = 100;
  service->FetchPending();
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(60'000);
    service->DeleteRemoteCopies();
  }
  EXPECT_EQ(provider_.deletes["RE2"], 3);
  EXPECT_FALSE(service->Get(stuck)->remote_deleted);
  EXPECT_EQ(AuditRecords("recordings.remote_delete_failed").size(), 1u);
}

TEST_P(RecordingServiceTest, ErasureRemovesBlobsOnCommitAndTheProvidersCopiesAfter) {
  RecordingServiceOptions options;
  options.delete_remote_after_copy = false;  // erasure deletes the provider's copy anyway
  auto service = Service(options);
  auto call = testdata::SeedCall(tdb_.db(), "+919800000016");
  auto other = testdata::SeedCall(tdb_.db(), "+919800000017");
  int64_t stored = Record(*service, call, "RE1", Wav(300));
  int64_t kept = Record(*service, other, "RE9", Wav(300));
  service->FetchPending();
  int64_t pending = Record(*service, call, "RE2", Wav(300));
  const std::string path = dir_ + "/recordings/" + service->Get(stored)->blob_key;
  ASSERT_TRUE(std::filesystem::exists(path));

  {  // Rolled back: nothing happens.
    auto tx = tdb_.db().Begin(true);
    EXPECT_EQ(service->EraseForNumber(*tx, "+919800000016"), 2);
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(service->Get(stored)->state, RecordingState::kStored);

  int erased = storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    return service->EraseForNumber(tx, "+919800000016");
  });
  EXPECT_EQ(erased, 2);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(service->Get(stored)->state, RecordingState::kErased);
  EXPECT_EQ(service->Get(pending)->state, RecordingState::kErased);
  EXPECT_EQ(service->OpenForRead(stored).error().detail_code, "recording_erased");
  EXPECT_EQ(service->Get(kept)->state, RecordingState::kStored);

  RecordingWork work = service->RunOnce();
  EXPECT_EQ(work.stored, 0);  // the pending one is never copied now
  EXPECT_EQ(work.remote_deleted, 2);
  EXPECT_EQ(work.blobs_removed, 1);  // the key is cleared once the blob is known gone
  EXPECT_EQ(provider_.fetches.count("RE2"), 0u);
  EXPECT_EQ(provider_.media.count("RE1") + provider_.media.count("RE2"), 0u);
  EXPECT_EQ(provider_.media.count("RE9"), 1u);
  EXPECT_EQ(service->Get(stored)->blob_key, "");
  EXPECT_TRUE(service->OpenForRead(kept));

  // By lead id, and nothing left the second time.
  int by_lead = storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    return service->EraseForLead(tx, other.lead_id);
  });
  EXPECT_EQ(by_lead, 1);
  EXPECT_EQ(storage::InTransaction(
                tdb_.db(),
                [&](storage::Transaction& tx) { return service->EraseForLead(tx, other.lead_id); }),
            0);
}

TEST_P(RecordingServiceTest, ABlobThatCouldNotBeRemovedIsSweptLater) {
  auto service = Service();
  auto call = testdata::SeedCall(tdb_.db(), "+919800000018");
  int64_t id = Record(*service, call, "RE1", Wav(300));
  service->FetchPending();
  const std::string path = dir_ + "/recordings/" + service->Get(id)->blob_key;
  store_.delete_failures_left = 1;
  storage::InTransaction(
      tdb_.db(), [&](storage::Transaction& tx) { return service->EraseForLead(tx, call.lead_id); });
  EXPECT_TRUE(std::filesystem::exists(path));  // the commit hook's delete failed
  EXPECT_EQ(service->SweepErased().blobs_removed, 1);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(service->Get(id)->blob_key, "");
  EXPECT_EQ(service->SweepErased().blobs_removed, 0);
}

TEST_P(RecordingServiceTest, ACopyFinishingAfterAnErasureIsThrownAway) {
  auto service = Service();
  auto call = testdata::SeedCall(tdb_.db(), "+919800000019");
  int64_t id = Record(*service, call, "RE1", Wav(300));
  provider_.during_fetch = [&] {
    storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      return service->EraseForLead(tx, call.lead_id);
    });
  };
  auto fetched = service->Fetch(id);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().detail_code, "recording_not_pending");
  EXPECT_EQ(service->Get(id)->state, RecordingState::kErased);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/recordings/" +
                                       RecordingService::BlobKeyFor(*service->Get(id))));
  provider_.during_fetch = nullptr;
  EXPECT_EQ(service->DeleteRemoteCopies().remote_deleted, 1);
  EXPECT_EQ(provider_.media.count("RE1"), 0u);
}

TEST_P(RecordingServiceTest, ADamagedOrMissingBlobIsAnErrorNotAudio) {
  auto service = Service();
  auto call = testdata::SeedCall(tdb_.db(), "+919800000020");
  int64_t id = Record(*service, call, "RE1", Wav(100'000));
  service->FetchPending();
  const Recording r = *service->Get(id);
  std::string blob = *local_.Read(r.blob_key, 0, 1 << 20);
  blob[blob.size() - 20] ^= 0x10;  // inside the second (last) chunk
  ASSERT_TRUE(local_.Put(r.blob_key, blob));
  auto opened = service->OpenForRead(id);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(opened->reader.Read(0, 100));  // the first chunk is intact
  EXPECT_EQ(opened->reader.Read(0, 100'000).error().detail_code, kRecordingCorrupt);

  ASSERT_TRUE(local_.Delete(r.blob_key));
  EXPECT_EQ(service->OpenForRead(id).error().detail_code, kRecordingCorrupt);
  // Read with another key: named as such.
  RecordingService other_key(tdb_.db(), store_, *ParseRecordingKey(std::string(64, 'a')), nullptr,
                             audit_, clock_);
  int64_t second = Record(*service, call, "RE2", Wav(100));
  service->FetchPending();
  EXPECT_EQ(other_key.OpenForRead(second).error().detail_code, kRecordingKeyMismatch);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, RecordingServiceTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::recordings
