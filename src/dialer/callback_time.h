#pragma once
// CallbackTime: when a callback asked for at some instant may actually be made: the
// earliest instant at or after the request at which the pre-dial gate allows the call
// (the campaign's window and days, holidays, the customer's DND bands and days, the
// attempt caps). A request for 23:00 becomes the next morning's first legal minute; a
// request inside the window stays as it is.
//
// The DND registry is trusted only on its own day and a callback is usually for a later
// one, so the callback is judged as if that day's registry listed the number as today's
// does. The dial itself goes through the gate again with the registry of its day.
#include <cstdint>
#include <optional>
#include <string>

#include "campaigns/pre_dial_gate.h"

namespace vaarta::dialer {

struct CallbackTime {
  std::optional<int64_t> due_at;  // nullopt: no instant is left (caps used up, campaign over)
  // Why the requested instant was moved (the gate's first refusal), or why no instant
  // is left; empty when the request was kept.
  std::string reason;
};

// `facts` describes the lead and campaign; its now_ms and dnd_status are ignored.
CallbackTime EarliestCallbackTime(campaigns::GateFacts facts, int64_t requested_at);

}  // namespace vaarta::dialer
