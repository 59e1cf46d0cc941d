#include "leads/lead_dnd_rescrub.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/id_list.h"

namespace vaarta::leads {

DndRescrubCounts RescrubLeadsDnd(storage::Database& db, const DndScrub& dnd) {
  constexpr int64_t kChunk = 20000;
  DndRescrubCounts counts;
  int64_t after = 0;
  while (true) {
    auto tx = db.Begin(true);
    const storage::Dialect dialect = tx->dialect();
    auto rows = tx->Execute(
                      "SELECT id, phone_e164, dnd_state FROM leads WHERE id > $1 "
                      "AND phone_e164 IS NOT NULL AND erased_at IS NULL ORDER BY id LIMIT $2",
                      {storage::Int(after), storage::Int(kChunk)})
                    .rows;
    if (rows.empty()) break;
    // Few states change from one day's registry to the next: update those rows by state,
    // all of a chunk's ids in one parameter, and the check date of the whole chunk in one
    // statement.
    std::map<std::string, std::vector<int64_t>> changed;
    for (const auto& r : rows) {
      std::string state = dnd.state ? dnd.state(r.GetText(1)) : "unknown";
      ++counts.checked;
      if (state != r.GetText(2)) changed[state].push_back(r.GetInt(0));
    }
    for (const auto& [state, ids] : changed) {
      counts.changed += static_cast<int64_t>(ids.size());
      tx->Execute("UPDATE leads SET dnd_state = $1 WHERE " + storage::AnyOfIds(dialect, "id", "$2"),
                  {storage::Text(state), storage::IdsValue(dialect, ids)});
    }
    tx->Execute(
        "UPDATE leads SET dnd_checked_on = $1 WHERE id > $2 AND id <= $3 AND phone_e164 IS NOT "
        "NULL AND erased_at IS NULL",
        {storage::Text(dnd.registry_date), storage::Int(after),
         storage::Int(rows.back().GetInt(0))});
    after = rows.back().GetInt(0);
    tx->Commit();
    if (static_cast<int64_t>(rows.size()) < kChunk) break;
  }
  return counts;
}

}  // namespace vaarta::leads
