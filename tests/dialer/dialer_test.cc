// The dialer against real databases and the real gate, in manual time: pacing, the
// window, outcomes (do-not-call before anything else, callbacks moved into the window),
// the dial lock across campaigns, and the return of a lost process's calls.
#include "dialer/dialer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "campaigns/campaign_json.h"
#include "dialer/simulated_provider.h"
#include "test_support/instant.h"
#include "test_support/test_database.h"

namespace vaarta::dialer {
namespace {

using storage::Int;
using storage::Text;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
const std::string kKey(32, 'k');

using testing::At;

SimulatedRates Only(double SimulatedRates::*outcome) {
  SimulatedRates r;
  r.failed = r.busy = r.voicemail = 0;
  r.no_answer = 0;
  r.interested = r.not_interested = r.callback = r.opted_out = r.wrong_number = 0;
  r.transferred = r.incomplete = 0;
  if (outcome == &SimulatedRates::no_answer) {
    r.no_answer = 1;
  } else {
    r.*outcome = 1;
  }
  return r;
}

class DialerTest : public ::testing::TestWithParam<std::string> {
 protected:
  DialerTest()
      : tdb_(GetParam()),
        clock_(At("2027-01-25T11:00:00+05:30")),  // a Monday
        audit_(tdb_.db(), clock_),
        dir_(testing::MakeTempDir("dialer")),
        dnc_(tdb_.db(), clock_, audit_, compliance::SuppressionHasher(kKey)),
        consents_(tdb_.db(), clock_, audit_, compliance::SuppressionHasher(kKey)),
        dnd_(tdb_.db(), clock_, audit_, dir_ + "/dnd") {
    std::ofstream(dir_ + "/dnd.txt") << "+919800000099\n";
    LoadRegistry();
  }
  // Today's scrub (a registry is only trusted on its own IST day).
  void LoadRegistry() {
    compliance::DndLoadOptions options;
    options.registry_date = core::IstDate(clock_.NowMillis());
    EXPECT_TRUE(dnd_.Load(dir_ + "/dnd.txt", options, {"test", "admin", "", ""}));
  }
  ~DialerTest() override { testing::RemoveTree(dir_); }

  DialerServices Services() {
    return {&tdb_.db(), &clock_, &audit_, &dnc_, &consents_, &dnd_, &holidays_, &zones_, nullptr};
  }

  int64_t AddLead(const std::string& phone, const std::string& zone = "Asia/Kolkata") {
    auto tx = tdb_.db().Begin(true);
    auto row = tx->Execute(
        "INSERT INTO leads (phone_e164, phone_type, time_zone, source_kind, created_at, "
        "updated_at) VALUES ($1, 'mobile', $2, 'file', 0, 0) RETURNING id",
        {Text(phone), Text(zone)});
    tx->Commit();
    return row.rows[0].GetInt(0);
  }

  int64_t AddCampaign(const std::string& name, const std::vector<int64_t>& leads,
                      int concurrent = 5) {
    campaigns::Campaign c;
    c.name = name;
    c.business_name = "Acme Learning";
    c.goal = "book a demo";
    c.ncpr_category = 3;
    c.caller_id = "+911401234567";
    c.dlt = {"1101234567890", "140", "2026-10-01", ""};
    c.max_concurrent_calls = concurrent;
    c.calls_per_second = 50;
    campaigns::Campaign read;
    auto errors = campaigns::ReadCampaignConfig(campaigns::CampaignConfigToJson(c), &read);
    EXPECT_TRUE(errors.empty()) << campaigns::DescribeFieldErrors(errors);
    auto tx = tdb_.db().Begin(true);
    auto row = tx->Execute(
        "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at) "
        "VALUES ($1, 'running', $2, 0, 'test', 0) RETURNING id",
        {Text(name), Text(campaigns::CampaignConfigToJson(c).dump())});
    const int64_t id = row.rows[0].GetInt(0);
    for (int64_t lead : leads) {
      tx->Execute(
          "INSERT INTO campaign_leads (campaign_id, lead_id, state, priority, next_at, updated_at) "
          "VALUES ($1, $2, 'queued', 1, 0, 0)",
          {Int(id), Int(lead)});
    }
    tx->Commit();
    return id;
  }

  int64_t Count(const std::string& sql, const storage::Params& params = {}) {
    auto tx = tdb_.db().Begin(false);
    return tx->Execute(sql, params).rows[0].GetInt(0);
  }

