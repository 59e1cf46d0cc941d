#include "dialer/dialer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "campaigns/campaign_json.h"
#include "dialer/callback_time.h"
#include "dialer/outcome_policy.h"
#include "dialer/prior_attempts.h"
#include "storage/id_list.h"
#include "storage/json_rows.h"

namespace vaarta::dialer {

using campaigns::Campaign;
using storage::Int;
using storage::Null;
using storage::OptInt;
using storage::Text;

namespace {

// What the gate and the call need of a lead, read once per claim.
struct LeadFacts {
  std::string phone, status, phone_type, time_zone;
  std::string language;  // the lead's preference: "en", "hi" or ""
};

}  // namespace

// What the dialer remembers about a call it placed, to record its end and to place a
// callback through the gate without reading the lead again.
struct Dialer::LiveCall {
  std::shared_ptr<const Campaign> campaign;  // as it was when the call was placed
  int64_t attempt_id = 0;
  int64_t lead_id = 0;
  std::optional<int64_t> callback_id;
  int attempt_number = 0;
  int64_t placed_at = 0;
  LeadFacts lead;
  campaigns::GateConsent consent = campaigns::GateConsent::kNotNeeded;
  std::vector<campaigns::PriorAttempt> prior;  // before this call
};

namespace {

constexpr const char* kStopStatuses = "'do_not_call','erased','wrong_number','converted'";

// Whether a refusal is final for this campaign (the lead leaves its queue), as opposed to
// one that time or a fact that may appear (a registry loaded, a time zone filled in)
// will lift, which is asked again later.
bool RefusalIsFinal(const campaigns::GateDecision& decision) {
  return !decision.next_allowed_ms && decision.permanent;
}

std::string ListSql(storage::Dialect dialect) {
  return dialect == storage::Dialect::kPostgres
             ? "SELECT unnest(CAST($1 AS bigint[])) AS id"
             : "SELECT CAST(value AS INTEGER) AS id FROM json_each($1)";
}

}  // namespace

Dialer::Dialer(DialerServices services, CallProvider& provider, DialerOptions options)
    : services_(services), provider_(provider), options_(std::move(options)) {}

Dialer::~Dialer() = default;

size_t Dialer::live_calls() const {
  std::lock_guard lock(live_mutex_);
  return live_.size();
}

void Dialer::Log(const std::string& message) const {
  if (services_.logger != nullptr) {
    services_.logger->Info(message, {{"component", "dialer"}, {"worker", options_.worker_id}});
  }
}

TickStats Dialer::Tick(bool dial) {
  TickStats stats;
  ++ticks_;
  RecoverAndRenew(stats);
  RecordEnded(stats);
  if (dial) {
    for (const auto& campaign : RunningCampaigns()) DialCampaign(campaign, stats);
  }
  if (ticks_ % 20 == 0) CompleteFinishedCampaigns(stats);
  return stats;
}

void Dialer::Run(std::stop_token stop, int idle_sleep_ms,
                 const std::function<void()>& housekeeping) {
  auto last_housekeeping = std::chrono::steady_clock::time_point{};
  while (!stop.stop_requested()) {
    TickStats stats;
    try {
      if (housekeeping &&
          std::chrono::steady_clock::now() - last_housekeeping > std::chrono::minutes(1)) {
        last_housekeeping = std::chrono::steady_clock::now();
        housekeeping();
      }
      stats = Tick();
    } catch (const std::exception& e) {
      // A database hiccup must not stop calling for good; the next tick tries again.
      Log(std::string("tick failed: ") + e.what());
    }
    if (stats.placed == 0 && stats.ended == 0 && stats.refused == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(idle_sleep_ms));
    }
  }
}

