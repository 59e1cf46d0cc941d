#pragma once
// CallbackBook: callbacks a person books (an agent on the phone, a manager from the lead's
// page), and the list of a campaign's callbacks. A booked time goes through the same
// gate as every dial: it is moved to the earliest instant the campaign may call the
// lead (dialer/callback_time.h), the person is told why it moved, and the dialer puts
// the lead first in the campaign's queue at that instant.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "dialer/dialer.h"

namespace vaarta::dialer {

struct Callback {
  int64_t id = 0;
  int64_t campaign_id = 0;
  int64_t lead_id = 0;
  int64_t requested_at = 0;
  int64_t due_at = 0;
  std::string state;  // "pending", "dialled", "done", "unschedulable"
  std::string note;
  std::string booked_by;
  int64_t booked_at = 0;
  std::optional<int64_t> attempt_id;
  std::optional<int64_t> done_at;
  std::string moved_because;  // only in the answer to a booking
  nlohmann::json ToJson() const;
};

class CallbackBook {
 public:
  explicit CallbackBook(DialerServices services) : services_(services) {}

  // kNotFound: no such campaign, or the lead is not in it. kConflict: the campaign is
  // completed or archived, the lead is in a call now, or no instant is left at which the
  // campaign may call the lead (the reason says which rule). kInvalidArgument: a time in
  // the past or a note that is too long.
  core::Result<Callback> Book(int64_t campaign_id, int64_t lead_id, int64_t requested_at,
                              const std::string& note, const compliance::Actor& actor);
  // Newest due first; `state` empty: every state. `limit` 1..500.
  core::Result<std::vector<Callback>> List(int64_t campaign_id, const std::string& state,
                                           int limit);

 private:
  DialerServices services_;
};

}  // namespace vaarta::dialer
