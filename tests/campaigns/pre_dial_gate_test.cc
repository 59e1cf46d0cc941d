#include "campaigns/pre_dial_gate.h"

#include <gtest/gtest.h>

#include <vector>

#include "compliance/dnd_registry_file.h"
#include "core/clock.h"
#include "test_support/instant.h"
#include "test_support/test_database.h"

namespace vaarta::campaigns {
namespace {

using testing::At;

constexpr int64_t kHour = 3'600'000;

// Numbers of the registry every test loads (see the constructor).
const std::string kClear = "+919812345679";         // not listed
const std::string kFull = "+919812345670";          // fully blocked
const std::string kCategories13 = "+919812345671";  // cat=1,3 modes=robo
const std::string kEvenings = "+919812345672";      // cat=2 modes=voice bands=18-21 days=mon-fri

class PreDialGateTest : public ::testing::Test {
 protected:
  PreDialGateTest() : dir_(testing::MakeTempDir("pre-dial-gate")) {
    campaign_.id = 7;
    campaign_.name = "Gold plan";
    campaign_.state = CampaignState::kRunning;
    campaign_.provider = "exotel";
    campaign_.caller_id = "+911401234567";
    campaign_.ncpr_category = 2;  // real estate
    campaign_.dlt = {"1101234567890", "140", "2026-01-01", ""};
    LoadRegistry(
        "9812345670\n"
        "9812345671 cat=1,3 modes=robo\n"
        "9812345672 cat=2 modes=voice bands=18-21 days=mon-fri\n",
        "2026-11-30");
    SetLead(kClear, "Asia/Kolkata");
  }
  ~PreDialGateTest() override { testing::RemoveTree(dir_); }

  // Loads a registry produced on `date` (IST). Until a test says otherwise, each decision
  // is made on the same registry produced on its own day, as a fresh one would be.
  void LoadRegistry(const std::string& text, const std::string& date) {
    registry_text_ = text;
    const std::string path = dir_ + "/registry-" + date + ".snap";
    auto read = compliance::ParseDndRegistryText(text);
    ASSERT_EQ(read.invalid, 0);
    ASSERT_TRUE(compliance::DndSnapshot::Write(path, read.entries, date, 0).ok());
    auto opened = compliance::DndSnapshot::Open(path);
    ASSERT_TRUE(opened.ok());
    snapshot_ = *opened;
    status_ = {};
    status_.loaded = true;
    status_.registry_date = date;
    status_.today_ist = date;
    status_.stale = false;
    status_.usable = true;
  }
  void SetLead(const std::string& e164, const std::string& zone) {
    phone_ = e164;
    zone_ = zone;
  }
  GateFacts Facts(int64_t now) {
    if (follow_today_ && snapshot_->info().registry_date != core::IstDate(now)) {
      LoadRegistry(registry_text_, core::IstDate(now));
    }
    GateFacts f;
    f.campaign = &campaign_;
    f.lead = {42, phone_, status_text_, type_, zone_};
    f.on_do_not_call = false;
    f.consent = GateConsent::kNotNeeded;
    f.dnd = snapshot_.get();
    f.dnd_status = &status_;
    f.attempts = attempts_;
    f.holidays = &holidays_;
    f.zones = &zones_;
    f.now_ms = now;
    return f;
  }
  GateDecision Decide(int64_t now) { return DecideDial(Facts(now)); }
  GateDecision Decide(const std::string& iso) { return Decide(At(iso)); }

