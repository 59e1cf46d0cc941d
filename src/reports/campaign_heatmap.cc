#include "reports/campaign_heatmap.h"

#include <string>

namespace vaarta::reports {

CampaignHeatmap BuildCampaignHeatmap(storage::Transaction& tx, int64_t campaign_id,
                                     std::optional<int64_t> from_ms, std::optional<int64_t> to_ms) {
  CampaignHeatmap heatmap;
  heatmap.campaign_id = campaign_id;
  storage::Params params{storage::Int(campaign_id)};
  std::string where = "campaign_id = $1";
  if (from_ms && to_ms) {
    where += " AND placed_at >= $2 AND placed_at < $3";
    params.Add(storage::Int(*from_ms)).Add(storage::Int(*to_ms));
  }
  // The callee's wall clock: the instant plus the offset recorded with the attempt. Day 0
  // (1970-01-01) was a Thursday, weekday 3 when Monday is 0.
  auto rows = tx.Execute(
      "SELECT ((placed_at + local_offset_minutes * 60000) / 86400000 + 3) % 7 AS wd, "
      "((placed_at + local_offset_minutes * 60000) % 86400000) / 3600000 AS hr, COUNT(*), "
      "COALESCE(SUM(answered), 0), "
      "COALESCE(SUM(CASE WHEN outcome = 'interested' THEN 1 ELSE 0 END), 0) "
      "FROM call_attempts WHERE " +
          where + " GROUP BY wd, hr",
      params);
  for (const auto& row : rows.rows) {
    const int64_t wd = row.GetInt(0);
    const int64_t hr = row.GetInt(1);
    if (wd < 0 || wd > 6 || hr < 0 || hr > 23) continue;  // before 1970: not ours
    HeatmapCell& cell = heatmap.cells[wd][hr];
    cell.placed = row.GetInt(2);
    cell.answered = row.GetInt(3);
    cell.converted = row.GetInt(4);
  }
  return heatmap;
}

nlohmann::json CampaignHeatmapJson(const CampaignHeatmap& heatmap) {
  nlohmann::json cells = nlohmann::json::array();
  for (int wd = 0; wd < 7; ++wd) {
    for (int hr = 0; hr < 24; ++hr) {
      const HeatmapCell& c = heatmap.cells[wd][hr];
      if (c.placed == 0) continue;
      cells.push_back(
          {{"weekday", wd},
           {"hour", hr},
           {"placed", c.placed},
           {"answered", c.answered},
           {"converted", c.converted},
           {"answer_rate", static_cast<double>(c.answered) / c.placed},
           {"conversion_rate", c.answered ? static_cast<double>(c.converted) / c.answered : 0.0}});
    }
  }
  return {{"campaign_id", heatmap.campaign_id}, {"cells", cells}};
}

}  // namespace vaarta::reports