std::vector<std::shared_ptr<const Campaign>> Dialer::RunningCampaigns() {
  auto tx = services_.db->Begin(false);
  auto rows = tx->Execute(
      "SELECT id, updated_at, name, config, created_at, created_by FROM campaigns "
      "WHERE state = 'running' ORDER BY id");
  tx->Commit();
  std::set<int64_t> seen;
  std::vector<std::shared_ptr<const Campaign>> out;
  for (const auto& row : rows.rows) {
    const int64_t id = row.GetInt(0);
    const int64_t updated_at = row.GetInt(1);
    seen.insert(id);
    auto it = campaigns_.find(id);
    if (it == campaigns_.end() || it->second.updated_at != updated_at) {
      Campaign campaign;
      nlohmann::json config = nlohmann::json::parse(row.GetText(3), nullptr, false);
      auto errors = config.is_discarded()
                        ? std::vector<campaigns::FieldError>{{"config", "not JSON"}}
                        : campaigns::ReadCampaignConfig(config, &campaign);
      if (!errors.empty()) {
        // Fails closed: a campaign whose stored configuration does not read is not dialled.
        Log("campaign " + std::to_string(id) +
            " not dialled: configuration unreadable: " + campaigns::DescribeFieldErrors(errors));
        campaigns_.erase(id);
        continue;
      }
      campaign.id = id;
      campaign.name = row.GetText(2);
      campaign.state = campaigns::CampaignState::kRunning;
      campaign.created_at = row.GetInt(4);
      campaign.created_by = row.GetText(5);
      campaign.updated_at = updated_at;
      it = campaigns_
               .insert_or_assign(
                   id,
                   CampaignEntry{updated_at, std::make_shared<const Campaign>(std::move(campaign))})
               .first;
    }
    out.push_back(it->second.campaign);
  }
  std::erase_if(campaigns_, [&](const auto& entry) { return !seen.contains(entry.first); });
  return out;
}

void Dialer::RecoverAndRenew(TickStats& stats) {
  const int64_t now = services_.clock->NowMillis();
  storage::InTransaction(*services_.db, [&](storage::Transaction& tx) {
    if (live_calls() > 0) {
      tx.Execute(
          "UPDATE call_attempts SET lease_until = $1 WHERE worker = $2 AND status = 'active'",
          {Int(now + options_.lease_ms), Text(options_.worker_id)});
      tx.Execute("UPDATE dial_locks SET lease_until = $1 WHERE holder = $2",
                 {Int(now + options_.lease_ms), Text(options_.worker_id)});
    }
    // Calls whose process stopped renewing them: that process is gone (or so stalled that
    // its lease ran out); nobody will hear how they ended.
    auto lost = tx.Execute(
        "UPDATE call_attempts SET status = 'lost', outcome = 'incomplete' "
        "WHERE status = 'active' AND lease_until < $1 RETURNING id, campaign_id, lead_id",
        {Int(now)});
    for (const auto& row : lost.rows) {
      tx.Execute(
          "UPDATE callbacks SET state = 'pending', attempt_id = NULL "
          "WHERE attempt_id = $1 AND state = 'dialled'",
          {Int(row.GetInt(0))});
      tx.Execute(
          "UPDATE campaign_leads SET state = 'queued', priority = 2, next_at = $3, "
          "last_outcome = 'incomplete', last_reason = 'worker_lost', claimed_by = NULL, "
          "lease_until = NULL, updated_at = $3 "
          "WHERE campaign_id = $1 AND lead_id = $2 AND state = 'calling'",
          {Int(row.GetInt(1)), Int(row.GetInt(2)), Int(now)});
      ++stats.recovered;
    }
  });
  if (stats.recovered > 0) {
    Log("returned " + std::to_string(stats.recovered) + " lost calls to their queues");
  }
}

std::optional<int64_t> Dialer::ClampCallback(const LiveCall& call, int64_t requested_at) {
  // A campaign paused since the call was placed still books the callback: it is judged
  // as running (the dial itself waits until the campaign runs, and is checked again).
  Campaign campaign = *call.campaign;
  campaign.state = campaigns::CampaignState::kRunning;
  std::vector<campaigns::PriorAttempt> attempts = call.prior;
  campaigns::PriorAttempt self;  // the call that just ended counts towards the caps
  self.campaign_id = call.campaign->id;
  self.placed_at_ms = call.placed_at;
  self.answered = true;
  attempts.push_back(self);
  const auto snapshot = services_.dnd->Current();
  campaigns::GateFacts facts;
  facts.campaign = &campaign;
  facts.lead = {call.lead_id, call.lead.phone, "callback", call.lead.phone_type,
                call.lead.time_zone};
  facts.on_do_not_call = false;
  facts.consent = call.consent;
  facts.dnd = snapshot.get();
  facts.attempts = attempts;
  facts.holidays = services_.holidays;
  facts.zones = services_.zones;
  return EarliestCallbackTime(facts, requested_at).due_at;
}

