#pragma once
// CampaignSimulation: runs the real dialer against the simulated provider in virtual
// time (`vaarta simulate`), and reads a campaign's outcome table from what was recorded.
// Several processes may simulate one campaign on one PostgreSQL database when they share
// the virtual clock (core::ScaledClock with the same anchor).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "compliance/dnd_registry.h"
#include "core/clock.h"
#include "dialer/dialer.h"
#include "storage/database.h"

namespace vaarta::dialer {

struct SimulationOptions {
  int64_t until_ms = 0;   // virtual instant after which no call is placed
  int idle_sleep_ms = 1;  // real time to wait when a tick had nothing to do
  // A registry file loaded again at each new IST day of virtual time, dated that day,
  // as an operator loads the day's scrub: a registry is only trusted on its own day.
  std::string dnd_file;
};

struct SimulationRun {
  int64_t ticks = 0, placed = 0, refused = 0, ended = 0, recovered = 0, dnd_loads = 0;
  int64_t real_ms = 0;
  nlohmann::json ToJson() const;
};

// Ticks the dialer until the clock passes `until_ms`, then lets the calls in progress
// end (without placing more) and returns.
core::Result<SimulationRun> RunSimulation(Dialer& dialer, const core::Clock& clock,
                                          compliance::DndRegistry& dnd,
                                          const SimulationOptions& options);

// The campaign's outcome table: attempts by outcome, leads by where they stand, and
// callbacks by state.
nlohmann::json ReadOutcomeTable(storage::Database& db, int64_t campaign_id);
std::string FormatOutcomeTable(const nlohmann::json& table);

}  // namespace vaarta::dialer
