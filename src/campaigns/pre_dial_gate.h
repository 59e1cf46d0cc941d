#pragma once
// PreDialGate: the one function that decides whether one lead may be dialled by one
// campaign at one instant, and if not, why (a rule and a sentence a manager can read)
// and from when it next may be (or never). Every dial goes through it; so does every
// callback and every "when can we call this person?" question of the scheduler.
//
// It fails closed: any fact it needs and does not have (no time zone, registry not
// loaded or stale, do-not-call state not known, ...) means no call, with the missing
// fact as the reason.
//
// The gate does no I/O: the caller gathers the facts (GateFacts) and the gate only
// reads them, so that it is exhaustively testable and fast (bench/gate_bench.cc: over a
// million decisions a second on one core; an allowed decision allocates nothing).
//
// How the call classes of compliance-india.md section 1 are treated:
//  - promotional: every rule.
//  - service: the DND registry (category, mode, bands and days) applies unless the
//    callee's consent for the campaign's purpose is active (GateConsent::kActive). The
//    campaign's calling window, days and holidays still apply: the law sets no window
//    for service calls, but the window is the manager's policy (10:00-21:00 unless
//    widened) and the gate cannot tell a chosen window from the default, so the stricter
//    reading wins. A manager who wants 08:00-22:00 for delivery notices sets it.
//  - transactional (a reply within 30 minutes to something the customer started): no
//    DND registry, no calling window, days or holidays. Everything else applies.
//  Service and transactional campaigns must carry call_class_reason; a BFSI (NCPR
//  category 1) service or transactional campaign to Indian numbers must use the 1600
//  caller id series (section 4), unless dlt.override_reason is set.
//
// Whose calendar: the campaign's window, days, start/end dates and the daily cap use the
// callee's wall clock in the lead's IANA zone, daylight saving included. The national
// holidays are those of the callee's country: India's for a +91 number, otherwise the
// country ICU names for the lead's zone. A DND customer's bands and days are in IST, as
// the registry defines them; on a public holiday the customer must accept both holidays
// and that weekday (the stricter reading).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "campaigns/campaign.h"
#include "campaigns/holiday_calendar.h"
#include "campaigns/zone_offset_cache.h"
#include "compliance/consent_ledger.h"
#include "compliance/dnd_registry.h"

namespace vaarta::campaigns {

// The rules, in the order the gate applies them. The first that refuses is reported.
enum class GateRule {
  kAllowed,          // no rule refused
  kCampaignState,    // the campaign is not running, or outside its start/end dates
  kProviderFacts,    // no provider or caller id; Indian promotional on Twilio; DLT facts
  kLeadState,        // erased, opted out, wrong number, converted, not interested...
  kNumberType,       // no number, or a service/toll-free/premium line, or not a phone
  kDoNotCall,        // on the business's do-not-call list (or the list's state unknown)
  kConsent,          // consent needed and not active, or withdrawn for this purpose
  kDndRegistry,      // listed for this category and mode, or the registry is not usable
  kTimeZone,         // the callee's time zone is unknown
  kCallingWindow,    // outside the campaign's hours or days in the callee's local time
  kHoliday,          // a national holiday in the callee's country
  kDndBandsAndDays,  // outside the bands and days the customer registered
  kAttemptCaps,      // per day, per campaign, gap after unanswered, after a refusal
  kAlreadyInCall,    // the number is in a call right now (any campaign)
};
std::string_view GateRuleName(GateRule rule);  // "calling_window", ...

// One earlier attempt on the same number, by any campaign of the business. Attempts in
// progress count towards the caps too: they were placed.
struct PriorAttempt {
  int64_t campaign_id = 0;
  int64_t placed_at_ms = 0;
  bool answered = false;  // a person (not a machine) answered
  bool refused = false;   // the callee declined or opted out
  bool in_progress = false;
};

// The consent of the callee for the campaign's purpose, as the caller reads the ledger:
//  - kWithdrawn whenever the ledger shows a withdrawal for the purpose, whatever the
//    class: the gate then refuses for good (DPDP: withdrawing must stop the processing).
//  - kActive whenever the ledger shows active consent. For a service campaign this also
//    lifts the DND registry (section 1: DND applies to service calls only without
//    consent). For a promotional campaign it lifts nothing: under the strict default a
//    DND listing is not overridden by consent.
//  - kNotNeeded when the ledger has no record (or an expired one) and the campaign does
//    not call on the strength of consent: promotional and service campaigns to
//    prospects, where the DND registry and the do-not-call list govern.
//  - kNone / kExpired only for a campaign that calls nobody without consent (a business
//    policy, e.g. leads from an opt-in form): the gate refuses until consent is given.
//  - kUnknown when the ledger could not be read: refused, since a withdrawal might hide
//    behind it.
enum class GateConsent { kNotNeeded, kActive, kNone, kExpired, kWithdrawn, kUnknown };

// The ledger's answer as the gate reads it for a campaign that does not call on the
// strength of consent (every campaign today): no record or an expired one is
// kNotNeeded, a withdrawal kWithdrawn, active consent kActive.
GateConsent GateConsentFromLedger(compliance::ConsentStatus status);

struct GateLead {
  int64_t id = 0;
  std::string_view phone_e164;  // empty once erased
  std::string_view status;      // leads::kLeadStatuses
  std::string_view phone_type;  // "mobile", "fixed_line", "toll_free", ...
  std::string_view time_zone;   // IANA; empty: unknown
};

struct GateFacts {
  const Campaign* campaign = nullptr;
  GateLead lead;
  // nullopt: the do-not-call state could not be read (fails closed).
  std::optional<bool> on_do_not_call;
  GateConsent consent = GateConsent::kUnknown;
  const compliance::DndSnapshot* dnd = nullptr;  // null: no registry loaded
  // Null: not known (fails closed). Usable only when `usable` is set and the registry
  // is from today (IST) or today's override, judged at now_ms, so a status read
  // yesterday cannot carry a registry across midnight.
  const compliance::DndStatus* dnd_status = nullptr;
  std::span<const PriorAttempt> attempts;  // this number, all campaigns, any order
  // The national holidays. Null fails closed wherever holidays matter (a window that
  // skips holidays, a DND customer who does not accept calls on holidays).
  const HolidayCalendar* holidays = nullptr;
  // Resolves the callee's time zone without asking ICU per decision. Null: refused.
  const ZoneOffsetCache* zones = nullptr;
  int64_t now_ms = 0;
};

struct GateDecision {
  bool allowed = false;
  GateRule rule = GateRule::kAllowed;
  std::string reason;  // for a manager; empty when allowed
  // When the first refusing rule stops refusing (the others may still refuse then;
  // the scheduler asks again at that instant). nullopt: no instant can be named.
  // For the start date, hours, days, holidays, DND bands and caps it is the first instant
  // at or after the rule's release at which the campaign's window (hours, days, holidays)
  // and a partially listed DND customer's bands and days are also open, so the scheduler
  // does not ask in vain at local midnight.
  std::optional<int64_t> next_allowed_ms;
  // Set with a nullopt next_allowed_ms when no time and no fact the business can load
  // will lift the refusal for this campaign (erased, opted out, do-not-call, DND-listed
  // for its category, attempts used up, campaign ended): the scheduler may drop the lead.
  // Unset with nullopt: ask again when the facts change (registry loaded, consent
  // given, call ended, campaign resumed, configuration fixed).
  bool permanent = false;
  nlohmann::json ToJson() const;
};

GateDecision DecideDial(const GateFacts& facts);

}  // namespace vaarta::campaigns