void Dialer::RecordEnded(TickStats& stats) {
  const int64_t now = services_.clock->NowMillis();
  std::vector<CallEnded> ended = provider_.TakeEnded(now);
  for (auto& failed : failed_) ended.push_back(std::move(failed));
  failed_.clear();
  if (ended.empty()) return;
  std::vector<std::pair<CallEnded, std::unique_ptr<LiveCall>>> calls;
  {
    std::lock_guard lock(live_mutex_);
    for (auto& e : ended) {
      auto it = live_.find(e.attempt_id);
      if (it == live_.end()) continue;
      calls.emplace_back(std::move(e), std::move(it->second));
      live_.erase(it);
    }
  }
  if (calls.empty()) return;
  const auto dialect = services_.db->dialect();
  const compliance::Actor system_actor{"system:dialer:" + options_.worker_id, "", "", ""};
  storage::InTransaction(*services_.db, [&](storage::Transaction& tx) {
    // Each statement below handles the whole batch: one round trip, whatever its size.
    nlohmann::json attempt_rows = nlohmann::json::array();
    for (const auto& [end, call] : calls) {
      attempt_rows.push_back(
          {{"attempt_id", end.attempt_id},
           {"outcome", DispositionName(end.disposition)},
           {"answered", IsAnswered(end.disposition) ? 1 : 0},
           {"refused", IsRefusal(end.disposition) ? 1 : 0},
           {"answered_at",
            end.answered_at_ms ? nlohmann::json(*end.answered_at_ms) : nlohmann::json()},
           {"ended_at", end.ended_at_ms},
           {"provider_call_id", end.provider_call_id},
           {"detail", end.detail.dump()}});
    }
    auto still_ours = tx.Execute(
        "UPDATE call_attempts AS a SET status = 'done', outcome = x.outcome, answered = "
        "x.answered, "
        "refused = x.refused, answered_at = x.answered_at, ended_at = x.ended_at, "
        "provider_call_id = x.provider_call_id, detail = x.detail FROM " +
            storage::JsonRowsSource(dialect, "$1",
                                    {{"attempt_id", "bigint"},
                                     {"outcome", "text"},
                                     {"answered", "bigint"},
                                     {"refused", "bigint"},
                                     {"answered_at", "bigint"},
                                     {"ended_at", "bigint"},
                                     {"provider_call_id", "text"},
                                     {"detail", "text"}},
                                    "x") +
            " WHERE a.id = x.attempt_id AND a.status = 'active' RETURNING id",
        {storage::JsonRowsValue(attempt_rows)});
    std::unordered_set<int64_t> recorded;
    for (const auto& row : still_ours.rows) recorded.insert(row.GetInt(0));

    nlohmann::json lead_rows = nlohmann::json::array(), queue_rows = nlohmann::json::array(),
                   event_rows = nlohmann::json::array(), callback_rows = nlohmann::json::array(),
                   recorded_calls = nlohmann::json::array();
    std::vector<int64_t> unlock;
    for (const auto& [end, call] : calls) {
      if (!recorded.contains(end.attempt_id)) {
        // Another process declared the call lost (this one stalled past its lease) and the
        // lead went back to the queue; its record stays as that process left it.
        Log("call " + std::to_string(end.attempt_id) + " ended after it was declared lost");
        continue;
      }
      ++stats.ended;
      const campaigns::AttemptPolicy& policy = call->campaign->attempts;
      NextStep step = DecideNextStep(end.disposition, call->attempt_number, policy, end.ended_at_ms,
                                     end.callback_requested_at_ms);
      if (step.add_do_not_call) {
        auto added = services_.do_not_call->Add(
            tx, call->lead.phone, "agent_opt_out",
            "asked not to be called (call attempt " + std::to_string(end.attempt_id) + ")",
            system_actor);
        if (!added) {
          throw std::runtime_error("do-not-call entry not written: " + added.error().message);
        }
      }
      if (!step.lead_status.empty()) {
        lead_rows.push_back({{"id", call->lead_id}, {"status", step.lead_status}});
      }
      nlohmann::json event = {{"attempt_id", end.attempt_id},
                              {"campaign_id", call->campaign->id},
                              {"outcome", DispositionName(end.disposition)},
                              {"placed_at", call->placed_at},
                              {"ended_at", end.ended_at_ms}};
      std::string state = "done";
      int priority = 2;
      int64_t next_at = now;
      if (step.kind == NextStep::Kind::kRetry) {
        state = "queued";
        next_at = step.not_before_ms;
      } else if (step.kind == NextStep::Kind::kCallback) {
        const auto due = ClampCallback(*call, step.not_before_ms);
        event["callback_requested_at"] = step.not_before_ms;
        if (due) {
          tx.Execute(
              "INSERT INTO callbacks (campaign_id, lead_id, requested_at, due_at, state, note, "
              "booked_by, booked_at) VALUES ($1, $2, $3, $4, 'pending', $5, 'agent', $6)",
              {Int(call->campaign->id), Int(call->lead_id), Int(step.not_before_ms), Int(*due),
               Text(*due == step.not_before_ms ? "" : "moved into the legal calling window"),
               Int(now)});
          event["callback_due_at"] = *due;
          state = "queued";
          priority = 0;
          next_at = *due;
        } else {
          tx.Execute(
              "INSERT INTO callbacks (campaign_id, lead_id, requested_at, due_at, state, note, "
              "booked_by, booked_at) VALUES ($1, $2, $3, $3, 'unschedulable', $4, 'agent', $5)",
              {Int(call->campaign->id), Int(call->lead_id), Int(step.not_before_ms),
               Text("no instant the campaign may call is left (window, caps or end date)"),
               Int(now)});
          step.reason = "callback_unschedulable";
        }
      }
      if (call->callback_id) {
        callback_rows.push_back({{"id", *call->callback_id}, {"done_at", end.ended_at_ms}});
      }
      queue_rows.push_back({{"campaign_id", call->campaign->id},
                            {"lead_id", call->lead_id},
                            {"state", state},
                            {"priority", priority},
                            {"next_at", next_at},
                            {"outcome", DispositionName(end.disposition)},
                            {"reason", step.reason}});
      event_rows.push_back(
          {{"lead_id", call->lead_id}, {"at", end.ended_at_ms}, {"data", event.dump()}});
      unlock.push_back(call->lead_id);
      if (services_.calls_recorded) {
        nlohmann::json facts = event;
        facts["campaign_name"] = call->campaign->name;
        facts["lead_id"] = call->lead_id;
        facts["phone"] = call->lead.phone;
        facts["attempt_number"] = call->attempt_number;
        facts["answered"] = IsAnswered(end.disposition);
        facts["next_step"] = step.reason;
        recorded_calls.push_back(std::move(facts));
      }
    }
    if (!lead_rows.empty()) {
      tx.Execute(
          std::string("UPDATE leads AS l SET status = x.status, updated_at = $2 FROM ") +
              storage::JsonRowsSource(dialect, "$1", {{"id", "bigint"}, {"status", "text"}}, "x") +
              " WHERE l.id = x.id AND l.status NOT IN (" + kStopStatuses + ")",
          {storage::JsonRowsValue(lead_rows), Int(now)});
    }
    if (!queue_rows.empty()) {
      tx.Execute(
          "UPDATE campaign_leads AS c SET state = x.state, priority = x.priority, "
          "next_at = x.next_at, last_outcome = x.outcome, last_reason = x.reason, "
          "claimed_by = NULL, lease_until = NULL, updated_at = $2 FROM " +
              storage::JsonRowsSource(dialect, "$1",
                                      {{"campaign_id", "bigint"},
                                       {"lead_id", "bigint"},
                                       {"state", "text"},
                                       {"priority", "integer"},
                                       {"next_at", "bigint"},
                                       {"outcome", "text"},
                                       {"reason", "text"}},
                                      "x") +
              " WHERE c.campaign_id = x.campaign_id AND c.lead_id = x.lead_id",
          {storage::JsonRowsValue(queue_rows), Int(now)});
      tx.Execute(
          "INSERT INTO lead_events (lead_id, at, kind, actor, data) "
          "SELECT x.lead_id, x.at, 'call', $2, x.data FROM " +
              storage::JsonRowsSource(
                  dialect, "$1", {{"lead_id", "bigint"}, {"at", "bigint"}, {"data", "text"}}, "x"),
          {storage::JsonRowsValue(event_rows), Text(system_actor.name)});
    }
    if (!callback_rows.empty()) {
      tx.Execute("UPDATE callbacks AS c SET state = 'done', done_at = x.done_at FROM " +
                     storage::JsonRowsSource(dialect, "$1",
                                             {{"id", "bigint"}, {"done_at", "bigint"}}, "x") +
                     " WHERE c.id = x.id",
                 {storage::JsonRowsValue(callback_rows)});
    }
    if (!recorded_calls.empty()) services_.calls_recorded(tx, recorded_calls);
    if (!unlock.empty()) {
      tx.Execute("DELETE FROM dial_locks WHERE holder = $2 AND " +
                     storage::AnyOfIds(dialect, "lead_id", "$1"),
                 {storage::IdsValue(dialect, unlock), Text(options_.worker_id)});
    }
  });
}

