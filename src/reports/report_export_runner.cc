#include "reports/report_export_runner.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "reports/report_csv.h"
#include "reports/report_labels.h"
#include "reports/report_pdf.h"
#include "reports/report_xlsx.h"

namespace vaarta::reports {
namespace {

using storage::Int;
using storage::Text;

constexpr int kBatchRows = 5000;
// Large enough that a 100 MB file is a hundred rows, small enough that a chunk and its
// base64 text are nothing beside the server's other memory.
constexpr size_t kChunkBytes = 1 << 20;
constexpr int64_t kProgressEveryMillis = 250;
constexpr int64_t kStaleMillis = 2 * 60 * 1000;

constexpr const char* kColumns =
    "id, format, language, filter, state, rows_total, rows_done, file_name, content_type, "
    "size_bytes, error, created_by, created_at, updated_at, finished_at, expires_at";

nlohmann::json FilterJson(const ReportFilter& f) {
  return {{"from", f.from_day},
          {"to", f.to_day},
          {"campaign_id", f.campaign_id ? nlohmann::json(*f.campaign_id) : nlohmann::json()},
          {"list_id", f.list_id ? nlohmann::json(*f.list_id) : nlohmann::json()}};
}

ReportFilter FilterFromJson(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  ReportFilter f;
  if (!j.is_object()) return f;
  auto id = [&](const char* key) -> std::optional<int64_t> {
    return j.contains(key) && j[key].is_number_integer() ? std::optional(j[key].get<int64_t>())
                                                         : std::nullopt;
  };
  auto made =
      MakeReportFilter(j.value("from", ""), j.value("to", ""), id("campaign_id"), id("list_id"));
  if (made) return *made;
  f.from_day = j.value("from", "");
  f.to_day = j.value("to", "");
  return f;
}

ReportExport ReadExport(const storage::Row& row) {
  ReportExport e;
  e.id = row.GetInt(0);
  e.format = row.GetText(1);
  e.language = row.GetText(2);
  e.filter = FilterFromJson(row.GetText(3));
  e.state = row.GetText(4);
  e.rows_total = row.GetInt(5);
  e.rows_done = row.GetInt(6);
  e.file_name = row.GetText(7);
  e.content_type = row.GetText(8);
  e.size_bytes = row.GetInt(9);
  e.error = row.GetText(10);
  e.created_by = row.GetText(11);
  e.created_at = row.GetInt(12);
  e.updated_at = row.GetInt(13);
  e.finished_at = row.GetOptInt(14);
  e.expires_at = row.GetInt(15);
  return e;
}

std::string FileNameFor(const ReportFilter& f, ExportFormat format) {
  std::string name = "vaarta-calls-" + f.from_day + "-to-" + f.to_day;
  if (f.campaign_id) name += "-campaign-" + std::to_string(*f.campaign_id);
  if (f.list_id) name += "-list-" + std::to_string(*f.list_id);
  return name + "." + std::string(ExportFormatName(format));
}

std::string ContentTypeFor(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return "text/csv; charset=utf-8";
    case ExportFormat::kXlsx:
      return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    case ExportFormat::kPdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "csv") return ExportFormat::kCsv;
  if (name == "xlsx") return ExportFormat::kXlsx;
  if (name == "pdf") return ExportFormat::kPdf;
  return std::nullopt;
}

std::string_view ExportFormatName(ExportFormat format) {
  switch (format) {
    case ExportFormat::kCsv:
      return "csv";
    case ExportFormat::kXlsx:
      return "xlsx";
    case ExportFormat::kPdf:
      return "pdf";
  }
  return "csv";
}

ReportExportRunner::ReportExportRunner(storage::Database& db, const core::Clock& clock,
                                       const core::Logger& log, std::string work_dir)
    : db_(db), clock_(clock), log_(log), work_dir_(std::move(work_dir)) {}

ReportExportRunner::~ReportExportRunner() {
  stopping_ = true;
  std::map<int64_t, std::unique_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
  }
}

void ReportExportRunner::ReapFinished() {
  std::vector<std::unique_ptr<Job>> finished;
  {
    std::lock_guard lock(mutex_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      if (it->second->done) {
        finished.push_back(std::move(it->second));
        it = jobs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& job : finished) job->thread.join();
}

void ReportExportRunner::RecoverInterrupted() {
  const int64_t now = clock_.NowMillis();
  const bool sqlite = db_.dialect() == storage::Dialect::kSqlite;
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    tx.Execute(
        "UPDATE report_exports SET state = 'failed', error = $1, updated_at = $2, "
        "finished_at = $2 WHERE state = 'running' AND updated_at < $3",
        {Text("interrupted: the server stopped while making this export; start it again"), Int(now),
         Int(sqlite ? now + 1 : now - kStaleMillis)});
  });
}