  // The queue's reasons, to explain a failure.
  std::string Reasons() {
    auto tx = tdb_.db().Begin(false);
    std::string out;
    for (const auto& r :
         tx->Execute("SELECT lead_id, state, last_reason, next_at FROM campaign_leads").rows) {
      out += std::to_string(r.GetInt(0)) + " " + r.GetText(1) + " " +
             core::FormatIso8601Utc(r.GetInt(3)) + " " + r.GetText(2) + "\n";
    }
    return out;
  }

  std::vector<int64_t> Leads(int n, const std::string& zone = "Asia/Kolkata") {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i)
      ids.push_back(AddLead("+91981" + std::to_string(1000000 + i), zone));
    return ids;
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  audit::AuditLog audit_;
  std::string dir_;
  compliance::DoNotCallList dnc_;
  compliance::ConsentLedger consents_;
  compliance::DndRegistry dnd_;
  campaigns::HolidayCalendar holidays_;
  campaigns::ZoneOffsetCache zones_;
};

TEST_P(DialerTest, KeepsToTheCampaignsConcurrencyAndRecordsEveryOutcome) {
  const int64_t campaign = AddCampaign("pace", Leads(12), 5);
  SimulatedProvider provider(Only(&SimulatedRates::no_answer), 1);
  Dialer dialer(Services(), provider, {});
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.placed, 5) << Reasons();
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE status = 'active'"), 5);
  EXPECT_EQ(dialer.Tick().placed, 0);  // still five live calls
  clock_.Advance(31'000);              // the unanswered calls ring out
  stats = dialer.Tick();
  EXPECT_EQ(stats.ended, 5);
  EXPECT_EQ(stats.placed, 5);
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE outcome = 'no_answer' AND "
                  "ended_at IS NOT NULL AND campaign_id = $1",
                  {Int(campaign)}),
            5);
  // Unanswered leads wait 24 hours before the next try.
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE state = 'queued' AND priority = 2 "
                  "AND next_at >= $1",
                  {Int(At("2027-01-26T11:00:00+05:30"))}),
            5);
  EXPECT_EQ(Count("SELECT count(*) FROM lead_events WHERE kind = 'call'"), 5);
}

TEST_P(DialerTest, NothingIsDialledOutsideTheWindowAndLeadsWaitForTheNextMorning) {
  clock_.Set(At("2027-01-27T21:00:00+05:30"));
  LoadRegistry();
  AddCampaign("late", Leads(3));
  SimulatedProvider provider(SimulatedRates{}, 1);
  Dialer dialer(Services(), provider, {});
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.placed, 0);
  EXPECT_EQ(stats.refused, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE state = 'queued' AND next_at = $1",
                  {Int(At("2027-01-28T10:00:00+05:30"))}),
            3)
      << Reasons();
  EXPECT_EQ(Count("SELECT count(*) FROM dial_locks"), 0);  // refused leads are not held
  clock_.Set(At("2027-01-28T09:59:59+05:30"));
  LoadRegistry();
  EXPECT_EQ(dialer.Tick().placed, 0);
  clock_.Set(At("2027-01-28T10:00:00+05:30"));
  EXPECT_EQ(dialer.Tick().placed, 3);
}

TEST_P(DialerTest, AnOptOutIsOnTheDoNotCallListWhenTheCallIsRecorded) {
  AddCampaign("optout", Leads(2));
  SimulatedProvider provider(Only(&SimulatedRates::opted_out), 1);
  Dialer dialer(Services(), provider, {});
  EXPECT_EQ(dialer.Tick().placed, 2);
  clock_.Advance(kHour);
  EXPECT_EQ(dialer.Tick().ended, 2);
  EXPECT_TRUE(*dnc_.IsSuppressed("+919811000000"));
  EXPECT_TRUE(*dnc_.IsSuppressed("+919811000001"));
  EXPECT_EQ(Count("SELECT count(*) FROM leads WHERE status = 'do_not_call'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE state = 'done'"), 2);
}

