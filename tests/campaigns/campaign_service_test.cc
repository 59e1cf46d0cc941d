#include "campaigns/campaign_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "leads/lead_repository.h"
#include "test_support/test_database.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;

constexpr int64_t kDay = 86'400'000;
// 2026-11-24 11:30 IST.
constexpr int64_t kNow = 1795500000000;

class CampaignServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  CampaignServiceTest()
      : tdb_(GetParam()),
        clock_(kNow),
        audit_(tdb_.db(), clock_),
        service_(tdb_.db(), clock_, audit_, CampaignServiceOptions{"IN", std::nullopt}) {
    service_.SetListener([this](const Campaign& c, std::string_view event) {
      events_.push_back(std::string(event) + ":" + std::string(CampaignStateName(c.state)));
    });
  }

  int64_t MakeList(const std::string& name) {
    return storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      return tx
          .Execute(
              "INSERT INTO lead_lists (name, created_at, created_by) VALUES ($1, 1, 'test') "
              "RETURNING id",
              {storage::Text(name)})
          .rows[0]
          .GetInt(0);
    });
  }

  // Inserts `count` leads the way an import does, in list `list_id` when given.
  std::vector<int64_t> Seed(int count, std::optional<int64_t> list_id,
                            const std::string& language = "en") {
    std::vector<int64_t> ids;
    storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      auto reserved = leads_.ReserveIds(tx, static_cast<size_t>(count));
      std::vector<leads::Lead> batch;
      for (int i = 0; i < count; ++i) {
        leads::Lead l;
        l.id = reserved[static_cast<size_t>(i)];
        l.phone_e164 = "+9198" + std::to_string(10000000 + next_phone_++);
        l.name = "Lead " + std::to_string(l.id);
        l.language = language;
        l.source_kind = "file";
        l.created_at = l.updated_at = kNow;
        batch.push_back(l);
        ids.push_back(l.id);
      }
      leads_.InsertMany(tx, batch, list_id, kNow);
    });
    return ids;
  }

  // A campaign that may start: every fact an Indian promotional campaign needs.
  json Ready(const std::string& name, int64_t list_id) {
    Campaign c;
    c.name = name;
    c.business_name = "Vidya Academy";
    c.goal = "book a free counselling session";
    c.product_facts = "Spoken English courses in Pune and online.";
    c.offer = "15% off before Diwali";
    c.ncpr_category = 3;
    c.caller_id = "+911401234567";
    c.dlt = {"1201160000000012345", "140", "2026-01-15", ""};
    c.script = GenerateTemplateScript(c);
    json doc = CampaignConfigToJson(c);
    doc["list_ids"] = {list_id};
    return doc;
  }

  int64_t CreateOk(const json& doc, const Actor& actor) {
    auto out = service_.Create(doc, actor);
    EXPECT_TRUE(out.ok()) << (out.error ? out.error->message : "");
    return out.campaign.id;
  }

  static std::vector<std::string> Codes(const std::vector<ScriptFinding>& findings,
                                        const std::string& severity) {
    std::vector<std::string> out;
    for (const auto& f : findings) {
      if (f.severity == severity) out.push_back(f.code);
    }
    return out;
  }

  static bool Has(const std::vector<std::string>& codes, const std::string& code) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  }

  std::vector<audit::AuditRecord> Audits(const std::string& action) {
    audit::AuditFilter filter;
    filter.action = action;
    return audit_.Page(filter, 0, 100);
  }

  int64_t QueueCount(int64_t campaign_id, const std::string& where = "1 = 1") {
    auto tx = tdb_.db().Begin(false);
    return tx
        ->Execute("SELECT COUNT(*) FROM campaign_leads WHERE campaign_id = $1 AND " + where,
                  {storage::Int(campaign_id)})
        .rows[0]
        .GetInt(0);
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  CampaignService service_;
  leads::LeadRepository leads_;
  std::vector<std::string> events_;
  int next_phone_ = 0;
  Actor manager_{"user:2:manager@example.in", "manager", "127.0.0.1", "req-1"};
  Actor admin_{"user:1:admin@example.in", "admin", "127.0.0.1", "req-2"};
};