void ReportExportRunner::ForgetCallLists(storage::Transaction& tx) {
  const int64_t now = clock_.NowMillis();
  tx.Execute(
      "DELETE FROM report_export_chunks WHERE export_id IN "
      "(SELECT id FROM report_exports WHERE format <> 'pdf')");
  tx.Execute(
      "UPDATE report_exports SET state = 'failed', content = NULL, size_bytes = 0, error = $1, "
      "updated_at = $2, finished_at = $2 WHERE format <> 'pdf' AND state IN ('running', 'done')",
      {Text("removed: a lead in it was erased (erasure reaches exports); export again"), Int(now)});
}

core::Result<ReportExport> ReportExportRunner::Start(const ReportFilter& filter,
                                                     ExportFormat format,
                                                     const std::string& language,
                                                     const std::string& created_by) {
  ReapFinished();
  const int64_t now = clock_.NowMillis();
  const std::string lang = language == "hi" ? "hi" : "en";
  auto id = storage::InTransaction(db_, [&](storage::Transaction& tx) -> core::Result<int64_t> {
    auto scope = ResolveReportScope(tx, filter);
    if (!scope) return scope.error();
    tx.Execute(
        "DELETE FROM report_export_chunks WHERE export_id IN "
        "(SELECT id FROM report_exports WHERE expires_at < $1)",
        {Int(now)});
    tx.Execute("DELETE FROM report_exports WHERE expires_at < $1", {Int(now)});
    return tx
        .Execute(
            "INSERT INTO report_exports (format, language, filter, state, file_name, "
            "content_type, created_by, created_at, updated_at, expires_at) VALUES "
            "($1, $2, $3, 'running', $4, $5, $6, $7, $7, $8) RETURNING id",
            {Text(std::string(ExportFormatName(format))), Text(lang),
             Text(FilterJson(filter).dump()), Text(FileNameFor(filter, format)),
             Text(ContentTypeFor(format)), Text(created_by), Int(now),
             Int(now + kExportLifetimeMillis)})
        .rows.at(0)
        .GetInt(0);
  });
  if (!id) return id.error();
  auto job = std::make_unique<Job>();
  Job* raw = job.get();
  {
    std::lock_guard lock(mutex_);
    jobs_[*id] = std::move(job);
    raw->thread = std::thread([this, raw, job_id = *id, filter, format, lang] {
      Run(job_id, filter, format, lang);
      raw->done = true;
    });
  }
  log_.Info("report export started", {{"export_id", *id},
                                      {"format", std::string(ExportFormatName(format))},
                                      {"from", filter.from_day},
                                      {"to", filter.to_day}});
  return *Get(*id);
}

void ReportExportRunner::Progress(int64_t id, int64_t rows_done, int64_t rows_total) {
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    tx.Execute(
        "UPDATE report_exports SET rows_done = $1, rows_total = $2, updated_at = $3 WHERE id = $4",
        {Int(rows_done), Int(rows_total), Int(clock_.NowMillis()), Int(id)});
  });
}

