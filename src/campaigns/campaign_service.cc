#include "campaigns/campaign_service.h"

#include <algorithm>

#include "campaigns/business_defaults.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;

constexpr int kLegalStartMinute = 10 * 60;  // compliance-india.md section 2
constexpr int kLegalEndMinute = 21 * 60;

core::Error NotFound(int64_t id) {
  return core::MakeError(core::ErrorCode::kNotFound, "no campaign with id " + std::to_string(id),
                         "campaign_not_found");
}

audit::AuditEntry Entry(const Actor& actor, const std::string& action, int64_t id,
                        const json& summary, const std::string& outcome = "success") {
  return {actor.name,
          actor.role,
          actor.address,
          action,
          id ? "campaign:" + std::to_string(id) : "campaign:new",
          outcome,
          summary.dump(),
          actor.request_id};
}

ScriptFinding Finding(const char* severity, const char* code, std::string message) {
  ScriptFinding f;
  f.severity = severity;
  f.code = code;
  f.message = std::move(message);
  return f;
}

CampaignOutcome Refuse(CampaignOutcome out, core::ErrorCode code, std::string message,
                       std::string detail_code) {
  out.error = core::MakeError(code, std::move(message), std::move(detail_code));
  return out;
}

CampaignOutcome InvalidFields(CampaignOutcome out) {
  std::string message = std::to_string(out.field_errors.size()) +
                        (out.field_errors.size() == 1 ? " field is" : " fields are") +
                        " invalid: " + DescribeFieldErrors(out.field_errors);
  return Refuse(std::move(out), core::ErrorCode::kInvalidArgument, message, "invalid_campaign");
}

CampaignOutcome NameTaken(CampaignOutcome out, const std::string& name) {
  out.field_errors.push_back({"name", "is taken by another campaign"});
  return Refuse(std::move(out), core::ErrorCode::kConflict,
                "a campaign named '" + name + "' exists already; choose another name",
                "campaign_name_taken");
}

// The configuration fields (top-level keys of the document) whose values differ.
std::vector<std::string> ChangedFields(const Campaign& a, const Campaign& b) {
  json before = CampaignConfigToJson(a);
  json after = CampaignConfigToJson(b);
  std::vector<std::string> out;
  for (auto& [key, value] : after.items()) {
    if (before[key] != value) out.push_back(key);
  }
  return out;
}

// A window that calls at no instant the other would not.
bool Narrower(const CallingWindow& next, const CallingWindow& now) {
  return next.start_minute >= now.start_minute && next.end_minute <= now.end_minute &&
         (next.days & ~now.days) == 0 && (next.skip_holidays || !now.skip_holidays);
}

// Where `action` takes a campaign in state `from`; nullopt when it may not.
std::optional<CampaignState> Target(CampaignAction action, CampaignState from, bool starts_later) {
  using S = CampaignState;
  CampaignState start_state = starts_later ? S::kScheduled : S::kRunning;
  switch (action) {
    case CampaignAction::kStart:
      if (from == S::kDraft) return start_state;
      break;
    case CampaignAction::kPause:
      if (from == S::kScheduled || from == S::kRunning) return S::kPaused;
      break;
    case CampaignAction::kResume:
      if (from == S::kPaused) return start_state;
      break;
    case CampaignAction::kComplete:
      if (from == S::kRunning || from == S::kPaused) return S::kCompleted;
      break;
    case CampaignAction::kArchive:
      if (from == S::kDraft || from == S::kCompleted || from == S::kPaused) return S::kArchived;
      break;
  }
  return std::nullopt;
}

std::string AllowedActions(CampaignState from) {
  std::string out;
  for (auto action : {CampaignAction::kStart, CampaignAction::kPause, CampaignAction::kResume,
                      CampaignAction::kComplete, CampaignAction::kArchive}) {
    if (Target(action, from, false)) {
      out += (out.empty() ? "" : ", ") + std::string(CampaignActionName(action));
    }
  }
  return out.empty() ? "nothing (it is final)" : out;
}

std::string ErrorMessages(const std::vector<ScriptFinding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    if (f.severity == "error") out += (out.empty() ? "" : "; ") + f.message;
  }
  return out;
}