TEST_P(DialerTest, CallbacksAreMovedIntoTheWindowAndDialledWhenDue) {
  clock_.Set(At("2027-01-25T20:30:00+05:30"));
  AddCampaign("callback", Leads(20));
  SimulatedProvider provider(Only(&SimulatedRates::callback), 3);
  Dialer dialer(Services(), provider, DialerOptions{.worker_id = "w"});
  EXPECT_EQ(dialer.Tick().placed, 5);
  clock_.Advance(kHour);
  EXPECT_EQ(dialer.Tick().ended, 5);
  auto tx = tdb_.db().Begin(false);
  auto rows = tx->Execute("SELECT requested_at, due_at, state FROM callbacks");
  ASSERT_EQ(rows.rows.size(), 5u);
  for (const auto& r : rows.rows) {
    EXPECT_EQ(r.GetText(2), "pending");
    EXPECT_GE(r.GetInt(1), r.GetInt(0));
    const auto local = core::ToLocalTime(r.GetInt(1), core::kIstOffsetMillis);
    EXPECT_GE(local.hour * 60 + local.minute, 600);
    EXPECT_LT(local.hour * 60 + local.minute, 1260);
    // Called today already: the daily cap moves every callback to another day.
    EXPECT_GE(r.GetInt(1), At("2027-01-26T10:00:00+05:30"));
    // ... and not to 26 January, a national holiday.
    EXPECT_NE(core::IstDate(r.GetInt(1)), "2027-01-26");
  }
  tx.reset();
  // At the first due instant the callback goes before the fresh leads.
  const int64_t first_due = Count("SELECT min(due_at) FROM callbacks WHERE state = 'pending'");
  clock_.Set(first_due);
  LoadRegistry();
  auto stats = dialer.Tick();
  const int64_t due_now =
      Count("SELECT count(*) FROM callbacks WHERE due_at <= $1", {Int(first_due)});
  EXPECT_EQ(stats.placed, 5);
  EXPECT_EQ(Count("SELECT count(*) FROM callbacks WHERE state = 'dialled'"), due_now);
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts a JOIN callbacks c ON c.attempt_id = a.id "
                  "WHERE a.placed_at >= c.due_at"),
            due_now);
}

TEST_P(DialerTest, ANumberIsInOneCallAtATimeAcrossCampaigns) {
  auto leads = Leads(4);
  AddCampaign("one", leads);
  AddCampaign("two", leads);
  SimulatedProvider provider(Only(&SimulatedRates::interested), 1);
  Dialer dialer(Services(), provider, {});
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.placed, 4);
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE status = 'active'"), 4);
  EXPECT_EQ(Count("SELECT count(DISTINCT lead_id) FROM call_attempts"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE last_reason = 'in_call_elsewhere'"),
            4);
}

TEST_P(DialerTest, ALostProcessesCallsReturnOnlyAfterTheirLease) {
  AddCampaign("lost", Leads(3));
  SimulatedProvider dead_provider(Only(&SimulatedRates::interested), 1);
  {
    Dialer dead(Services(), dead_provider, DialerOptions{.worker_id = "dead", .lease_ms = kHour});
    EXPECT_EQ(dead.Tick().placed, 3);
  }  // the process is gone: nobody renews its leases or hears its calls end
  SimulatedProvider provider(Only(&SimulatedRates::interested), 1);
  Dialer alive(Services(), provider, DialerOptions{.worker_id = "alive", .lease_ms = kHour});
  clock_.Advance(kHour - 1);
  auto stats = alive.Tick();
  EXPECT_EQ(stats.recovered, 0);
  EXPECT_EQ(stats.placed, 0);
  clock_.Advance(2);
  stats = alive.Tick();
  EXPECT_EQ(stats.recovered, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE status = 'lost' AND "
                  "outcome = 'incomplete'"),
            3);
  // Back in the queue, but a lost call counts as an unanswered attempt: 24 hours later.
  EXPECT_EQ(stats.placed, 0);
  clock_.Set(At("2027-01-26T11:00:00+05:30") + 1);  // Republic Day: a holiday
  LoadRegistry();
  EXPECT_EQ(alive.Tick().placed, 0);
  clock_.Set(At("2027-01-27T10:00:00+05:30"));
  LoadRegistry();
  EXPECT_EQ(alive.Tick().placed, 3);
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE worker = 'alive'"), 3);
}

TEST_P(DialerTest, DndListedNumbersAndTheDoNotCallListAreNeverDialled) {
  const int64_t listed = AddLead("+919800000099");
  const int64_t suppressed = AddLead("+919800000098");
  const int64_t fine = AddLead("+919800000097");
  ASSERT_TRUE(dnc_.Add("+919800000098", "api", "", {"test", "admin", "", ""}));
  AddCampaign("rules", {listed, suppressed, fine});
  SimulatedProvider provider(SimulatedRates{}, 1);
  Dialer dialer(Services(), provider, {});
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.placed, 1);
  EXPECT_EQ(stats.refused, 2);
  EXPECT_EQ(Count("SELECT lead_id FROM call_attempts"), fine);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE state = 'done' AND "
                  "(last_reason LIKE 'dnd_registry:%' OR last_reason LIKE 'do_not_call:%')"),
            2);
}

