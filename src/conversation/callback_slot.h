#pragma once
// CallbackSlot: when a callback the callee asked for can be made within the campaign's
// calling window (hours, days, national holidays) on the callee's clock, and how the
// agent says it ("Wednesday 11 March at 6:00 pm"). A request inside the window is kept;
// one outside it moves to the next opening, never earlier than asked (the callee said
// they are busy until then). The dialer books the callback through the whole pre-dial
// gate (dialer/callback_time.h), which may move it further for reasons the conversation
// cannot see (a DND customer's bands, the attempt caps); the window is what the agent
// can promise on the call.
#include <cstdint>
#include <optional>
#include <string>

#include "campaigns/campaign.h"
#include "campaigns/holiday_calendar.h"
#include "campaigns/zone_rules.h"

namespace vaarta::conversation {

struct CallbackSlot {
  int64_t at_ms = 0;
  bool moved = false;  // the request was outside the window
};

// The gate's search (campaigns/calling_window_opening.h); nullopt when the window has
// no opening (an invalid window, no days allowed).
std::optional<CallbackSlot> LegalCallbackSlot(int64_t requested_ms,
                                              const campaigns::CallingWindow& window,
                                              const campaigns::ZoneRules& zone,
                                              const campaigns::HolidayCalendar& holidays);

// The sentence the agent says about the slot, in "en" or "hi".
std::string SayCallbackSlot(const CallbackSlot& slot, const campaigns::CallingWindow& window,
                            const campaigns::ZoneRules& zone, const std::string& language);

}  // namespace vaarta::conversation
