#pragma once
// CampaignService: what managers do with campaigns: create and edit them, draft and
// check their scripts, and move them through their lifecycle
//
//   draft ──start──► scheduled (start_date ahead) ──(date comes: StartDue)──► running
//     │       └────► running ◄──resume── paused ◄──pause── running, scheduled
//     │                 └──complete──► completed ◄──complete── paused
//     └──archive──► archived ◄──archive── completed, paused
//
// Every save checks the script's structure (a broken flow is refused); the compliance
// findings come back with the saved campaign but do not stop a save. Starting and
// resuming check everything a call would need (the script's compliance, the NCPR
// category, the declared call class, the DLT facts of an Indian promotional campaign,
// the provider, the leads, the dates) and refuse with the list of findings. Each change
// and its audit record commit in one transaction; listeners hear of it after the commit.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "campaigns/campaign.h"
#include "campaigns/campaign_enrollment.h"
#include "campaigns/campaign_json.h"
#include "campaigns/campaign_repository.h"
#include "campaigns/script_checker.h"
#include "campaigns/script_generator.h"
#include "compliance/do_not_call_list.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::campaigns {

// Who acts, for the audit records. Setting dlt.override_reason needs role "admin".
using Actor = compliance::Actor;

enum class CampaignAction { kStart, kPause, kResume, kComplete, kArchive };
std::string_view CampaignActionName(CampaignAction action);  // "start", "pause", ...

// The answer to a save or a transition: the campaign as it now is, or the error with
// what explains it (the wrong fields, the findings that stop a start). A successful
// save or start also carries its findings (warnings, and compliance errors on a save).
struct CampaignOutcome {
  std::optional<core::Error> error;
  Campaign campaign;
  std::vector<FieldError> field_errors;
  std::vector<ScriptFinding> findings;
  int64_t enrolled = 0;  // leads added to the queue by start, resume or StartDue
  int64_t queued = 0;    // leads in the queue after start, resume or StartDue
  bool ok() const { return !error.has_value(); }
};

struct CampaignServiceOptions {
  // The business's own region: a campaign without a caller id calls from it, so with
  // "IN" such a campaign is Indian (see IsIndianCampaign).
  std::string default_region = "IN";
  std::optional<LlmEndpoint> llm;  // drafts scripts when set
};

// A campaign is Indian when its caller id is an Indian number (+91), or, without a
// caller id, when the business's default region is IN. Indian promotional campaigns need
// the DLT facts (compliance-india.md section 4).
bool IsIndianCampaign(const Campaign& campaign, const std::string& default_region);

class CampaignService {
 public:
  // `event` is "created", "updated" or the action's name ("start", "pause", ...).
  using Listener = std::function<void(const Campaign& campaign, std::string_view event)>;

  CampaignService(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                  CampaignServiceOptions options);
  // Set once at wiring time; called after each change commits.
  void SetListener(Listener listener) { listener_ = std::move(listener); }

  std::vector<Campaign> List(std::optional<CampaignState> state, int64_t before_id, int limit);
  core::Result<Campaign> Get(int64_t id);
  core::Result<CampaignStats> Stats(int64_t id);

  // `config` is a configuration document (campaign_json.h); "name" is required.
  CampaignOutcome Create(const nlohmann::json& config, const Actor& actor);
  // `change` names the fields to change (others keep their values; null resets one).
  // Draft and paused campaigns take any change; scheduled and running ones only a new
  // name, pacing (max_concurrent_calls, calls_per_second) and a narrower window: pause
  // them for anything else. Completed and archived campaigns are not edited.
  CampaignOutcome Update(int64_t id, const nlohmann::json& change, const Actor& actor);

  CampaignOutcome Transition(int64_t id, CampaignAction action, const Actor& actor);
  CampaignOutcome Start(int64_t id, const Actor& actor) {
    return Transition(id, CampaignAction::kStart, actor);
  }
  CampaignOutcome Pause(int64_t id, const Actor& actor) {
    return Transition(id, CampaignAction::kPause, actor);
  }
  CampaignOutcome Resume(int64_t id, const Actor& actor) {
    return Transition(id, CampaignAction::kResume, actor);
  }
  CampaignOutcome Complete(int64_t id, const Actor& actor) {
    return Transition(id, CampaignAction::kComplete, actor);
  }
  CampaignOutcome Archive(int64_t id, const Actor& actor) {
    return Transition(id, CampaignAction::kArchive, actor);
  }
  // For the scheduler: starts the scheduled campaigns whose start date (IST) has come,
  // enrolling their leads again. Returns one outcome per campaign started.
  std::vector<CampaignOutcome> StartDue(const Actor& actor);

  // The findings of the campaign's script, or of `script` checked with the campaign's
  // facts (an editor's draft, not saved).
  core::Result<std::vector<ScriptFinding>> CheckScript(int64_t id,
                                                       const std::optional<nlohmann::json>& script);
  // A script for these facts (business name, goal, product facts, offer, languages...):
  // with the configured LLM when there is one, else from the templates.
  GeneratedScript Generate(const Campaign& facts);
  // What a start now would say: the findings that would stop it (errors) or qualify it
  // (warnings), with nothing changed. The wizard shows them before the manager presses Start.
  core::Result<std::vector<ScriptFinding>> Readiness(int64_t id);

 private:
  // The findings that stop (errors) or qualify (warnings) a start or resume.
  std::vector<ScriptFinding> StartFindings(const Campaign& campaign, int64_t now) const;
  // Records a refused DLT override (a permission refusal) and passes the outcome on.
  CampaignOutcome AuditDenied(CampaignOutcome out, int64_t id, const Actor& actor);
  CampaignOutcome Enter(storage::Transaction& tx, Campaign campaign, CampaignState to,
                        CampaignAction action, const Actor& actor, const std::string& reason);

  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  CampaignServiceOptions options_;
  CampaignRepository campaigns_;
  CampaignEnrollment enrollment_;
  Listener listener_;
};

}  // namespace vaarta::campaigns
