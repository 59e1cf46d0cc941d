#include "campaigns/calling_window_opening.h"

#include <algorithm>

namespace vaarta::campaigns {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kMinuteMs = 60'000;
// How far ahead an opening is looked for: a window open on one weekday only, with
// holidays on several of them, is still found.
constexpr int64_t kSearchDays = 800;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }
int WeekdayOf(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

}  // namespace

bool WindowIsValid(const CallingWindow& w) {
  return w.start_minute >= 0 && w.start_minute < w.end_minute && w.end_minute <= 24 * 60 &&
         (w.days & 0x7f) != 0;
}

std::optional<int64_t> NextWindowOpening(const CallingWindow& w, const ZoneRules& zone,
                                         int64_t from,
                                         const std::function<bool(int64_t day)>& closed_day,
                                         std::optional<int64_t> last_day) {
  if (!WindowIsValid(w) || !zone.Covers(from)) return std::nullopt;
  const int64_t local_from = from + zone.OffsetAt(from);
  const int64_t first_day = FloorDiv(local_from, kDayMs);
  for (int64_t d = first_day; d < first_day + kSearchDays; ++d) {
    if (last_day && d > *last_day) return std::nullopt;
    if (!(w.days >> WeekdayOf(d) & 1) || (closed_day && closed_day(d))) continue;
    const int64_t open = d * kDayMs + w.start_minute * kMinuteMs;
    const int64_t close = d * kDayMs + w.end_minute * kMinuteMs;
    const int64_t local = std::max(open, local_from);
    if (local >= close) continue;
    const int64_t at = std::max(zone.FirstInstantAtOrAfterLocal(local), from);
    // A clock change inside the window can move the instant out of it: check.
    const int64_t shown = at + zone.OffsetAt(at);
    if (shown >= open && shown < close) return at;
  }
  return std::nullopt;
}

}  // namespace vaarta::campaigns
