#pragma once
// Recording: one call recording copied from the provider into our blob store. Its life:
// pending (the provider said it is ready) -> stored (encrypted copy in the blob store)
// or failed (could not be copied within the retry bound); any of these -> erased (an
// erasure request removed the copy). The provider's copy is deleted separately
// (remote_deleted), after a successful copy or an erasure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vaarta::recordings {

enum class RecordingState { kPending, kStored, kFailed, kErased };

std::string_view RecordingStateName(RecordingState state);  // "pending", "stored", ...
std::optional<RecordingState> ParseRecordingState(std::string_view name);

struct Recording {
  int64_t id = 0;
  std::optional<int64_t> attempt_id;
  std::optional<int64_t> lead_id;
  std::string provider;               // "twilio"
  std::string provider_recording_id;  // Twilio's RecordingSid
  std::string call_id;
  RecordingState state = RecordingState::kPending;
  std::string blob_key;      // "" until stored, and again once an erased copy is gone
  std::string content_type;  // of the plaintext media ("audio/x-wav")
  int64_t size_bytes = 0;    // plaintext size
  int duration_seconds = 0;
  int channels = 1;
  bool remote_deleted = false;
  int64_t created_at = 0;
  std::optional<int64_t> stored_at;
  std::optional<int64_t> erased_at;

  // Why the last copy or provider deletion failed ("" when none did), how often each
  // has failed, and when the next try is due (0: now).
  std::string error;
  int fetch_failures = 0;
  int remote_delete_failures = 0;
  int64_t retry_at = 0;
};

}  // namespace vaarta::recordings