TEST_P(CampaignServiceTest, TheTemplateScriptOfReadyFactsPassesTheChecker) {
  // The other tests start campaigns with this script; if it fails, they fail for it.
  Campaign c;
  ASSERT_TRUE(ReadCampaignConfig(Ready("x", 1), &c).empty());
  auto findings = CheckScript(c.script, c);
  EXPECT_FALSE(HasErrors(findings)) << json(Codes(findings, "error")).dump();
}

TEST_P(CampaignServiceTest, CreatesADraftAndAuditsIt) {
  int64_t list = MakeList("Diwali");
  auto out = service_.Create(Ready("Diwali calls", list), manager_);
  ASSERT_TRUE(out.ok()) << out.error->message;
  EXPECT_GT(out.campaign.id, 0);
  EXPECT_EQ(out.campaign.state, CampaignState::kDraft);
  EXPECT_EQ(out.campaign.created_by, manager_.name);
  auto stored = service_.Get(out.campaign.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name, "Diwali calls");
  EXPECT_EQ(stored->ncpr_category, 3);
  EXPECT_EQ(stored->list_ids, std::vector<int64_t>{list});
  EXPECT_EQ(stored->script, out.campaign.script);
  auto records = Audits("campaigns.create");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].entry.target, "campaign:" + std::to_string(out.campaign.id));
  EXPECT_EQ(records[0].entry.actor, manager_.name);
  EXPECT_EQ(events_, std::vector<std::string>{"created:draft"});
}

TEST_P(CampaignServiceTest, NamesAreRequiredAndUnique) {
  int64_t list = MakeList("Diwali");
  CreateOk(Ready("Diwali calls", list), manager_);
  auto again = service_.Create(Ready("Diwali calls", list), manager_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error->code, core::ErrorCode::kConflict);
  EXPECT_EQ(again.error->detail_code, "campaign_name_taken");
  auto unnamed = service_.Create(json::object(), manager_);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.field_errors.at(0).field, "name");
  EXPECT_EQ(unnamed.field_errors.at(0).message, "is required");
}

TEST_P(CampaignServiceTest, InvalidFieldsAreAllReportedAndNothingIsSaved) {
  auto out = service_.Create(
      {{"name", "Bad"}, {"window", {{"start", "25:00"}}}, {"ncpr_category", 0}, {"list_ids", {99}}},
      manager_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error->code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(out.error->detail_code, "invalid_campaign");
  ASSERT_EQ(out.field_errors.size(), 2u);
  EXPECT_NE(out.error->message.find("window.start: must be HH:MM"), std::string::npos);
  EXPECT_NE(out.error->message.find("ncpr_category: must be 1-8"), std::string::npos);
  // A list that does not exist is found once the fields read.
  auto missing = service_.Create({{"name", "Bad"}, {"list_ids", {99}}}, manager_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.field_errors.at(0).field, "list_ids[0]");
  EXPECT_TRUE(service_.List(std::nullopt, 0, 10).empty());
}

TEST_P(CampaignServiceTest, ABrokenFlowIsRefusedButComplianceFindingsOnlyWarnTheSave) {
  int64_t list = MakeList("Diwali");
  json broken = Ready("Broken", list);
  broken["script"]["start"] = "nowhere";
  auto refused = service_.Create(broken, manager_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error->detail_code, "invalid_script");
  EXPECT_FALSE(refused.findings.empty());

  json rude = Ready("Rude", list);
  for (auto& step : rude["script"]["steps"]) {
    if (step["kind"] == "greeting") step["lines"] = {{"en", "Hello."}, {"hi", "नमस्ते।"}};
  }
  auto saved = service_.Create(rude, manager_);
  ASSERT_TRUE(saved.ok()) << saved.error->message;
  auto errors = Codes(saved.findings, "error");
  EXPECT_TRUE(Has(errors, "missing_disclosure_recorded")) << json(errors).dump();
  auto start = service_.Start(saved.campaign.id, manager_);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.error->code, core::ErrorCode::kConflict);
  EXPECT_EQ(start.error->detail_code, "campaign_not_ready");
  EXPECT_TRUE(Has(Codes(start.findings, "error"), "missing_disclosure_recorded"));
  EXPECT_EQ(QueueCount(saved.campaign.id), 0);
}

