#include "dialer/outcome_policy.h"

namespace vaarta::dialer {

NextStep DecideNextStep(Disposition disposition, int campaign_attempts,
                        const campaigns::AttemptPolicy& policy, int64_t ended_at_ms,
                        std::optional<int64_t> callback_requested_at_ms) {
  NextStep step;
  auto stop = [&](std::string status, std::string reason) {
    step.kind = NextStep::Kind::kStop;
    step.lead_status = std::move(status);
    step.reason = std::move(reason);
    return step;
  };
  auto retry = [&](std::string status, int64_t not_before) {
    if (campaign_attempts >= policy.max_per_campaign) {
      return stop(std::move(status), "attempts_exhausted");
    }
    step.kind = NextStep::Kind::kRetry;
    step.lead_status = std::move(status);
    step.not_before_ms = not_before;
    step.reason = "retry";
    return step;
  };
  switch (disposition) {
    case Disposition::kInterested:
      return stop("interested", "interested");
    case Disposition::kTransferred:
      // A person has the lead now; the agent's part is done.
      return stop("contacted", "transferred");
    case Disposition::kNotInterested:
      if (policy.stop_after_refusal) return stop("not_interested", "refused");
      return retry("not_interested", ended_at_ms);
    case Disposition::kOptedOut:
      step.add_do_not_call = true;
      return stop("do_not_call", "opted_out");
    case Disposition::kWrongNumber:
      return stop("wrong_number", "wrong_number");
    case Disposition::kCallbackBooked:
      if (!callback_requested_at_ms) return retry("callback", ended_at_ms);
      step.kind = NextStep::Kind::kCallback;
      step.lead_status = "callback";
      step.not_before_ms = *callback_requested_at_ms;
      step.reason = "callback";
      return step;
    case Disposition::kIncomplete:
      // Someone answered and the call was cut: try again, but the daily cap still holds.
      return retry("contacted", ended_at_ms);
    case Disposition::kNoAnswer:
    case Disposition::kBusy:
    case Disposition::kFailed:
    case Disposition::kVoicemail:
      return retry("", ended_at_ms + policy.min_gap_after_unanswered_ms);
  }
  return stop("", "unknown_disposition");
}

}  // namespace vaarta::dialer