void Dialer::DialCampaign(const std::shared_ptr<const Campaign>& shared, TickStats& stats) {
  const Campaign& campaign = *shared;
  auto& db = *services_.db;
  const auto dialect = db.dialect();
  const bool pg = dialect == storage::Dialect::kPostgres;
  int64_t now = services_.clock->NowMillis();
  std::vector<std::unique_ptr<LiveCall>> to_place;
  const std::string purpose(campaigns::ConsentPurposeFor(campaign.call_class));

  // Read before the write transaction: a second connection taken while holding the
  // write lock deadlocks when every other pooled connection is waiting for that lock.
  const auto snapshot = services_.dnd->Current();
  auto dnd_status = services_.dnd->Status();
  auto tx = db.Begin(true);
  if (pg) {
    // Serialises the claimers of this campaign across processes, so its concurrency and
    // pacing limits count every process's calls.
    auto locked =
        tx->Execute("SELECT id FROM campaigns WHERE id = $1 AND state = 'running' FOR UPDATE",
                    {Int(campaign.id)});
    if (locked.rows.empty()) return;
  }
  const int64_t live =
      tx->Execute("SELECT count(*) FROM call_attempts WHERE campaign_id = $1 AND status = 'active'",
                  {Int(campaign.id)})
          .rows[0]
          .GetInt(0);
  const double cps = std::max(campaign.calls_per_second, 1e-3);
  const int64_t window_ms = std::max<int64_t>(1000, static_cast<int64_t>(std::ceil(1000.0 / cps)));
  const int64_t per_window =
      std::max<int64_t>(1, static_cast<int64_t>(std::floor(cps * window_ms / 1000.0 + 1e-9)));
  const int64_t recent = tx->Execute(
                               "SELECT count(*) FROM call_attempts WHERE campaign_id = $1 AND "
                               "placed_at > $2",
                               {Int(campaign.id), Int(now - window_ms)})
                             .rows[0]
                             .GetInt(0);
  const int64_t provider_recent = tx->Execute(
                                        "SELECT count(*) FROM call_attempts WHERE provider = $1 "
                                        "AND placed_at > $2",
                                        {Text(provider_.name()), Int(now - 1000)})
                                      .rows[0]
                                      .GetInt(0);
  const int64_t provider_limit =
      std::max<int64_t>(1, static_cast<int64_t>(std::floor(provider_.max_calls_per_second())));
  int64_t budget = std::min({campaign.max_concurrent_calls - live, per_window - recent,
                             provider_limit - provider_recent});

  auto candidates =
      tx->Execute(std::string("SELECT lead_id, priority, attempts FROM campaign_leads "
                              "WHERE campaign_id = $1 AND state = 'queued' AND next_at <= $2 "
                              "ORDER BY priority, next_at LIMIT $3") +
                      (pg ? " FOR UPDATE SKIP LOCKED" : ""),
                  {Int(campaign.id), Int(now), Int(options_.claim_batch)});
  if (candidates.rows.empty()) {
    tx->Commit();
    return;
  }
  std::vector<int64_t> ids;
  std::unordered_map<int64_t, int> attempts_made;
  for (const auto& row : candidates.rows) {
    ids.push_back(row.GetInt(0));
    attempts_made[row.GetInt(0)] = static_cast<int>(row.GetInt(2));
  }
  // The dial lock of each number: taken unless another process or campaign holds it with
  // a live lease.
  auto locked = tx->Execute(
      "INSERT INTO dial_locks (lead_id, campaign_id, holder, lease_until) SELECT t.id, $2, $3, $4 "
      "FROM (" +
          ListSql(dialect) +
          ") AS t WHERE true ON CONFLICT (lead_id) DO UPDATE SET campaign_id = "
          "excluded.campaign_id, "
          "holder = excluded.holder, lease_until = excluded.lease_until "
          "WHERE dial_locks.lease_until < $5 RETURNING lead_id",
      {storage::IdsValue(dialect, ids), Int(campaign.id), Text(options_.worker_id),
       Int(now + options_.lease_ms), Int(now)});
  std::unordered_set<int64_t> have_lock;
  for (const auto& row : locked.rows) have_lock.insert(row.GetInt(0));

  std::unordered_map<int64_t, LeadFacts> lead_facts;
  std::vector<int64_t> locked_ids(have_lock.begin(), have_lock.end());
  std::vector<std::string> phones;
  std::unordered_map<int64_t, std::vector<campaigns::PriorAttempt>> prior;
  std::unordered_map<int64_t, int64_t> pending_callback;
  std::unordered_set<std::string> suppressed;
  bool suppression_known = true;
  std::unordered_map<std::string, compliance::ConsentStatus> consent_of;
  bool consent_known = true;
  if (!locked_ids.empty()) {
    const auto ids_value = storage::IdsValue(dialect, locked_ids);
    auto leads = tx->Execute(
        "SELECT id, phone_e164, status, phone_type, time_zone, language FROM leads WHERE " +
            storage::AnyOfIds(dialect, "id", "$1"),
        {ids_value});
    for (const auto& row : leads.rows) {
      LeadFacts f{row.GetOptText(1).value_or(""), row.GetText(2), row.GetText(3), row.GetText(4),
                  row.GetText(5)};
      if (!f.phone.empty()) phones.push_back(f.phone);
      lead_facts.emplace(row.GetInt(0), std::move(f));
    }
    if (!purpose.empty()) {
      auto read = services_.consents->StatusMany(*tx, phones, purpose, now);
      if (read) {
        consent_of = std::move(read.value());
      } else {
        consent_known = false;  // refused as unknown by the gate (fails closed)
      }
    }
    auto dnc = services_.do_not_call->IsSuppressedMany(*tx, phones);
    if (dnc) {
      suppressed = std::move(dnc.value());
    } else {
      suppression_known = false;  // the gate refuses every number then (fails closed)
    }
    prior = ReadPriorAttempts(*tx, locked_ids);
    auto callbacks = tx->Execute(
        "SELECT id, lead_id FROM callbacks WHERE campaign_id = $2 AND state = 'pending' AND " +
            storage::AnyOfIds(dialect, "lead_id", "$1") + " ORDER BY due_at",
        {ids_value, Int(campaign.id)});
    for (const auto& row : callbacks.rows)
      pending_callback.try_emplace(row.GetInt(1), row.GetInt(0));
  }

  std::vector<int64_t> release, dialled;
  // Queue rows that wait (refused by the gate, or the number in a call elsewhere), and the
  // attempts to record: written below in one statement each.
  nlohmann::json wait_rows = nlohmann::json::array(), attempt_rows = nlohmann::json::array();
  auto wait = [&](int64_t lead_id, const std::string& state, int64_t next_at,
                  const std::string& reason) {
    wait_rows.push_back(
        {{"lead_id", lead_id}, {"state", state}, {"next_at", next_at}, {"reason", reason}});
  };
  for (const auto& row : candidates.rows) {
    const int64_t lead_id = row.GetInt(0);
    if (!have_lock.contains(lead_id)) {
      // In a call of another campaign or process: look again shortly.
      wait(lead_id, "queued", now + 5 * 60'000, "in_call_elsewhere");
      continue;
    }
    auto facts_it = lead_facts.find(lead_id);
    static const LeadFacts kMissing{};
    const LeadFacts& lf = facts_it == lead_facts.end() ? kMissing : facts_it->second;
    campaigns::GateConsent consent = campaigns::GateConsent::kNotNeeded;
    if (!purpose.empty() && !lf.phone.empty()) {
      auto known = consent_of.find(lf.phone);
      consent = !consent_known || known == consent_of.end()
                    ? campaigns::GateConsent::kUnknown
                    : campaigns::GateConsentFromLedger(known->second);
    }
    now = services_.clock->NowMillis();
    campaigns::GateFacts facts;
    facts.campaign = &campaign;
    // A lead missing from the table was erased since it was queued. (Both arms are views:
    // a ternary of a literal and a std::string would make a temporary the view outlives.)
    const std::string_view status =
        facts_it == lead_facts.end() ? std::string_view("erased") : std::string_view(lf.status);
    facts.lead = {lead_id, lf.phone, status, lf.phone_type, lf.time_zone};
    if (suppression_known) facts.on_do_not_call = suppressed.contains(lf.phone);
    facts.consent = consent;
    facts.dnd = snapshot.get();
    facts.dnd_status = dnd_status ? &dnd_status.value() : nullptr;
    auto& lead_prior = prior[lead_id];
    facts.attempts = lead_prior;
    facts.holidays = services_.holidays;
    facts.zones = services_.zones;
    facts.now_ms = now;
    const auto decision = campaigns::DecideDial(facts);
    if (!decision.allowed) {
      ++stats.refused;
      release.push_back(lead_id);
      const bool final = RefusalIsFinal(decision);
      wait(lead_id, final ? "done" : "queued",
           decision.next_allowed_ms.value_or(now + options_.recheck_ms),
           std::string(campaigns::GateRuleName(decision.rule)) + ": " + decision.reason);
      continue;
    }
    if (budget <= 0) {
      release.push_back(lead_id);
      continue;
    }
    --budget;
    // The callee's offset at the instant of the call, recorded so that reports (and the
    // simulation test) can tell the local time of every attempt.
    const campaigns::ZoneRules* zone = services_.zones->Find(lf.time_zone);
    const int64_t offset_minutes = zone != nullptr ? zone->OffsetAt(now) / 60'000 : 0;
    auto call = std::make_unique<LiveCall>();
    call->campaign = shared;
    call->lead_id = lead_id;
    call->attempt_number = attempts_made[lead_id] + 1;
    call->placed_at = now;
    call->lead = lf;
    call->consent = consent;
    call->prior = lead_prior;
    if (auto cb = pending_callback.find(lead_id); cb != pending_callback.end()) {
      call->callback_id = cb->second;
    }
    attempt_rows.push_back(
        {{"lead_id", lead_id},
         {"callback_id", call->callback_id ? nlohmann::json(*call->callback_id) : nlohmann::json()},
         {"placed_at", now},
         {"local_offset", offset_minutes},
         {"detail", nlohmann::json{{"gate", decision.ToJson()}}.dump()}});
    dialled.push_back(lead_id);
    to_place.push_back(std::move(call));
  }
  if (!wait_rows.empty()) {
    tx->Execute(
        "UPDATE campaign_leads AS c SET state = x.state, next_at = x.next_at, "
        "last_reason = x.reason, updated_at = $3 FROM " +
            storage::JsonRowsSource(dialect, "$2",
                                    {{"lead_id", "bigint"},
                                     {"state", "text"},
                                     {"next_at", "bigint"},
                                     {"reason", "text"}},
                                    "x") +
            " WHERE c.campaign_id = $1 AND c.lead_id = x.lead_id",
        {Int(campaign.id), storage::JsonRowsValue(wait_rows), Int(now)});
  }
  if (!attempt_rows.empty()) {
    auto inserted = tx->Execute(
        "INSERT INTO call_attempts (campaign_id, lead_id, callback_id, placed_at, "
        "local_offset_minutes, status, provider, worker, lease_until, detail) "
        "SELECT $1, x.lead_id, x.callback_id, x.placed_at, x.local_offset, 'active', $3, $4, "
        "x.placed_at + $5, x.detail FROM " +
            storage::JsonRowsSource(dialect, "$2",
                                    {{"lead_id", "bigint"},
                                     {"callback_id", "bigint"},
                                     {"placed_at", "bigint"},
                                     {"local_offset", "bigint"},
                                     {"detail", "text"}},
                                    "x") +
            " RETURNING id, lead_id",
        {Int(campaign.id), storage::JsonRowsValue(attempt_rows), Text(provider_.name()),
         Text(options_.worker_id), Int(options_.lease_ms)});
    std::unordered_map<int64_t, int64_t> attempt_of;
    for (const auto& r : inserted.rows) attempt_of[r.GetInt(1)] = r.GetInt(0);
    nlohmann::json callback_rows = nlohmann::json::array();
    for (auto& call : to_place) {
      call->attempt_id = attempt_of.at(call->lead_id);
      if (call->callback_id) {
        callback_rows.push_back({{"id", *call->callback_id}, {"attempt_id", call->attempt_id}});
      }
    }
    tx->Execute(
        "UPDATE campaign_leads SET state = 'calling', attempts = attempts + 1, claimed_by = $2, "
        "lease_until = $3, updated_at = $4 WHERE campaign_id = $1 AND " +
            storage::AnyOfIds(dialect, "lead_id", "$5"),
        {Int(campaign.id), Text(options_.worker_id), Int(now + options_.lease_ms), Int(now),
         storage::IdsValue(dialect, dialled)});
    if (!callback_rows.empty()) {
      tx->Execute("UPDATE callbacks AS c SET state = 'dialled', attempt_id = x.attempt_id FROM " +
                      storage::JsonRowsSource(dialect, "$1",
                                              {{"id", "bigint"}, {"attempt_id", "bigint"}}, "x") +
                      " WHERE c.id = x.id",
                  {storage::JsonRowsValue(callback_rows)});
    }
  }
  if (!release.empty()) {
    tx->Execute("DELETE FROM dial_locks WHERE holder = $2 AND " +
                    storage::AnyOfIds(dialect, "lead_id", "$1"),
                {storage::IdsValue(dialect, release), Text(options_.worker_id)});
  }
  tx->Commit();
  tx.reset();  // its connection back to the pool before the provider needs one

  for (auto& call : to_place) {
    PlaceCallRequest request;
    request.attempt_id = call->attempt_id;
    request.campaign_id = call->campaign->id;
    request.lead_id = call->lead_id;
    request.attempt_number = call->attempt_number;
    request.to_e164 = call->lead.phone;
    request.caller_id = campaign.caller_id;
    // "auto": the lead's own preference, English when it has none.
    request.language = campaign.languages == "auto" ? (call->lead.language == "hi" ? "hi" : "en")
                                                    : campaign.languages;
    request.placed_at_ms = call->placed_at;
    request.conversation_transport = campaign.conversation_transport;
    const int64_t attempt_id = call->attempt_id;
    {
      std::lock_guard lock(live_mutex_);
      live_.emplace(attempt_id, std::move(call));
    }
    auto placed = provider_.PlaceCall(request);
    if (placed) {
      ++stats.placed;
      continue;
    }
    // No call was placed: the attempt ends as failed, recorded by the next tick like any
    // ended call, and the lead is retried under the policy.
    CallEnded failed;
    failed.attempt_id = attempt_id;
    failed.disposition = Disposition::kFailed;
    failed.ended_at_ms = services_.clock->NowMillis();
    failed.detail = {{"provider_error", placed.error().message}};
    Log("placing call " + std::to_string(attempt_id) + " failed: " + placed.error().message);
    failed_.push_back(std::move(failed));
  }
}

void Dialer::CompleteFinishedCampaigns(TickStats& stats) {
  const int64_t now = services_.clock->NowMillis();
  for (const auto& [id, entry] : campaigns_) {
    storage::InTransaction(*services_.db, [&](storage::Transaction& tx) {
      auto open = tx.Execute(
          "SELECT count(*) FROM campaign_leads WHERE campaign_id = $1 AND state IN ('queued', "
          "'calling')",
          {Int(id)});
      if (open.rows[0].GetInt(0) > 0) return;
      auto changed = tx.Execute(
          "UPDATE campaigns SET state = 'completed', finished_at = $2, updated_at = $2 "
          "WHERE id = $1 AND state = 'running'",
          {Int(id), Int(now)});
      if (changed.affected_rows == 0) return;
      audit::AuditEntry entry_record;
      entry_record.actor = "system:dialer:" + options_.worker_id;
      entry_record.action = "campaigns.complete";
      entry_record.target = "campaign:" + std::to_string(id);
      entry_record.outcome = "success";
      entry_record.summary =
          nlohmann::json{{"from", "running"}, {"to", "completed"}, {"why", "every lead is done"}}
              .dump();
      services_.audit->Append(tx, entry_record);
      ++stats.completed_campaigns;
    });
  }
}

}  // namespace vaarta::dialer
