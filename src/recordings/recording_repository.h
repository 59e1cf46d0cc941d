#pragma once
// RecordingRepository: all SQL for the `recordings` table. State changes are guarded by
// the state they start from, so a copy that finishes after an erasure cannot bring the
// row back. The retry bookkeeping (failure counts, next try) is kept in the `error`
// column as a small JSON object until the table has columns of its own for it; nothing
// outside this file knows that.
#include <optional>
#include <string>
#include <vector>

#include "recordings/recording.h"
#include "storage/database.h"

namespace vaarta::recordings {

struct NewRecording {
  std::optional<int64_t> attempt_id;
  std::optional<int64_t> lead_id;
  std::string provider;
  std::string provider_recording_id;
  std::string call_id;
  RecordingState state = RecordingState::kPending;  // kFailed for a recording the provider lost
  std::string error;                                // why, for kFailed
  int duration_seconds = 0;
  int channels = 1;
  int64_t created_at = 0;
};

struct InsertedRecording {
  int64_t id = 0;
  bool created = false;  // false: the provider's recording was already known
};

class RecordingRepository {
 public:
  // One row per (provider, provider_recording_id): a repeated callback finds the first.
  InsertedRecording InsertIfAbsent(storage::Transaction& tx, const NewRecording& r) const;
  std::optional<Recording> FindById(storage::Transaction& tx, int64_t id) const;
  std::optional<Recording> FindByProviderId(storage::Transaction& tx, const std::string& provider,
                                            const std::string& provider_recording_id) const;
  // Oldest first.
  std::vector<Recording> ListForAttempt(storage::Transaction& tx, int64_t attempt_id) const;
  // The lead the call attempt was for.
  std::optional<int64_t> LeadOfAttempt(storage::Transaction& tx, int64_t attempt_id) const;

  // Pending rows whose next try is due at `now`, oldest first.
  std::vector<Recording> DueForFetch(storage::Transaction& tx, int64_t now, int limit) const;
  // Rows whose provider copy is still to be deleted and whose next try is due: erased
  // rows always, stored rows when `include_stored`; rows that failed `max_failures`
  // times are left alone.
  std::vector<Recording> DueForRemoteDelete(storage::Transaction& tx, int64_t now,
                                            bool include_stored, int max_failures, int limit) const;
  // Erased rows whose blob may still exist.
  std::vector<Recording> ErasedWithBlobs(storage::Transaction& tx, int limit) const;

  // pending -> stored. False when the row is no longer pending.
  bool MarkStored(storage::Transaction& tx, int64_t id, const std::string& blob_key,
                  const std::string& content_type, int64_t size_bytes, int64_t now) const;
  // Counts a failed copy of a pending row and sets its next try; with `give_up` the row
  // becomes failed. False when the row is no longer pending.
  bool RecordFetchFailure(storage::Transaction& tx, int64_t id, const std::string& reason,
                          int64_t retry_at, bool give_up) const;
  void MarkRemoteDeleted(storage::Transaction& tx, int64_t id) const;
  // Counts a failed provider deletion; returns the failure count now.
  int RecordRemoteDeleteFailure(storage::Transaction& tx, int64_t id, const std::string& reason,
                                int64_t retry_at) const;

  // Marks every recording of the lead (directly or through its call attempts) erased and
  // returns them as they were, with their blob keys.
  std::vector<Recording> EraseForLead(storage::Transaction& tx, int64_t lead_id, int64_t now) const;
  // The same for the lead whose number is `e164`.
  std::vector<Recording> EraseForNumber(storage::Transaction& tx, const std::string& e164,
                                        int64_t now) const;
  // The erased row's blob is gone.
  void ClearBlobKey(storage::Transaction& tx, int64_t id) const;
};

}  // namespace vaarta::recordings
