#pragma once
// What an import did: the counts every caller prints, and one outcome per refused row.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace vaarta::leads {

struct ImportSummary {
  int64_t total = 0;       // data rows read (the header and blank lines are not rows)
  int64_t imported = 0;    // new leads, plus existing leads newly added to the list
  int64_t updated = 0;     // existing leads whose fields were updated (--update)
  int64_t duplicates = 0;  // rows whose number was already seen (in the file or, per scope, stored)
  int64_t invalid = 0;     // rows refused, each with a reason
  int64_t dnd_blocked = 0;  // imported rows whose number is on the DND registry (fully or partly)
  int64_t do_not_call = 0;  // imported rows whose number is on the business's do-not-call list

  nlohmann::json ToJson() const {
    return {{"total", total},
            {"imported", imported},
            {"updated", updated},
            {"duplicates", duplicates},
            {"invalid", invalid},
            {"dnd_blocked", dnd_blocked},
            {"do_not_call", do_not_call}};
  }
};

// One row that was not imported as a new lead: a duplicate or a refusal, with why.
struct RowOutcome {
  int64_t row = 0;
  std::string outcome;   // "duplicate" or "invalid"
  std::string reason;    // stable code: "duplicate_in_file", "already_stored", "too_short", ...
  std::string message;   // for a person: what is wrong and what to do
  std::string original;  // the row as it was in the file
  std::string e164;      // the number when it could be read (so erasure can find the row)
};

}  // namespace vaarta::leads
