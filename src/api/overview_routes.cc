#include "api/overview_routes.h"

#include "core/clock.h"
#include "http/problem.h"

namespace vaarta::api {
namespace {

using nlohmann::json;
using storage::Int;

constexpr int64_t kDayMillis = 24LL * 3600 * 1000;

// Midnight in India (IST has no daylight saving) of the day holding `unix_millis`.
int64_t IstMidnight(int64_t unix_millis) {
  return core::ToLocalTime(unix_millis, core::kIstOffsetMillis).days * kDayMillis -
         core::kIstOffsetMillis;
}

}  // namespace

void RegisterOverviewRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.Add(
      {"GET", "/api/v1/overview", auth::Role::kAgent,
       "One India day of calls: totals, outcomes, calls by hour, and calls in progress"},
      [&s](ApiRequest& req) {
        int64_t now = s.clock.NowMillis();
        int64_t from = IstMidnight(now);
        if (std::string day = req.http.Query("day"); !day.empty()) {
          int64_t parsed = 0;
          if (!core::IstMidnightOf(day, &parsed)) {
            return http::Problem(400, "invalid_day", "day must be a date such as 2026-03-09");
          }
          from = parsed;
        }
        int64_t to = from + kDayMillis;
        return storage::InTransaction(
            s.db,
            [&](storage::Transaction& tx) {
              json hours = json::array();
              for (int h = 0; h < 24; ++h)
                hours.push_back({{"hour", h}, {"placed", 0}, {"answered", 0}, {"converted", 0}});
              // The hour of the India day: milliseconds since its midnight / 3,600,000.
              auto by_hour = tx.Execute(
                  "SELECT (placed_at - $1) / 3600000 AS h, COUNT(*), SUM(answered), "
                  "SUM(CASE WHEN outcome = 'interested' THEN 1 ELSE 0 END) FROM call_attempts "
                  "WHERE placed_at >= $1 AND placed_at < $2 GROUP BY (placed_at - $1) / 3600000",
                  {Int(from), Int(to)});
              int64_t placed = 0, answered = 0;
              for (const auto& row : by_hour.rows) {
                int64_t h = row.GetInt(0);
                if (h < 0 || h > 23) continue;
                hours[h]["placed"] = row.GetInt(1);
                hours[h]["answered"] = row.GetInt(2);
                hours[h]["converted"] = row.GetInt(3);
                placed += row.GetInt(1);
                answered += row.GetInt(2);
              }
              json outcomes = json::object();
              for (const auto& row :
                   tx.Execute("SELECT outcome, COUNT(*) FROM call_attempts WHERE placed_at >= $1 "
                              "AND placed_at < $2 AND outcome <> '' GROUP BY outcome",
                              {Int(from), Int(to)})
                       .rows) {
                outcomes[row.GetText(0)] = row.GetInt(1);
              }
              // A call is in progress while its attempt has no end.
              int64_t live = tx.Execute(
                                   "SELECT COUNT(*) FROM call_attempts WHERE ended_at IS NULL "
                                   "AND placed_at >= $1",
                                   {Int(now - kDayMillis)})
                                 .rows.at(0)
                                 .GetInt(0);
              int64_t running =
                  tx.Execute("SELECT COUNT(*) FROM campaigns WHERE state = 'running'", {})
                      .rows.at(0)
                      .GetInt(0);
              auto count = [&](const char* key) {
                return outcomes.contains(key) ? outcomes[key].get<int64_t>() : 0;
              };
              json body = {{"day", core::IstDate(from)},
                           {"from", core::FormatIso8601Utc(from)},
                           {"to", core::FormatIso8601Utc(to)},
                           {"placed", placed},
                           {"answered", answered},
                           {"connect_rate", placed ? static_cast<double>(answered) / placed : 0.0},
                           {"converted", count("interested")},
                           {"callbacks", count("callback_booked")},
                           {"opted_out", count("opted_out")},
                           {"transferred", count("transferred")},
                           {"live_calls", live},
                           {"running_campaigns", running},
                           {"by_outcome", outcomes},
                           {"by_hour", hours}};
              return JsonResponse(200, body);
            },
            false);
      });
}

}  // namespace vaarta::api
