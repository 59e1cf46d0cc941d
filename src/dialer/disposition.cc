#include "dialer/disposition.h"

#include <array>

namespace vaarta::dialer {
namespace {

constexpr std::array<std::string_view, kDispositionCount> kNames = {
    "interested", "not_interested", "callback_booked", "opted_out",   "wrong_number", "no_answer",
    "busy",       "failed",         "voicemail",       "transferred", "incomplete"};

}  // namespace

std::string_view DispositionName(Disposition value) { return kNames[static_cast<int>(value)]; }

std::optional<Disposition> ParseDisposition(std::string_view text) {
  for (int i = 0; i < kDispositionCount; ++i) {
    if (kNames[i] == text) return static_cast<Disposition>(i);
  }
  return std::nullopt;
}

bool IsAnswered(Disposition value) {
  switch (value) {
    case Disposition::kInterested:
    case Disposition::kNotInterested:
    case Disposition::kCallbackBooked:
    case Disposition::kOptedOut:
    case Disposition::kWrongNumber:
    case Disposition::kTransferred:
      return true;
    default:
      return false;
  }
}

bool IsRefusal(Disposition value) {
  return value == Disposition::kNotInterested || value == Disposition::kOptedOut;
}

}  // namespace vaarta::dialer
