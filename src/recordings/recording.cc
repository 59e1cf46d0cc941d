#include "recordings/recording.h"

namespace vaarta::recordings {

std::string_view RecordingStateName(RecordingState state) {
  switch (state) {
    case RecordingState::kPending:
      return "pending";
    case RecordingState::kStored:
      return "stored";
    case RecordingState::kFailed:
      return "failed";
    case RecordingState::kErased:
      return "erased";
  }
  return "pending";
}

std::optional<RecordingState> ParseRecordingState(std::string_view name) {
  for (auto state : {RecordingState::kPending, RecordingState::kStored, RecordingState::kFailed,
                     RecordingState::kErased}) {
    if (RecordingStateName(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace vaarta::recordings
