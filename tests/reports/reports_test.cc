// The calls report, its exports (CSV, XLSX, PDF) and the campaign heatmap, over real
// SQLite and PostgreSQL databases. Files are checked by reading them back with other
// tools: libzip for the workbook, poppler's pdffonts and pdftotext for the PDF.
#include <gtest/gtest.h>

#include <filesystem>
#include <zip.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "core/logger.h"
#include "reports/call_report.h"
#include "reports/campaign_heatmap.h"
#include "reports/report_csv.h"
#include "reports/report_export_runner.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

using storage::Int;
using storage::Null;
using storage::Text;

constexpr int64_t kHour = 3600000;

int64_t IstMidnight(const std::string& day) {
  int64_t ms = 0;
  EXPECT_TRUE(core::ParseIso8601(day + "T00:00:00+05:30", &ms));
  return ms;
}

// Runs a command and returns what it printed.
std::string Capture(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

// One member of a zip archive, or "" when it is missing.
std::string ZipMember(const std::string& archive_bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src =
      zip_source_buffer_create(archive_bytes.data(), archive_bytes.size(), 0, &error);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!za) {
    zip_source_free(src);
    return "";
  }
  std::string out;
  if (zip_file_t* f = zip_fopen(za, name.c_str(), 0)) {
    char buf[8192];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_close(za);
  return out;
}

// A runner with its own clock (5 March 2026), quiet log and work folder.
struct ExportRig {
  explicit ExportRig(storage::Database& db)
      : clock(IstMidnight("2026-03-05")),
        log(log_out, core::LogLevel::kWarn, clock),
        dir(MakeTempDir("exports")),
        runner(db, clock, log, dir) {}
  ~ExportRig() { RemoveTree(dir); }
  core::ManualClock clock;
  std::ostringstream log_out;
  core::Logger log;
  std::string dir;
  reports::ReportExportRunner runner;
};

class ReportsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    auto tx = db().Begin(true);
    tx->Execute("INSERT INTO lead_lists (name, created_at, created_by) VALUES ('Pune', 0, 't')");
    list_id_ = tx->Execute("SELECT id FROM lead_lists WHERE name = 'Pune'").rows[0].GetInt(0);
    for (auto [phone, name] : {std::pair{"+919812300001", "आशा वर्मा"},
                               std::pair{"+919812300002", "=HYPERLINK(\"x\")"}}) {
      tx->Execute(
          "INSERT INTO leads (phone_e164, name, source_kind, created_at, updated_at) VALUES "
          "($1, $2, 'api', 0, 0)",
          {Text(phone), Text(name)});
    }
    asha_ =
        tx->Execute("SELECT id FROM leads WHERE phone_e164 = '+919812300001'").rows[0].GetInt(0);
    other_ =
        tx->Execute("SELECT id FROM leads WHERE phone_e164 = '+919812300002'").rows[0].GetInt(0);
    tx->Execute("INSERT INTO lead_list_members (list_id, lead_id, added_at) VALUES ($1, $2, 0)",
                {Int(list_id_), Int(asha_)});
    for (const char* name : {"Diwali offer", "Home loans"}) {
      tx->Execute(
          "INSERT INTO campaigns (name, state, config, created_at, created_by, updated_at) "
          "VALUES ($1, 'running', '{}', 0, 't', 0)",
          {Text(name)});
    }
    diwali_ = tx->Execute("SELECT id FROM campaigns WHERE name = 'Diwali offer'").rows[0].GetInt(0);
    loans_ = tx->Execute("SELECT id FROM campaigns WHERE name = 'Home loans'").rows[0].GetInt(0);
    tx->Commit();

    // Monday 2 March 2026 and the days around it, India time.
    const int64_t monday = IstMidnight("2026-03-02");
    Attempt(diwali_, asha_, monday + 10 * kHour + 600000, "interested", 90);
    Attempt(diwali_, other_, monday + 10 * kHour + 1200000, "no_answer", -1);
    Attempt(diwali_, asha_, monday + 24 * kHour + 11 * kHour, "transferred", 30);  // Tuesday
    Attempt(loans_, other_, monday + 14 * kHour, "opted_out", 5);
    Attempt(loans_, asha_, monday - 1, "interested", 10);  // Sunday, outside the period
  }

  storage::Database& db() { return database_->db(); }

  // An ended attempt; `talk_seconds` < 0 means it was not answered.
  void Attempt(int64_t campaign, int64_t lead, int64_t placed_at, const std::string& outcome,
               int talk_seconds, int offset_minutes = 330) {
    auto tx = db().Begin(true);
    const bool answered = talk_seconds >= 0;
    const int64_t answered_at = placed_at + 5000;
    tx->Execute(
        "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
        "answered_at, ended_at, status, outcome, answered, provider, worker, lease_until) VALUES "
        "($1, $2, $3, $4, $5, $6, 'completed', $7, $8, 'simulated', 'test', 0)",
        {Int(campaign), Int(lead), Int(placed_at), Int(offset_minutes),
         answered ? Int(answered_at) : Null(),
         Int(answered ? answered_at + talk_seconds * 1000LL : placed_at + 30000), Text(outcome),
         Int(answered ? 1 : 0)});
    tx->Commit();
  }

  reports::ReportFilter Filter(std::optional<int64_t> campaign = std::nullopt,
                               std::optional<int64_t> list = std::nullopt) {
    auto f = reports::MakeReportFilter("2026-03-02", "2026-03-04", campaign, list);
    EXPECT_TRUE(f.ok());
    return *f;
  }

  reports::CallReport Report(const reports::ReportFilter& f) {
    auto r = storage::InTransaction(
        db(), [&](storage::Transaction& tx) { return reports::BuildCallReport(tx, f); }, false);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return *r;
  }

  int64_t ChunkCount(int64_t export_id) {
    return storage::InTransaction(
        db(),
        [&](storage::Transaction& tx) {
          return tx
              .Execute("SELECT COUNT(*) FROM report_export_chunks WHERE export_id = $1",
                       {Int(export_id)})
              .rows.at(0)
              .GetInt(0);
        },
        false);
  }

  // Waits (at most 30 s) for an export to end.
  reports::ReportExport AwaitExport(reports::ReportExportRunner& runner, int64_t id) {
    for (int i = 0; i < 600; ++i) {
      auto e = runner.Get(id);
      if (e && e->state != "running") return *e;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "export " << id << " did not end";
    return {};
  }

  std::unique_ptr<TestDatabase> database_;
  int64_t list_id_ = 0, asha_ = 0, other_ = 0, diwali_ = 0, loans_ = 0;
};