// The checks of every save: who may set the DLT override, and the script's structure
// (refused when broken). On success `out->findings` holds the compliance findings.
bool CheckSave(const Campaign& c, const Campaign* before, const Actor& actor,
               CampaignOutcome* out) {
  bool override_changed = !c.dlt.override_reason.empty() &&
                          (!before || before->dlt.override_reason != c.dlt.override_reason);
  if (override_changed && actor.role != "admin") {
    out->field_errors.push_back({"dlt.override_reason", "only an admin may set it"});
    *out = Refuse(std::move(*out), core::ErrorCode::kPermissionDenied,
                  "only an admin may override the DLT registration (dlt.override_reason); you "
                  "are " +
                      (actor.role.empty() ? std::string("not signed in") : actor.role),
                  "dlt_override_needs_admin");
    return false;
  }
  if (c.script.is_null()) return true;
  auto structure = CheckScriptStructure(c.script, c.languages);
  if (HasErrors(structure)) {
    out->findings = std::move(structure);
    *out = Refuse(std::move(*out), core::ErrorCode::kInvalidArgument,
                  "the script is not a complete flow: " + ErrorMessages(out->findings),
                  "invalid_script");
    return false;
  }
  out->findings = CheckScript(c.script, c);
  return true;
}

// Every list the campaign names exists.
bool CheckLists(storage::Transaction& tx, CampaignRepository& campaigns, const Campaign& c,
                CampaignOutcome* out) {
  auto missing = campaigns.MissingLists(tx, c.list_ids);
  if (missing.empty()) return true;
  for (size_t i = 0; i < c.list_ids.size(); ++i) {
    if (std::find(missing.begin(), missing.end(), c.list_ids[i]) != missing.end()) {
      out->field_errors.push_back({"list_ids[" + std::to_string(i) + "]",
                                   "no lead list with id " + std::to_string(c.list_ids[i])});
    }
  }
  *out = InvalidFields(std::move(*out));
  return false;
}

// The audit records of a save: the change itself, a declared call class and a DLT
// override (each its own record, so they can be found by action).
void AuditSave(audit::AuditLog& audit, storage::Transaction& tx, const Campaign* before,
               const Campaign& c, const Actor& actor, const std::string& action,
               const json& summary) {
  audit.Append(tx, Entry(actor, action, c.id, summary));
  bool declared =
      c.call_class != CallClass::kPromotional && (!before || before->call_class != c.call_class ||
                                                  before->call_class_reason != c.call_class_reason);
  if (declared) {
    audit.Append(
        tx, Entry(actor, "campaigns.declare_class", c.id,
                  {{"call_class", CallClassName(c.call_class)}, {"reason", c.call_class_reason}}));
  }
  std::string previous = before ? before->dlt.override_reason : "";
  if (c.dlt.override_reason != previous) {
    audit.Append(
        tx, Entry(actor, "campaigns.dlt_override", c.id,
                  {{"reason", c.dlt.override_reason}, {"cleared", c.dlt.override_reason.empty()}}));
  }
}

}  // namespace

std::string_view CampaignActionName(CampaignAction action) {
  switch (action) {
    case CampaignAction::kStart:
      return "start";
    case CampaignAction::kPause:
      return "pause";
    case CampaignAction::kResume:
      return "resume";
    case CampaignAction::kComplete:
      return "complete";
    case CampaignAction::kArchive:
      return "archive";
  }
  return "start";
}

bool IsIndianCampaign(const Campaign& campaign, const std::string& default_region) {
  if (!campaign.caller_id.empty()) return campaign.caller_id.rfind("+91", 0) == 0;
  return default_region == "IN";
}

CampaignService::CampaignService(storage::Database& db, const core::Clock& clock,
                                 audit::AuditLog& audit, CampaignServiceOptions options)
    : db_(db), clock_(clock), audit_(audit), options_(std::move(options)) {}

std::vector<Campaign> CampaignService::List(std::optional<CampaignState> state, int64_t before_id,
                                            int limit) {
  auto tx = db_.Begin(false);
  return campaigns_.List(*tx, state, before_id, limit);
}

