// RecordingRepository on SQLite and PostgreSQL: one row per provider recording, state
// changes guarded by the state they leave, retry bookkeeping, erasure by lead and number.
#include "recordings/recording_repository.h"

#include <gtest/gtest.h>

#include "recordings/recording_test_data.h"
#include "test_support/test_database.h"

namespace vaarta::recordings {
namespace {

class RecordingRepositoryTest : public ::testing::TestWithParam<std::string> {
 protected:
  RecordingRepositoryTest() : tdb_(GetParam()) {}

  template <typename Fn>
  auto Tx(Fn&& fn) {
    return storage::InTransaction(tdb_.db(), std::forward<Fn>(fn));
  }
  NewRecording Row(const testdata::SeededCall& call, const std::string& sid) {
    NewRecording r;
    r.attempt_id = call.attempt_id;
    r.lead_id = call.lead_id;
    r.provider = "fake";
    r.provider_recording_id = sid;
    r.call_id = "CA1";
    r.duration_seconds = 42;
    r.channels = 2;
    r.created_at = 1'795'500'000'000;
    return r;
  }

  testing::TestDatabase tdb_;
  RecordingRepository repo_;
};

TEST_P(RecordingRepositoryTest, ARepeatedCallbackFindsTheFirstRow) {
  auto call = testdata::SeedCall(tdb_.db(), "+919800000001");
  auto first = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE1")); });
  EXPECT_TRUE(first.created);
  auto again = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE1")); });
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  auto other_provider = Row(call, "RE1");
  other_provider.provider = "other";
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, other_provider); }).created);
  auto second = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE2")); });
  EXPECT_TRUE(second.created);

  auto list = Tx([&](auto& tx) { return repo_.ListForAttempt(tx, call.attempt_id); });
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, first.id);
  const Recording& r = list[0];
  EXPECT_EQ(r.state, RecordingState::kPending);
  EXPECT_EQ(r.provider, "fake");
  EXPECT_EQ(r.provider_recording_id, "RE1");
  EXPECT_EQ(r.call_id, "CA1");
  EXPECT_EQ(r.lead_id, call.lead_id);
  EXPECT_EQ(r.duration_seconds, 42);
  EXPECT_EQ(r.channels, 2);
  EXPECT_EQ(r.created_at, 1'795'500'000'000);
  EXPECT_FALSE(r.stored_at);
  EXPECT_FALSE(r.remote_deleted);
  EXPECT_EQ(r.error, "");
  auto found = Tx([&](auto& tx) { return repo_.FindByProviderId(tx, "fake", "RE2"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, second.id);
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.LeadOfAttempt(tx, call.attempt_id); }), call.lead_id);
  EXPECT_FALSE(Tx([&](auto& tx) { return repo_.LeadOfAttempt(tx, 999999); }));
  EXPECT_FALSE(Tx([&](auto& tx) { return repo_.FindById(tx, 999999); }));
}

TEST_P(RecordingRepositoryTest, FetchFailuresCountUpToFailedAndStoredIsOnlyFromPending) {
  auto call = testdata::SeedCall(tdb_.db(), "+919800000002");
  int64_t id = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE1")); }).id;
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.DueForFetch(tx, 1000, 10); }).size(), 1u);

  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.RecordFetchFailure(tx, id, "503", 5000, false); }));
  auto r = *Tx([&](auto& tx) { return repo_.FindById(tx, id); });
  EXPECT_EQ(r.state, RecordingState::kPending);
  EXPECT_EQ(r.fetch_failures, 1);
  EXPECT_EQ(r.error, "503");
  EXPECT_EQ(r.retry_at, 5000);
  // Not due before its retry time.
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForFetch(tx, 4999, 10); }).empty());
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.DueForFetch(tx, 5000, 10); }).size(), 1u);

  EXPECT_TRUE(
      Tx([&](auto& tx) { return repo_.RecordFetchFailure(tx, id, "gone for good", 0, true); }));
  r = *Tx([&](auto& tx) { return repo_.FindById(tx, id); });
  EXPECT_EQ(r.state, RecordingState::kFailed);
  EXPECT_EQ(r.fetch_failures, 2);
  EXPECT_EQ(r.error, "gone for good");
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForFetch(tx, 1 << 30, 10); }).empty());
  // Neither stored nor failed again once failed.
  EXPECT_FALSE(Tx([&](auto& tx) { return repo_.MarkStored(tx, id, "k", "audio/x-wav", 1, 9); }));
  EXPECT_FALSE(Tx([&](auto& tx) { return repo_.RecordFetchFailure(tx, id, "x", 0, false); }));

  int64_t ok = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE2")); }).id;
  EXPECT_TRUE(Tx([&](auto& tx) {
    return repo_.MarkStored(tx, ok, "rec/2026/11/2.vrec", "audio/x-wav", 1234, 7777);
  }));
  r = *Tx([&](auto& tx) { return repo_.FindById(tx, ok); });
  EXPECT_EQ(r.state, RecordingState::kStored);
  EXPECT_EQ(r.blob_key, "rec/2026/11/2.vrec");
  EXPECT_EQ(r.content_type, "audio/x-wav");
  EXPECT_EQ(r.size_bytes, 1234);
  EXPECT_EQ(r.stored_at, 7777);
  EXPECT_FALSE(Tx([&](auto& tx) { return repo_.MarkStored(tx, ok, "other", "x", 1, 1); }));

  // A recording the provider lost is inserted failed, with its reason.
  auto lost = Row(call, "RE3");
  lost.state = RecordingState::kFailed;
  lost.error = "the provider reports the recording absent";
  int64_t lost_id = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, lost); }).id;
  r = *Tx([&](auto& tx) { return repo_.FindById(tx, lost_id); });
  EXPECT_EQ(r.state, RecordingState::kFailed);
  EXPECT_EQ(r.error, "the provider reports the recording absent");
}

