#include "recordings/recording_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace vaarta::recordings {
namespace {

core::Error Invalid(const std::string& message, const std::string& detail) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, detail);
}

std::string IdText(int64_t id) { return "recording " + std::to_string(id); }

}  // namespace

RecordingService::RecordingService(storage::Database& db, BlobStore& store, RecordingKey key,
                                   ProviderLookup providers, audit::AuditLog& audit,
                                   const core::Clock& clock, RecordingServiceOptions options)
    : db_(db),
      store_(store),
      key_(std::move(key)),
      providers_(std::move(providers)),
      audit_(audit),
      clock_(clock),
      options_(options) {
  options_.max_fetch_attempts = std::max(1, options_.max_fetch_attempts);
  options_.max_remote_delete_attempts = std::max(1, options_.max_remote_delete_attempts);
  options_.batch_size = std::max(1, options_.batch_size);
}

std::string RecordingService::BlobKeyFor(const Recording& recording) {
  const std::string date = core::LocalDate(recording.created_at, 0);  // "2026-11-24"
  return "rec/" + date.substr(0, 4) + "/" + date.substr(5, 2) + "/" + std::to_string(recording.id) +
         ".vrec";
}

int64_t RecordingService::RetryAt(int failures) const {
  int64_t delay = options_.retry_base_millis;
  for (int i = 1; i < failures && delay < options_.retry_max_millis; ++i) delay *= 2;
  return clock_.NowMillis() + std::min(delay, options_.retry_max_millis);
}

core::Result<RecordingEventResult> RecordingService::OnRecordingEvent(
    const std::string& provider, std::optional<int64_t> attempt_id, std::optional<int64_t> lead_id,
    const telephony::CallEvent& event) {
  if (event.kind != telephony::WebhookKind::kRecording) {
    return Invalid("not a recording callback", "not_a_recording_event");
  }
  if (event.recording_id.empty()) {
    return Invalid("the recording callback names no recording", "missing_recording_id");
  }
  if (provider.empty()) return Invalid("the provider is not named", "missing_provider");
  NewRecording row;
  if (event.recording_status == "completed" || event.recording_status.empty()) {
    row.state = RecordingState::kPending;
  } else if (event.recording_status == "failed" || event.recording_status == "absent") {
    // Nothing to copy: kept so the call shows why it has no recording.
    row.state = RecordingState::kFailed;
    row.error = "the provider reports the recording " + event.recording_status;
  } else {
    return RecordingEventResult{};  // "in-progress": the completed callback follows
  }
  row.attempt_id = attempt_id;
  row.lead_id = lead_id;
  row.provider = provider;
  row.provider_recording_id = event.recording_id;
  row.call_id = event.call_id;
  row.duration_seconds = std::max(0, event.recording_duration_seconds);
  row.channels = event.recording_channels > 0 ? event.recording_channels : 1;
  row.created_at = clock_.NowMillis();
  return storage::InTransaction(db_, [&](storage::Transaction& tx) {
    if (!row.lead_id && row.attempt_id) row.lead_id = repo_.LeadOfAttempt(tx, *row.attempt_id);
    InsertedRecording inserted = repo_.InsertIfAbsent(tx, row);
    return RecordingEventResult{inserted.id, inserted.created};
  });
}