core::Result<int64_t> ReportExportRunner::Produce(int64_t id, const ReportFilter& filter,
                                                  ExportFormat format, const std::string& language,
                                                  const std::string& path) {
  const ReportLabels& labels = LabelsFor(language);
  const int64_t generated_at = clock_.NowMillis();
  // The CSV is the calls alone: a count of them, not the summary's grouped scan.
  std::optional<CallReport> report;
  int64_t total = 0;
  if (format == ExportFormat::kCsv) {
    total = storage::InTransaction(
        db_, [&](storage::Transaction& tx) { return CountCalls(tx, filter); }, false);
  } else {
    auto built = storage::InTransaction(
        db_, [&](storage::Transaction& tx) { return BuildCallReport(tx, filter); }, false);
    if (!built) return built.error();
    report = std::move(*built);
    total = report->totals.placed;
  }
  if (format == ExportFormat::kPdf) {
    // The PDF summarises the period's calls: its progress counts them as one step.
    Progress(id, 0, total);
    auto pdf = RenderReportPdf(*report, labels, generated_at);
    if (!pdf) return pdf.error();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(pdf->data(), static_cast<std::streamsize>(pdf->size()));
    if (!out.flush()) {
      return core::MakeError(core::ErrorCode::kInternal, "cannot write the PDF to " + path);
    }
    return static_cast<int64_t>(pdf->size());
  }

  if (total > kMaxExportRows) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "the period holds " + std::to_string(total) + " calls; one export holds at most " +
            std::to_string(kMaxExportRows) + ": choose a shorter period or one campaign",
        "export_too_large");
  }
  Progress(id, 0, total);
  std::unique_ptr<XlsxReportWriter> xlsx;
  // The CSV goes to disk a page at a time, never whole in memory.
  std::ofstream csv;
  std::string csv_page;
  if (format == ExportFormat::kXlsx) {
    auto opened = XlsxReportWriter::Open(path, *report, labels, generated_at);
    if (!opened) return opened.error();
    xlsx = std::move(*opened);
  } else {
    csv.open(path, std::ios::binary | std::ios::trunc);
    csv << CsvHeader(labels);
  }
  // The calls in pages of kBatchRows, each page its own short read, so a long export
  // never holds a transaction open (SQLite's writers and PostgreSQL's vacuum wait on one).
  int64_t after = 0;
  int64_t done = 0;
  int64_t last_progress = clock_.NowMillis();
  for (;;) {
    if (stopping_) {
      xlsx.reset();
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "the server stopped while making this export; start it again");
    }
    auto lines = storage::InTransaction(
        db_, [&](storage::Transaction& tx) { return CallsAfter(tx, filter, after, kBatchRows); },
        false);
    if (lines.empty()) break;
    after = lines.back().attempt_id;
    done += static_cast<int64_t>(lines.size());
    if (xlsx) {
      xlsx->AddCalls(lines);
    } else {
      csv_page.clear();
      for (const auto& line : lines) AppendCsvLine(line, &csv_page);
      csv.write(csv_page.data(), static_cast<std::streamsize>(csv_page.size()));
      if (!csv) return core::MakeError(core::ErrorCode::kInternal, "cannot write the CSV file");
    }
    if (clock_.NowMillis() - last_progress >= kProgressEveryMillis) {
      Progress(id, done, std::max(total, done));
      last_progress = clock_.NowMillis();
    }
    if (static_cast<int>(lines.size()) < kBatchRows) break;
  }
  Progress(id, done, std::max(total, done));
  if (xlsx) {
    auto finished = xlsx->Finish();
    xlsx.reset();
    if (!finished) return finished.error();
  } else if (!csv.flush()) {
    return core::MakeError(core::ErrorCode::kInternal, "cannot write the CSV file");
  }
  std::ifstream written(path, std::ios::binary | std::ios::ate);
  if (!written) return core::MakeError(core::ErrorCode::kInternal, "cannot read back " + path);
  return static_cast<int64_t>(written.tellg());
}

void ReportExportRunner::StoreChunks(int64_t id, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read back " + path);
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    tx.Execute("DELETE FROM report_export_chunks WHERE export_id = $1", {Int(id)});
  });
  std::string chunk(kChunkBytes, '\0');
  for (int64_t seq = 0;; ++seq) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0 && seq > 0) break;
    storage::InTransaction(db_, [&](storage::Transaction& tx) {
      tx.Execute("INSERT INTO report_export_chunks (export_id, seq, content) VALUES ($1, $2, $3)",
                 {Int(id), Int(seq), Text(core::Base64UrlEncode(std::string_view(chunk).substr(0, got)))});
    });
    if (got < chunk.size()) break;
  }
  if (in.bad()) throw std::runtime_error("cannot read back " + path);
}

void ReportExportRunner::Run(int64_t id, ReportFilter filter, ExportFormat format,
                             std::string language) {
  const std::string path = work_dir_ + "/report-export-" + std::to_string(id) + "." +
                         std::string(ExportFormatName(format));
  core::Result<int64_t> file = core::MakeError(core::ErrorCode::kInternal, "");
  try {
    file = Produce(id, filter, format, language, path);
    if (file) StoreChunks(id, path);
  } catch (const std::exception& e) {
    file = core::MakeError(core::ErrorCode::kInternal, std::string("export failed: ") + e.what());
  }
  std::remove(path.c_str());
  const int64_t now = clock_.NowMillis();
  try {
    storage::InTransaction(db_, [&](storage::Transaction& tx) {
      if (file) {
        const bool stored =
            tx.Execute(
                  "UPDATE report_exports SET state = 'done', size_bytes = $1, "
                  "rows_done = rows_total, updated_at = $2, finished_at = $2 "
                  "WHERE id = $3 AND state = 'running'",
                  {Int(*file), Int(now), Int(id)})
                .affected_rows > 0;
        // Removed meanwhile (a lead in it was erased): its chunks go too.
        if (!stored) {
          tx.Execute("DELETE FROM report_export_chunks WHERE export_id = $1", {Int(id)});
        }
      } else {
        tx.Execute("DELETE FROM report_export_chunks WHERE export_id = $1", {Int(id)});
        tx.Execute(
            "UPDATE report_exports SET state = 'failed', error = $1, updated_at = $2, "
            "finished_at = $2 WHERE id = $3 AND state = 'running'",
            {Text(file.error().message), Int(now), Int(id)});
      }
    });
  } catch (const std::exception& e) {
    log_.Error("report export could not be recorded", {{"export_id", id}, {"error", e.what()}});
    return;
  }
  if (file) {
    log_.Info("report export done", {{"export_id", id}, {"bytes", *file}});
  } else {
    log_.Warn("report export failed", {{"export_id", id}, {"error", file.error().message}});
  }
}

