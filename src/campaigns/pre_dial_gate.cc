#include "campaigns/pre_dial_gate.h"

#include <algorithm>
#include <array>

#include "campaigns/calling_window_opening.h"
#include "campaigns/civil_date.h"
#include "core/clock.h"

namespace vaarta::campaigns {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kMinuteMs = 60'000;
// How far ahead a "next allowed" instant is looked for: a window open on one weekday
// only, with holidays on several of them, is still found.
constexpr int64_t kSearchDays = 800;
// Rounds of "the window opens, then the DND bands open, then the window..." before
// concluding that the two never meet.
constexpr int kJointRounds = 64;

constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }
int WeekdayOf(int64_t days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

// Joins the parts of a refusal's reason with one allocation.
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ...));
  (out.append(std::string_view(parts)), ...);
  return out;
}

void AppendTwoDigits(std::string& out, int64_t value) {
  out.push_back(static_cast<char>('0' + value / 10 % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// "21:00" or "20:59:59" for a time of day in milliseconds.
std::string ClockText(int64_t ms_of_day) {
  const int64_t seconds = ms_of_day / 1000;
  std::string out;
  out.reserve(8);
  AppendTwoDigits(out, seconds / 3600);
  out.push_back(':');
  AppendTwoDigits(out, seconds / 60 % 60);
  if (seconds % 60 != 0) {
    out.push_back(':');
    AppendTwoDigits(out, seconds % 60);
  }
  return out;
}

// "Monday-Friday", "Monday, Wednesday, Saturday", "every day", "no day".
std::string DaysText(uint32_t mask) {
  mask &= 0x7f;
  if (mask == 0x7f) return "every day";
  if (mask == 0) return "no day";
  int first = 0;
  while (!(mask >> first & 1)) ++first;
  int last = first;
  while (last + 1 < 7 && (mask >> (last + 1) & 1)) ++last;
  if (last > first + 1 && (mask >> (last + 1)) == 0) {
    return std::string(kWeekdayNames[first]) + "-" + std::string(kWeekdayNames[last]);
  }
  std::string out;
  for (int d = 0; d < 7; ++d) {
    if (!(mask >> d & 1)) continue;
    if (!out.empty()) out += ", ";
    out += kWeekdayNames[d];
  }
  return out;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

bool IsE164(std::string_view number) {
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  for (size_t i = 1; i < number.size(); ++i) {
    if (number[i] < '0' || number[i] > '9') return false;
  }
  return true;
}

// The national part of a "+91" number, or nothing.
std::string_view IndianNational(std::string_view e164) {
  return e164.starts_with("+91") ? e164.substr(3) : std::string_view();
}

// The 140-series form of a caller id written as E.164 or nationally.
bool Is140Series(std::string_view caller_id) {
  if (caller_id.starts_with("+91")) caller_id.remove_prefix(3);
  if (caller_id.starts_with("0")) caller_id.remove_prefix(1);
  return caller_id.starts_with("140");
}

// The lead statuses the gate knows, and whether each ends calling.
enum class StatusVerdict { kCallable, kNever, kNeverAfterRefusal, kUnknown };
StatusVerdict JudgeStatus(std::string_view status) {
  if (status == "new" || status == "contacted" || status == "interested" || status == "callback") {
    return StatusVerdict::kCallable;
  }
  if (status == "not_interested") return StatusVerdict::kNeverAfterRefusal;
  if (status == "erased" || status == "do_not_call" || status == "wrong_number" ||
      status == "converted") {
    return StatusVerdict::kNever;
  }
  return StatusVerdict::kUnknown;
}

// Phone types the normaliser writes for callable numbers (leads/phone/), and the ones
// that are never called whatever wrote them. Anything else is not known: refused.
enum class TypeVerdict { kCallable, kNever, kUnknown };
TypeVerdict JudgeType(std::string_view type) {
  if (type == "mobile" || type == "fixed_line" || type == "fixed_line_or_mobile" ||
      type == "voip" || type == "personal_number") {
    return TypeVerdict::kCallable;
  }
  if (type == "toll_free" || type == "premium_rate" || type == "shared_cost" || type == "uan" ||
      type == "pager" || type == "voicemail") {
    return TypeVerdict::kNever;
  }
  return TypeVerdict::kUnknown;
}

// Holds one decision's facts and what the gate has worked out from them, so that each
// rule reads them without recomputing; a refusal fills `out_`.
class Evaluation {
 public:
  explicit Evaluation(const GateFacts& facts)
      : f_(facts), c_(*facts.campaign), national_(IndianNational(facts.lead.phone_e164)) {
    indian_ = facts.lead.phone_e164.starts_with("+91");
    uses_window_ = c_.call_class != CallClass::kTransactional;
    if (facts.zones && !facts.lead.time_zone.empty()) {
      zone_ = facts.zones->Find(facts.lead.time_zone);
      if (zone_ && zone_->Covers(facts.now_ms)) {
        const int64_t local_ms = facts.now_ms + zone_->OffsetAt(facts.now_ms);
        local_days_ = FloorDiv(local_ms, kDayMs);
        ms_of_day_ = local_ms - local_days_ * kDayMs;
        has_local_ = true;
      }
    }
    if (indian_) {
      country_ = "IN";
    } else if (zone_) {
      country_ = zone_->country();
    }
  }

  GateDecision Decide() {
    if (CampaignState() || ProviderFacts() || LeadState() || NumberType() || DoNotCall() ||
        Consent() || DndRegistry() || TimeZone() || CallingWindow() || Holiday() ||
        DndBandsAndDays() || AttemptCaps() || AlreadyInCall()) {
      return std::move(out_);
    }
    out_.allowed = true;
    out_.rule = GateRule::kAllowed;
    return std::move(out_);
  }

 private:
  bool Refuse(GateRule rule, std::string reason, std::optional<int64_t> next = std::nullopt,
              bool permanent = false) {
    out_.allowed = false;
    out_.rule = rule;
    out_.reason = std::move(reason);
    out_.next_allowed_ms = next;
    out_.permanent = permanent && !next;
    return true;
  }

  // ---------------------------------------------------------------- rules
  bool CampaignState() {
    if (c_.state != campaigns::CampaignState::kRunning) {
      const bool over = c_.state == campaigns::CampaignState::kCompleted ||
                        c_.state == campaigns::CampaignState::kArchived;
      return Refuse(GateRule::kCampaignState,
                    "Campaign state: the campaign is " + std::string(CampaignStateName(c_.state)) +
                        ", not running",
                    std::nullopt, over);
    }
    if (!c_.start_date.empty()) {
      start_days_ = ParseCivilDate(c_.start_date);
      if (!start_days_) {
        return Refuse(GateRule::kCampaignState, "Campaign state: the start date '" + c_.start_date +
                                                    "' is not a date written YYYY-MM-DD");
      }
    }
    if (!c_.end_date.empty()) {
      end_days_ = ParseCivilDate(c_.end_date);
      if (!end_days_) {
        return Refuse(GateRule::kCampaignState, "Campaign state: the end date '" + c_.end_date +
                                                    "' is not a date written YYYY-MM-DD");
      }
    }
    // The dates are the callee's local dates; without a zone the time-zone rule refuses.
    if (!has_local_) return false;
    if (start_days_ && local_days_ < *start_days_) {
      return Refuse(GateRule::kCampaignState,
                    "Campaign state: the campaign starts on " + c_.start_date + " and it is " +
                        FormatCivilDate(local_days_) + " in " + std::string(f_.lead.time_zone),
                    NextOpening(zone_->FirstInstantAtOrAfterLocal(*start_days_ * kDayMs)));
    }
    if (end_days_ && local_days_ > *end_days_) {
      return Refuse(GateRule::kCampaignState,
                    "Campaign state: the campaign ended on " + c_.end_date + " and it is " +
                        FormatCivilDate(local_days_) + " in " + std::string(f_.lead.time_zone),
                    std::nullopt, true);
    }
    return false;
  }

  bool ProviderFacts() {
    constexpr GateRule kRule = GateRule::kProviderFacts;
    if (c_.provider.empty()) {
      return Refuse(kRule, "Provider facts: the campaign has no telephony provider");
    }
    if (c_.caller_id.empty()) {
      return Refuse(kRule, "Provider facts: the campaign has no caller id");
    }
    if (c_.call_class != CallClass::kPromotional && c_.call_class_reason.empty()) {
      return Refuse(kRule, "Provider facts: a " + std::string(CallClassName(c_.call_class)) +
                               " campaign must record why it is " +
                               std::string(CallClassName(c_.call_class)) +
                               " (call_class_reason); without it the campaign is promotional");
    }
    if (!indian_) return false;
    const DltRegistration& dlt = c_.dlt;
    if (c_.call_class == CallClass::kPromotional) {
      if (EqualsIgnoringCase(c_.provider, "twilio")) {
        return Refuse(kRule,
                      "Provider facts: Twilio cannot place domestic Indian calls, so this "
                      "promotional campaign cannot call the Indian number " +
                          std::string(f_.lead.phone_e164) +
                          " through it; use an Indian provider (Exotel, Plivo, ...)");
      }
      if (!dlt.override_reason.empty()) return false;
      std::string missing;
      auto add = [&missing](std::string what) {
        missing += (missing.empty() ? "" : "; ") + std::move(what);
      };
      if (dlt.entity_id.empty()) add("no DLT entity id");
      if (dlt.caller_id_series != "140") {
        add("caller id series is '" + dlt.caller_id_series + "', not 140");
      }
      if (!Is140Series(c_.caller_id)) {
        add("the caller id " + c_.caller_id + " is not a 140-series number");
      }
      const auto declared = ParseCivilDate(dlt.declaration_date);
      if (!declared) {
        add(dlt.declaration_date.empty()
                ? std::string("no auto-dialer declaration date")
                : "the declaration date '" + dlt.declaration_date + "' is not a date");
      }
      if (!missing.empty()) {
        return Refuse(kRule,
                      "Provider facts: an Indian promotional campaign needs its DLT "
                      "registration (" +
                          missing + "), or an admin's override with a reason");
      }
      const int64_t today_ist = FloorDiv(f_.now_ms + core::kIstOffsetMillis, kDayMs);
      if (*declared > today_ist) {
        return Refuse(kRule,
                      "Provider facts: the auto-dialer declaration is dated " +
                          dlt.declaration_date + ", after today (" + FormatCivilDate(today_ist) +
                          " IST); calls may start once it is made",
                      *declared * kDayMs - core::kIstOffsetMillis);
      }
      return false;
    }
    // Banks, insurers and financial firms call service and transactional calls from the
    // 1600 series (section 4).
    if (c_.ncpr_category == 1 && dlt.override_reason.empty() && dlt.caller_id_series != "1600") {
      return Refuse(kRule, "Provider facts: an Indian " +
                               std::string(CallClassName(c_.call_class)) +
                               " campaign of a bank, insurer or financial firm (category 1) "
                               "must call from the 1600 series; the caller id series is '" +
                               dlt.caller_id_series + "'");
    }
    return false;
  }

  bool LeadState() {
    const std::string_view status = f_.lead.status;
    switch (JudgeStatus(status)) {
      case StatusVerdict::kCallable:
        return false;
      case StatusVerdict::kNeverAfterRefusal:
        if (!c_.attempts.stop_after_refusal) return false;
        return Refuse(GateRule::kLeadState,
                      "Lead state: the lead is not_interested, and the campaign makes no "
                      "attempt after a refusal",
                      std::nullopt, true);
      case StatusVerdict::kNever:
        return Refuse(GateRule::kLeadState,
                      Cat("Lead state: the lead is ", status, "; it is never called"), std::nullopt,
                      true);
      case StatusVerdict::kUnknown:
        break;
    }
    return Refuse(GateRule::kLeadState, "Lead state: the lead's status '" + std::string(status) +
                                            "' is not one the gate knows");
  }

  bool NumberType() {
    constexpr GateRule kRule = GateRule::kNumberType;
    const std::string_view number = f_.lead.phone_e164;
    if (number.empty()) {
      return Refuse(kRule, "Number type: the lead has no phone number", std::nullopt, true);
    }
    if (!IsE164(number)) {
      return Refuse(kRule,
                    "Number type: '" + std::string(number) + "' is not a phone number in E.164",
                    std::nullopt, true);
    }
    // Indian mobiles start with 6-9; every series never called starts with 1.
    if (indian_ && national_.starts_with('1')) {
      for (std::string_view series : {"140", "1600", "1601", "1800", "1860"}) {
        if (national_.starts_with(series)) {
          return Refuse(kRule,
                        "Number type: " + std::string(number) + " is in India's " +
                            std::string(series) +
                            " series (telemarketing, service, toll-free or shared-cost lines), "
                            "which is never called",
                        std::nullopt, true);
        }
      }
    }
    switch (JudgeType(f_.lead.phone_type)) {
      case TypeVerdict::kCallable:
        return false;
      case TypeVerdict::kNever:
        return Refuse(kRule,
                      "Number type: " + std::string(number) + " is a " +
                          std::string(f_.lead.phone_type) + " number, which is never called",
                      std::nullopt, true);
      case TypeVerdict::kUnknown:
        break;
    }
    return Refuse(kRule, "Number type: the type of " + std::string(number) + " is '" +
                             std::string(f_.lead.phone_type) +
                             "', not one known to be callable; re-check the number");
  }

  bool DoNotCall() {
    if (!f_.on_do_not_call) {
      return Refuse(GateRule::kDoNotCall,
                    "Do-not-call: whether " + std::string(f_.lead.phone_e164) +
                        " is on the business's do-not-call list could not be read");
    }
    if (*f_.on_do_not_call) {
      return Refuse(GateRule::kDoNotCall,
                    "Do-not-call: " + std::string(f_.lead.phone_e164) +
                        " is on the business's do-not-call list",
                    std::nullopt, true);
    }
    return false;
  }

  bool Consent() {
    constexpr GateRule kRule = GateRule::kConsent;
    switch (f_.consent) {
      case GateConsent::kNotNeeded:
      case GateConsent::kActive:
        return false;
      case GateConsent::kNone:
        return Refuse(kRule, "Consent: the campaign calls only with consent, and " +
                                 std::string(f_.lead.phone_e164) + " has given none");
      case GateConsent::kExpired:
        return Refuse(kRule, "Consent: the consent of " + std::string(f_.lead.phone_e164) +
                                 " for this purpose has expired");
      case GateConsent::kWithdrawn:
        return Refuse(
            kRule,
            "Consent: " + std::string(f_.lead.phone_e164) + " withdrew consent for this purpose",
            std::nullopt, true);
      case GateConsent::kUnknown:
        break;
    }
    return Refuse(kRule, "Consent: the consent ledger for " + std::string(f_.lead.phone_e164) +
                             " could not be read");
  }

  bool DndRegistry() {
    constexpr GateRule kRule = GateRule::kDndRegistry;
    if (!indian_ || c_.call_class == CallClass::kTransactional) return false;
    if (c_.call_class == CallClass::kService && f_.consent == GateConsent::kActive) return false;
    if (!f_.dnd) {
      return Refuse(kRule,
                    "DND registry: no registry is loaded, so no Indian number may be called");
    }
    if (!f_.dnd_status) {
      return Refuse(kRule, "DND registry: the registry's status is not known");
    }
    const compliance::DndStatus& status = *f_.dnd_status;
    const int64_t today_ist = FloorDiv(f_.now_ms + core::kIstOffsetMillis, kDayMs);
    const auto registry_days = ParseCivilDate(f_.dnd->info().registry_date);
    const bool fresh = registry_days && *registry_days == today_ist;
    const bool overridden =
        !fresh && status.overridden && ParseCivilDate(status.today_ist) == std::optional(today_ist);
    if (!status.usable || !(fresh || overridden)) {
      return Refuse(kRule, "DND registry: the registry of " + f_.dnd->info().registry_date +
                               " is not usable on " + FormatCivilDate(today_ist) +
                               " (IST): a registry is trusted only on the day it was produced; "
                               "load today's registry, or an admin may override for today");
    }
    uint64_t national = 0;
    if (national_.size() != 10) {
      return Refuse(kRule, "DND registry: " + std::string(f_.lead.phone_e164) +
                               " is not a 10-digit Indian number the registry can judge");
    }
    for (char digit : national_) national = national * 10 + static_cast<uint64_t>(digit - '0');
    const std::optional<compliance::DndPreference> listed = f_.dnd->Lookup(national);
    if (!listed) return false;  // the common case: not listed, no text made
    // Listed, but maybe not for this category: the AI agent counts as every automated
    // mode, so any blocked mode with the category (or category 0, or no category chosen)
    // blocks (DndRegistry::Check's rule). Only a refusal asks Check for its words.
    const bool category_blocked = c_.ncpr_category == 0 || listed->BlocksCategory(c_.ncpr_category);
    if (listed->FullyBlocked() || (category_blocked && listed->modes() != 0)) {
      constexpr std::string_view kServiceNote =
          "; a service call may reach a DND-listed number only with the customer's active "
          "consent, and none is recorded";
      const std::string_view note =
          c_.call_class == CallClass::kService ? kServiceNote : std::string_view();
      std::string reason;
      if (listed->FullyBlocked()) {
        reason =
            Cat("DND registry: ", f_.lead.phone_e164, " is fully blocked on the DND registry of ",
                f_.dnd->info().registry_date, ": no commercial calls of any category", note);
      } else {
        const compliance::DndVerdict verdict = compliance::DndRegistry::Check(
            f_.dnd, std::string(f_.lead.phone_e164), c_.ncpr_category,
            compliance::DndCallMode::kAiAgent, std::nullopt);
        reason = Cat("DND registry: ", f_.lead.phone_e164, " is listed: ", verdict.reason, note);
      }
      return Refuse(kRule, std::move(reason), std::nullopt, true);
    }
    preference_ = listed;
    return false;
  }

  bool TimeZone() {
    constexpr GateRule kRule = GateRule::kTimeZone;
    if (has_local_) return false;
    if (f_.lead.time_zone.empty()) {
      return Refuse(kRule,
                    "Time zone: the lead has no time zone, so its local time is unknown; set it");
    }
    if (!f_.zones) {
      return Refuse(kRule, "Time zone: the gate was given no time-zone cache");
    }
    if (!zone_) {
      return Refuse(kRule, "Time zone: '" + std::string(f_.lead.time_zone) +
                               "' is not a time zone ICU knows");
    }
    return Refuse(kRule, "Time zone: " + core::FormatIso8601Utc(f_.now_ms) +
                             " is outside the years the gate resolves (1970-2199)");
  }

  bool CallingWindow() {
    constexpr GateRule kRule = GateRule::kCallingWindow;
    if (!uses_window_) return false;
    const campaigns::CallingWindow& w = c_.window;
    if (!WindowIsValid(w)) {
      return Refuse(kRule, "Calling window: the campaign's window " +
                               ClockText(w.start_minute * kMinuteMs) + "-" +
                               ClockText(w.end_minute * kMinuteMs) + " on " + DaysText(w.days) +
                               " is not a valid window");
    }
    const int weekday = WeekdayOf(local_days_);
    const bool day_ok = w.days >> weekday & 1;
    if (day_ok && ms_of_day_ >= w.start_minute * kMinuteMs &&
        ms_of_day_ < w.end_minute * kMinuteMs) {
      return false;
    }
    return Refuse(
        kRule,
        Cat("Calling window: it is ", ClockText(ms_of_day_), " on ", kWeekdayNames[weekday], " ",
            FormatCivilDate(local_days_), " in ", f_.lead.time_zone, ", and the campaign calls ",
            ClockText(w.start_minute * kMinuteMs), "-", ClockText(w.end_minute * kMinuteMs), " on ",
            DaysText(w.days), " (the callee's local time)"),
        NextOpening(f_.now_ms));
  }

  bool Holiday() {
    constexpr GateRule kRule = GateRule::kHoliday;
    if (!uses_window_ || !c_.window.skip_holidays) return false;
    if (!f_.holidays) {
      return Refuse(kRule,
                    "Holiday: no holiday calendar was given, so national holidays cannot be "
                    "checked");
    }
    if (country_.empty()) {
      return Refuse(kRule, "Holiday: the country of " + std::string(f_.lead.phone_e164) +
                               " (time zone " + std::string(f_.lead.time_zone) +
                               ") is not known, so its national holidays cannot be checked");
    }
    if (!f_.holidays->IsHoliday(country_, local_days_)) return false;
    return Refuse(kRule,
                  Cat("Holiday: ", FormatCivilDate(local_days_), " is ", HolidayText(local_days_),
                      " in ", country_, " (the callee's date in ", f_.lead.time_zone,
                      "), and the campaign does not call on national holidays"),
                  NextOpening(f_.now_ms));
  }

  bool DndBandsAndDays() {
    constexpr GateRule kRule = GateRule::kDndBandsAndDays;
    if (!preference_) return false;
    const compliance::DndPreference& pref = *preference_;
    const core::LocalTime ist = core::ToLocalTime(f_.now_ms, core::kIstOffsetMillis);
    const int band = compliance::DndBandOfHour(ist.hour);
    const int64_t ist_ms_of_day = f_.now_ms + core::kIstOffsetMillis - ist.days * kDayMs;
    if (!pref.AllowsBand(band)) {
      std::string bands;
      for (int b = 0; b < compliance::kDndBandCount; ++b) {
        if (pref.AllowsBand(b)) bands += (bands.empty() ? "" : ", ") + compliance::DndBandName(b);
      }
      return Refuse(kRule,
                    Cat("DND bands and days: the customer accepts calls only in the bands ",
                        bands.empty() ? std::string("(none)") : bands, " (IST), and it is ",
                        ClockText(ist_ms_of_day), " IST"),
                    NextOpening(f_.now_ms));
    }
    if (!pref.AllowsDay(ist.weekday)) {
      return Refuse(kRule,
                    Cat("DND bands and days: the customer does not accept calls on ",
                        kWeekdayNames[ist.weekday], "s (IST)"),
                    NextOpening(f_.now_ms));
    }
    if (!pref.AllowsDay(7)) {
      if (!f_.holidays) {
        return Refuse(kRule,
                      "DND bands and days: the customer does not accept calls on public "
                      "holidays, and no holiday calendar was given");
      }
      if (f_.holidays->IsHoliday("IN", ist.days)) {
        return Refuse(kRule,
                      "DND bands and days: the customer does not accept calls on public "
                      "holidays, and " +
                          FormatCivilDate(ist.days) + " (IST) is " + HolidayTextIn("IN", ist.days),
                      NextOpening(f_.now_ms));
      }
    }
    return false;
  }

  bool AttemptCaps() {
    constexpr GateRule kRule = GateRule::kAttemptCaps;
    const AttemptPolicy& policy = c_.attempts;
    if (policy.max_per_day < 1 || policy.max_per_campaign < 1 ||
        policy.min_gap_after_unanswered_ms < 0) {
      return Refuse(kRule, "Attempt caps: the campaign's attempt policy is not valid (" +
                               std::to_string(policy.max_per_day) + " a day, " +
                               std::to_string(policy.max_per_campaign) + " per campaign, gap " +
                               std::to_string(policy.min_gap_after_unanswered_ms) + " ms)");
    }
    int today = 0, this_campaign = 0;
    bool refused = false;
    std::optional<int64_t> last_unanswered;
    for (const PriorAttempt& a : f_.attempts) {
      refused = refused || a.refused;
      if (a.campaign_id == c_.id) ++this_campaign;
      const int64_t local = a.placed_at_ms + zone_->OffsetAt(a.placed_at_ms);
      if (FloorDiv(local, kDayMs) == local_days_) ++today;
      // An attempt in progress has no outcome yet: the in-call rule holds it.
      if (!a.answered && !a.in_progress &&
          (!last_unanswered || a.placed_at_ms > *last_unanswered)) {
        last_unanswered = a.placed_at_ms;
      }
    }
    if (refused && policy.stop_after_refusal) {
      return Refuse(kRule,
                    Cat("Attempt caps: ", f_.lead.phone_e164,
                        " refused an earlier call, and the campaign makes no attempt after a "
                        "refusal"),
                    std::nullopt, true);
    }
    if (this_campaign >= policy.max_per_campaign) {
      return Refuse(kRule,
                    "Attempt caps: " + std::to_string(this_campaign) +
                        " attempts of this campaign were made, and it allows " +
                        std::to_string(policy.max_per_campaign),
                    std::nullopt, true);
    }
    std::string reason;
    int64_t release = f_.now_ms;
    if (today >= policy.max_per_day) {
      reason = Cat("Attempt caps: ", std::to_string(today), " attempt(s) today (",
                   FormatCivilDate(local_days_), " in ", f_.lead.time_zone,
                   ", all campaigns), and the campaign allows ", std::to_string(policy.max_per_day),
                   " a day");
      release = zone_->FirstInstantAtOrAfterLocal((local_days_ + 1) * kDayMs);
    }
    if (last_unanswered && f_.now_ms - *last_unanswered < policy.min_gap_after_unanswered_ms) {
      const int64_t gap_end = *last_unanswered + policy.min_gap_after_unanswered_ms;
      if (reason.empty()) {
        reason = Cat("Attempt caps: the last unanswered attempt was at ",
                     core::FormatIso8601Utc(*last_unanswered), ", and the campaign waits ",
                     std::to_string(policy.min_gap_after_unanswered_ms / 1000),
                     " s after an unanswered attempt");
      }
      release = std::max(release, gap_end);
    }
    if (reason.empty()) return false;
    return Refuse(kRule, std::move(reason), NextOpening(release));
  }

  bool AlreadyInCall() {
    for (const PriorAttempt& a : f_.attempts) {
      if (!a.in_progress) continue;
      return Refuse(GateRule::kAlreadyInCall,
                    "Already in call: " + std::string(f_.lead.phone_e164) +
                        " is in a call placed at " + core::FormatIso8601Utc(a.placed_at_ms) +
                        " by campaign " + std::to_string(a.campaign_id));
    }
    return false;
  }

  // ---------------------------------------------------------------- next allowed
  std::string HolidayText(int64_t days) const { return HolidayTextIn(country_, days); }
  std::string HolidayTextIn(std::string_view country, int64_t days) const {
    const std::string_view name = f_.holidays->HolidayName(country, days);
    return name.empty() ? std::string("a national holiday") : std::string(name);
  }

  bool HolidayClosesWindow(int64_t days) const {
    return c_.window.skip_holidays && f_.holidays && !country_.empty() &&
           f_.holidays->IsHoliday(country_, days);
  }

  // The first instant at or after `from` at which the campaign's hours, days and
  // holidays allow a call in the callee's zone (and not after its end date).
  std::optional<int64_t> NextWindowOpening(int64_t from) const {
    if (!uses_window_) return from;
    return campaigns::NextWindowOpening(
        c_.window, *zone_, from, [this](int64_t d) { return HolidayClosesWindow(d); }, end_days_);
  }

  // The first instant at or after `from` inside the bands and days the DND customer
  // accepts (IST), holidays included.
  std::optional<int64_t> NextDndOpening(int64_t from) const {
    const compliance::DndPreference& pref = *preference_;
    const int64_t local_from = from + core::kIstOffsetMillis;
    const int64_t first_day = FloorDiv(local_from, kDayMs);
    for (int64_t d = first_day; d < first_day + kSearchDays; ++d) {
      if (!pref.AllowsDay(WeekdayOf(d))) continue;
      if (!pref.AllowsDay(7) && (!f_.holidays || f_.holidays->IsHoliday("IN", d))) continue;
      for (int b = 0; b < compliance::kDndBandCount; ++b) {
        if (!pref.AllowsBand(b)) continue;
        const int64_t open =
            std::max(d * kDayMs + compliance::kDndBandStartHour[b] * kHourMs, local_from);
        if (open < d * kDayMs + compliance::kDndBandStartHour[b + 1] * kHourMs) {
          return open - core::kIstOffsetMillis;
        }
      }
    }
    return std::nullopt;
  }

  // The first instant at or after `from` at which the window and, for a partially
  // listed DND customer, their bands and days are all open.
  std::optional<int64_t> NextOpening(int64_t from) const {
    std::optional<int64_t> at = from;
    for (int round = 0; round < kJointRounds && at; ++round) {
      const std::optional<int64_t> window = NextWindowOpening(*at);
      if (!window || !preference_) return window;
      const std::optional<int64_t> dnd = NextDndOpening(*window);
      if (dnd == window) return window;
      at = dnd;
    }
    return std::nullopt;
  }

  const GateFacts& f_;
  const Campaign& c_;
  std::string_view national_;
  bool indian_ = false;
  bool uses_window_ = true;
  const ZoneRules* zone_ = nullptr;
  bool has_local_ = false;
  int64_t local_days_ = 0, ms_of_day_ = 0;  // the callee's wall clock now
  std::string_view country_;
  std::optional<int64_t> start_days_, end_days_;
  // The DND preference of a partially listed number the registry does not block for
  // this campaign: its bands and days still apply.
  std::optional<compliance::DndPreference> preference_;
  GateDecision out_;
};

}  // namespace

std::string_view GateRuleName(GateRule rule) {
  switch (rule) {
    case GateRule::kAllowed:
      return "allowed";
    case GateRule::kCampaignState:
      return "campaign_state";
    case GateRule::kProviderFacts:
      return "provider_facts";
    case GateRule::kLeadState:
      return "lead_state";
    case GateRule::kNumberType:
      return "number_type";
    case GateRule::kDoNotCall:
      return "do_not_call";
    case GateRule::kConsent:
      return "consent";
    case GateRule::kDndRegistry:
      return "dnd_registry";
    case GateRule::kTimeZone:
      return "time_zone";
    case GateRule::kCallingWindow:
      return "calling_window";
    case GateRule::kHoliday:
      return "holiday";
    case GateRule::kDndBandsAndDays:
      return "dnd_bands_and_days";
    case GateRule::kAttemptCaps:
      return "attempt_caps";
    case GateRule::kAlreadyInCall:
      return "already_in_call";
  }
  return "unknown";
}

nlohmann::json GateDecision::ToJson() const {
  return {
      {"allowed", allowed},
      {"rule", GateRuleName(rule)},
      {"reason", reason},
      {"next_allowed_at", next_allowed_ms ? nlohmann::json(core::FormatIso8601Utc(*next_allowed_ms))
                                          : nlohmann::json()},
      {"permanent", permanent}};
}

GateDecision DecideDial(const GateFacts& facts) {
  if (!facts.campaign) {
    GateDecision out;
    out.rule = GateRule::kCampaignState;
    out.reason = "Campaign state: no campaign was given";
    return out;
  }
  return Evaluation(facts).Decide();
}

GateConsent GateConsentFromLedger(compliance::ConsentStatus status) {
  switch (status) {
    case compliance::ConsentStatus::kActive:
      return GateConsent::kActive;
    case compliance::ConsentStatus::kWithdrawn:
      return GateConsent::kWithdrawn;
    case compliance::ConsentStatus::kExpired:
    case compliance::ConsentStatus::kNone:
      return GateConsent::kNotNeeded;
  }
  return GateConsent::kUnknown;
}

}  // namespace vaarta::campaigns
