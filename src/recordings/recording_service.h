#pragma once
// RecordingService: a call recording's way from the provider to the people allowed to
// hear it. A recording callback leaves a pending row; FetchPending copies the media
// from the provider, encrypts it and stores it in the blob store, then (by default)
// deletes the provider's copy. Failures are kept with their reason and retried with
// backoff up to a bound. Erasure marks a lead's recordings erased in the erasure's own
// transaction and removes the blobs once it commits (and the provider's copies after).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "recordings/blob_store.h"
#include "recordings/encrypted_blob.h"
#include "recordings/recording.h"
#include "recordings/recording_repository.h"
#include "storage/database.h"
#include "telephony/telephony_provider.h"
#include "telephony/webhook.h"

namespace vaarta::recordings {

struct RecordingServiceOptions {
  bool delete_remote_after_copy = true;
  int max_fetch_attempts = 5;          // then the recording is failed
  int max_remote_delete_attempts = 8;  // then it is left for a person (audited)
  int64_t retry_base_millis = 30'000;  // doubles with each failure
  int64_t retry_max_millis = 3'600'000;
  uint32_t chunk_size = kDefaultChunkSize;
  int batch_size = 20;  // rows per FetchPending / DeleteRemoteCopies / SweepErased
};

// The provider account a recording came from, by TelephonyProvider::name(); null when
// none of that name is configured (the copy then fails and is retried).
using ProviderLookup = std::function<telephony::TelephonyProvider*(const std::string& name)>;

struct RecordingEventResult {
  int64_t recording_id = 0;  // 0: the event needs no row ("in-progress")
  bool created = false;      // false: a repeated callback found the existing row
};

// What one maintenance pass did.
struct RecordingWork {
  int stored = 0;
  int fetch_failures = 0;
  int remote_deleted = 0;
  int remote_delete_failures = 0;
  int blobs_removed = 0;
};

// A stored recording opened for reading plaintext ranges.
struct OpenedRecording {
  Recording recording;
  int64_t size = 0;
  std::string content_type;
  EncryptedBlobReader reader;
};

class RecordingService {
 public:
  RecordingService(storage::Database& db, BlobStore& store, RecordingKey key,
                   ProviderLookup providers, audit::AuditLog& audit, const core::Clock& clock,
                   RecordingServiceOptions options = {});

  // A verified recording callback (WebhookKind::kRecording) of `provider`. "completed"
  // leaves a pending row, "failed"/"absent" a failed one; a repeated callback changes
  // nothing. When lead_id is not given it is taken from the call attempt.
  // kInvalidArgument when the event is not a recording event or names no recording.
  core::Result<RecordingEventResult> OnRecordingEvent(const std::string& provider,
                                                      std::optional<int64_t> attempt_id,
                                                      std::optional<int64_t> lead_id,
                                                      const telephony::CallEvent& event);

  // Copies every pending recording whose next try is due.
  RecordingWork FetchPending();
  // Copies one recording now, whatever its retry time. Ok for an already stored one;
  // kNotFound for an unknown id; kConflict when it is failed or erased; otherwise the
  // copy's error (the failure is recorded and retried later).
  core::Status Fetch(int64_t recording_id);
  // Deletes provider copies that are due: of stored recordings (when configured) and of
  // erased ones (always).
  RecordingWork DeleteRemoteCopies();
  // Removes blobs of erased recordings that an earlier attempt could not remove.
  RecordingWork SweepErased();
  // All three, for a periodic background job.
  RecordingWork RunOnce();

  std::optional<Recording> Get(int64_t recording_id);
  std::vector<Recording> ListForAttempt(int64_t attempt_id);
  // kNotFound for an unknown or erased recording ("recording_erased"), kConflict
  // ("recording_not_ready") while it is being copied, kUnavailable when it failed; the
  // blob's errors otherwise (kInternal "recording_corrupt" when it fails its check).
  core::Result<OpenedRecording> OpenForRead(int64_t recording_id);

  // Erasure hooks: run inside the erasure's transaction. The rows are marked erased
  // there; their blobs are removed when it commits (SweepErased retries what fails)
  // and the provider's copies by DeleteRemoteCopies. Returns how many were erased.
  int EraseForNumber(storage::Transaction& tx, const std::string& e164);
  int EraseForLead(storage::Transaction& tx, int64_t lead_id);

  // "rec/2026/11/42.vrec": month of creation (UTC), row id.
  static std::string BlobKeyFor(const Recording& recording);

 private:
  int64_t RetryAt(int failures) const;
  void AfterErasure(storage::Transaction& tx, const std::vector<Recording>& erased);
  bool DeleteRemote(const Recording& recording, RecordingWork* work);
  void AuditSystem(const std::string& action, const Recording& recording,
                   const std::string& reason);

  storage::Database& db_;
  BlobStore& store_;
  RecordingKey key_;
  ProviderLookup providers_;
  audit::AuditLog& audit_;
  const core::Clock& clock_;
  RecordingServiceOptions options_;
  RecordingRepository repo_;
};

}  // namespace vaarta::recordings