  std::string dir_;
  Campaign campaign_;
  std::string registry_text_;
  bool follow_today_ = true;
  std::shared_ptr<const compliance::DndSnapshot> snapshot_;
  compliance::DndStatus status_;
  std::string phone_, zone_, status_text_ = "new", type_ = "mobile";
  std::vector<PriorAttempt> attempts_;
  HolidayCalendar holidays_;
  ZoneOffsetCache zones_;
};

// Expects a refusal by `rule` whose reason contains `text`.
#define EXPECT_REFUSED(decision, expected_rule, text)                              \
  do {                                                                             \
    const GateDecision& d_ = (decision);                                           \
    EXPECT_FALSE(d_.allowed);                                                      \
    EXPECT_EQ(GateRuleName(d_.rule), GateRuleName(expected_rule)) << d_.reason;    \
    EXPECT_NE(d_.reason.find(text), std::string::npos) << "reason: " << d_.reason; \
  } while (0)

#define EXPECT_ALLOWED(decision)                                           \
  do {                                                                     \
    const GateDecision& d_ = (decision);                                   \
    EXPECT_TRUE(d_.allowed) << GateRuleName(d_.rule) << ": " << d_.reason; \
    EXPECT_EQ(d_.rule, GateRule::kAllowed);                                \
    EXPECT_TRUE(d_.reason.empty());                                        \
  } while (0)

// ------------------------------------------------------------------ calling window

TEST_F(PreDialGateTest, AllowsAnOrdinaryLeadInsideTheWindow) {
  const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_ALLOWED(d);
  EXPECT_FALSE(d.next_allowed_ms);
  EXPECT_FALSE(d.permanent);
}

TEST_F(PreDialGateTest, RefusesAtNinePmLocalTimeAndNamesTomorrowsTenAm) {
  EXPECT_ALLOWED(Decide("2026-11-30T20:59:59+05:30"));
  EXPECT_ALLOWED(Decide("2026-11-30T20:59:59.999+05:30"));
  const GateDecision late = Decide("2026-11-30T21:00:00+05:30");
  EXPECT_REFUSED(late, GateRule::kCallingWindow,
                 "it is 21:00 on Monday 2026-11-30 in Asia/Kolkata, and the campaign calls "
                 "10:00-21:00 on every day");
  EXPECT_EQ(late.next_allowed_ms, At("2026-12-01T10:00:00+05:30"));
  EXPECT_FALSE(late.permanent);
}

TEST_F(PreDialGateTest, RefusesBeforeTenAmAndNamesTenAmTheSameDay) {
  const GateDecision early = Decide("2026-11-30T09:59:59+05:30");
  EXPECT_REFUSED(early, GateRule::kCallingWindow, "it is 09:59:59 on Monday");
  EXPECT_EQ(early.next_allowed_ms, At("2026-11-30T10:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-11-30T10:00:00+05:30"));
}

TEST_F(PreDialGateTest, KeepsTheCampaignsDaysOfTheWeek) {
  campaign_.window.days = 0b0011111;  // Monday-Friday
  const GateDecision saturday = Decide("2026-12-05T11:00:00+05:30");
  EXPECT_REFUSED(saturday, GateRule::kCallingWindow, "on Monday-Friday");
  EXPECT_EQ(saturday.next_allowed_ms, At("2026-12-07T10:00:00+05:30"));
  campaign_.window.days = 0;
  const GateDecision none = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(none, GateRule::kCallingWindow, "is not a valid window");
  EXPECT_FALSE(none.next_allowed_ms);
}

TEST_F(PreDialGateTest, UsesTheCalleesLocalTimeInLosAngeles) {
  SetLead("+14155550123", "America/Los_Angeles");
  // 20:59:59 in Los Angeles is 10:29:59 the next morning in India: the callee's clock rules.
  EXPECT_ALLOWED(Decide("2026-11-30T20:59:59-08:00"));
  const GateDecision late = Decide("2026-11-30T21:00:00-08:00");
  EXPECT_REFUSED(late, GateRule::kCallingWindow, "in America/Los_Angeles");
  EXPECT_EQ(late.next_allowed_ms, At("2026-12-01T10:00:00-08:00"));
  // 11:00 IST is 21:30 the evening before in Los Angeles.
  EXPECT_REFUSED(Decide("2026-12-01T11:00:00+05:30"), GateRule::kCallingWindow, "21:30");
}

TEST_F(PreDialGateTest, NamesTheNextMorningAcrossDaylightSavingChangesInLosAngeles) {
  SetLead("+14155550123", "America/Los_Angeles");
  // Clocks fall back at 02:00 on Sunday 1 November 2026: 10:00 is then UTC-8.
  const GateDecision autumn = Decide("2026-10-31T21:00:00-07:00");
  EXPECT_REFUSED(autumn, GateRule::kCallingWindow, "Saturday 2026-10-31");
  EXPECT_EQ(autumn.next_allowed_ms, At("2026-11-01T10:00:00-08:00"));
  EXPECT_ALLOWED(Decide("2026-11-01T10:00:00-08:00"));
  EXPECT_REFUSED(Decide("2026-11-01T09:59:59-08:00"), GateRule::kCallingWindow, "09:59:59");
  // Clocks spring forward at 02:00 on Sunday 8 March 2026: 10:00 is then UTC-7.
  const GateDecision spring = Decide("2026-03-07T22:00:00-08:00");
  EXPECT_EQ(spring.next_allowed_ms, At("2026-03-08T10:00:00-07:00"));
  EXPECT_ALLOWED(Decide("2026-03-08T20:59:59-07:00"));
  EXPECT_REFUSED(Decide("2026-03-08T21:00:00-07:00"), GateRule::kCallingWindow, "21:00");
}

TEST_F(PreDialGateTest, NamesTheNextMorningAcrossDaylightSavingChangesInAuckland) {
  SetLead("+64211234567", "Pacific/Auckland");
  // Daylight time ends at 03:00 on Sunday 5 April 2026 (UTC+13 -> UTC+12).
  const GateDecision autumn = Decide("2026-04-04T21:30:00+13:00");
  EXPECT_REFUSED(autumn, GateRule::kCallingWindow, "in Pacific/Auckland");
  EXPECT_EQ(autumn.next_allowed_ms, At("2026-04-05T10:00:00+12:00"));
  EXPECT_REFUSED(Decide("2026-04-05T09:59:59+12:00"), GateRule::kCallingWindow, "09:59:59");
  EXPECT_ALLOWED(Decide("2026-04-05T10:00:00+12:00"));
  // Daylight time starts at 02:00 on Sunday 27 September 2026 (UTC+12 -> UTC+13).
  const GateDecision spring = Decide("2026-09-26T22:00:00+12:00");
  EXPECT_EQ(spring.next_allowed_ms, At("2026-09-27T10:00:00+13:00"));
  EXPECT_ALLOWED(Decide("2026-09-27T20:59:59+13:00"));
  EXPECT_REFUSED(Decide("2026-09-27T21:00:00+13:00"), GateRule::kCallingWindow, "21:00");
}

// ------------------------------------------------------------------ holidays

TEST_F(PreDialGateTest, RefusesOnAnIndianNationalHolidayUntilTheFollowingMorning) {
  const GateDecision d = Decide("2026-08-15T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kHoliday, "2026-08-15 is Independence Day in IN");
  EXPECT_EQ(d.next_allowed_ms, At("2026-08-16T10:00:00+05:30"));
  // The evening before, the window's next opening skips the holiday too.
  const GateDecision eve = Decide("2026-08-14T21:00:00+05:30");
  EXPECT_REFUSED(eve, GateRule::kCallingWindow, "21:00");
  EXPECT_EQ(eve.next_allowed_ms, At("2026-08-16T10:00:00+05:30"));
  // Holidays configured for the country count the same way.
  ASSERT_TRUE(holidays_.Add("IN", "2026-11-30", "Company day off").ok());
  const GateDecision added = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(added, GateRule::kHoliday, "Company day off");
  EXPECT_EQ(added.next_allowed_ms, At("2026-12-01T10:00:00+05:30"));
  campaign_.window.skip_holidays = false;
  EXPECT_ALLOWED(Decide("2026-08-15T11:00:00+05:30"));
}

TEST_F(PreDialGateTest, UsesTheHolidaysOfTheCalleesCountry) {
  SetLead("+12125550123", "America/New_York");
  EXPECT_ALLOWED(Decide("2026-08-15T11:00:00-04:00"));
  ASSERT_TRUE(holidays_.Add("US", "07-04", "Independence Day").ok());
  const GateDecision d = Decide("2026-07-04T11:00:00-04:00");
  EXPECT_REFUSED(d, GateRule::kHoliday, "2026-07-04 is Independence Day in US");
  EXPECT_EQ(d.next_allowed_ms, At("2026-07-05T10:00:00-04:00"));
  // An Indian number is judged by India's calendar, on the callee's local date.
  SetLead(kClear, "Asia/Kolkata");
  EXPECT_ALLOWED(Decide("2026-07-04T11:00:00+05:30"));
}

TEST_F(PreDialGateTest, RefusesWhenHolidaysCannotBeChecked) {
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.holidays = nullptr;
  EXPECT_REFUSED(DecideDial(f), GateRule::kHoliday, "no holiday calendar");
  SetLead("+4915112345678", "Etc/UTC");  // a country the zone does not name
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00Z"), GateRule::kHoliday, "is not known");
}

// ------------------------------------------------------------------ DND registry

TEST_F(PreDialGateTest, AllowsANumberBlockedOnlyForAnotherCategory) {
  SetLead(kCategories13, "Asia/Kolkata");
  campaign_.ncpr_category = 2;
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
}

TEST_F(PreDialGateTest, RefusesForeverANumberBlockedForTheCampaignsCategory) {
  SetLead(kCategories13, "Asia/Kolkata");
  campaign_.ncpr_category = 1;
  const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kDndRegistry, "blocks category 1 (banking");
  EXPECT_NE(d.reason.find(kCategories13), std::string::npos);
  EXPECT_FALSE(d.next_allowed_ms);
  EXPECT_TRUE(d.permanent);
  SetLead(kFull, "Asia/Kolkata");
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kDndRegistry, "fully blocked");
}

TEST_F(PreDialGateTest, RefusesIndianNumbersOnAStaleRegistryUnlessOverriddenToday) {
  follow_today_ = false;
  LoadRegistry("9812345670\n", "2026-11-29");
  status_.today_ist = "2026-11-30";
  status_.stale = true;
  status_.usable = false;
  const GateDecision stale = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(stale, GateRule::kDndRegistry,
                 "the registry of 2026-11-29 is not usable on 2026-11-30");
  EXPECT_FALSE(stale.next_allowed_ms);
  EXPECT_FALSE(stale.permanent);
  // Foreign numbers are not on India's registry.
  SetLead("+14155550123", "America/Los_Angeles");
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00-08:00"));
  SetLead(kClear, "Asia/Kolkata");
  // An admin's override for today makes it usable ...
  status_.overridden = true;
  status_.usable = true;
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
  // ... for today only: a status read yesterday does not carry over midnight (IST).
  EXPECT_REFUSED(Decide("2026-12-01T11:00:00+05:30"), GateRule::kDndRegistry, "not usable");
}

TEST_F(PreDialGateTest, AFreshStatusReadYesterdayDoesNotCarryTheRegistryPastMidnight) {
  follow_today_ = false;
  EXPECT_ALLOWED(Decide("2026-11-30T20:00:00+05:30"));
  campaign_.window.start_minute = 0;
  campaign_.window.end_minute = 24 * 60;
  EXPECT_ALLOWED(Decide("2026-11-30T23:59:59+05:30"));
  EXPECT_REFUSED(Decide("2026-12-01T00:00:00+05:30"), GateRule::kDndRegistry, "not usable");
}

TEST_F(PreDialGateTest, RefusesWithoutARegistryOrItsStatus) {
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.dnd = nullptr;
  EXPECT_REFUSED(DecideDial(f), GateRule::kDndRegistry, "no registry is loaded");
  f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.dnd_status = nullptr;
  EXPECT_REFUSED(DecideDial(f), GateRule::kDndRegistry, "status is not known");
}

TEST_F(PreDialGateTest, KeepsTheBandsAndDaysOfAPartiallyListedCustomerInIst) {
  // Category 1 is not blocked, but calls are welcome only 18:00-21:00 IST, Monday-Friday.
  SetLead(kEvenings, "Asia/Kolkata");
  campaign_.ncpr_category = 1;
  const GateDecision early = Decide("2026-11-30T17:59:59+05:30");
  EXPECT_REFUSED(early, GateRule::kDndBandsAndDays,
                 "accepts calls only in the bands 18-21 (IST), and it is 17:59:59 IST");
  EXPECT_EQ(early.next_allowed_ms, At("2026-11-30T18:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-11-30T18:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-11-30T20:59:59+05:30"));
  const GateDecision saturday = Decide("2026-12-05T19:00:00+05:30");
  EXPECT_REFUSED(saturday, GateRule::kDndBandsAndDays, "does not accept calls on Saturdays");
  EXPECT_EQ(saturday.next_allowed_ms, At("2026-12-07T18:00:00+05:30"));
  // The window's next opening waits for the customer's band too.
  const GateDecision morning = Decide("2026-11-30T09:00:00+05:30");
  EXPECT_REFUSED(morning, GateRule::kCallingWindow, "09:00");
  EXPECT_EQ(morning.next_allowed_ms, At("2026-11-30T18:00:00+05:30"));
}

TEST_F(PreDialGateTest, KeepsAPartiallyListedCustomersPublicHolidays) {
  // The customer accepts every weekday but not public holidays (the registry's default).
  LoadRegistry("9812345673 cat=1 modes=robo bands=10-12,12-14,14-16,16-18,18-21\n", "2026-10-02");
  SetLead("+919812345673", "Asia/Kolkata");
  campaign_.window.skip_holidays = false;  // the campaign itself would call on holidays
  const GateDecision d = Decide("2026-10-02T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kDndBandsAndDays,
                 "does not accept calls on public holidays, and 2026-10-02 (IST) is Gandhi "
                 "Jayanti");
  EXPECT_EQ(d.next_allowed_ms, At("2026-10-03T10:00:00+05:30"));
  GateFacts f = Facts(At("2026-10-02T11:00:00+05:30"));
  f.holidays = nullptr;
  EXPECT_REFUSED(DecideDial(f), GateRule::kDndBandsAndDays, "no holiday calendar");
}

TEST_F(PreDialGateTest, BlocksExactlyWhatTheRegistrysOwnCheckBlocks) {
  // The gate decides a listed number without asking DndRegistry::Check (no text on the
  // allow path); both must agree for every kind of preference and category.
  const std::vector<std::string> preferences = {
      "",  // fully blocked
      "cat=0 modes=robo",
      "cat=1 modes=robo",
      "cat=1,3 modes=voice",
      "cat=2 modes=auto_live bands=18-21",
      "cat=5,8 modes=voice,auto_recorded days=mon-fri",
      "cat=7 modes=robo bands=10-12,12-14,14-16 days=mon-fri,sat"};
  std::string registry;
  for (size_t i = 0; i < preferences.size(); ++i) {
    registry += "98123456" + std::to_string(10 + i) + " " + preferences[i] + "\n";
  }
  LoadRegistry(registry, "2026-11-30");
  campaign_.window.start_minute = 0;
  campaign_.window.end_minute = 24 * 60;
  for (size_t i = 0; i < preferences.size(); ++i) {
    const std::string number = "+9198123456" + std::to_string(10 + i);
    SetLead(number, "Asia/Kolkata");
    for (int category = 0; category <= 8; ++category) {
      campaign_.ncpr_category = category;
      const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
      const bool blocked =
          compliance::DndRegistry::Check(snapshot_.get(), number, category,
                                         compliance::DndCallMode::kAiAgent, std::nullopt)
              .blocked;
      EXPECT_EQ(d.rule == GateRule::kDndRegistry, blocked)
          << "'" << preferences[i] << "' category " << category << ": " << d.reason;
    }
  }
}

// ------------------------------------------------------------------ call classes, consent

TEST_F(PreDialGateTest, ConsentIsHonouredAndAWithdrawalEndsCalling) {
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.consent = GateConsent::kActive;
  EXPECT_ALLOWED(DecideDial(f));
  f.consent = GateConsent::kWithdrawn;
  GateDecision withdrawn = DecideDial(f);
  EXPECT_REFUSED(withdrawn, GateRule::kConsent, "withdrew consent");
  EXPECT_TRUE(withdrawn.permanent);
  f.consent = GateConsent::kNone;
  EXPECT_REFUSED(DecideDial(f), GateRule::kConsent, "has given none");
  f.consent = GateConsent::kExpired;
  EXPECT_REFUSED(DecideDial(f), GateRule::kConsent, "has expired");
  f.consent = GateConsent::kUnknown;
  const GateDecision unknown = DecideDial(f);
  EXPECT_REFUSED(unknown, GateRule::kConsent, "could not be read");
  EXPECT_FALSE(unknown.permanent);
}

TEST_F(PreDialGateTest, ConsentDoesNotLiftTheRegistryForAPromotionalCampaign) {
  SetLead(kFull, "Asia/Kolkata");
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.consent = GateConsent::kActive;
  EXPECT_REFUSED(DecideDial(f), GateRule::kDndRegistry, "fully blocked");
}

TEST_F(PreDialGateTest, AServiceCallReachesAListedNumberOnlyWithActiveConsent) {
  campaign_.call_class = CallClass::kService;
  campaign_.call_class_reason = "delivery updates for orders";
  SetLead(kFull, "Asia/Kolkata");
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  EXPECT_REFUSED(DecideDial(f), GateRule::kDndRegistry, "only with the customer's active consent");
  f.consent = GateConsent::kActive;
  EXPECT_ALLOWED(DecideDial(f));
  // The campaign's window still applies to service calls.
  f.now_ms = At("2026-11-30T21:00:00+05:30");
  EXPECT_REFUSED(DecideDial(f), GateRule::kCallingWindow, "21:00");
}

TEST_F(PreDialGateTest, ATransactionalCallSkipsTheRegistryAndTheWindow) {
  campaign_.call_class = CallClass::kTransactional;
  campaign_.call_class_reason = "callback on the customer's web order";
  SetLead(kFull, "Asia/Kolkata");
  EXPECT_ALLOWED(Decide("2026-11-30T23:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-08-15T11:00:00+05:30"));
  // ... but not the do-not-call list or the caps.
  attempts_.push_back({7, At("2026-11-30T22:00:00+05:30"), true, false, false});
  const GateDecision capped = Decide("2026-11-30T23:00:00+05:30");
  EXPECT_REFUSED(capped, GateRule::kAttemptCaps, "1 attempt(s) today");
  EXPECT_EQ(capped.next_allowed_ms, At("2026-12-01T00:00:00+05:30"));
}

// ------------------------------------------------------------------ provider facts

TEST_F(PreDialGateTest, RefusesIndianPromotionalCallsThroughTwilio) {
  campaign_.provider = "twilio";
  const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kProviderFacts, "Twilio cannot place domestic Indian calls");
  EXPECT_FALSE(d.next_allowed_ms);
  SetLead("+14155550123", "America/Los_Angeles");
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00-08:00"));
}