core::Result<Campaign> CampaignService::Get(int64_t id) {
  auto tx = db_.Begin(false);
  auto found = campaigns_.FindById(*tx, id);
  if (!found) return NotFound(id);
  return *found;
}

core::Result<CampaignStats> CampaignService::Stats(int64_t id) {
  auto tx = db_.Begin(false);
  if (!campaigns_.FindById(*tx, id)) return NotFound(id);
  return campaigns_.Stats(*tx, id);
}

CampaignOutcome CampaignService::Create(const nlohmann::json& config, const Actor& actor) {
  CampaignOutcome out;
  // The business's calling-policy defaults first; what the config says overrides them.
  Campaign c = storage::InTransaction(
      db_, [](storage::Transaction& tx) { return CampaignWithBusinessDefaults(tx); }, false);
  out.field_errors = ReadCampaignConfig(config, &c);
  bool name_reported = std::any_of(out.field_errors.begin(), out.field_errors.end(),
                                   [](const FieldError& e) { return e.field == "name"; });
  if (c.name.empty() && !name_reported) out.field_errors.push_back({"name", "is required"});
  if (!out.field_errors.empty()) return InvalidFields(std::move(out));
  if (!CheckSave(c, nullptr, actor, &out)) return AuditDenied(std::move(out), 0, actor);

  auto tx = db_.Begin(true);
  if (campaigns_.FindIdByName(*tx, c.name)) return NameTaken(std::move(out), c.name);
  if (!CheckLists(*tx, campaigns_, c, &out)) return out;
  int64_t now = clock_.NowMillis();
  c.state = CampaignState::kDraft;
  c.created_at = c.updated_at = now;
  c.created_by = actor.name;
  try {
    c.id = campaigns_.Insert(*tx, c);
  } catch (const storage::DatabaseError& e) {
    if (e.kind() == storage::DatabaseError::Kind::kUniqueViolation) {
      return NameTaken(std::move(out), c.name);
    }
    throw;
  }
  AuditSave(audit_, *tx, nullptr, c, actor, "campaigns.create",
            {{"name", c.name},
             {"call_class", CallClassName(c.call_class)},
             {"ncpr_category", c.ncpr_category}});
  Campaign announced = c;
  tx->OnCommit([this, announced] {
    if (listener_) listener_(announced, "created");
  });
  tx->Commit();
  out.campaign = std::move(c);
  return out;
}

