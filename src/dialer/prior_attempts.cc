#include "dialer/prior_attempts.h"

#include "storage/id_list.h"

namespace vaarta::dialer {

std::unordered_map<int64_t, std::vector<campaigns::PriorAttempt>> ReadPriorAttempts(
    storage::Transaction& tx, const std::vector<int64_t>& lead_ids) {
  std::unordered_map<int64_t, std::vector<campaigns::PriorAttempt>> out;
  if (lead_ids.empty()) return out;
  auto rows = tx.Execute(
      "SELECT lead_id, campaign_id, placed_at, answered, refused, status FROM call_attempts "
      "WHERE " +
          storage::AnyOfIds(tx.dialect(), "lead_id", "$1"),
      {storage::IdsValue(tx.dialect(), lead_ids)});
  for (const auto& row : rows.rows) {
    campaigns::PriorAttempt a;
    a.campaign_id = row.GetInt(1);
    a.placed_at_ms = row.GetInt(2);
    a.answered = row.GetInt(3) != 0;
    a.refused = row.GetInt(4) != 0;
    a.in_progress = row.GetText(5) == "active";
    out[row.GetInt(0)].push_back(a);
  }
  return out;
}

}  // namespace vaarta::dialer
