#include "dialer/callback_book.h"

#include "campaigns/campaign_json.h"
#include "dialer/callback_time.h"
#include "dialer/prior_attempts.h"

namespace vaarta::dialer {

using storage::Int;
using storage::Text;

nlohmann::json Callback::ToJson() const {
  nlohmann::json out = {
      {"id", id},
      {"campaign_id", campaign_id},
      {"lead_id", lead_id},
      {"requested_at", core::FormatIso8601Utc(requested_at)},
      {"due_at", core::FormatIso8601Utc(due_at)},
      {"state", state},
      {"note", note},
      {"booked_by", booked_by},
      {"booked_at", core::FormatIso8601Utc(booked_at)},
      {"attempt_id", attempt_id ? nlohmann::json(*attempt_id) : nlohmann::json()},
      {"done_at", done_at ? nlohmann::json(core::FormatIso8601Utc(*done_at)) : nlohmann::json()}};
  if (requested_at != due_at) out["moved_because"] = moved_because;
  return out;
}

namespace {

core::Error Fail(core::ErrorCode code, std::string message, std::string detail) {
  return core::Error{code, std::move(message), std::move(detail)};
}

}  // namespace

core::Result<Callback> CallbackBook::Book(int64_t campaign_id, int64_t lead_id,
                                          int64_t requested_at, const std::string& note,
                                          const compliance::Actor& actor) {
  const int64_t now = services_.clock->NowMillis();
  if (requested_at < now - 60'000) {
    return Fail(core::ErrorCode::kInvalidArgument, "at: the time is in the past",
                "callback_in_past");
  }
  if (auto ok = compliance::ValidateStoredText("note", note, 500); !ok) return ok.error();
  auto& db = *services_.db;
  const auto dialect = db.dialect();
  auto tx = db.Begin(true);
  auto campaign_row =
      tx->Execute("SELECT state, config FROM campaigns WHERE id = $1", {Int(campaign_id)});
  if (campaign_row.rows.empty()) {
    return Fail(core::ErrorCode::kNotFound, "no campaign " + std::to_string(campaign_id),
                "campaign_not_found");
  }
  const std::string state = campaign_row.rows[0].GetText(0);
  if (state == "completed" || state == "archived") {
    return Fail(core::ErrorCode::kConflict, "the campaign is " + state + ": it calls nobody back",
                "campaign_not_calling");
  }
  campaigns::Campaign campaign;
  auto config = nlohmann::json::parse(campaign_row.rows[0].GetText(1), nullptr, false);
  if (config.is_discarded() || !campaigns::ReadCampaignConfig(config, &campaign).empty()) {
    return Fail(core::ErrorCode::kInternal, "the campaign's stored configuration does not read",
                "campaign_unreadable");
  }
  campaign.id = campaign_id;
  // The gate judges the callback as if the campaign were running: a paused or scheduled
  // campaign calls back once it runs, within its rules.
  campaign.state = campaigns::CampaignState::kRunning;
  auto queue =
      tx->Execute("SELECT state FROM campaign_leads WHERE campaign_id = $1 AND lead_id = $2" +
                      std::string(dialect == storage::Dialect::kPostgres ? " FOR UPDATE" : ""),
                  {Int(campaign_id), Int(lead_id)});
  if (queue.rows.empty()) {
    return Fail(
        core::ErrorCode::kNotFound,
        "lead " + std::to_string(lead_id) + " is not in campaign " + std::to_string(campaign_id),
        "lead_not_in_campaign");
  }
  if (queue.rows[0].GetText(0) == "calling") {
    return Fail(core::ErrorCode::kConflict,
                "the lead is in a call of this campaign now; book the callback in that call",
                "lead_in_call");
  }
  auto lead = tx->Execute(
      "SELECT phone_e164, status, phone_type, time_zone FROM leads WHERE id = $1", {Int(lead_id)});
  if (lead.rows.empty() || lead.rows[0].IsNull(0)) {
    return Fail(core::ErrorCode::kConflict, "the lead was erased", "lead_erased");
  }
  const std::string phone = lead.rows[0].GetText(0), status = lead.rows[0].GetText(1),
                    phone_type = lead.rows[0].GetText(2), zone = lead.rows[0].GetText(3);
  const auto prior = ReadPriorAttempts(*tx, {lead_id});
  auto suppressed = services_.do_not_call->IsSuppressedMany(*tx, {phone});
  campaigns::GateFacts facts;
  facts.campaign = &campaign;
  facts.lead = {lead_id, phone, status, phone_type, zone};
  if (suppressed) facts.on_do_not_call = !suppressed->empty();
  facts.consent = campaigns::GateConsent::kNotNeeded;
  if (const std::string purpose(campaigns::ConsentPurposeFor(campaign.call_class));
      !purpose.empty()) {
    auto consent = services_.consents->Current(phone, purpose, now);
    facts.consent = consent ? campaigns::GateConsentFromLedger(consent->status)
                            : campaigns::GateConsent::kUnknown;
  }
  const auto snapshot = services_.dnd->Current();
  facts.dnd = snapshot.get();
  if (auto it = prior.find(lead_id); it != prior.end()) facts.attempts = it->second;
  facts.holidays = services_.holidays;
  facts.zones = services_.zones;
  const CallbackTime when = EarliestCallbackTime(facts, std::max(requested_at, now));
  if (!when.due_at) {
    return Fail(core::ErrorCode::kConflict,
                "no time is left at which the campaign may call: " + when.reason,
                "callback_not_possible");
  }
  Callback cb;
  cb.campaign_id = campaign_id;
  cb.lead_id = lead_id;
  cb.requested_at = requested_at;
  cb.due_at = *when.due_at;
  cb.state = "pending";
  cb.note = note;
  cb.booked_by = actor.name;
  cb.booked_at = now;
  if (cb.due_at != requested_at) cb.moved_because = when.reason;
  auto inserted = tx->Execute(
      "INSERT INTO callbacks (campaign_id, lead_id, requested_at, due_at, state, note, booked_by, "
      "booked_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING id",
      {Int(campaign_id), Int(lead_id), Int(requested_at), Int(cb.due_at), Text(note),
       Text(actor.name), Int(now)});
  cb.id = inserted.rows.at(0).GetInt(0);
  // A person's callback brings the lead back even when the campaign was done with it.
  tx->Execute(
      "UPDATE campaign_leads SET state = 'queued', priority = 0, next_at = $3, "
      "last_reason = 'callback', updated_at = $4 WHERE campaign_id = $1 AND lead_id = $2",
      {Int(campaign_id), Int(lead_id), Int(cb.due_at), Int(now)});
  tx->Execute(
      "UPDATE leads SET status = 'callback', updated_at = $2 WHERE id = $1 AND status IN "
      "('new', 'contacted', 'interested', 'callback')",
      {Int(lead_id), Int(now)});
  audit::AuditEntry entry;
  entry.actor = actor.name;
  entry.role = actor.role;
  entry.address = actor.address;
  entry.request_id = actor.request_id;
  entry.action = "callbacks.book";
  entry.target = "campaign:" + std::to_string(campaign_id) + ":lead:" + std::to_string(lead_id);
  entry.outcome = "success";
  entry.summary = nlohmann::json{{"callback_id", cb.id},
                                 {"requested_at", core::FormatIso8601Utc(requested_at)},
                                 {"due_at", core::FormatIso8601Utc(cb.due_at)}}
                      .dump();
  services_.audit->Append(*tx, entry);
  tx->Commit();
  return cb;
}

core::Result<std::vector<Callback>> CallbackBook::List(int64_t campaign_id,
                                                       const std::string& state, int limit) {
  if (limit < 1 || limit > 500) {
    return Fail(core::ErrorCode::kInvalidArgument, "limit: must be 1 to 500", "invalid_limit");
  }
  if (!state.empty() && state != "pending" && state != "dialled" && state != "done" &&
      state != "unschedulable") {
    return Fail(core::ErrorCode::kInvalidArgument,
                "state: must be pending, dialled, done or unschedulable", "invalid_state");
  }
  auto tx = services_.db->Begin(false);
  auto rows = tx->Execute(
      "SELECT id, campaign_id, lead_id, requested_at, due_at, state, note, booked_by, booked_at, "
      "attempt_id, done_at FROM callbacks WHERE campaign_id = $1 AND ($2 = '' OR state = $2) "
      "ORDER BY due_at DESC, id DESC LIMIT $3",
      {Int(campaign_id), Text(state), Int(limit)});
  std::vector<Callback> out;
  for (const auto& r : rows.rows) {
    Callback cb;
    cb.id = r.GetInt(0);
    cb.campaign_id = r.GetInt(1);
    cb.lead_id = r.GetInt(2);
    cb.requested_at = r.GetInt(3);
    cb.due_at = r.GetInt(4);
    cb.state = r.GetText(5);
    cb.note = r.GetText(6);
    cb.booked_by = r.GetText(7);
    cb.booked_at = r.GetInt(8);
    cb.attempt_id = r.GetOptInt(9);
    cb.done_at = r.GetOptInt(10);
    out.push_back(std::move(cb));
  }
  return out;
}

}  // namespace vaarta::dialer
