// Pre-dial gate benchmark: DecideDial on one core over a realistic mix of leads, beside
// two baselines measured in the same run on the same leads:
//   dnd lookup   the registry lookup alone (parse the number, DndSnapshot::Lookup): the
//                one step of a decision that cannot be made cheaper here
//   icu offset   the callee's UTC offset asked of ICU per decision (TimeZone::
//                createTimeZone + getOffset), which the gate's ZoneOffsetCache replaces
// The mix: a DND registry of REGISTRY numbers (5% with partial preferences); LEADS leads,
// 85% Indian (a quarter of them on the registry), 15% in eight foreign zones; 40% with
// one to three earlier attempts; a few opted out or of an unknown type; "now" moves
// through an afternoon in India (evening or night for most foreign leads).
//   gate_bench [DECISIONS [REGISTRY [LEADS]]]   (default 20000000 3000000 200000)
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "campaigns/pre_dial_gate.h"
#include "compliance/dnd_preference.h"
#include "compliance/dnd_snapshot.h"
#include "core/clock.h"

using namespace vaarta;
using Clock = std::chrono::steady_clock;

// Counts heap allocations, to show that an allowed decision makes none. The replacements
// pair malloc with free themselves, which GCC cannot see through.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<uint64_t> g_allocations{0};
void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace {

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct BenchLead {
  std::string phone, status, type, zone;
  std::vector<campaigns::PriorAttempt> attempts;
};

}  // namespace