CampaignOutcome CampaignService::Update(int64_t id, const nlohmann::json& change,
                                        const Actor& actor) {
  CampaignOutcome out;
  auto tx = db_.Begin(true);
  auto found = campaigns_.FindById(*tx, id, true);
  if (!found) {
    out.error = NotFound(id);
    return out;
  }
  const Campaign& before = *found;
  std::string state(CampaignStateName(before.state));
  if (before.state == CampaignState::kCompleted || before.state == CampaignState::kArchived) {
    return Refuse(std::move(out), core::ErrorCode::kConflict,
                  "campaign " + std::to_string(id) + " is " + state +
                      "; completed and archived campaigns are kept as they ran. Create a new "
                      "campaign instead",
                  "campaign_not_editable");
  }
  Campaign c = before;
  out.field_errors = ReadCampaignConfig(change, &c);
  if (!out.field_errors.empty()) return InvalidFields(std::move(out));
  if (before.state == CampaignState::kScheduled || before.state == CampaignState::kRunning) {
    // While it may call, a campaign changes only in ways that cannot make a call wrong
    // that was right: pacing, and a window that calls at fewer instants.
    Campaign allowed = before;
    allowed.name = c.name;
    allowed.max_concurrent_calls = c.max_concurrent_calls;
    allowed.calls_per_second = c.calls_per_second;
    allowed.window = c.window;
    auto locked = ChangedFields(allowed, c);
    if (!locked.empty()) {
      std::string names;
      for (const auto& f : locked) {
        out.field_errors.push_back({f, "cannot change while the campaign is " + state});
        names += (names.empty() ? "" : ", ") + f;
      }
      return Refuse(std::move(out), core::ErrorCode::kConflict,
                    "campaign " + std::to_string(id) + " is " + state + ": pause it to change " +
                        names + " (while it is " + state +
                        " only name, max_concurrent_calls, calls_per_second and a narrower "
                        "window can change)",
                    "pause_to_edit");
    }
    if (!Narrower(c.window, before.window)) {
      out.field_errors.push_back(
          {"window", "can only narrow while the campaign is " + state + ": start at " +
                         FormatTimeOfDay(before.window.start_minute) + " or later, end at " +
                         FormatTimeOfDay(before.window.end_minute) +
                         " or earlier, on the same days or fewer, holidays still skipped"});
      return Refuse(std::move(out), core::ErrorCode::kConflict,
                    "campaign " + std::to_string(id) + " is " + state +
                        ": its window can only narrow; pause it to widen the window",
                    "pause_to_edit");
    }
  }
  if (!CheckSave(c, &before, actor, &out)) {
    tx.reset();  // the denial's record is written in a transaction of its own
    return AuditDenied(std::move(out), id, actor);
  }
  auto fields = ChangedFields(before, c);
  if (fields.empty()) {
    out.campaign = before;
    return out;
  }
  if (c.name != before.name && campaigns_.FindIdByName(*tx, c.name)) {
    return NameTaken(std::move(out), c.name);
  }
  if (c.list_ids != before.list_ids && !CheckLists(*tx, campaigns_, c, &out)) return out;
  c.updated_at = clock_.NowMillis();
  try {
    campaigns_.Update(*tx, c);
  } catch (const storage::DatabaseError& e) {
    if (e.kind() == storage::DatabaseError::Kind::kUniqueViolation) {
      return NameTaken(std::move(out), c.name);
    }
    throw;
  }
  AuditSave(audit_, *tx, &before, c, actor, "campaigns.update",
            {{"fields", fields}, {"state", state}});
  Campaign announced = c;
  tx->OnCommit([this, announced] {
    if (listener_) listener_(announced, "updated");
  });
  tx->Commit();
  out.campaign = std::move(c);
  return out;
}

CampaignOutcome CampaignService::Transition(int64_t id, CampaignAction action, const Actor& actor) {
  auto tx = db_.Begin(true);
  auto found = campaigns_.FindById(*tx, id, true);
  if (!found) {
    CampaignOutcome out;
    out.error = NotFound(id);
    return out;
  }
  std::string today = core::IstDate(clock_.NowMillis());
  bool starts_later = !found->start_date.empty() && found->start_date > today;
  auto to = Target(action, found->state, starts_later);
  if (!to) {
    CampaignOutcome out;
    out.campaign = *found;
    std::string state(CampaignStateName(found->state));
    return Refuse(std::move(out), core::ErrorCode::kConflict,
                  "cannot " + std::string(CampaignActionName(action)) + " campaign " +
                      std::to_string(id) + ": it is " + state + ", and a " + state +
                      " campaign can " + AllowedActions(found->state),
                  "invalid_transition");
  }
  return Enter(*tx, std::move(*found), *to, action, actor, "");
}

std::vector<CampaignOutcome> CampaignService::StartDue(const Actor& actor) {
  std::string today = core::IstDate(clock_.NowMillis());
  auto due = [&today](const Campaign& c) {
    return c.state == CampaignState::kScheduled && (c.start_date.empty() || c.start_date <= today);
  };
  std::vector<int64_t> ids;
  {
    auto tx = db_.Begin(false);
    for (int64_t before = 0;;) {
      auto page = campaigns_.List(*tx, CampaignState::kScheduled, before, 500);
      for (const auto& c : page) {
        if (due(c)) ids.push_back(c.id);
      }
      if (page.size() < 500) break;
      before = page.back().id;
    }
  }
  std::vector<CampaignOutcome> out;
  for (int64_t id : ids) {
    auto tx = db_.Begin(true);
    auto found = campaigns_.FindById(*tx, id, true);
    if (!found || !due(*found)) continue;  // paused or changed meanwhile
    out.push_back(Enter(*tx, std::move(*found), CampaignState::kRunning, CampaignAction::kStart,
                        actor, "start date reached"));
  }
  return out;
}