TEST_F(PreDialGateTest, IndianPromotionalCampaignsNeedTheirDltRegistration) {
  campaign_.dlt = {};
  campaign_.caller_id = "+918012345678";
  const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kProviderFacts, "no DLT entity id");
  EXPECT_NE(d.reason.find("caller id series is '', not 140"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("+918012345678 is not a 140-series number"), std::string::npos);
  EXPECT_NE(d.reason.find("no auto-dialer declaration date"), std::string::npos);
  campaign_.dlt.override_reason = "registration filed, approved by legal (ticket 17)";
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
  campaign_.dlt = {"1101234567890", "140", "2026-12-02", ""};
  campaign_.caller_id = "1401234567";
  const GateDecision early = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(early, GateRule::kProviderFacts, "declaration is dated 2026-12-02");
  EXPECT_EQ(early.next_allowed_ms, At("2026-12-02T00:00:00+05:30"));
}

TEST_F(PreDialGateTest, RefusesWithoutProviderCallerIdOrADeclaredClassReason) {
  campaign_.provider = "";
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kProviderFacts, "no telephony");
  campaign_.provider = "exotel";
  campaign_.caller_id = "";
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kProviderFacts, "no caller id");
  campaign_.caller_id = "+911600123456";
  campaign_.call_class = CallClass::kService;
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kProviderFacts,
                 "call_class_reason");
  campaign_.call_class_reason = "policy renewal reminders";
  campaign_.ncpr_category = 1;
  campaign_.dlt.caller_id_series = "140";
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kProviderFacts,
                 "must call from the 1600 series");
  campaign_.dlt.caller_id_series = "1600";
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
}