TEST_P(CampaignServiceTest, StartEnrolsTheListsLeadsLeavingErasedOnesOut) {
  int64_t list = MakeList("Diwali");
  auto ids = Seed(5, list);
  storage::InTransaction(tdb_.db(),
                         [&](storage::Transaction& tx) { leads_.Erase(tx, ids[1], kNow); });
  int64_t id = CreateOk(Ready("Diwali calls", list), manager_);
  auto started = service_.Start(id, manager_);
  ASSERT_TRUE(started.ok()) << started.error->message;
  EXPECT_EQ(started.campaign.state, CampaignState::kRunning);
  EXPECT_EQ(started.campaign.started_at, kNow);
  EXPECT_EQ(started.enrolled, 4);
  EXPECT_EQ(started.queued, 4);
  EXPECT_EQ(QueueCount(id, "state = 'queued' AND priority = 1 AND next_at = " +
                               std::to_string(kNow) + " AND attempts = 0"),
            4);
  EXPECT_EQ(QueueCount(id, "lead_id = " + std::to_string(ids[1])), 0);
  auto stats = service_.Stats(id);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->leads, 4);
  EXPECT_EQ(stats->leads_by_state.at("queued"), 4);
  EXPECT_EQ(stats->attempts, 0);
}

TEST_P(CampaignServiceTest, ResumeEnrolsOnlyTheLeadsThatJoinedSince) {
  int64_t list = MakeList("Diwali");
  Seed(4, list);
  int64_t id = CreateOk(Ready("Diwali calls", list), manager_);
  ASSERT_TRUE(service_.Start(id, manager_).ok());
  // The dialer's progress on a queued lead survives a second enrolment.
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    tx.Execute("UPDATE campaign_leads SET attempts = 1, state = 'waiting' WHERE campaign_id = $1",
               {storage::Int(id)});
  });
  ASSERT_TRUE(service_.Pause(id, manager_).ok());
  Seed(3, list);
  auto resumed = service_.Resume(id, manager_);
  ASSERT_TRUE(resumed.ok()) << resumed.error->message;
  EXPECT_EQ(resumed.enrolled, 3);
  EXPECT_EQ(resumed.queued, 7);
  EXPECT_EQ(QueueCount(id, "attempts = 1 AND state = 'waiting'"), 4);
  EXPECT_EQ(QueueCount(id, "state = 'queued'"), 3);
}

TEST_P(CampaignServiceTest, ASavedFilterSelectsLikeTheLeadsListing) {
  int64_t list = MakeList("Diwali");
  Seed(3, list, "hi");
  Seed(2, list, "en");
  Seed(4, std::nullopt, "hi");
  json doc = Ready("Hindi speakers", list);
  doc["list_ids"] = json::array();
  doc["lead_filter"] = {{"language", "hi"}};
  int64_t id = CreateOk(doc, manager_);
  auto started = service_.Start(id, manager_);
  ASSERT_TRUE(started.ok()) << started.error->message;
  EXPECT_EQ(started.enrolled, 7);

  json narrow = Ready("Hindi speakers in the list", list);
  narrow["list_ids"] = json::array();
  narrow["lead_filter"] = {{"language", "hi"}, {"list", list}, {"q", "LEAD"}};
  int64_t second = CreateOk(narrow, manager_);
  auto narrowed = service_.Start(second, manager_);
  ASSERT_TRUE(narrowed.ok()) << narrowed.error->message;
  EXPECT_EQ(narrowed.enrolled, 3);
}

