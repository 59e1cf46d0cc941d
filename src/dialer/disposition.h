#pragma once
// Disposition: how one call attempt ended, in the words a manager reads in reports. It
// decides what happens next to the lead (dialer/outcome_policy.h).
#include <optional>
#include <string_view>

namespace vaarta::dialer {

enum class Disposition {
  kInterested,
  kNotInterested,
  kCallbackBooked,
  kOptedOut,
  kWrongNumber,
  kNoAnswer,
  kBusy,
  kFailed,
  kVoicemail,
  kTransferred,
  kIncomplete,  // the call was cut, or the process that placed it was lost
};
inline constexpr int kDispositionCount = 11;

std::string_view DispositionName(Disposition value);  // "interested", "no_answer", ...
std::optional<Disposition> ParseDisposition(std::string_view text);

// A person (not a machine) took the call.
bool IsAnswered(Disposition value);
// The callee declined or asked not to be called: with the strict policy, no more attempts.
bool IsRefusal(Disposition value);

}  // namespace vaarta::dialer