std::optional<ReportExport> ReportExportRunner::Get(int64_t id) {
  const int64_t now = clock_.NowMillis();
  return storage::InTransaction(
      db_,
      [&](storage::Transaction& tx) -> std::optional<ReportExport> {
        auto rows = tx.Execute(std::string("SELECT ") + kColumns +
                                   " FROM report_exports WHERE id = $1 AND expires_at >= $2",
                               {Int(id), Int(now)});
        if (rows.rows.empty()) return std::nullopt;
        return ReadExport(rows.rows[0]);
      },
      false);
}

std::vector<ReportExport> ReportExportRunner::List(int limit) {
  const int64_t now = clock_.NowMillis();
  return storage::InTransaction(
      db_,
      [&](storage::Transaction& tx) {
        std::vector<ReportExport> out;
        for (const auto& row :
             tx.Execute(std::string("SELECT ") + kColumns +
                            " FROM report_exports WHERE expires_at >= $1 ORDER BY id DESC LIMIT $2",
                        {Int(now), Int(limit)})
                 .rows) {
          out.push_back(ReadExport(row));
        }
        return out;
      },
      false);
}

core::Result<ExportFile> ReportExportRunner::File(int64_t id) {
  auto found = Get(id);
  if (!found) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "export " + std::to_string(id) + " does not exist or has expired",
                           "export_not_found");
  }
  if (found->state != "done") {
    return core::MakeError(core::ErrorCode::kConflict,
                           found->state == "failed"
                               ? "export " + std::to_string(id) + " failed: " + found->error
                               : "export " + std::to_string(id) + " is still being made",
                           "export_not_ready");
  }
  ExportFile file{found->file_name, found->content_type, {}};
  file.bytes.reserve(static_cast<size_t>(std::max<int64_t>(found->size_bytes, 0)));
  // A chunk at a time: the base64 text of one chunk is all that is held beside the file.
  std::string decoded;
  for (int64_t seq = 0;; ++seq) {
    auto chunk = storage::InTransaction(
        db_,
        [&](storage::Transaction& tx) -> std::optional<std::string> {
          auto rows = tx.Execute(
              "SELECT content FROM report_export_chunks WHERE export_id = $1 AND seq = $2",
              {Int(id), Int(seq)});
          if (rows.rows.empty()) return std::nullopt;
          return rows.rows[0].GetText(0);
        },
        false);
    if (!chunk) {
      if (seq > 0) break;
      // Made before the chunks table: the whole file is in report_exports.content.
      auto content = storage::InTransaction(
          db_,
          [&](storage::Transaction& tx) {
            auto rows = tx.Execute("SELECT content FROM report_exports WHERE id = $1", {Int(id)});
            return rows.rows.empty() || rows.rows[0].IsNull(0) ? std::string()
                                                               : rows.rows[0].GetText(0);
          },
          false);
      if (!core::Base64UrlDecode(content, &file.bytes)) break;
      return file;
    }
    if (!core::Base64UrlDecode(*chunk, &decoded)) {
      return core::MakeError(core::ErrorCode::kInternal, "the stored export is damaged");
    }
    file.bytes += decoded;
  }
  if (static_cast<int64_t>(file.bytes.size()) != found->size_bytes) {
    return core::MakeError(core::ErrorCode::kInternal, "the stored export is damaged");
  }
  return file;
}

nlohmann::json ReportExportJson(const ReportExport& e) {
  const ReportFilter& f = e.filter;
  nlohmann::json j = {
      {"id", e.id},
      {"format", e.format},
      {"language", e.language},
      {"from", f.from_day},
      {"to", f.to_day},
      {"campaign_id", f.campaign_id ? nlohmann::json(*f.campaign_id) : nlohmann::json()},
      {"list_id", f.list_id ? nlohmann::json(*f.list_id) : nlohmann::json()},
      {"state", e.state},
      {"rows_total", e.rows_total},
      {"rows_done", e.rows_done},
      {"file_name", e.file_name},
      {"size_bytes", e.size_bytes},
      {"error", e.error.empty() ? nlohmann::json() : nlohmann::json(e.error)},
      {"created_by", e.created_by},
      {"created_at", core::FormatIso8601Utc(e.created_at)},
      {"finished_at",
       e.finished_at ? nlohmann::json(core::FormatIso8601Utc(*e.finished_at)) : nlohmann::json()},
      {"expires_at", core::FormatIso8601Utc(e.expires_at)},
      {"download_url", e.state == "done" ? nlohmann::json("/api/v1/reports/exports/" +
                                                          std::to_string(e.id) + "/file")
                                         : nlohmann::json()}};
  return j;
}

}  // namespace vaarta::reports
