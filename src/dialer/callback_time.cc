#include "dialer/callback_time.h"

#include "core/clock.h"

namespace vaarta::dialer {

CallbackTime EarliestCallbackTime(campaigns::GateFacts facts, int64_t requested_at) {
  CallbackTime out;
  compliance::DndStatus as_if_current;
  as_if_current.loaded = facts.dnd != nullptr;
  as_if_current.usable = as_if_current.overridden = facts.dnd != nullptr;
  facts.dnd_status = &as_if_current;
  int64_t at = requested_at;
  // Each refusal names the instant its rule allows; every rule moves the time forward a
  // few times at most (a week of closed days at worst), so the loop is short.
  for (int step = 0; step < 32; ++step) {
    facts.now_ms = at;
    as_if_current.today_ist = core::IstDate(at);
    const auto decision = campaigns::DecideDial(facts);
    if (decision.allowed) {
      out.due_at = at;
      return out;
    }
    if (out.reason.empty()) out.reason = decision.reason;
    if (!decision.next_allowed_ms || *decision.next_allowed_ms <= at) {
      out.reason = decision.reason;
      return out;
    }
    at = *decision.next_allowed_ms;
  }
  out.reason = "no instant found within 32 steps of the gate";
  return out;
}

}  // namespace vaarta::dialer