// ------------------------------------------------------------------ campaign, lead, number

TEST_F(PreDialGateTest, OnlyARunningCampaignWithinItsDatesCalls) {
  campaign_.state = CampaignState::kPaused;
  const GateDecision paused = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(paused, GateRule::kCampaignState, "the campaign is paused, not running");
  EXPECT_FALSE(paused.permanent);
  campaign_.state = CampaignState::kCompleted;
  EXPECT_TRUE(Decide("2026-11-30T11:00:00+05:30").permanent);
  campaign_.state = CampaignState::kRunning;
  campaign_.start_date = "2026-12-01";
  campaign_.end_date = "2026-12-03";
  const GateDecision before = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(before, GateRule::kCampaignState, "starts on 2026-12-01");
  EXPECT_EQ(before.next_allowed_ms, At("2026-12-01T10:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-12-03T20:59:59+05:30"));
  const GateDecision late = Decide("2026-12-03T21:00:00+05:30");
  EXPECT_REFUSED(late, GateRule::kCallingWindow, "21:00");
  EXPECT_FALSE(late.next_allowed_ms);  // the campaign's last day is over
  const GateDecision after = Decide("2026-12-04T11:00:00+05:30");
  EXPECT_REFUSED(after, GateRule::kCampaignState, "ended on 2026-12-03");
  EXPECT_TRUE(after.permanent);
  campaign_.end_date = "3 Dec";
  EXPECT_REFUSED(Decide("2026-12-01T11:00:00+05:30"), GateRule::kCampaignState,
                 "'3 Dec' is not a date");
}

