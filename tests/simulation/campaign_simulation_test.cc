// The dialer's promise, proven from what it recorded: a 10,000-lead campaign runs for a
// week of virtual time against the simulated provider, dialled by two `vaarta simulate`
// processes on one PostgreSQL database, one of them killed mid-run. Afterwards the
// recorded attempts must show zero calls outside the window (checked in each callee's
// own time zone, read independently from ICU), zero calls to DND-blocked or do-not-call
// numbers, no cap exceeded, every due callback honoured inside the window, and no number
// in two calls at once. A smaller run on SQLite checks the single-process default.
#include <gtest/gtest.h>
#include <signal.h>
#include <unicode/timezone.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "app/application.h"
#include "campaigns/campaign_json.h"
#include "campaigns/script_generator.h"
#include "core/clock.h"
#include "storage/database.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// The callee's UTC offset at an instant, straight from ICU (not the product's cache).
int64_t IcuOffsetMs(const std::string& zone, int64_t at_ms) {
  std::unique_ptr<icu::TimeZone> tz(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  tz->getOffset(static_cast<UDate>(at_ms), false, raw, dst, status);
  EXPECT_TRUE(U_SUCCESS(status)) << zone;
  return int64_t{raw} + dst;
}

struct Population {
  std::string csv;                      // the leads file
  std::string dnd_file;                 // the registry scrub, loaded each virtual day
  std::string dnc_csv;                  // the business's own do-not-call list
  std::set<std::string> dnd_blocked;    // blocked for category 3 / the AI agent: never
  std::set<std::string> dnd_other_cat;  // blocked only for category 1: may be called
  std::set<std::string> dnd_evenings;   // accepts calls only 18-21 IST
  std::set<std::string> dnd_weekends;   // accepts calls only on Saturday and Sunday
  std::set<std::string> do_not_call;    // on the business's list before the campaign
  std::set<std::string> toll_free;      // never a destination
};

// `count` leads: mostly Indian mobiles, some abroad in zones far from India.
Population MakePopulation(int count) {
  Population p;
  std::ostringstream csv, dnd, dnc;
  csv << "phone,name,time_zone\n";
  dnd << "# test scrub\n";
  dnc << "phone\n";
  for (int i = 0; i < count; ++i) {
    std::string phone, zone;
    const int kind = i % 100;
    if (kind < 3) {  // USA, west coast
      phone = "+1415555" + std::to_string(1000 + i % 9000).substr(0, 4);
      phone = "+1415" + std::to_string(2000000 + i);
      zone = "America/Los_Angeles";
    } else if (kind < 5) {  // New Zealand
      phone = "+6421" + std::to_string(1000000 + i);
      zone = "Pacific/Auckland";
    } else if (kind < 6) {  // United Kingdom
      phone = "+447700" + std::to_string(100000 + i);
      zone = "Europe/London";
    } else if (i % 997 == 6) {  // toll-free service lines
      phone = "+911800" + std::to_string(1000000 + i);
      p.toll_free.insert(phone);
    } else {
      phone = "+9198" + std::to_string(10000000 + i);
      if (i % 17 == 7) {
        dnd << phone << '\n';
        p.dnd_blocked.insert(phone);
      } else if (i % 17 == 8) {
        dnd << phone << " cat=3\n";
        p.dnd_blocked.insert(phone);
      } else if (i % 17 == 9) {
        dnd << phone << " cat=1\n";
        p.dnd_other_cat.insert(phone);
      } else if (i % 53 == 10) {
        dnd << phone << " cat=5 bands=18-21\n";
        p.dnd_evenings.insert(phone);
      } else if (i % 53 == 11) {
        dnd << phone << " cat=5 days=sat,sun\n";
        p.dnd_weekends.insert(phone);
      } else if (i % 41 == 12) {
        dnc << phone << '\n';
        p.do_not_call.insert(phone);
      }
    }
    csv << phone << ",Lead " << i << "," << zone << '\n';
  }
  p.csv = csv.str();
  p.dnd_file = dnd.str();
  p.dnc_csv = dnc.str();
  return p;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

struct Attempt {
  int64_t id, lead_id, placed_at, offset_min, ended_or_lease;
  std::optional<int64_t> callback_id;
  std::string status, outcome, phone, zone, worker;
  bool answered, refused;
};

class CampaignSimulationTest : public ::testing::Test {
 protected:
  void SetUpRun(const std::string& dialect, int leads) {
    database_ = std::make_unique<TestDatabase>(dialect);
    dir_ = MakeTempDir("campaign-sim");
    env_ = {{"VAARTA_DATA_DIR", dir_ + "/data"},
            {"VAARTA_DB", ""},
            {"VAARTA_CONFIG", ""},
            {"VAARTA_DEFAULT_REGION", "IN"}};
    population_ = MakePopulation(leads);
    WriteFile(dir_ + "/leads.csv", population_.csv);
    WriteFile(dir_ + "/dnd.txt", population_.dnd_file);
    WriteFile(dir_ + "/dnc.csv", population_.dnc_csv);
    auto imported = RunProcess({kVaarta, "leads", "import", dir_ + "/leads.csv", "--list", "sim",
                                "--db", database_->url()},
                               env_, "", 300);
    ASSERT_EQ(imported.exit_code, 0) << imported.err << imported.out;
    auto dnc =
        RunProcess({kVaarta, "dnc", "import", dir_ + "/dnc.csv", "--db", database_->url()}, env_);
    ASSERT_EQ(dnc.exit_code, 0) << dnc.err << dnc.out;

    // The campaign, created and started through the product's own service.
    std::ostringstream log;
    auto app = app::Application::Create(TestConfig(), log);
    ASSERT_TRUE(app) << app.error().message;
    campaign_id_ = CreateAndStartCampaign(**app);
    ASSERT_GT(campaign_id_, 0);
  }

  core::Config TestConfig() {
    auto resolved = core::ConfigSources().Resolve();
    EXPECT_TRUE(resolved);
    core::Config config = *resolved;
    config.db = database_->url();
    config.data_dir = dir_ + "/data";
    config.default_region = "IN";
    return config;
  }

  int64_t CreateAndStartCampaign(app::Application& app);

  void TearDown() override {
    database_.reset();
    if (!HasFailure()) RemoveTree(dir_);
  }

  std::vector<Attempt> Attempts() {
    std::vector<Attempt> out;
    auto tx = database_->db().Begin(false);
    auto rows = tx->Execute(
        "SELECT a.id, a.lead_id, a.placed_at, a.local_offset_minutes, "
        "COALESCE(a.ended_at, a.lease_until), a.callback_id, a.status, a.outcome, "
        "l.phone_e164, l.time_zone, a.worker, a.answered, a.refused "
        "FROM call_attempts a JOIN leads l ON l.id = a.lead_id WHERE a.campaign_id = $1 "
        "ORDER BY a.lead_id, a.placed_at",
        {storage::Int(campaign_id_)});
    for (const auto& r : rows.rows) {
      out.push_back({r.GetInt(0), r.GetInt(1), r.GetInt(2), r.GetInt(3), r.GetInt(4),
                     r.GetOptInt(5), r.GetText(6), r.GetText(7), r.GetText(8), r.GetText(9),
                     r.GetText(10), r.GetInt(11) != 0, r.GetInt(12) != 0});
    }
    return out;
  }

  // Every property of the "done when", from the records alone.
  void CheckRecords(int64_t from, int64_t until) {
    const auto attempts = Attempts();
    ASSERT_FALSE(attempts.empty());
    std::map<int64_t, std::vector<const Attempt*>> by_lead;
    int64_t foreign = 0, other_category = 0;
    for (const auto& a : attempts) {
      by_lead[a.lead_id].push_back(&a);
      // Inside the window, in the callee's own time zone read from ICU.
      const int64_t offset = IcuOffsetMs(a.zone, a.placed_at);
      EXPECT_EQ(a.offset_min * kMinute, offset) << "attempt " << a.id << " recorded offset";
      const auto local = core::ToLocalTime(a.placed_at, offset);
      const int minute = local.hour * 60 + local.minute;
      EXPECT_GE(minute, 600) << "attempt " << a.id << " before 10:00 local in " << a.zone;
      EXPECT_LT(minute, 1260) << "attempt " << a.id << " at/after 21:00 local in " << a.zone;
      EXPECT_GE(a.placed_at, from);
      EXPECT_LT(a.placed_at, until);
      if (a.zone == "Asia/Kolkata") {
        // 26 January: Republic Day, a national holiday in India.
        EXPECT_NE(core::LocalDate(a.placed_at, offset).substr(5), "01-26") << "attempt " << a.id;
      } else {
        ++foreign;
      }
      EXPECT_FALSE(population_.dnd_blocked.contains(a.phone)) << a.phone;
      EXPECT_FALSE(population_.do_not_call.contains(a.phone)) << a.phone;
      EXPECT_FALSE(population_.toll_free.contains(a.phone)) << a.phone;
      if (population_.dnd_other_cat.contains(a.phone)) ++other_category;
      const auto ist = core::ToLocalTime(a.placed_at, core::kIstOffsetMillis);
      if (population_.dnd_evenings.contains(a.phone)) {
        EXPECT_GE(ist.hour, 18) << a.phone;
      }
      if (population_.dnd_weekends.contains(a.phone)) {
        EXPECT_GE(ist.weekday, 5) << a.phone;
      }
    }
    EXPECT_GT(foreign, 0) << "leads abroad were never called";
    EXPECT_GT(other_category, 0) << "a number blocked only for another category was never called";

    // Caps, gaps, refusals and overlap, per number.
    for (const auto& [lead, list] : by_lead) {
      EXPECT_LE(list.size(), 3u) << "lead " << lead << " over the per-campaign cap";
      std::map<std::string, int> per_day;
      for (size_t i = 0; i < list.size(); ++i) {
        const Attempt& a = *list[i];
        const int64_t offset = a.offset_min * kMinute;
        EXPECT_LE(++per_day[core::LocalDate(a.placed_at, offset)], 1)
            << "lead " << lead << " twice on one local day";
        if (i == 0) continue;
        const Attempt& prev = *list[i - 1];
        EXPECT_GE(a.placed_at, prev.ended_or_lease)
            << "lead " << lead << " dialled while attempt " << prev.id << " was live";
        EXPECT_FALSE(prev.refused) << "lead " << lead << " called after refusing";
        EXPECT_NE(prev.outcome, "opted_out");
        EXPECT_NE(prev.outcome, "wrong_number");
        if (!prev.answered) {
          EXPECT_GE(a.placed_at - prev.placed_at, kDay)
              << "lead " << lead << " retried within 24 h of an unanswered attempt";
        }
      }
    }

    // Callbacks: each one due before the end was dialled at or after its due time, inside
    // the window (checked above for every attempt); requests outside the window moved.
    auto tx = database_->db().Begin(false);
    auto callbacks = tx->Execute(
        "SELECT c.id, c.requested_at, c.due_at, c.state, a.placed_at, c.note FROM callbacks c "
        "LEFT JOIN call_attempts a ON a.id = c.attempt_id WHERE c.campaign_id = $1",
        {storage::Int(campaign_id_)});
    int64_t honoured = 0, moved = 0;
    for (const auto& r : callbacks.rows) {
      const std::string state = r.GetText(3);
      if (r.GetInt(2) != r.GetInt(1)) ++moved;
      EXPECT_GE(r.GetInt(2), r.GetInt(1)) << "callback " << r.GetInt(0) << " due before asked";
      if (state == "done") {
        ++honoured;
        ASSERT_FALSE(r.IsNull(4));
        EXPECT_GE(r.GetInt(4), r.GetInt(2)) << "callback " << r.GetInt(0) << " dialled early";
      } else if (state == "pending" || state == "dialled") {
        // Only a callback delayed past the last evening of the run may be left.
        EXPECT_GT(r.GetInt(2), until - kDay)
            << "callback " << r.GetInt(0) << " due well before the end, never honoured";
      }
    }
    EXPECT_GT(honoured, 0);
    EXPECT_GT(moved, 0) << "no callback request needed moving into the window";
    // Numbers that opted out during the run are on the list and were never called again.
    auto opted = tx->Execute(
        "SELECT count(*) FROM call_attempts a JOIN leads l ON l.id = a.lead_id "
        "WHERE a.outcome = 'opted_out' AND a.campaign_id = $1 AND l.status = 'do_not_call'",
        {storage::Int(campaign_id_)});
    auto opted_all = tx->Execute(
        "SELECT count(*) FROM call_attempts WHERE outcome = 'opted_out' AND campaign_id = $1",
        {storage::Int(campaign_id_)});
    EXPECT_GT(opted_all.rows[0].GetInt(0), 0);
    EXPECT_EQ(opted.rows[0].GetInt(0), opted_all.rows[0].GetInt(0));
  }

  std::unique_ptr<TestDatabase> database_;
  std::string dir_;
  std::map<std::string, std::string> env_;
  Population population_;
  int64_t campaign_id_ = 0;
};

int64_t CampaignSimulationTest::CreateAndStartCampaign(app::Application& app) {
  int64_t list_id = 0;
  {
    auto tx = app.db().Begin(false);
    auto row = tx->Execute("SELECT id FROM lead_lists WHERE name = 'sim'");
    EXPECT_EQ(row.rows.size(), 1u);
    if (row.rows.empty()) return 0;
    list_id = row.rows[0].GetInt(0);
  }
  campaigns::Campaign c;
  c.business_name = "Acme Learning";
  c.goal = "book a free demo class";
  c.product_facts = "Online maths tutoring for classes 6 to 10.";
  c.offer = "a free demo class";
  c.ncpr_category = 3;  // education
  nlohmann::json config = {{"name", "simulated week"},
                           {"business_name", c.business_name},
                           {"goal", c.goal},
                           {"product_facts", c.product_facts},
                           {"offer", c.offer},
                           {"ncpr_category", 3},
                           {"script", campaigns::GenerateTemplateScript(c)},
                           {"caller_id", "+911401234567"},
                           {"dlt",
                            {{"entity_id", "1101234567890"},
                             {"caller_id_series", "140"},
                             {"declaration_date", "2026-10-01"}}},
                           {"max_concurrent_calls", 100},
                           {"calls_per_second", 50},
                           {"list_ids", {list_id}}};
  const compliance::Actor admin{"test:admin", "admin", "127.0.0.1", ""};
  auto created = app.campaigns().Create(config, admin);
  EXPECT_TRUE(created.ok()) << (created.error ? created.error->message : "")
                            << campaigns::DescribeFieldErrors(created.field_errors);
  if (!created.ok()) return 0;
  auto started = app.campaigns().Start(created.campaign.id, admin);
  EXPECT_TRUE(started.ok()) << (started.error ? started.error->message : "");
  for (const auto& f : started.findings) ADD_FAILURE() << f.message;
  if (!started.ok()) return 0;
  EXPECT_GT(started.enrolled, 0);
  return created.campaign.id;
}

std::vector<std::string> SimulateArgs(const std::string& url, const std::string& dir,
                                      int64_t campaign, const std::string& from, double days,
                                      double speed, int64_t anchor, const std::string& worker) {
  return {kVaarta,       "simulate",
          "--campaign",  std::to_string(campaign),
          "--db",        url,
          "--from",      from,
          "--days",      std::to_string(days),
          "--speed",     std::to_string(speed),
          "--anchor-ms", std::to_string(anchor),
          "--worker",    worker,
          "--dnd-file",  dir + "/dnd.txt",
          "--seed",      "7",
          "--json"};
}

TEST_F(CampaignSimulationTest, AWeekOfTenThousandLeadsOnPostgresWithTwoDialersOneKilled) {
  SetUpRun("postgres", 10'000);
  // Monday 25 January 2027, 00:00 IST: the week holds Republic Day (Tuesday).
  const std::string from_text = "2027-01-25T00:00:00+05:30";
  int64_t from = 0;
  ASSERT_TRUE(core::ParseIso8601(from_text, &from));
  const double days = 7, speed = 14'400;  // a week in 42 s of real time
  const int64_t until = from + static_cast<int64_t>(days * kDay);
  const int64_t anchor = core::SystemClock().NowMillis() + 1500;
  const auto started = std::chrono::steady_clock::now();
  ChildProcess first(SimulateArgs(database_->url(), dir_, campaign_id_, from_text, days, speed,
                                  anchor, "dialer-a"),
                     env_);
  ChildProcess second(SimulateArgs(database_->url(), dir_, campaign_id_, from_text, days, speed,
                                   anchor, "dialer-b"),
                      env_);
  ASSERT_TRUE(first.WaitForOutput("simulating", 30)) << first.Err();
  ASSERT_TRUE(second.WaitForOutput("simulating", 30)) << second.Err();
  // Kill the second dialer at 10:30 IST on Monday, in the morning's first rush of calls,
  // while it has calls in progress.
  const int64_t kill_at_real = anchor + static_cast<int64_t>((10 * kHour + 30 * kMinute) / speed);
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(kill_at_real)));
  // Kill it while it has calls in progress (almost always at once; a busy machine may
  // need a few more real milliseconds of the morning).
  for (int i = 0; i < 500; ++i) {
    auto tx = database_->db().Begin(false);
    if (tx->Execute("SELECT count(*) FROM call_attempts WHERE worker = 'dialer-b' AND "
                    "status = 'active'")
            .rows[0]
            .GetInt(0) > 0) {
      break;
    }
    tx.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  second.Signal(SIGKILL);
  EXPECT_EQ(second.Wait(10), -SIGKILL);
  ASSERT_EQ(first.Wait(120), 0) << first.Err() << first.Out();
  const double real_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(real_seconds, 60.0) << "a week of calling took " << real_seconds << " s";

  const std::string out = first.Out();
  const auto json = nlohmann::json::parse(out.substr(out.find('\n') + 1));
  RecordProperty("outcomes", json.dump());
  std::cout << "simulation: " << json.dump() << " in " << real_seconds << " s\n";
  CheckRecords(from, until);

  const auto attempts = Attempts();
  std::set<std::string> workers;
  int64_t lost = 0, lost_then_retried = 0;
  std::map<int64_t, int64_t> lost_lease;
  for (const auto& a : attempts) {
    workers.insert(a.worker);
    if (a.status == "lost") {
      ++lost;
      lost_lease[a.lead_id] = a.ended_or_lease;
    } else if (lost_lease.contains(a.lead_id) && a.placed_at >= lost_lease[a.lead_id]) {
      ++lost_then_retried;
    }
  }
  EXPECT_EQ(workers, (std::set<std::string>{"dialer-a", "dialer-b"}));
  EXPECT_GT(lost, 0) << "the killed dialer had no call in progress";
  EXPECT_GT(lost_then_retried, 0) << "no lead of the killed dialer returned to the queue";
  // The leads that may be called were reached: first attempts go before retries, so
  // nearly all are called within the week even on a slow machine.
  std::set<int64_t> called;
  for (const auto& a : attempts) called.insert(a.lead_id);
  const size_t never = population_.dnd_blocked.size() + population_.do_not_call.size() +
                       population_.toll_free.size();
  EXPECT_GE(called.size() + never, 9'800u);
}

TEST_F(CampaignSimulationTest, TwoDaysOnSqliteInOneProcess) {
  SetUpRun("sqlite", 1'000);
  const std::string from_text = "2027-01-25T00:00:00+05:30";
  int64_t from = 0;
  ASSERT_TRUE(core::ParseIso8601(from_text, &from));
  auto run = RunProcess(SimulateArgs(database_->url(), dir_, campaign_id_, from_text, 3, 14'400,
                                     core::SystemClock().NowMillis(), "solo"),
                        env_, "", 120);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  CheckRecords(from, from + 3 * kDay);
}

}  // namespace
}  // namespace vaarta::testing
