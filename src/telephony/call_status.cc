#include "telephony/call_status.h"

#include <array>
#include <utility>

namespace vaarta::telephony {
namespace {
constexpr std::array<std::pair<CallStatus, std::string_view>, 9> kNames = {{
    {CallStatus::kQueued, "queued"},
    {CallStatus::kInitiated, "initiated"},
    {CallStatus::kRinging, "ringing"},
    {CallStatus::kInProgress, "in-progress"},
    {CallStatus::kCompleted, "completed"},
    {CallStatus::kBusy, "busy"},
    {CallStatus::kNoAnswer, "no-answer"},
    {CallStatus::kFailed, "failed"},
    {CallStatus::kCanceled, "canceled"},
}};
}  // namespace

std::string_view CallStatusName(CallStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<CallStatus> ParseCallStatus(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool IsFinal(CallStatus status) { return static_cast<int>(status) >= static_cast<int>(CallStatus::kCompleted); }

bool MayAdvance(CallStatus current, CallStatus next) {
  if (IsFinal(current)) return false;
  if (IsFinal(next)) return true;
  return static_cast<int>(next) > static_cast<int>(current);
}

}  // namespace vaarta::telephony