TEST_F(PreDialGateTest, TheCampaignsDatesAreTheCalleesLocalDates) {
  campaign_.start_date = "2026-12-01";
  SetLead("+64211234567", "Pacific/Auckland");
  EXPECT_ALLOWED(Decide("2026-12-01T11:00:00+13:00"));
  // The same instant is still 30 November in Los Angeles.
  SetLead("+14155550123", "America/Los_Angeles");
  const GateDecision d = Decide("2026-12-01T11:00:00+13:00");
  EXPECT_REFUSED(d, GateRule::kCampaignState,
                 "starts on 2026-12-01 and it is 2026-11-30 in America/Los_Angeles");
  EXPECT_EQ(d.next_allowed_ms, At("2026-12-01T10:00:00-08:00"));
  SetLead(kClear, "Asia/Kolkata");
  EXPECT_ALLOWED(Decide("2026-12-01T11:00:00+05:30"));
}

TEST_F(PreDialGateTest, LeadStatesThatEndCallingAreFinal) {
  for (const char* status : {"erased", "do_not_call", "wrong_number", "converted"}) {
    status_text_ = status;
    const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
    EXPECT_REFUSED(d, GateRule::kLeadState, status);
    EXPECT_TRUE(d.permanent) << status;
  }
  status_text_ = "not_interested";
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kLeadState, "not_interested");
  campaign_.attempts.stop_after_refusal = false;
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
  for (const char* status : {"new", "contacted", "interested", "callback"}) {
    status_text_ = status;
    EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
  }
  status_text_ = "mystery";
  const GateDecision unknown = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(unknown, GateRule::kLeadState, "'mystery' is not one the gate knows");
  EXPECT_FALSE(unknown.permanent);
}