TEST_P(DialerTest, AWithdrawnMarketingConsentStopsThePromotionalCalls) {
  const int64_t withdrew = AddLead("+919800000096");
  const int64_t consented = AddLead("+919800000095");
  const compliance::Actor admin{"test", "admin", "", ""};
  for (const char* phone : {"+919800000096", "+919800000095"}) {
    compliance::NewConsent consent{
        phone,       "marketing_calls", "web_form", "2026-11", "en", clock_.NowMillis() - 10 * kDay,
        std::nullopt};
    ASSERT_TRUE(consents_.Record(consent, admin));
  }
  ASSERT_TRUE(
      consents_.Withdraw("+919800000096", "marketing_calls", admin, clock_.NowMillis() - kDay));
  AddCampaign("consent", {withdrew, consented});
  SimulatedProvider provider(SimulatedRates{}, 1);
  Dialer dialer(Services(), provider, {});
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.placed, 1);
  EXPECT_EQ(Count("SELECT lead_id FROM call_attempts"), consented);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE lead_id = $1 AND state = 'done' AND "
                  "last_reason LIKE 'consent:%'",
                  {Int(withdrew)}),
            1)
      << Reasons();
}

TEST_P(DialerTest, CallsInProgressWhenACampaignIsPausedAreRecordedUnderItsRules) {
  const int64_t campaign = AddCampaign("paused", Leads(8), 4);
  SimulatedProvider provider(Only(&SimulatedRates::callback), 2);
  Dialer dialer(Services(), provider, {});
  EXPECT_EQ(dialer.Tick().placed, 4);
  {
    auto tx = tdb_.db().Begin(true);
    tx->Execute("UPDATE campaigns SET state = 'paused', updated_at = 1 WHERE id = $1",
                {Int(campaign)});
    tx->Commit();
  }
  clock_.Advance(kHour);
  auto stats = dialer.Tick();
  EXPECT_EQ(stats.ended, 4);
  EXPECT_EQ(stats.placed, 0);  // paused: nothing new
  // The callbacks the callees asked for are booked, for when the campaign runs again.
  EXPECT_EQ(Count("SELECT count(*) FROM callbacks WHERE state = 'pending'"), 4);
  EXPECT_EQ(Count("SELECT count(*) FROM campaign_leads WHERE state = 'queued' AND priority = 0"),
            4);
}

// A provider that keeps what it was asked to do and ends no call.
class RecordingProvider final : public CallProvider {
 public:
  std::string name() const override { return "recording"; }
  double max_calls_per_second() const override { return 100; }
  core::Result<std::string> PlaceCall(const PlaceCallRequest& request) override {
    requests.push_back(request);
    return "R" + std::to_string(request.attempt_id);
  }
  std::vector<CallEnded> TakeEnded(int64_t) override { return {}; }
  std::vector<PlaceCallRequest> requests;
};

TEST_P(DialerTest, TheCallSpeaksTheLeadsLanguageWhenTheCampaignChoosesAutomatically) {
  const int64_t hindi = AddLead("+919800000094");
  const int64_t unknown = AddLead("+919800000093");
  {
    auto tx = tdb_.db().Begin(true);
    tx->Execute("UPDATE leads SET language = 'hi' WHERE id = $1", {Int(hindi)});
    tx->Commit();
  }
  AddCampaign("auto", {hindi, unknown});
  RecordingProvider provider;
  Dialer dialer(Services(), provider, {});
  EXPECT_EQ(dialer.Tick().placed, 2);
  ASSERT_EQ(provider.requests.size(), 2u);
  for (const auto& r : provider.requests) {
    EXPECT_EQ(r.language, r.lead_id == hindi ? "hi" : "en");
    EXPECT_EQ(r.caller_id, "+911401234567");
    EXPECT_EQ(r.attempt_number, 1);
    EXPECT_EQ(r.placed_at_ms, clock_.NowMillis());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM call_attempts WHERE provider = 'recording' AND "
                  "local_offset_minutes = 330"),
            2);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DialerTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::dialer
