#pragma once
// DataRequestBook: requests from the people whose data we hold (DPDP Act 2023) — erasure,
// access, correction, consent withdrawal — and grievances, each with its deadline. The
// DPDP Rules 2025 give a data fiduciary at most 90 days to answer, so every request is
// due 90 days after it was received; the dashboard shows what is due soon and overdue.
//
// An erasure request is closed as done only when no lead with its number is left (the
// erasure itself is the lead's Erase, which cascades everywhere); when that lead is
// erased, the request forgets the number and keeps its last digits.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/result.h"
#include "leads/phone/phone_normalizer.h"
#include "storage/database.h"

namespace vaarta::leads {

inline constexpr int kDataRequestAnswerDays = 90;

struct DataRequest {
  int64_t id = 0;
  std::string kind;       // erasure | access | correction | withdrawal | grievance
  std::string requester;  // name and how to reach them, as given
  std::string channel;    // call | email | web | letter | in_person | other
  std::optional<std::string> phone_e164;
  std::string phone_hint;  // "…5670"
  std::string details;
  std::string state;  // open | closed
  int64_t received_at = 0;
  int64_t due_at = 0;
  std::optional<int64_t> closed_at;
  std::string outcome;  // done | refused (closed)
  std::string note;
  std::string closed_by;
  std::string created_by;
};

struct NewDataRequest {
  std::string kind;
  std::string requester;
  std::string channel = "other";
  std::string phone;  // as typed; "" when none was given
  std::string details;
  std::string received_on;  // India date; "" = today
};

class DataRequestBook {
 public:
  DataRequestBook(storage::Database& db, const core::Clock& clock, const PhoneNormalizer& phones);

  // kInvalidArgument naming the field: an unknown kind or channel, no requester, a number
  // that is not one, a received date that is not a date or is in the future.
  core::Result<DataRequest> Add(const NewDataRequest& request, const std::string& actor);
  // Open requests soonest due first, then closed ones newest first; `state` "open",
  // "closed" or "" (both).
  std::vector<DataRequest> List(const std::string& state, int limit);
  // outcome "done" or "refused", with a note saying what was done or why not. kConflict
  // when it is closed already, or an erasure is "done" while its lead still exists.
  core::Result<DataRequest> Close(int64_t id, const std::string& outcome, const std::string& note,
                                  const std::string& actor);
  // Erasure hook: the lead with this number is gone; requests keep only its last digits.
  static void ForgetNumber(storage::Transaction& tx, const std::string& e164);

 private:
  std::optional<DataRequest> Find(storage::Transaction& tx, int64_t id);

  storage::Database& db_;
  const core::Clock& clock_;
  const PhoneNormalizer& phones_;
};

// With "overdue" and "days_left" (whole India days to the deadline; negative when past).
nlohmann::json DataRequestJson(const DataRequest& r, int64_t now);

}  // namespace vaarta::leads