TEST_F(PreDialGateTest, NeverCallsServiceLinesOrNumbersOfUnknownType) {
  for (const char* type :
       {"toll_free", "premium_rate", "shared_cost", "uan", "pager", "voicemail"}) {
    type_ = type;
    const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
    EXPECT_REFUSED(d, GateRule::kNumberType, type);
    EXPECT_TRUE(d.permanent) << type;
  }
  for (const char* type : {"unknown", ""}) {
    type_ = type;
    const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
    EXPECT_REFUSED(d, GateRule::kNumberType, "not one known to be callable");
    EXPECT_FALSE(d.permanent);
  }
  type_ = "fixed_line";
  for (const char* number :
       {"+911401234567", "+911600123456", "+911601123456", "+9118001234567", "+9118601234567"}) {
    SetLead(number, "Asia/Kolkata");
    const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
    EXPECT_REFUSED(d, GateRule::kNumberType, "series");
    EXPECT_TRUE(d.permanent) << number;
  }
  SetLead("", "Asia/Kolkata");
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kNumberType, "no phone number");
  SetLead("98123 45679", "Asia/Kolkata");
  EXPECT_REFUSED(Decide("2026-11-30T11:00:00+05:30"), GateRule::kNumberType, "not a phone number");
}

TEST_F(PreDialGateTest, TheDoNotCallListIsFinalAndItsUnknownStateRefuses) {
  GateFacts f = Facts(At("2026-11-30T11:00:00+05:30"));
  f.on_do_not_call = true;
  const GateDecision listed = DecideDial(f);
  EXPECT_REFUSED(listed, GateRule::kDoNotCall, "is on the business's do-not-call list");
  EXPECT_TRUE(listed.permanent);
  f.on_do_not_call = std::nullopt;
  const GateDecision unknown = DecideDial(f);
  EXPECT_REFUSED(unknown, GateRule::kDoNotCall, "could not be read");
  EXPECT_FALSE(unknown.permanent);
}

