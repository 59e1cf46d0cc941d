#include "leads/lead_dnd_rescrub.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vaarta::leads {

DndRescrubCounts RescrubLeadsDnd(storage::Database& db, const DndScrub& dnd) {
  constexpr int64_t kChunk = 20000;
  DndRescrubCounts counts;
  int64_t after = 0;
  constexpr size_t kIdsPerUpdate = 200;
  std::string update_sql = "UPDATE leads SET dnd_state = $1 WHERE id IN (";
  for (size_t j = 0; j < kIdsPerUpdate; ++j) {
    update_sql += (j ? ", $" : "$") + std::to_string(j + 2);
  }
  update_sql += ")";
  while (true) {
    auto tx = db.Begin(true);
    auto rows = tx->Execute(
                      "SELECT id, phone_e164, dnd_state, dnd_checked_on FROM leads WHERE id > $1 "
                      "AND phone_e164 IS NOT NULL AND erased_at IS NULL ORDER BY id LIMIT $2",
                      {storage::Int(after), storage::Int(kChunk)})
                    .rows;
    if (rows.empty()) break;
    // Few states change from one day's registry to the next: update those rows by state,
    // many ids a statement, and the check date of the whole chunk in one statement.
    std::map<std::string, std::vector<int64_t>> changed;
    for (const auto& r : rows) {
      std::string state = dnd.state ? dnd.state(r.GetText(1)) : "unknown";
      ++counts.checked;
      if (state != r.GetText(2)) changed[state].push_back(r.GetInt(0));
    }
    for (const auto& [state, ids] : changed) {
      counts.changed += static_cast<int64_t>(ids.size());
      for (size_t i = 0; i < ids.size(); i += kIdsPerUpdate) {
        // Always kIdsPerUpdate placeholders (the last id repeated), so that one statement
        // text serves every update and the per-connection statement cache stays small.
        storage::Params params{storage::Text(state)};
        for (size_t j = 0; j < kIdsPerUpdate; ++j) {
          params.Add(storage::Int(ids[std::min(ids.size() - 1, i + j)]));
        }
        tx->Execute(update_sql, params);
      }
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
