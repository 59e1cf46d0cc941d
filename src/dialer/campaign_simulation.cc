#include "dialer/campaign_simulation.h"

#include <chrono>
#include <iomanip>
#include <sstream>
#include <thread>

namespace vaarta::dialer {

nlohmann::json SimulationRun::ToJson() const {
  return {{"ticks", ticks},    {"placed", placed},       {"refused_by_gate", refused},
          {"ended", ended},    {"recovered", recovered}, {"dnd_loads", dnd_loads},
          {"real_ms", real_ms}};
}

core::Result<SimulationRun> RunSimulation(Dialer& dialer, const core::Clock& clock,
                                          compliance::DndRegistry& dnd,
                                          const SimulationOptions& options) {
  SimulationRun run;
  const auto real_start = std::chrono::steady_clock::now();
  std::string loaded_for;
  auto add = [&run](const TickStats& stats) {
    run.placed += stats.placed;
    run.refused += stats.refused;
    run.ended += stats.ended;
    run.recovered += stats.recovered;
  };
  for (;;) {
    const int64_t now = clock.NowMillis();
    if (now >= options.until_ms) break;
    if (!options.dnd_file.empty()) {
      const std::string today = core::IstDate(now);
      if (today != loaded_for) {
        auto status = dnd.Status();
        if (!status || status->registry_date != today) {
          compliance::DndLoadOptions load;
          load.registry_date = today;
          auto report = dnd.Load(options.dnd_file, load, {"system:simulate", "", "", ""});
          if (report) {
            ++run.dnd_loads;
            loaded_for = today;
          } else if (report.error().detail_code != "dnd_load_busy") {
            return report.error();
          }
          // Busy: another process is loading today's file; look again next tick (until
          // then the gate refuses Indian numbers: the registry is not today's).
        } else {
          loaded_for = today;
        }
      }
    }
    TickStats stats = dialer.Tick();
    add(stats);
    ++run.ticks;
    if (stats.placed == 0 && stats.ended == 0 && stats.refused == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(options.idle_sleep_ms));
    }
  }
  // Let the calls in progress end and be recorded; place no more.
  while (dialer.live_calls() > 0) {
    TickStats stats = dialer.Tick(/*dial=*/false);
    add(stats);
    ++run.ticks;
    if (stats.ended == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  run.real_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - real_start)
                    .count();
  return run;
}

nlohmann::json ReadOutcomeTable(storage::Database& db, int64_t campaign_id) {
  nlohmann::json table = {{"campaign_id", campaign_id}};
  storage::InTransaction(
      db,
      [&](storage::Transaction& tx) {
        nlohmann::json outcomes = nlohmann::json::object();
        int64_t attempts = 0, answered = 0;
        for (const auto& row :
             tx.Execute("SELECT CASE WHEN status = 'active' THEN 'in_progress' ELSE outcome END, "
                        "count(*), sum(answered) FROM call_attempts WHERE campaign_id = $1 "
                        "GROUP BY 1 ORDER BY 1",
                        {storage::Int(campaign_id)})
                 .rows) {
          outcomes[row.GetText(0)] = row.GetInt(1);
          attempts += row.GetInt(1);
          answered += row.IsNull(2) ? 0 : row.GetInt(2);
        }
        table["attempts"] = attempts;
        table["answered"] = answered;
        table["outcomes"] = outcomes;
        nlohmann::json leads = nlohmann::json::object();
        for (const auto& row :
             tx.Execute("SELECT state, CASE WHEN state = 'done' THEN last_reason ELSE '' END, "
                        "count(*) FROM campaign_leads WHERE campaign_id = $1 GROUP BY 1, 2 "
                        "ORDER BY 1, 2",
                        {storage::Int(campaign_id)})
                 .rows) {
          std::string key = row.GetText(0);
          std::string reason = row.GetText(1);
          // Gate reasons carry the rule first ("dnd_registry: ..."); group by the rule.
          if (auto colon = reason.find(':'); colon != std::string::npos) reason.resize(colon);
          if (!reason.empty()) key += ":" + reason;
          leads[key] = leads.value(key, int64_t{0}) + row.GetInt(2);
        }
        table["leads"] = leads;
        nlohmann::json callbacks = nlohmann::json::object();
        for (const auto& row : tx.Execute("SELECT state, count(*) FROM callbacks WHERE "
                                          "campaign_id = $1 GROUP BY 1 ORDER BY 1",
                                          {storage::Int(campaign_id)})
                                   .rows) {
          callbacks[row.GetText(0)] = row.GetInt(1);
        }
        table["callbacks"] = callbacks;
      },
      false);
  return table;
}

std::string FormatOutcomeTable(const nlohmann::json& table) {
  std::ostringstream out;
  auto section = [&out](const std::string& title, const nlohmann::json& counts) {
    out << title << '\n';
    for (const auto& [key, value] : counts.items()) {
      out << "  " << std::left << std::setw(36) << key << std::right << std::setw(10)
          << value.get<int64_t>() << '\n';
    }
  };
  out << "campaign " << table.value("campaign_id", int64_t{0}) << ": "
      << table.value("attempts", int64_t{0}) << " attempts, " << table.value("answered", int64_t{0})
      << " answered by a person\n";
  section("attempts by outcome", table.value("outcomes", nlohmann::json::object()));
  section("leads by state", table.value("leads", nlohmann::json::object()));
  section("callbacks by state", table.value("callbacks", nlohmann::json::object()));
  return out.str();
}

}  // namespace vaarta::dialer