// ------------------------------------------------------------------ missing facts

TEST_F(PreDialGateTest, MissingFactsFailClosed) {
  const int64_t now = At("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(DecideDial(GateFacts{}), GateRule::kCampaignState, "no campaign");
  SetLead(kClear, "");
  const GateDecision no_zone = Decide(now);
  EXPECT_REFUSED(no_zone, GateRule::kTimeZone, "the lead has no time zone");
  EXPECT_FALSE(no_zone.permanent);
  SetLead(kClear, "Asia/Mumbai");
  EXPECT_REFUSED(Decide(now), GateRule::kTimeZone, "'Asia/Mumbai' is not a time zone ICU knows");
  SetLead(kClear, "Asia/Kolkata");
  GateFacts f = Facts(now);
  f.zones = nullptr;
  const GateDecision no_cache = DecideDial(f);
  EXPECT_REFUSED(no_cache, GateRule::kTimeZone, "no time-zone cache");
  EXPECT_FALSE(no_cache.permanent);
}

// ------------------------------------------------------------------ attempt caps

TEST_F(PreDialGateTest, TheDailyCapCountsTheCalleesLocalDayAcrossCampaigns) {
  attempts_.push_back({99, At("2026-11-30T10:05:00+05:30"), true, false, false});
  const GateDecision d = Decide("2026-11-30T15:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kAttemptCaps,
                 "1 attempt(s) today (2026-11-30 in Asia/Kolkata, all campaigns), and the "
                 "campaign allows 1 a day");
  // Local midnight, then the window: 10:00 the next morning.
  EXPECT_EQ(d.next_allowed_ms, At("2026-12-01T10:00:00+05:30"));
  EXPECT_ALLOWED(Decide("2026-12-01T10:00:00+05:30"));
  // Exactly at the limit of two, and below it.
  campaign_.attempts.max_per_day = 2;
  EXPECT_ALLOWED(Decide("2026-11-30T15:00:00+05:30"));
  attempts_.push_back({7, At("2026-11-30T11:05:00+05:30"), true, false, false});
  EXPECT_REFUSED(Decide("2026-11-30T15:00:00+05:30"), GateRule::kAttemptCaps, "2 attempt(s) today");
}

TEST_F(PreDialGateTest, TheDailyCapFollowsTheCalleesCalendarAcrossDaylightSaving) {
  SetLead("+14155550123", "America/Los_Angeles");
  campaign_.window.start_minute = 0;
  campaign_.window.end_minute = 24 * 60;
  // An attempt at 23:30 on Saturday 31 October (UTC-7) is not Sunday's.
  attempts_.push_back({7, At("2026-10-31T23:30:00-07:00"), true, false, false});
  EXPECT_ALLOWED(Decide("2026-11-01T00:00:00-07:00"));
  const GateDecision d = Decide("2026-10-31T23:59:59-07:00");
  EXPECT_REFUSED(d, GateRule::kAttemptCaps, "1 attempt(s) today");
  // Sunday's midnight is still on daylight time; the clocks fall back at 02:00.
  EXPECT_EQ(d.next_allowed_ms, At("2026-11-01T00:00:00-07:00"));
  // On Sunday (25 hours long), the day's cap holds until Monday's midnight, UTC-8.
  attempts_.push_back({7, At("2026-11-01T01:30:00-08:00"), true, false, false});
  const GateDecision sunday = Decide("2026-11-01T23:00:00-08:00");
  EXPECT_REFUSED(sunday, GateRule::kAttemptCaps, "1 attempt(s) today (2026-11-01");
  EXPECT_EQ(sunday.next_allowed_ms, At("2026-11-02T00:00:00-08:00"));
}

TEST_F(PreDialGateTest, WaitsTwentyFourHoursAfterAnUnansweredAttempt) {
  campaign_.attempts.max_per_day = 5;
  const int64_t placed = At("2026-11-29T12:00:00+05:30");
  attempts_.push_back({7, placed, false, false, false});
  const GateDecision d = Decide(placed + 24 * kHour - 1000);
  EXPECT_REFUSED(d, GateRule::kAttemptCaps, "waits 86400 s after an unanswered attempt");
  EXPECT_EQ(d.next_allowed_ms, placed + 24 * kHour);
  EXPECT_ALLOWED(Decide(placed + 24 * kHour));
  // When the gap ends outside the window, the next opening is the window's.
  campaign_.attempts.min_gap_after_unanswered_ms = 25 * kHour;
  attempts_[0].placed_at_ms = At("2026-11-29T20:30:00+05:30");
  const GateDecision evening = Decide("2026-11-30T20:00:00+05:30");
  EXPECT_EQ(evening.next_allowed_ms, At("2026-12-01T10:00:00+05:30"));
  // An answered attempt imposes no gap.
  attempts_[0].answered = true;
  EXPECT_ALLOWED(Decide("2026-11-30T20:00:00+05:30"));
}

TEST_F(PreDialGateTest, StopsAtTheCampaignsCapAndAfterARefusal) {
  campaign_.attempts.max_per_day = 5;
  for (int day = 24; day < 27; ++day) {
    attempts_.push_back(
        {7, At("2026-11-" + std::to_string(day) + "T11:00:00+05:30"), true, false, false});
  }
  const GateDecision used_up = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(used_up, GateRule::kAttemptCaps,
                 "3 attempts of this campaign were made, and it allows 3");
  EXPECT_TRUE(used_up.permanent);
  // Another campaign's attempts count per day, not towards this campaign's three.
  for (auto& a : attempts_) a.campaign_id = 8;
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
  attempts_[1].refused = true;
  const GateDecision refused = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(refused, GateRule::kAttemptCaps, "refused an earlier call");
  EXPECT_TRUE(refused.permanent);
  campaign_.attempts.stop_after_refusal = false;
  EXPECT_ALLOWED(Decide("2026-11-30T11:00:00+05:30"));
}

TEST_F(PreDialGateTest, RefusesANumberThatIsInACallNow) {
  campaign_.attempts.max_per_day = 2;
  attempts_.push_back({9, At("2026-11-30T10:59:00+05:30"), false, false, true});
  const GateDecision d = Decide("2026-11-30T11:00:00+05:30");
  EXPECT_REFUSED(d, GateRule::kAlreadyInCall, "is in a call placed at 2026-11-30T05:29:00.000Z");
  EXPECT_FALSE(d.next_allowed_ms);
  EXPECT_FALSE(d.permanent);
}

TEST_F(PreDialGateTest, DescribesItsDecisionAsJson) {
  const nlohmann::json refused = Decide("2026-11-30T21:00:00+05:30").ToJson();
  EXPECT_EQ(refused["allowed"], false);
  EXPECT_EQ(refused["rule"], "calling_window");
  EXPECT_EQ(refused["next_allowed_at"], "2026-12-01T04:30:00.000Z");
  EXPECT_EQ(refused["permanent"], false);
  const nlohmann::json allowed = Decide("2026-11-30T11:00:00+05:30").ToJson();
  EXPECT_EQ(allowed["allowed"], true);
  EXPECT_EQ(allowed["rule"], "allowed");
  EXPECT_TRUE(allowed["next_allowed_at"].is_null());
  EXPECT_EQ(GateRuleName(GateRule::kDndBandsAndDays), "dnd_bands_and_days");
}

}  // namespace
}  // namespace vaarta::campaigns