TEST_P(CampaignServiceTest, TransitionsFollowTheStateMachineAndEachIsAudited) {
  int64_t list = MakeList("Diwali");
  Seed(2, list);
  int64_t id = CreateOk(Ready("Diwali calls", list), manager_);
  auto expect_refused = [&](CampaignAction action) {
    auto out = service_.Transition(id, action, manager_);
    ASSERT_FALSE(out.ok()) << CampaignActionName(action);
    EXPECT_EQ(out.error->code, core::ErrorCode::kConflict);
    EXPECT_EQ(out.error->detail_code, "invalid_transition");
  };
  expect_refused(CampaignAction::kPause);
  expect_refused(CampaignAction::kResume);
  expect_refused(CampaignAction::kComplete);
  ASSERT_EQ(service_.Start(id, manager_).campaign.state, CampaignState::kRunning);
  expect_refused(CampaignAction::kStart);
  expect_refused(CampaignAction::kArchive);
  clock_.Advance(1000);
  ASSERT_EQ(service_.Pause(id, manager_).campaign.state, CampaignState::kPaused);
  ASSERT_EQ(service_.Resume(id, manager_).campaign.state, CampaignState::kRunning);
  ASSERT_EQ(service_.Pause(id, manager_).campaign.state, CampaignState::kPaused);
  auto completed = service_.Complete(id, manager_);
  ASSERT_EQ(completed.campaign.state, CampaignState::kCompleted);
  EXPECT_EQ(completed.campaign.finished_at, kNow + 1000);
  EXPECT_EQ(completed.campaign.started_at, kNow);
  expect_refused(CampaignAction::kResume);
  ASSERT_EQ(service_.Archive(id, manager_).campaign.state, CampaignState::kArchived);
  expect_refused(CampaignAction::kArchive);
  EXPECT_EQ(service_.Get(id)->state, CampaignState::kArchived);

  auto starts = Audits("campaigns.start");
  ASSERT_EQ(starts.size(), 1u);
  auto summary = json::parse(starts[0].entry.summary);
  EXPECT_EQ(summary["from"], "draft");
  EXPECT_EQ(summary["to"], "running");
  EXPECT_EQ(summary["enrolled"], 2);
  EXPECT_EQ(Audits("campaigns.pause").size(), 2u);
  EXPECT_EQ(Audits("campaigns.resume").size(), 1u);
  EXPECT_EQ(json::parse(Audits("campaigns.complete")[0].entry.summary)["from"], "paused");
  EXPECT_EQ(json::parse(Audits("campaigns.archive")[0].entry.summary)["to"], "archived");
  EXPECT_EQ(events_, (std::vector<std::string>{"created:draft", "start:running", "pause:paused",
                                               "resume:running", "pause:paused",
                                               "complete:completed", "archive:archived"}));
}

TEST_P(CampaignServiceTest, AFutureStartDateSchedulesUntilTheDayComes) {
  int64_t list = MakeList("Diwali");
  Seed(2, list);
  json doc = Ready("Next week", list);
  doc["start_date"] = "2026-11-25";
  int64_t id = CreateOk(doc, manager_);
  auto started = service_.Start(id, manager_);
  ASSERT_TRUE(started.ok()) << started.error->message;
  EXPECT_EQ(started.campaign.state, CampaignState::kScheduled);
  EXPECT_TRUE(service_.StartDue({"system:scheduler", "", "", ""}).empty());
  Seed(1, list);
  clock_.Advance(kDay);
  auto due = service_.StartDue({"system:scheduler", "", "", ""});
  ASSERT_EQ(due.size(), 1u);
  ASSERT_TRUE(due[0].ok()) << due[0].error->message;
  EXPECT_EQ(due[0].campaign.state, CampaignState::kRunning);
  EXPECT_EQ(due[0].enrolled, 1);
  EXPECT_EQ(due[0].queued, 3);
  auto records = Audits("campaigns.start");
  ASSERT_EQ(records.size(), 2u);  // newest first
  EXPECT_EQ(json::parse(records[0].entry.summary)["reason"], "start date reached");
  EXPECT_EQ(records[0].entry.actor, "system:scheduler");
}

TEST_P(CampaignServiceTest, StartIsRefusedWithEveryReasonAtOnce) {
  Campaign c;
  c.name = "Unready";
  c.provider = "twilio";
  c.end_date = "2026-11-23";
  auto out = service_.Create(CampaignConfigToJson(c), manager_);
  ASSERT_TRUE(out.ok());
  auto start = service_.Start(out.campaign.id, manager_);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.error->detail_code, "campaign_not_ready");
  auto errors = Codes(start.findings, "error");
  for (const char* code : {"business_name_missing", "script_missing", "ncpr_category_missing",
                           "dlt_entity_id_missing", "dlt_series_not_140", "dlt_declaration_missing",
                           "twilio_india", "caller_id_missing", "no_leads", "end_date_past"}) {
    EXPECT_TRUE(Has(errors, code)) << code << " in " << json(errors).dump();
  }
  EXPECT_EQ(service_.Get(out.campaign.id)->state, CampaignState::kDraft);
  EXPECT_TRUE(Audits("campaigns.start").empty());
  EXPECT_EQ(events_.size(), 1u);  // created; the refusal changed nothing
}

