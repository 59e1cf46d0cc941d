#pragma once
// When a campaign's calling window (hours and weekdays on the callee's clock, days the
// caller closes, such as national holidays) next lets a call start. The pre-dial gate
// uses it to say when a refused call becomes allowed; the conversation uses it to tell a
// callee when their callback will come.
#include <cstdint>
#include <functional>
#include <optional>

#include "campaigns/campaign.h"
#include "campaigns/zone_rules.h"

namespace vaarta::campaigns {

// Start before end, both within the day, and at least one weekday.
bool WindowIsValid(const CallingWindow& window);

// The first instant at or after `from` inside `window` on `zone`'s clock, on a day (days
// since 1970-01-01, local) that `closed_day` does not close and that is not after
// `last_day`. nullopt when the window is invalid, `from` is outside the zone's table, or
// no opening comes within 800 days. A clock change inside the window that would move the
// instant out of it is checked.
std::optional<int64_t> NextWindowOpening(const CallingWindow& window, const ZoneRules& zone,
                                         int64_t from,
                                         const std::function<bool(int64_t day)>& closed_day,
                                         std::optional<int64_t> last_day = std::nullopt);

}  // namespace vaarta::campaigns