core::Status RecordingService::Fetch(int64_t recording_id) {
  std::optional<Recording> found = Get(recording_id);
  if (!found) {
    return core::MakeError(core::ErrorCode::kNotFound, "no " + IdText(recording_id),
                           "recording_not_found");
  }
  Recording& r = *found;
  if (r.state == RecordingState::kStored) return core::Ok{};
  if (r.state != RecordingState::kPending) {
    return core::MakeError(
        core::ErrorCode::kConflict,
        IdText(recording_id) + " is " + std::string(RecordingStateName(r.state)) + ", not pending",
        "recording_not_pending");
  }

  // The copy runs outside any transaction: it waits on the network.
  auto fail = [&](const core::Error& error) -> core::Status {
    const bool give_up = r.fetch_failures + 1 >= options_.max_fetch_attempts;
    const bool recorded = storage::InTransaction(db_, [&](storage::Transaction& tx) {
      return repo_.RecordFetchFailure(tx, r.id, error.message, RetryAt(r.fetch_failures + 1),
                                      give_up);
    });
    if (recorded && give_up) AuditSystem("recordings.fetch_failed", r, error.message);
    return error;
  };
  telephony::TelephonyProvider* provider = providers_ ? providers_(r.provider) : nullptr;
  if (!provider) {
    return fail(core::MakeError(core::ErrorCode::kUnavailable,
                                "no telephony provider named '" + r.provider + "' is configured",
                                "provider_not_configured"));
  }
  auto media = provider->FetchRecording(r.provider_recording_id);
  if (!media) return fail(media.error());
  auto sealed = EncryptRecording(key_, media->bytes, options_.chunk_size);
  if (!sealed) return fail(sealed.error());
  // The key is a function of the row, so a retried copy replaces a half-finished one.
  const std::string blob_key = BlobKeyFor(r);
  if (auto put = store_.Put(blob_key, *sealed); !put) return fail(put.error());
  const std::string content_type =
      media->content_type.empty() ? "application/octet-stream" : media->content_type;
  const bool stored = storage::InTransaction(db_, [&](storage::Transaction& tx) {
    return repo_.MarkStored(tx, r.id, blob_key, content_type,
                            static_cast<int64_t>(media->bytes.size()), clock_.NowMillis());
  });
  if (!stored) {
    // Erased (or otherwise settled) while we copied: the copy must not outlive it. The
    // provider copy is left to DeleteRemoteCopies, which handles erased rows.
    (void)store_.Delete(blob_key);
    return core::MakeError(core::ErrorCode::kConflict,
                           IdText(r.id) + " was erased while it was being copied",
                           "recording_not_pending");
  }
  if (options_.delete_remote_after_copy) {
    r.state = RecordingState::kStored;
    RecordingWork ignored;
    DeleteRemote(r, &ignored);
  }
  return core::Ok{};
}

bool RecordingService::DeleteRemote(const Recording& r, RecordingWork* work) {
  telephony::TelephonyProvider* provider = providers_ ? providers_(r.provider) : nullptr;
  core::Status deleted = provider
                             ? provider->DeleteRecording(r.provider_recording_id)
                             : core::Status(core::MakeError(core::ErrorCode::kUnavailable,
                                                            "no telephony provider named '" +
                                                                r.provider + "' is configured"));
  // Already gone at the provider is what we wanted.
  const bool gone = deleted.ok() || deleted.error().detail_code == telephony::kProviderNotFound;
  if (gone) {
    storage::InTransaction(db_,
                           [&](storage::Transaction& tx) { repo_.MarkRemoteDeleted(tx, r.id); });
    ++work->remote_deleted;
    return true;
  }
  ++work->remote_delete_failures;
  const std::string reason = "deleting the provider's copy failed: " + deleted.error().message;
  const int failures = storage::InTransaction(db_, [&](storage::Transaction& tx) {
    return repo_.RecordRemoteDeleteFailure(tx, r.id, reason, RetryAt(r.remote_delete_failures + 1));
  });
  if (failures >= options_.max_remote_delete_attempts) {
    AuditSystem("recordings.remote_delete_failed", r, reason);
  }
  return false;
}

RecordingWork RecordingService::FetchPending() {
  RecordingWork work;
  auto due = storage::InTransaction(
      db_,
      [&](storage::Transaction& tx) {
        return repo_.DueForFetch(tx, clock_.NowMillis(), options_.batch_size);
      },
      false);
  for (const auto& r : due) {
    if (Fetch(r.id)) {
      ++work.stored;
    } else {
      ++work.fetch_failures;
    }
  }
  return work;
}

RecordingWork RecordingService::DeleteRemoteCopies() {
  RecordingWork work;
  auto due = storage::InTransaction(
      db_,
      [&](storage::Transaction& tx) {
        return repo_.DueForRemoteDelete(tx, clock_.NowMillis(), options_.delete_remote_after_copy,
                                        options_.max_remote_delete_attempts, options_.batch_size);
      },
      false);
  for (const auto& r : due) DeleteRemote(r, &work);
  return work;
}

RecordingWork RecordingService::SweepErased() {
  RecordingWork work;
  auto erased = storage::InTransaction(
      db_, [&](storage::Transaction& tx) { return repo_.ErasedWithBlobs(tx, options_.batch_size); },
      false);
  for (const auto& r : erased) {
    if (!store_.Delete(r.blob_key)) continue;  // tried again on the next sweep
    storage::InTransaction(db_, [&](storage::Transaction& tx) { repo_.ClearBlobKey(tx, r.id); });
    ++work.blobs_removed;
  }
  return work;
}