TEST(ReportFilterTest, RefusesPeriodsThatAreNotRealOrTooLong) {
  EXPECT_TRUE(reports::MakeReportFilter("2026-03-01", "2026-03-01", {}, {}).ok());
  auto bad = reports::MakeReportFilter("2026-02-30", "2026-03-01", {}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("from"), std::string::npos);
  auto reversed = reports::MakeReportFilter("2026-03-05", "2026-03-01", {}, {});
  ASSERT_FALSE(reversed.ok());
  EXPECT_NE(reversed.error().message.find("before"), std::string::npos);
  EXPECT_FALSE(reports::MakeReportFilter("2025-01-01", "2026-03-01", {}, {}).ok());
  EXPECT_TRUE(reports::MakeReportFilter("2025-03-01", "2026-03-01", {}, {}).ok());  // 366 days
  auto f = reports::MakeReportFilter("2026-03-02", "2026-03-02", {}, {});
  EXPECT_EQ(f->to_ms - f->from_ms, 24 * kHour);
  EXPECT_EQ(core::FormatIso8601Utc(f->from_ms), "2026-03-01T18:30:00.000Z");
}

TEST(ReportCsvTest, QuotesFieldsAndDisarmsFormulasButNotPhoneNumbers) {
  EXPECT_EQ(reports::CsvField("plain"), "plain");
  EXPECT_EQ(reports::CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(reports::CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(reports::CsvField("=1+2"), "'=1+2");
  EXPECT_EQ(reports::CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(reports::CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(reports::CsvField("+919812300001"), "+919812300001");
  EXPECT_EQ(reports::CsvField("+91 98123"), "'+91 98123");
  EXPECT_EQ(reports::CsvHeader(reports::LabelsFor("en")).substr(0, 3), "\xEF\xBB\xBF");
}

TEST_P(ReportsTest, CountsCallsOutcomesAndHandOversByCampaignAndDay) {
  auto r = Report(Filter());
  EXPECT_EQ(r.totals.placed, 4);
  EXPECT_EQ(r.totals.answered, 3);
  EXPECT_EQ(r.totals.converted, 1);
  EXPECT_EQ(r.totals.opted_out, 1);
  EXPECT_EQ(r.totals.handed_over, 1);
  EXPECT_EQ(r.totals.talk_seconds, 90 + 30 + 5);
  ASSERT_EQ(r.by_campaign.size(), 2u);
  EXPECT_EQ(r.by_campaign[0].name, "Diwali offer");  // most calls first
  EXPECT_EQ(r.by_campaign[0].counts.placed, 3);
  EXPECT_EQ(r.by_campaign[1].counts.placed, 1);
  ASSERT_EQ(r.by_day.size(), 3u);  // every day, quiet ones too
  EXPECT_EQ(r.by_day[0].day, "2026-03-02");
  EXPECT_EQ(r.by_day[0].counts.placed, 3);
  EXPECT_EQ(r.by_day[1].counts.handed_over, 1);
  EXPECT_EQ(r.by_day[2].counts.placed, 0);
  EXPECT_EQ(r.by_outcome.at("no_answer"), 1);
  EXPECT_EQ(r.by_outcome.count("busy"), 0u);

  auto one_campaign = Report(Filter(loans_));
  EXPECT_EQ(one_campaign.totals.placed, 1);
  EXPECT_EQ(one_campaign.campaign_name, "Home loans");
  auto one_list = Report(Filter(std::nullopt, list_id_));
  EXPECT_EQ(one_list.totals.placed, 2);  // Asha's two calls in the period
  EXPECT_EQ(one_list.list_name, "Pune");

  auto missing = storage::InTransaction(
      db(), [&](storage::Transaction& tx) { return reports::BuildCallReport(tx, Filter(999999)); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
}

TEST_P(ReportsTest, ReadsCallsInPagesOldestFirst) {
  const auto f = Filter();
  auto page = [&](int64_t after) {
    return storage::InTransaction(
        db(), [&](storage::Transaction& tx) { return reports::CallsAfter(tx, f, after, 3); },
        false);
  };
  auto first = page(0);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_LT(first[0].attempt_id, first[1].attempt_id);
  EXPECT_EQ(first[0].lead_name, "आशा वर्मा");
  EXPECT_EQ(first[0].phone, "+919812300001");
  EXPECT_EQ(first[0].campaign, "Diwali offer");
  EXPECT_EQ(first[0].talk_seconds, 90);
  EXPECT_EQ(reports::IstDateTime(first[0].placed_at), "2026-03-02 10:10");
  auto second = page(first.back().attempt_id);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(page(second.back().attempt_id).empty());
}

TEST_P(ReportsTest, HeatmapPlacesCallsOnTheCalleesClock) {
  // A number in Dubai (UTC+4) called at 04:40 UTC on Monday: 08:40 on its own clock.
  Attempt(loans_, other_, IstMidnight("2026-03-02") + 10 * kHour + 600000, "busy", -1, 240);
  auto map = storage::InTransaction(
      db(),
      [&](storage::Transaction& tx) {
        return reports::BuildCampaignHeatmap(tx, diwali_, std::nullopt, std::nullopt);
      },
      false);
  EXPECT_EQ(map.cells[0][10].placed, 2);  // Monday 10:10 and 10:20 IST
  EXPECT_EQ(map.cells[0][10].answered, 1);
  EXPECT_EQ(map.cells[0][10].converted, 1);
  EXPECT_EQ(map.cells[1][11].placed, 1);  // Tuesday 11:00
  auto json = reports::CampaignHeatmapJson(map);
  EXPECT_EQ(json["cells"].size(), 2u);
  EXPECT_DOUBLE_EQ(json["cells"][0]["answer_rate"].get<double>(), 0.5);

  auto loans = storage::InTransaction(
      db(),
      [&](storage::Transaction& tx) {
        auto f = Filter();
        return reports::BuildCampaignHeatmap(tx, loans_, f.from_ms, f.to_ms);
      },
      false);
  EXPECT_EQ(loans.cells[0][14].placed, 1);  // Monday 14:00 IST
  // 2026-03-02 04:40 UTC is 08:40 in Dubai.
  EXPECT_EQ(loans.cells[0][8].placed, 1);
  EXPECT_EQ(loans.cells[6][23].placed, 0);  // the Sunday call is outside the period
}

TEST_P(ReportsTest, ExportsCsvWithEveryCallAndNoLiveFormulas) {
  ExportRig rig(db());
  auto& runner = rig.runner;
  auto started = runner.Start(Filter(), reports::ExportFormat::kCsv, "en", "user:1:m@x");
  ASSERT_TRUE(started.ok()) << started.error().message;
  EXPECT_EQ(started->state, "running");
  auto done = AwaitExport(runner, started->id);
  ASSERT_EQ(done.state, "done") << done.error;
  EXPECT_EQ(done.rows_done, 4);
  EXPECT_EQ(done.file_name, "vaarta-calls-2026-03-02-to-2026-03-04.csv");
  auto file = runner.File(started->id);
  ASSERT_TRUE(file.ok());
  const std::string& csv = file->bytes;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);  // header + 4 calls
  EXPECT_NE(csv.find("2026-03-02 10:10,Diwali offer,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("आशा वर्मा,+919812300001,completed,interested,yes,90,simulated"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv;
  EXPECT_EQ(done.size_bytes, static_cast<int64_t>(csv.size()));
}

TEST_P(ReportsTest, ExportsXlsxWithSummaryAndCallsSheets) {
  ExportRig rig(db());
  auto& runner = rig.runner;
  auto started = runner.Start(Filter(), reports::ExportFormat::kXlsx, "hi", "user:1:m@x");
  ASSERT_TRUE(started.ok());
  auto done = AwaitExport(runner, started->id);
  ASSERT_EQ(done.state, "done") << done.error;
  auto file = runner.File(started->id);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->bytes.substr(0, 2), "PK");
  EXPECT_EQ(file->content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const std::string workbook = ZipMember(file->bytes, "xl/workbook.xml");
  EXPECT_NE(workbook.find("name=\"सारांश\""), std::string::npos) << workbook;
  EXPECT_NE(workbook.find("name=\"कॉल\""), std::string::npos) << workbook;
  // Constant-memory mode writes strings inline in the sheet.
  const std::string calls = ZipMember(file->bytes, "xl/worksheets/sheet2.xml");
  EXPECT_NE(calls.find("आशा वर्मा"), std::string::npos);
  EXPECT_NE(calls.find("+919812300001"), std::string::npos);
  EXPECT_NE(calls.find("<row r=\"5\""), std::string::npos);  // header + 4 calls
  EXPECT_EQ(calls.find("<row r=\"6\""), std::string::npos);
  const std::string summary = ZipMember(file->bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(summary.find("Diwali offer"), std::string::npos);
  // The workbook was written in the work folder and removed.
  EXPECT_FALSE(std::ifstream(rig.dir + "/report-export-" + std::to_string(started->id) + ".xlsx"));
}

TEST_P(ReportsTest, ExportsPdfWithDevanagariShapedInAnEmbeddedFont) {
  ExportRig rig(db());
  auto& runner = rig.runner;
  auto started = runner.Start(Filter(), reports::ExportFormat::kPdf, "hi", "user:1:m@x");
  ASSERT_TRUE(started.ok());
  auto done = AwaitExport(runner, started->id);
  ASSERT_EQ(done.state, "done") << done.error;
  auto file = runner.File(started->id);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->bytes.substr(0, 5), "%PDF-");
  const std::string path = rig.dir + "/report.pdf";
  std::ofstream(path, std::ios::binary) << file->bytes;
  const std::string fonts = Capture("pdffonts " + path + " 2>&1");
  EXPECT_NE(fonts.find("NotoSansDevanagari"), std::string::npos) << fonts;
  const std::string text = Capture("pdftotext -enc UTF-8 " + path + " - 2>&1");
  EXPECT_NE(text.find("कॉल रिपोर्ट"), std::string::npos) << text;
  EXPECT_NE(text.find("Diwali offer"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-03-02"), std::string::npos) << text;
}

TEST_P(ReportsTest, RefusesAnExportOfAMissingCampaignAndRecoversInterruptedOnes) {
  ExportRig rig(db());
  auto& runner = rig.runner;
  auto missing = runner.Start(Filter(424242), reports::ExportFormat::kCsv, "en", "u");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(runner.List(10).empty());

  // A job a dead process left running, its last progress three minutes ago.
  {
    auto tx = db().Begin(true);
    tx->Execute(
        "INSERT INTO report_exports (format, language, filter, state, created_by, created_at, "
        "updated_at, expires_at) VALUES ('csv', 'en', '{}', 'running', 'u', $1, $1, $2)",
        {Int(rig.clock.NowMillis() - 3 * 60000), Int(rig.clock.NowMillis() + 3600000)});
    tx->Commit();
  }
  runner.RecoverInterrupted();
  auto list = runner.List(10);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].state, "failed");
  EXPECT_NE(list[0].error.find("interrupted"), std::string::npos);
  auto file = runner.File(list[0].id);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code, core::ErrorCode::kConflict);
  // Expired exports are gone.
  rig.clock.Advance(2 * 3600000);
  EXPECT_TRUE(runner.List(10).empty());
  EXPECT_FALSE(runner.Get(list[0].id).has_value());
}

TEST_P(ReportsTest, AnErasureRemovesTheCallListsButKeepsThePdfs) {
  ExportRig rig(db());
  auto& runner = rig.runner;
  auto csv = runner.Start(Filter(), reports::ExportFormat::kCsv, "en", "u");
  auto pdf = runner.Start(Filter(), reports::ExportFormat::kPdf, "en", "u");
  ASSERT_TRUE(csv.ok() && pdf.ok());
  ASSERT_EQ(AwaitExport(runner, csv->id).state, "done");
  ASSERT_EQ(AwaitExport(runner, pdf->id).state, "done");
  storage::InTransaction(db(), [&](storage::Transaction& tx) { runner.ForgetCallLists(tx); });
  EXPECT_EQ(ChunkCount(csv->id), 0);
  EXPECT_EQ(ChunkCount(pdf->id), 1);
  auto gone = runner.File(csv->id);
  ASSERT_FALSE(gone.ok());
  EXPECT_NE(gone.error().message.find("erased"), std::string::npos);
  EXPECT_EQ(runner.Get(csv->id)->size_bytes, 0);
  EXPECT_TRUE(runner.File(pdf->id).ok());
}

// A file larger than a chunk is made on disk, stored a chunk per row and read back whole;
// the work folder is left empty, and an expired export takes its chunks with it.
TEST_P(ReportsTest, LargeExportsAreStoredInChunksAndReadBackWhole) {
  const int64_t tuesday = IstMidnight("2026-03-03");
  {
    std::vector<std::vector<storage::Value>> rows;
    for (int i = 0; i < 12000; ++i) {
      rows.push_back({Int(diwali_), Int(asha_), Int(tuesday + 9 * kHour + i * 1000), Int(330),
                      Int(tuesday + 9 * kHour + i * 1000 + 4000),
                      Int(tuesday + 9 * kHour + i * 1000 + 64000), Text("completed"),
                      Text("not_interested"), Int(1), Text("simulated"), Text("test"), Int(0)});
    }
    auto tx = db().Begin(true);
    tx->InsertRows("call_attempts",
                   {"campaign_id", "lead_id", "placed_at", "local_offset_minutes", "answered_at",
                    "ended_at", "status", "outcome", "answered", "provider", "worker",
                    "lease_until"},
                   rows);
    tx->Commit();
  }
  ExportRig rig(db());
  auto started = rig.runner.Start(Filter(), reports::ExportFormat::kCsv, "en", "u");
  ASSERT_TRUE(started.ok());
  auto done = AwaitExport(rig.runner, started->id);
  ASSERT_EQ(done.state, "done") << done.error;
  EXPECT_GT(done.size_bytes, int64_t{1} << 20);
  const int64_t chunks = ChunkCount(started->id);
  EXPECT_EQ(chunks, (done.size_bytes + (1 << 20) - 1) >> 20);
  auto file = rig.runner.File(started->id);
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(static_cast<int64_t>(file->bytes.size()), done.size_bytes);
  EXPECT_EQ(std::count(file->bytes.begin(), file->bytes.end(), '\n'), 12000 + 5);
  EXPECT_TRUE(std::filesystem::is_empty(rig.dir));
  // A damaged chunk is an error, not a wrong file.
  storage::InTransaction(db(), [&](storage::Transaction& tx) {
    tx.Execute("UPDATE report_export_chunks SET content = 'not*base64' WHERE export_id = $1 AND "
               "seq = 1",
               {Int(started->id)});
  });
  EXPECT_FALSE(rig.runner.File(started->id).ok());
  // Expired exports are removed with their chunks when the next one starts.
  rig.clock.Advance(25 * kHour);
  ASSERT_TRUE(rig.runner.Start(Filter(), reports::ExportFormat::kPdf, "en", "u").ok());
  EXPECT_EQ(ChunkCount(started->id), 0);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ReportsTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