CampaignOutcome CampaignService::Enter(storage::Transaction& tx, Campaign c, CampaignState to,
                                       CampaignAction action, const Actor& actor,
                                       const std::string& reason) {
  CampaignOutcome out;
  int64_t now = clock_.NowMillis();
  CampaignState from = c.state;
  bool may_call = to == CampaignState::kScheduled || to == CampaignState::kRunning;
  if (may_call) {
    out.findings = StartFindings(c, now);
    if (!HasErrors(out.findings)) {
      out.enrolled = enrollment_.Enroll(tx, c, now);
      out.queued = enrollment_.Count(tx, c.id);
      if (out.queued == 0) {
        out.findings.push_back(
            Finding("error", "no_leads",
                    "the campaign's lists and filter select no leads: add leads to its lists or "
                    "widen its filter"));
      }
    }
    if (HasErrors(out.findings)) {
      std::string message = "campaign " + std::to_string(c.id) + " cannot " +
                            std::string(CampaignActionName(action)) +
                            " until these are fixed: " + ErrorMessages(out.findings);
      out.campaign = std::move(c);
      return Refuse(std::move(out), core::ErrorCode::kConflict, message, "campaign_not_ready");
    }
  }
  c.state = to;
  c.updated_at = now;
  if (may_call && !c.started_at) c.started_at = now;
  if (to == CampaignState::kCompleted) c.finished_at = now;
  campaigns_.Update(tx, c);
  json summary = {{"from", CampaignStateName(from)}, {"to", CampaignStateName(to)}};
  if (may_call) {
    summary["enrolled"] = out.enrolled;
    summary["queued"] = out.queued;
    summary["call_class"] = CallClassName(c.call_class);
    summary["ncpr_category"] = c.ncpr_category;
    if (!c.dlt.override_reason.empty()) summary["dlt_override_reason"] = c.dlt.override_reason;
  }
  if (!reason.empty()) summary["reason"] = reason;
  audit_.Append(
      tx, Entry(actor, "campaigns." + std::string(CampaignActionName(action)), c.id, summary));
  Campaign announced = c;
  std::string event(CampaignActionName(action));
  tx.OnCommit([this, announced, event] {
    if (listener_) listener_(announced, event);
  });
  tx.Commit();
  out.campaign = std::move(c);
  return out;
}

core::Result<std::vector<ScriptFinding>> CampaignService::Readiness(int64_t id) {
  auto campaign = Get(id);
  if (!campaign) return campaign.error();
  return StartFindings(*campaign, clock_.NowMillis());
}