TEST_P(RecordingRepositoryTest, RemoteDeletionsAreDueUntilDoneOrGivenUp) {
  auto call = testdata::SeedCall(tdb_.db(), "+919800000003");
  int64_t stored = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE1")); }).id;
  int64_t pending = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(call, "RE2")); }).id;
  Tx([&](auto& tx) { return repo_.MarkStored(tx, stored, "k1", "audio/x-wav", 1, 1); });
  (void)pending;
  auto due = Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 0, true, 3, 10); });
  ASSERT_EQ(due.size(), 1u);  // pending rows are not copied yet: their remote copy stays
  EXPECT_EQ(due[0].id, stored);
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 0, false, 3, 10); }).empty());

  EXPECT_EQ(Tx([&](auto& tx) { return repo_.RecordRemoteDeleteFailure(tx, stored, "500", 100); }),
            1);
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 99, true, 3, 10); }).empty());
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 100, true, 3, 10); }).size(),
            1u);
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.RecordRemoteDeleteFailure(tx, stored, "500", 0); }), 2);
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.RecordRemoteDeleteFailure(tx, stored, "500", 0); }), 3);
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 0, true, 3, 10); }).empty());
  auto r = *Tx([&](auto& tx) { return repo_.FindById(tx, stored); });
  EXPECT_EQ(r.state, RecordingState::kStored);  // a failed deletion does not undo the copy
  EXPECT_EQ(r.remote_delete_failures, 3);
  EXPECT_EQ(r.error, "500");

  Tx([&](auto& tx) { repo_.MarkRemoteDeleted(tx, stored); });
  r = *Tx([&](auto& tx) { return repo_.FindById(tx, stored); });
  EXPECT_TRUE(r.remote_deleted);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.remote_delete_failures, 0);
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 0, true, 3, 10); }).empty());
}

TEST_P(RecordingRepositoryTest, ErasureFindsRecordingsByLeadByAttemptAndByNumber) {
  auto a = testdata::SeedCall(tdb_.db(), "+919800000004");
  auto b = testdata::SeedCall(tdb_.db(), "+919800000005");
  int64_t a_stored = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(a, "RA1")); }).id;
  Tx([&](auto& tx) { return repo_.MarkStored(tx, a_stored, "rec/a1", "audio/x-wav", 1, 1); });
  auto via_attempt = Row(a, "RA2");  // the callback knew only the attempt
  via_attempt.lead_id.reset();
  int64_t a_pending = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, via_attempt); }).id;
  int64_t b_stored = Tx([&](auto& tx) { return repo_.InsertIfAbsent(tx, Row(b, "RB1")); }).id;
  Tx([&](auto& tx) { return repo_.MarkStored(tx, b_stored, "rec/b1", "audio/x-wav", 1, 1); });

  auto erased = Tx([&](auto& tx) { return repo_.EraseForNumber(tx, "+919800000004", 500); });
  ASSERT_EQ(erased.size(), 2u);
  for (const auto& r : erased) {
    EXPECT_EQ(r.state, RecordingState::kErased);
    EXPECT_EQ(r.erased_at, 500);
    EXPECT_TRUE(r.id == a_stored || r.id == a_pending);
    if (r.id == a_stored) {
      EXPECT_EQ(r.blob_key, "rec/a1");
    }
  }
  // Idempotent, and the other lead's recording is untouched.
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.EraseForNumber(tx, "+919800000004", 600); }).empty());
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.FindById(tx, b_stored); })->state,
            RecordingState::kStored);
  // An erased row is not copied, stored or failed afterwards; its provider copy is due
  // for deletion whatever the copy option says.
  EXPECT_FALSE(
      Tx([&](auto& tx) { return repo_.MarkStored(tx, a_pending, "k", "audio/x-wav", 1, 1); }));
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.DueForFetch(tx, 1 << 30, 10); }).empty());
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.DueForRemoteDelete(tx, 0, false, 3, 10); }).size(), 2u);

  auto with_blobs = Tx([&](auto& tx) { return repo_.ErasedWithBlobs(tx, 10); });
  ASSERT_EQ(with_blobs.size(), 1u);
  EXPECT_EQ(with_blobs[0].id, a_stored);
  Tx([&](auto& tx) { repo_.ClearBlobKey(tx, a_stored); });
  EXPECT_TRUE(Tx([&](auto& tx) { return repo_.ErasedWithBlobs(tx, 10); }).empty());
  // Clearing never touches a row that is not erased.
  Tx([&](auto& tx) { repo_.ClearBlobKey(tx, b_stored); });
  EXPECT_EQ(Tx([&](auto& tx) { return repo_.FindById(tx, b_stored); })->blob_key, "rec/b1");

  auto by_lead = Tx([&](auto& tx) { return repo_.EraseForLead(tx, b.lead_id, 700); });
  ASSERT_EQ(by_lead.size(), 1u);
  EXPECT_EQ(by_lead[0].id, b_stored);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, RecordingRepositoryTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::recordings