TEST_P(CampaignServiceTest, ListsThatSelectNobodyRefuseTheStartAndEnrolNothing) {
  int64_t list = MakeList("Empty");
  int64_t id = CreateOk(Ready("Nobody", list), manager_);
  auto start = service_.Start(id, manager_);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(Codes(start.findings, "error"), std::vector<std::string>{"no_leads"});
}

TEST_P(CampaignServiceTest, ADeclaredServiceClassNeedsAReasonAndIsAudited) {
  int64_t list = MakeList("Members");
  Seed(1, list);
  json doc = Ready("Renewals", list);
  doc["call_class"] = "service";
  doc["ncpr_category"] = nullptr;
  int64_t id = CreateOk(doc, manager_);
  EXPECT_EQ(json::parse(Audits("campaigns.declare_class")[0].entry.summary)["call_class"],
            "service");
  auto start = service_.Start(id, manager_);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(Codes(start.findings, "error"), std::vector<std::string>{"call_class_reason_missing"});
  auto declared =
      service_.Update(id, {{"call_class_reason", "renewal reminders to members"}}, manager_);
  ASSERT_TRUE(declared.ok()) << declared.error->message;
  auto records = Audits("campaigns.declare_class");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(json::parse(records[0].entry.summary)["reason"], "renewal reminders to members");
  EXPECT_TRUE(service_.Start(id, manager_).ok());
}

TEST_P(CampaignServiceTest, OnlyAnAdminOverridesTheDltFactsAndTheOverrideIsAudited) {
  int64_t list = MakeList("Diwali");
  Seed(1, list);
  json doc = Ready("No DLT", list);
  doc["dlt"] = nullptr;
  doc["provider"] = "twilio";
  int64_t id = CreateOk(doc, manager_);
  auto refused = service_.Start(id, manager_);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Has(Codes(refused.findings, "error"), "twilio_india"));

  json override = {
      {"dlt", {{"override_reason", "registration pending; operator consent on file"}}}};
  auto denied = service_.Update(id, override, manager_);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error->code, core::ErrorCode::kPermissionDenied);
  EXPECT_EQ(denied.error->detail_code, "dlt_override_needs_admin");
  EXPECT_EQ(denied.field_errors.at(0).field, "dlt.override_reason");
  auto denials = Audits("campaigns.dlt_override");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0].entry.outcome, "denied");
  EXPECT_TRUE(service_.Get(id)->dlt.override_reason.empty());

  auto allowed = service_.Update(id, override, admin_);
  ASSERT_TRUE(allowed.ok()) << allowed.error->message;
  auto records = Audits("campaigns.dlt_override");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].entry.outcome, "success");
  EXPECT_EQ(records[0].entry.actor, admin_.name);
  // A manager starts it; the findings stay, as warnings, and the start records the reason.
  auto started = service_.Start(id, manager_);
  ASSERT_TRUE(started.ok()) << started.error->message;
  auto warnings = Codes(started.findings, "warning");
  EXPECT_TRUE(Has(warnings, "dlt_entity_id_missing"));
  EXPECT_TRUE(Has(warnings, "twilio_india"));
  EXPECT_EQ(json::parse(Audits("campaigns.start")[0].entry.summary)["dlt_override_reason"],
            "registration pending; operator consent on file");
  // Editing other fields later keeps the admin's reason without asking for an admin.
  ASSERT_TRUE(service_.Pause(id, manager_).ok());
  EXPECT_TRUE(service_.Update(id, {{"goal", "book a visit"}}, manager_).ok());
}

TEST_P(CampaignServiceTest, ACampaignOutsideIndiaNeedsNoDltFacts) {
  int64_t list = MakeList("US");
  Seed(1, list);
  json doc = Ready("US", list);
  doc["dlt"] = nullptr;
  doc["provider"] = "twilio";
  doc["caller_id"] = "+14155550100";
  int64_t id = CreateOk(doc, manager_);
  auto started = service_.Start(id, manager_);
  ASSERT_TRUE(started.ok()) << started.error->message;
  EXPECT_TRUE(Codes(started.findings, "warning").empty());
}

