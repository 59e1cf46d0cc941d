#pragma once
// Dialer: one process's share of calling. Each tick it
//  1. returns to the queue the leads whose calls were lost with a crashed process (their
//     lease ran out), and renews the leases of its own live calls;
//  2. records the calls that ended (attempt outcome, lead status, timeline, callback,
//     do-not-call) and decides each lead's next step (dialer/outcome_policy.h);
//  3. for each running campaign, claims the due leads (due callbacks, then fresh leads,
//     then retries) within the campaign's concurrency and calls-per-second limits and
//     the provider's, puts each through the pre-dial gate, and places the calls the gate
//     allows.
//
// Several processes may run dialers on one PostgreSQL database. A campaign's claims are
// serialised by a row lock on the campaign (so its limits hold across processes), queue
// rows are taken with FOR UPDATE SKIP LOCKED, and a number is dialled only by the holder
// of its dial lock (table dial_locks, across campaigns), which has a lease: a crashed
// process's numbers return when the lease ends, never earlier.
//
// Time comes from the clock given, so a campaign can run in accelerated virtual time.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "campaigns/campaign.h"
#include "campaigns/holiday_calendar.h"
#include "campaigns/pre_dial_gate.h"
#include "campaigns/zone_offset_cache.h"
#include "compliance/consent_ledger.h"
#include "compliance/dnd_registry.h"
#include "compliance/do_not_call_list.h"
#include "core/clock.h"
#include "core/logger.h"
#include "dialer/call_provider.h"
#include "storage/database.h"

namespace vaarta::dialer {

struct DialerOptions {
  std::string worker_id = "dialer";  // unique per process: names its claims and locks
  int claim_batch = 100;             // queue rows read per campaign per tick
  // How long a live call's claim holds without renewal. Renewed every tick, so it only
  // matters when the process dies; it must be longer than any pause of a live process.
  int64_t lease_ms = 30 * 60'000;
  // How long a refused lead waits before the gate is asked again when the gate could not
  // say when (a registry not loaded, a fact missing).
  int64_t recheck_ms = 15 * 60'000;
};

struct TickStats {
  int64_t placed = 0;
  int64_t refused = 0;
  int64_t ended = 0;
  int64_t recovered = 0;
  int64_t completed_campaigns = 0;
};

// Everything the dialer reads and writes besides its own tables.
struct DialerServices {
  storage::Database* db = nullptr;
  const core::Clock* clock = nullptr;
  audit::AuditLog* audit = nullptr;
  compliance::DoNotCallList* do_not_call = nullptr;
  compliance::ConsentLedger* consents = nullptr;
  compliance::DndRegistry* dnd = nullptr;
  const campaigns::HolidayCalendar* holidays = nullptr;
  const campaigns::ZoneOffsetCache* zones = nullptr;
  const core::Logger* logger = nullptr;  // may be null
  // Told, inside the transaction that records them, about the calls that reached their
  // outcome (one JSON object each; "phone" is the lead's number): the webhook outbox.
  // May be empty.
  std::function<void(storage::Transaction&, const nlohmann::json& calls)> calls_recorded;
};

class Dialer {
 public:
  Dialer(DialerServices services, CallProvider& provider, DialerOptions options);
  ~Dialer();

  // One round of the steps above; with `dial` false, no new call is placed (draining).
  TickStats Tick(bool dial = true);
  // Ticks until stopped, sleeping `idle_sleep_ms` of real time after a tick with nothing
  // to do. `housekeeping` (may be empty) runs about once a minute of real time, between
  // ticks.
  void Run(std::stop_token stop, int idle_sleep_ms, const std::function<void()>& housekeeping = {});

  // Live calls this process placed and has not yet seen end.
  size_t live_calls() const;

 private:
  struct LiveCall;
  struct CampaignEntry {
    int64_t updated_at = 0;
    // Shared with the live calls placed under this version of the configuration, which
    // are recorded by it even after the campaign is paused or edited.
    std::shared_ptr<const campaigns::Campaign> campaign;
  };

  void RecoverAndRenew(TickStats& stats);
  void RecordEnded(TickStats& stats);
  void DialCampaign(const std::shared_ptr<const campaigns::Campaign>& campaign, TickStats& stats);
  void CompleteFinishedCampaigns(TickStats& stats);
  std::vector<std::shared_ptr<const campaigns::Campaign>> RunningCampaigns();
  std::optional<int64_t> ClampCallback(const LiveCall& call, int64_t requested_at);
  void Log(const std::string& message) const;

  DialerServices services_;
  CallProvider& provider_;
  DialerOptions options_;
  std::map<int64_t, CampaignEntry> campaigns_;
  mutable std::mutex live_mutex_;
  std::map<int64_t, std::unique_ptr<LiveCall>> live_;  // by attempt id
  std::vector<CallEnded> failed_;                      // calls the provider refused to place
  int64_t ticks_ = 0;
};

}  // namespace vaarta::dialer
