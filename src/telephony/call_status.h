#pragma once
// CallStatus: the provider call's life (Twilio's CallStatus values), and the rule that it
// never moves backwards: providers retry and reorder their callbacks, so a late
// "ringing" must not undo "in-progress", and nothing follows a final status.
#include <optional>
#include <string_view>

namespace vaarta::telephony {

enum class CallStatus {
  kQueued,
  kInitiated,
  kRinging,
  kInProgress,
  kCompleted,
  kBusy,
  kNoAnswer,
  kFailed,
  kCanceled,
};

std::string_view CallStatusName(CallStatus status);  // "queued", "in-progress", "no-answer"...
std::optional<CallStatus> ParseCallStatus(std::string_view text);
bool IsFinal(CallStatus status);
// True when a call in `current` may move to `next`: forward in queued → initiated →
// ringing → in-progress, and from any non-final status to a final one.
bool MayAdvance(CallStatus current, CallStatus next);

}  // namespace vaarta::telephony