RecordingWork RecordingService::RunOnce() {
  RecordingWork work = FetchPending();
  RecordingWork deletes = DeleteRemoteCopies();
  RecordingWork sweep = SweepErased();
  work.remote_deleted += deletes.remote_deleted;
  work.remote_delete_failures += deletes.remote_delete_failures;
  work.blobs_removed += sweep.blobs_removed;
  return work;
}

std::optional<Recording> RecordingService::Get(int64_t recording_id) {
  return storage::InTransaction(
      db_, [&](storage::Transaction& tx) { return repo_.FindById(tx, recording_id); }, false);
}

std::vector<Recording> RecordingService::ListForAttempt(int64_t attempt_id) {
  return storage::InTransaction(
      db_, [&](storage::Transaction& tx) { return repo_.ListForAttempt(tx, attempt_id); }, false);
}

core::Result<OpenedRecording> RecordingService::OpenForRead(int64_t recording_id) {
  std::optional<Recording> r = Get(recording_id);
  if (!r) {
    return core::MakeError(core::ErrorCode::kNotFound, "no " + IdText(recording_id),
                           "recording_not_found");
  }
  switch (r->state) {
    case RecordingState::kErased:
      return core::MakeError(core::ErrorCode::kNotFound,
                             IdText(recording_id) + " was erased on request", "recording_erased");
    case RecordingState::kPending:
      return core::MakeError(
          core::ErrorCode::kConflict,
          IdText(recording_id) + " is still being copied from the provider; try again shortly",
          "recording_not_ready");
    case RecordingState::kFailed:
      return core::MakeError(core::ErrorCode::kUnavailable,
                             IdText(recording_id) + " could not be copied: " + r->error,
                             "recording_failed");
    case RecordingState::kStored:
      break;
  }
  auto reader = EncryptedBlobReader::Open(store_, key_, r->blob_key);
  if (!reader) {
    core::Error error = reader.error();
    if (error.code == core::ErrorCode::kNotFound) {
      // The row says stored, so a missing blob is damage, not a missing recording.
      error = core::MakeError(
          core::ErrorCode::kInternal,
          IdText(recording_id) + " is missing from the blob store (" + r->blob_key + ")",
          std::string(kRecordingCorrupt));
    }
    return error;
  }
  if (reader->size() != r->size_bytes) {
    return core::MakeError(core::ErrorCode::kInternal,
                           IdText(recording_id) + " has " + std::to_string(reader->size()) +
                               " bytes in the blob store where " + std::to_string(r->size_bytes) +
                               " were stored",
                           std::string(kRecordingCorrupt));
  }
  const int64_t size = reader->size();
  const std::string content_type = r->content_type;
  return OpenedRecording{std::move(*r), size, content_type, std::move(*reader)};
}

int RecordingService::EraseForNumber(storage::Transaction& tx, const std::string& e164) {
  auto erased = repo_.EraseForNumber(tx, e164, clock_.NowMillis());
  AfterErasure(tx, erased);
  return static_cast<int>(erased.size());
}

int RecordingService::EraseForLead(storage::Transaction& tx, int64_t lead_id) {
  auto erased = repo_.EraseForLead(tx, lead_id, clock_.NowMillis());
  AfterErasure(tx, erased);
  return static_cast<int>(erased.size());
}

void RecordingService::AfterErasure(storage::Transaction& tx,
                                    const std::vector<Recording>& erased) {
  std::vector<std::string> keys;
  for (const auto& r : erased) {
    if (!r.blob_key.empty()) keys.push_back(r.blob_key);
  }
  if (keys.empty()) return;
  // Only once the erasure is certain; the rows keep their keys until SweepErased sees
  // the blobs gone, so nothing is lost if this fails. No transaction is opened here:
  // the committing one still holds its connection.
  tx.OnCommit([store = &store_, keys = std::move(keys)] {
    for (const auto& key : keys) (void)store->Delete(key);
  });
}

void RecordingService::AuditSystem(const std::string& action, const Recording& r,
                                   const std::string& reason) {
  audit::AuditEntry entry;
  entry.actor = "system";
  entry.action = action;
  entry.target = "recording:" + std::to_string(r.id);
  entry.outcome = "failed";
  entry.summary = nlohmann::json({{"provider", r.provider},
                                  {"provider_recording_id", r.provider_recording_id},
                                  {"reason", reason}})
                      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  try {
    audit_.Append(entry);
  } catch (const std::exception&) {
    // The failure itself is already recorded on the row; the audit record is extra.
  }
}

}  // namespace vaarta::recordings