std::vector<ScriptFinding> CampaignService::StartFindings(const Campaign& c, int64_t now) const {
  std::vector<ScriptFinding> out;
  std::string today = core::IstDate(now);
  auto error = [&out](const char* code, std::string message) {
    out.push_back(Finding("error", code, std::move(message)));
  };
  if (c.business_name.empty()) {
    error("business_name_missing",
          "set business_name: the greeting must say which business is calling");
  }
  if (c.script.is_null()) {
    error("script_missing",
          "the campaign has no script: generate one (POST /api/v1/campaigns/script/generate) "
          "or write one");
  } else {
    for (auto& finding : campaigns::CheckScript(c.script, c)) out.push_back(std::move(finding));
  }
  bool promotional = c.call_class == CallClass::kPromotional;
  if (promotional && (c.ncpr_category < 1 || c.ncpr_category > 8)) {
    error("ncpr_category_missing",
          "choose the NCPR category the offer belongs to (ncpr_category 1-8): the DND registry "
          "is checked against it");
  }
  if (!promotional && c.call_class_reason.empty()) {
    error("call_class_reason_missing",
          "say why the calls are " + std::string(CallClassName(c.call_class)) +
              " and not promotional (call_class_reason); the declaration is audited");
  }
  if (promotional && IsIndianCampaign(c, options_.default_region)) {
    // TCCCPR: Indian telemarketing comes from a DLT-registered sender's 140-series
    // number, declared in advance (compliance-india.md section 4). An admin may accept
    // the risk with a reason; the findings then stay as warnings, and the start's audit
    // record carries the reason.
    std::vector<ScriptFinding> dlt;
    auto add = [&dlt](const char* code, std::string message) {
      dlt.push_back(Finding("error", code, std::move(message)));
    };
    if (c.dlt.entity_id.empty()) {
      add("dlt_entity_id_missing",
          "set dlt.entity_id: the principal entity id of the DLT registration");
    }
    if (c.dlt.caller_id_series != "140") {
      add("dlt_series_not_140",
          "promotional calls in India come from a 140-series number: set "
          "dlt.caller_id_series to \"140\"");
    }
    if (c.dlt.declaration_date.empty()) {
      add("dlt_declaration_missing",
          "set dlt.declaration_date: when the operator was told of the auto-dialer / robo calls");
    } else if (c.dlt.declaration_date > today) {
      add("dlt_declaration_future",
          "dlt.declaration_date " + c.dlt.declaration_date + " is after today (" + today + " IST)");
    }
    if (!c.caller_id.empty() && c.caller_id.rfind("+91140", 0) != 0) {
      add("caller_id_not_140", "caller_id " + c.caller_id +
                                   " is not a 140-series number (+91140...): Indian promotional "
                                   "calls may not use ordinary numbers");
    }
    if (c.provider == "twilio") {
      add("twilio_india",
          "Twilio cannot place domestic Indian calls or show a 140-series caller id: choose an "
          "Indian provider (exotel, plivo) for an Indian promotional campaign");
    }
    for (auto& finding : dlt) {
      if (!c.dlt.override_reason.empty()) {
        finding.severity = "warning";
        finding.message += " (overridden by an admin: " + c.dlt.override_reason + ")";
      }
      out.push_back(std::move(finding));
    }
  }
  if (c.caller_id.empty() && c.provider != "simulator") {
    error("caller_id_missing", "set caller_id: the number the " + c.provider + " calls come from");
  }
  if (c.list_ids.empty() && !c.lead_filter.is_object()) {
    error("no_leads",
          "choose the leads to call: lead lists (list_ids) or a saved filter "
          "(lead_filter)");
  }
  if (!c.end_date.empty() && c.end_date < today) {
    error("end_date_past", "end_date " + c.end_date + " has passed (today is " + today +
                               " in IST): move it later or clear it");
  }
  if (promotional &&
      (c.window.start_minute < kLegalStartMinute || c.window.end_minute > kLegalEndMinute)) {
    out.push_back(Finding(
        "warning", "window_outside_default_hours",
        "the window " + FormatTimeOfDay(c.window.start_minute) + "-" +
            FormatTimeOfDay(c.window.end_minute) +
            " reaches outside 10:00-21:00, the hours open for promotional calls to everybody; "
            "outside them only callees who registered those bands may be called"));
  }
  return out;
}

core::Result<std::vector<ScriptFinding>> CampaignService::CheckScript(
    int64_t id, const std::optional<nlohmann::json>& script) {
  auto campaign = Get(id);
  if (!campaign) return campaign.error();
  const json& checked = script ? *script : campaign->script;
  if (checked.is_null()) {
    return std::vector<ScriptFinding>{
        Finding("error", "script_missing", "the campaign has no script to check")};
  }
  if (!checked.is_object()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "script must be a script object (docs/script-schema.json)",
                           "invalid_script");
  }
  return campaigns::CheckScript(checked, *campaign);
}

CampaignOutcome CampaignService::AuditDenied(CampaignOutcome out, int64_t id, const Actor& actor) {
  // A refused override is a security event: who tried to lift a compliance rule.
  if (out.error && out.error->code == core::ErrorCode::kPermissionDenied) {
    audit_.Append(
        Entry(actor, "campaigns.dlt_override", id, {{"refused", out.error->message}}, "denied"));
  }
  return out;
}

GeneratedScript CampaignService::Generate(const Campaign& facts) {
  return GenerateScript(facts, options_.llm);
}

}  // namespace vaarta::campaigns
