// Report exports over many calls (bench/reports.sh): a SQLite database with `calls` call
// attempts over a month, then the calls report's summary, and CSV, XLSX and PDF exports made
// by ReportExportRunner as the server makes them. Baseline, same run: reading the same
// calls through the same paged query (CallsAfter) and throwing them away, which is the
// least any export must do. Prints one JSON object.
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/logger.h"
#include "reports/call_report.h"
#include "reports/report_export_runner.h"
#include "storage/database.h"
#include "storage/migrator.h"

namespace {

using namespace vaarta;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Seed(storage::Database& db, int64_t calls, int64_t from_ms) {
  auto tx = db.Begin(true);
  std::vector<std::vector<storage::Value>> rows;
  for (int i = 0; i < 10000; ++i) {
    char phone[20];
    std::snprintf(phone, sizeof phone, "+9198%08d", i);
    rows.push_back({storage::Text(phone),
                    storage::Text(i % 3 ? "Lead " + std::to_string(i) : std::string("आशा वर्मा")),
                    storage::Text("api"), storage::Int(0), storage::Int(0)});
  }
  tx->InsertRows("leads", {"phone_e164", "name", "source_kind", "created_at", "updated_at"}, rows);
  for (const char* name : {"दिवाली ऑफ़र", "Home loans", "Spoken English"}) {
    tx->Execute(
        "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at) "
        "VALUES ($1, 'running', '{}', 0, 'bench', 0)",
        {storage::Text(name)});
  }
  const char* outcomes[] = {"interested", "not_interested", "callback_booked", "opted_out",
                            "no_answer",  "busy",           "transferred",     "voicemail"};
  std::mt19937_64 rng(7);
  const int64_t month = 30LL * 86400000;
  rows.clear();
  for (int64_t i = 0; i < calls; ++i) {
    const int64_t at = from_ms + static_cast<int64_t>(rng() % month);
    const int o = static_cast<int>(rng() % 8);
    const bool answered = o < 4 || o == 6;
    rows.push_back({storage::Int(1 + static_cast<int64_t>(rng() % 3)),
                    storage::Int(1 + static_cast<int64_t>(rng() % 10000)), storage::Int(at),
                    storage::Int(330), answered ? storage::Int(at + 4000) : storage::Null(),
                    storage::Int(at + 4000 + static_cast<int64_t>(rng() % 300000)),
                    storage::Text("completed"), storage::Text(outcomes[o]),
                    storage::Int(answered ? 1 : 0), storage::Text("twilio"), storage::Text("w"),
                    storage::Int(0)});
    if (rows.size() == 50000) {
      tx->InsertRows(
          "call_attempts",
          {"campaign_id", "lead_id", "placed_at", "local_offset_minutes", "answered_at", "ended_at",
           "status", "outcome", "answered", "provider", "worker", "lease_until"},
          rows);
      rows.clear();
    }
  }
  if (!rows.empty()) {
    tx->InsertRows(
        "call_attempts",
        {"campaign_id", "lead_id", "placed_at", "local_offset_minutes", "answered_at", "ended_at",
         "status", "outcome", "answered", "provider", "worker", "lease_until"},
        rows);
  }
  tx->Commit();
}

}  // namespace

// Resident set size from /proc/self/statm (pages × page size).
int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char** argv) {
  const int64_t calls = argc > 1 ? std::stoll(argv[1]) : 1000000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp/vaarta-report-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = storage::OpenDatabase("sqlite:" + dir + "/bench.db", 4);
  if (auto migrated = storage::Migrate(*db); !migrated) {
    std::cerr << migrated.error().message << "\n";
    return 1;
  }
  int64_t from_ms = 0;
  core::ParseIso8601("2026-11-01T00:00:00+05:30", &from_ms);
  Seed(*db, calls, from_ms);
  auto filter = *reports::MakeReportFilter("2026-11-01", "2026-11-30", std::nullopt, std::nullopt);

  nlohmann::json out = {{"calls", calls}};
  // Baseline: the paged read alone.
  auto started = Clock::now();
  int64_t read = 0, after = 0;
  for (;;) {
    auto page = storage::InTransaction(
        *db, [&](storage::Transaction& tx) { return reports::CallsAfter(tx, filter, after, 5000); },
        false);
    if (page.empty()) break;
    read += static_cast<int64_t>(page.size());
    after = page.back().attempt_id;
  }
  out["read_seconds"] = Seconds(started);
  out["read_rows"] = read;

  started = Clock::now();
  auto report = storage::InTransaction(
      *db, [&](storage::Transaction& tx) { return reports::BuildCallReport(tx, filter); }, false);
  out["summary_seconds"] = Seconds(started);

  core::SystemClock clock;
  std::ostringstream log_out;
  core::Logger log(log_out, core::LogLevel::kWarn, clock);
  reports::ReportExportRunner runner(*db, clock, log, dir);
  for (auto format :
       {reports::ExportFormat::kCsv, reports::ExportFormat::kXlsx, reports::ExportFormat::kPdf}) {
    started = Clock::now();
    auto job = runner.Start(filter, format, "en", "bench");
    if (!job) {
      std::cerr << job.error().message << "\n";
      return 1;
    }
    // The process's resident memory, sampled every 20 ms while the export runs: its
    // highest point above where it started is what making the export costs the server.
    const int64_t rss_start = ResidentBytes();
    int64_t rss_peak = rss_start;
    reports::ReportExport done;
    for (;;) {
      done = *runner.Get(job->id);
      rss_peak = std::max(rss_peak, ResidentBytes());
      if (done.state != "running") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string name(reports::ExportFormatName(format));
    if (done.state != "done") {
      std::cerr << name << " export failed: " << done.error << "\n";
      return 1;
    }
    out[name] = {{"seconds", Seconds(started)},
                 {"bytes", done.size_bytes},
                 {"rows", done.rows_done},
                 {"peak_extra_bytes", rss_peak - rss_start}};
  }
  std::cout << out.dump() << "\n";
  // "keep" leaves the database for a look at its query plans.
  if (argc <= 3 || std::string(argv[3]) != "keep") std::filesystem::remove_all(dir);
  return 0;
}