int main(int argc, char** argv) {
  const uint64_t decisions = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000000ULL;
  const uint64_t registry_size = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 3000000ULL;
  const size_t lead_count = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 200000;
  std::mt19937_64 rng(7);

  // The registry: distinct Indian mobiles, 5% with a partial preference.
  std::vector<uint64_t> listed;
  listed.reserve(registry_size);
  const uint64_t gap = 4000000000ULL / (registry_size + 1);
  for (uint64_t v = 6000000000ULL + rng() % gap;
       listed.size() < registry_size && v < 10000000000ULL; v += 1 + rng() % (2 * gap)) {
    listed.push_back(v);
  }
  const char* kPartials[] = {"cat=1 modes=robo",
                             "cat=1,3 modes=voice,robo",
                             "cat=5 modes=auto_live bands=18-21",
                             "cat=6 modes=voice days=mon-fri",
                             "cat=7 modes=robo bands=10-12,12-14,14-16 days=mon-fri,sat",
                             "cat=8 modes=voice bands=16-18,18-21 days=sat,sun,hol"};
  compliance::DndEntries entries;
  entries.all = listed;
  for (size_t i = 0; i < listed.size(); i += 20) {
    entries.partial.emplace_back(listed[i],
                                 compliance::ParseDndPreference(kPartials[rng() % 6], 1)->packed());
  }
  const int64_t now0 = [] {
    int64_t ms = 0;
    core::ParseIso8601("2026-11-30T13:00:00+05:30", &ms);
    return ms;
  }();
  const std::string path = "/tmp/vaarta-gate-bench.snap";
  if (auto written = compliance::DndSnapshot::Write(path, entries, "2026-11-30", now0); !written) {
    std::fprintf(stderr, "%s\n", written.error().message.c_str());
    return 1;
  }
  auto opened = compliance::DndSnapshot::Open(path);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.error().message.c_str());
    return 1;
  }
  std::shared_ptr<const compliance::DndSnapshot> snapshot = *opened;
  compliance::DndStatus status;
  status.loaded = true;
  status.registry_date = status.today_ist = "2026-11-30";
  status.stale = false;
  status.usable = true;

  // The leads.
  const char* kForeign[][2] = {
      {"+1212555", "America/New_York"}, {"+1415555", "America/Los_Angeles"},
      {"+4479460", "Europe/London"},    {"+6421123", "Pacific/Auckland"},
      {"+9715012", "Asia/Dubai"},       {"+6591234", "Asia/Singapore"},
      {"+4915112", "Europe/Berlin"},    {"+6141234", "Australia/Sydney"}};
  std::vector<BenchLead> leads(lead_count);
  for (BenchLead& lead : leads) {
    const uint64_t kind = rng() % 100;
    if (kind < 85) {
      const uint64_t national =
          rng() % 4 == 0 ? listed[rng() % listed.size()] : 6000000000ULL + rng() % 4000000000ULL;
      lead.phone = "+91" + std::to_string(national);
      lead.zone = "Asia/Kolkata";
    } else {
      const auto& foreign = kForeign[rng() % 8];
      lead.phone = foreign[0] + std::to_string(10000 + rng() % 90000);
      lead.zone = foreign[1];
    }
    const uint64_t roll = rng() % 100;
    lead.status = roll < 60   ? "new"
                  : roll < 85 ? "contacted"
                  : roll < 95 ? "callback"
                              : "not_interested";
    lead.type = rng() % 100 < 98 ? "mobile" : "unknown";
    if (rng() % 100 < 40) {
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int a = 0; a < n; ++a) {
        const int64_t days_ago = 1 + static_cast<int64_t>(rng() % 6);
        lead.attempts.push_back(
            {rng() % 3 == 0 ? 8 : 7,
             now0 - days_ago * 86'400'000 - static_cast<int64_t>(rng() % 7'200'000), rng() % 2 == 0,
             rng() % 50 == 0, false});
      }
    }
  }

  campaigns::Campaign campaign;
  campaign.id = 7;
  campaign.state = campaigns::CampaignState::kRunning;
  campaign.provider = "exotel";
  campaign.caller_id = "+911401234567";
  campaign.ncpr_category = 2;
  campaign.dlt = {"1101234567890", "140", "2026-11-01", ""};
  campaign.attempts.max_per_campaign = 5;
  campaigns::HolidayCalendar holidays;
  campaigns::ZoneOffsetCache zones;

  auto facts_of = [&](const BenchLead& lead, int64_t now) {
    campaigns::GateFacts f;
    f.campaign = &campaign;
    f.lead = {1, lead.phone, lead.status, lead.type, lead.zone};
    f.on_do_not_call = false;
    f.consent = campaigns::GateConsent::kNotNeeded;
    f.dnd = snapshot.get();
    f.dnd_status = &status;
    f.attempts = lead.attempts;
    f.holidays = &holidays;
    f.zones = &zones;
    f.now_ms = now;
    return f;
  };

  // Warm-up (fills the zone cache), then a sample: the mix of outcomes, and whether an
  // allowed decision allocated.
  for (size_t i = 0; i < leads.size(); ++i) campaigns::DecideDial(facts_of(leads[i], now0));
  const size_t sampled = leads.size();
  std::map<std::string, std::vector<size_t>> by_rule;  // sample indices per outcome
  uint64_t allowed_allocations = 0;
  for (size_t i = 0; i < sampled; ++i) {
    const uint64_t before = g_allocations.load(std::memory_order_relaxed);
    const campaigns::GateDecision d =
        campaigns::DecideDial(facts_of(leads[i], now0 + static_cast<int64_t>(i)));
    if (d.allowed) allowed_allocations += g_allocations.load(std::memory_order_relaxed) - before;
    by_rule[std::string(campaigns::GateRuleName(d.rule))].push_back(i);
  }
  const uint64_t allowed = by_rule["allowed"].size();

  // The timed runs: the best of three.
  double gate_s = 1e30;
  uint64_t checksum = 0;
  for (int run = 0; run < 3; ++run) {
    const auto start = Clock::now();
    for (uint64_t i = 0; i < decisions; ++i) {
      const campaigns::GateDecision d =
          campaigns::DecideDial(facts_of(leads[i % leads.size()], now0 + static_cast<int64_t>(i)));
      checksum += d.allowed;
    }
    gate_s = std::min(gate_s, Seconds(start));
  }

  // The cost of each outcome: the sample's decisions of that outcome, again (best of 3).
  std::map<std::string, double> ns_by_rule;
  for (const auto& [rule, cases] : by_rule) {
    double best = 1e30;
    uint64_t count = 0;
    for (int run = 0; run < 3; ++run) {
      count = 0;
      const auto start = Clock::now();
      while (count < 400000) {
        for (size_t i : cases) {
          checksum +=
              campaigns::DecideDial(facts_of(leads[i], now0 + static_cast<int64_t>(i))).allowed;
        }
        count += cases.size();
      }
      best = std::min(best, Seconds(start));
    }
    ns_by_rule[rule] = 1e9 * best / static_cast<double>(count);
  }

  // Baseline 1: the DND lookup alone, same leads, same count.
  double dnd_s = 1e30;
  uint64_t dnd_hits = 0;
  for (int run = 0; run < 3; ++run) {
    const auto start = Clock::now();
    for (uint64_t i = 0; i < decisions; ++i) {
      const std::string& phone = leads[i % leads.size()].phone;
      if (!phone.starts_with("+91") || phone.size() != 13) continue;
      uint64_t national = 0;
      for (size_t k = 3; k < 13; ++k)
        national = national * 10 + static_cast<uint64_t>(phone[k] - '0');
      dnd_hits += snapshot->Lookup(national).has_value();
    }
    dnd_s = std::min(dnd_s, Seconds(start));
  }

  // Baseline 2: the UTC offset from ICU per decision, on a tenth of the decisions (slow).
  const uint64_t icu_count = decisions / 10;
  int64_t offset_sum = 0;
  auto start = Clock::now();
  for (uint64_t i = 0; i < icu_count; ++i) {
    const BenchLead& lead = leads[i % leads.size()];
    std::unique_ptr<icu::TimeZone> tz(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(lead.zone)));
    int32_t raw = 0, dst = 0;
    UErrorCode error = U_ZERO_ERROR;
    tz->getOffset(static_cast<UDate>(now0 + static_cast<int64_t>(i)), false, raw, dst, error);
    offset_sum += raw + dst;
  }
  const double icu_s = Seconds(start);
  // And ICU's getOffset alone on zones created beforehand (no lookup of the name).
  std::map<std::string, std::unique_ptr<icu::TimeZone>> kept;
  for (const BenchLead& lead : leads) {
    if (!kept.count(lead.zone)) {
      kept[lead.zone].reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(lead.zone)));
    }
  }
  std::vector<const icu::TimeZone*> lead_zone(leads.size());
  for (size_t i = 0; i < leads.size(); ++i) lead_zone[i] = kept[leads[i].zone].get();
  start = Clock::now();
  for (uint64_t i = 0; i < icu_count; ++i) {
    int32_t raw = 0, dst = 0;
    UErrorCode error = U_ZERO_ERROR;
    lead_zone[i % leads.size()]->getOffset(static_cast<UDate>(now0 + static_cast<int64_t>(i)),
                                           false, raw, dst, error);
    offset_sum += raw + dst;
  }
  const double icu_kept_s = Seconds(start);
  // And the gate's way: the ZoneOffsetCache (name -> rules, then the offset table).
  start = Clock::now();
  for (uint64_t i = 0; i < icu_count; ++i) {
    const BenchLead& lead = leads[i % leads.size()];
    offset_sum += zones.Find(lead.zone)->OffsetAt(now0 + static_cast<int64_t>(i));
  }
  const double cache_s = Seconds(start);
  std::remove(path.c_str());

  const double gate_rate = decisions / gate_s;
  const double dnd_rate = decisions / dnd_s;
  const double icu_rate = icu_count / icu_s;
  const double icu_kept_rate = icu_count / icu_kept_s;
  std::printf(
      "registry: %zu numbers (%zu partial); leads: %zu (85%% Indian, 15%% in 8 foreign zones)\n",
      listed.size(), entries.partial.size(), leads.size());
  std::printf("outcomes of one decision per lead (share, ns per decision of that outcome):");
  for (const auto& [rule, cases] : by_rule) {
    std::printf(" %s %.1f%% %.0f ns;", rule.c_str(),
                100.0 * static_cast<double>(cases.size()) / static_cast<double>(sampled),
                ns_by_rule[rule]);
  }
  std::printf(
      "\nheap allocations per allowed decision: %.3f\n",
      allowed ? static_cast<double>(allowed_allocations) / static_cast<double>(allowed) : 0.0);
  std::printf(
      "gate: %.2f million decisions/s on one core (%llu decisions, best of 3, %.0f ns each)\n",
      gate_rate / 1e6, static_cast<unsigned long long>(decisions), 1e9 / gate_rate);
  const double cache_rate = icu_count / cache_s;
  std::printf("baseline, the DND lookup alone: %.2f million/s (%.0f ns)\n", dnd_rate / 1e6,
              1e9 / dnd_rate);
  std::printf(
      "baseline, the UTC offset from ICU per decision: %.2f million/s (%.0f ns) creating the "
      "zone, %.2f million/s (%.0f ns) with the zone kept; the gate's ZoneOffsetCache %.2f "
      "million/s (%.0f ns)\n",
      icu_rate / 1e6, 1e9 / icu_rate, icu_kept_rate / 1e6, 1e9 / icu_kept_rate, cache_rate / 1e6,
      1e9 / cache_rate);
  std::printf(
      "ratio: a whole decision costs %.2fx the DND lookup alone and %.2fx ICU's offset alone "
      "(zone created per decision); the cache resolves an offset %.0fx faster than that, at %.2fx "
      "the speed of ICU with the zone kept\n",
      dnd_rate / gate_rate, icu_rate / gate_rate, cache_rate / icu_rate,
      cache_rate / icu_kept_rate);
  std::printf("(checksums %llu %llu %lld)\n", static_cast<unsigned long long>(checksum),
              static_cast<unsigned long long>(dnd_hits), static_cast<long long>(offset_sum));
  return 0;
}
