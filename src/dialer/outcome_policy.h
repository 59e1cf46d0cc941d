#pragma once
// OutcomePolicy: what an attempt's disposition means for the lead: its new status, and
// whether the campaign tries again (and not before when), calls back as asked, adds the
// number to the do-not-call list, or stops. Pure: the dialer applies the answer, and the
// pre-dial gate still checks every later dial.
#include <cstdint>
#include <optional>
#include <string>

#include "campaigns/campaign.h"
#include "dialer/disposition.h"

namespace vaarta::dialer {

struct NextStep {
  enum class Kind { kRetry, kCallback, kStop };
  Kind kind = Kind::kStop;
  std::string lead_status;  // the lead's new status; empty: unchanged
  bool add_do_not_call = false;
  int64_t not_before_ms = 0;  // kRetry: earliest next attempt; kCallback: the requested time
  std::string reason;         // why, for the queue row ("attempts_exhausted", ...)
};

// `campaign_attempts` counts this campaign's attempts on the lead including this one.
NextStep DecideNextStep(Disposition disposition, int campaign_attempts,
                        const campaigns::AttemptPolicy& policy, int64_t ended_at_ms,
                        std::optional<int64_t> callback_requested_at_ms);

}  // namespace vaarta::dialer