TEST_P(CampaignServiceTest, ARunningCampaignTakesPacingAndANarrowerWindowOnly) {
  int64_t list = MakeList("Diwali");
  Seed(1, list);
  int64_t id = CreateOk(Ready("Diwali calls", list), manager_);
  ASSERT_TRUE(service_.Start(id, manager_).ok());
  auto paced = service_.Update(
      id, {{"calls_per_second", 3}, {"max_concurrent_calls", 40}, {"window", {{"end", "19:00"}}}},
      manager_);
  ASSERT_TRUE(paced.ok()) << paced.error->message;
  EXPECT_EQ(paced.campaign.max_concurrent_calls, 40);
  EXPECT_EQ(paced.campaign.window.end_minute, 19 * 60);
  EXPECT_EQ(json::parse(Audits("campaigns.update")[0].entry.summary)["fields"],
            json({"calls_per_second", "max_concurrent_calls", "window"}));

  auto goal = service_.Update(id, {{"goal", "sell more"}, {"ncpr_category", 4}}, manager_);
  ASSERT_FALSE(goal.ok());
  EXPECT_EQ(goal.error->code, core::ErrorCode::kConflict);
  EXPECT_EQ(goal.error->detail_code, "pause_to_edit");
  ASSERT_EQ(goal.field_errors.size(), 2u);
  EXPECT_EQ(goal.field_errors[0].field, "goal");

  auto wider = service_.Update(id, {{"window", {{"end", "20:00"}}}}, manager_);
  ASSERT_FALSE(wider.ok());
  EXPECT_EQ(wider.error->detail_code, "pause_to_edit");
  auto more_days = service_.Update(id, {{"window", {{"days", {"sun"}}}}}, manager_);
  EXPECT_TRUE(more_days.ok());  // fewer days: narrower

  ASSERT_TRUE(service_.Pause(id, manager_).ok());
  EXPECT_TRUE(service_.Update(id, {{"goal", "sell more"}, {"window", nullptr}}, manager_).ok());
  ASSERT_TRUE(service_.Complete(id, manager_).ok());
  auto late = service_.Update(id, {{"goal", "again"}}, manager_);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error->detail_code, "campaign_not_editable");
}

TEST_P(CampaignServiceTest, AnUnchangedSaveWritesNothing) {
  int64_t list = MakeList("Diwali");
  int64_t id = CreateOk(Ready("Diwali calls", list), manager_);
  auto same = service_.Update(id, {{"goal", "book a free counselling session"}}, manager_);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(Audits("campaigns.update").empty());
  auto renamed = service_.Update(id, {{"name", "Diwali"}}, manager_);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(service_.Get(id)->name, "Diwali");
  CreateOk(Ready("Other", list), manager_);
  auto clash = service_.Update(id, {{"name", "Other"}}, manager_);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error->detail_code, "campaign_name_taken");
}

TEST_P(CampaignServiceTest, ListsNewestFirstFilteredByState) {
  int64_t list = MakeList("Diwali");
  Seed(1, list);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(CreateOk(Ready("C" + std::to_string(i), list), manager_));
  ASSERT_TRUE(service_.Start(ids[1], manager_).ok());
  auto page = service_.List(std::nullopt, 0, 3);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].id, ids[4]);
  auto rest = service_.List(std::nullopt, page.back().id, 3);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[1].id, ids[0]);
  auto running = service_.List(CampaignState::kRunning, 0, 10);
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].id, ids[1]);
  EXPECT_EQ(service_.Get(999).error().detail_code, "campaign_not_found");
}

TEST_P(CampaignServiceTest, EnrolsTwentyThousandLeadsInOneStatement) {
  int64_t list = MakeList("Big");
  for (int i = 0; i < 4; ++i) Seed(5000, list);
  int64_t id = CreateOk(Ready("Big", list), manager_);
  auto began = std::chrono::steady_clock::now();
  auto started = service_.Start(id, manager_);
  auto took = std::chrono::steady_clock::now() - began;
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started.enrolled, 20000);
  EXPECT_LT(took, std::chrono::seconds(5));
}

INSTANTIATE_TEST_SUITE_P(Dialects, CampaignServiceTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::campaigns
