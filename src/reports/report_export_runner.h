#pragma once
// ReportExportRunner: makes report files (CSV, XLSX, PDF) in background threads, with
// progress a page can poll, and keeps each finished file for a day. A job row is written
// before the work starts, so a poll finds it at once. The file is stored in the database
// (see migration 0009), so on PostgreSQL any server can hand out a file another made.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "core/result.h"
#include "reports/call_report.h"
#include "storage/database.h"

namespace vaarta::reports {

enum class ExportFormat { kCsv, kXlsx, kPdf };
std::optional<ExportFormat> ParseExportFormat(std::string_view name);
std::string_view ExportFormatName(ExportFormat format);

// How long a finished file is kept, and the most calls one CSV or XLSX export holds.
inline constexpr int64_t kExportLifetimeMillis = 24LL * 3600 * 1000;
inline constexpr int64_t kMaxExportRows = 5'000'000;

struct ReportExport {
  int64_t id = 0;
  std::string format;
  std::string language;
  ReportFilter filter;
  std::string state;  // running | done | failed
  int64_t rows_total = 0;
  int64_t rows_done = 0;
  std::string file_name;
  std::string content_type;
  int64_t size_bytes = 0;
  std::string error;
  std::string created_by;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::optional<int64_t> finished_at;
  int64_t expires_at = 0;
};

struct ExportFile {
  std::string file_name;
  std::string content_type;
  std::string bytes;
};

class ReportExportRunner {
 public:
  // `work_dir` holds the workbook while libxlsxwriter writes it.
  ReportExportRunner(storage::Database& db, const core::Clock& clock, const core::Logger& log,
                     std::string work_dir);
  ~ReportExportRunner();  // stops running jobs (they end failed) and waits for them

  // Checks the filter's campaign and list, records the job and starts it.
  core::Result<ReportExport> Start(const ReportFilter& filter, ExportFormat format,
                                   const std::string& language, const std::string& created_by);
  std::optional<ReportExport> Get(int64_t id);
  // Unexpired exports, newest first.
  std::vector<ReportExport> List(int limit);
  // kNotFound for no such (or an expired) export; kConflict while it runs or when it failed.
  core::Result<ExportFile> File(int64_t id);
  // Jobs left running by a process that died are marked failed: on SQLite all of them (one
  // process owns the database), on PostgreSQL those whose progress has not moved for
  // two minutes.
  void RecoverInterrupted();
  // A lead was erased (DPDP erasure reaches exports): every CSV and XLSX file made or being
  // made, which may list the lead's calls, is deleted and its job says why. PDFs hold
  // counts, not people, and stay. Runs inside the erasure's transaction.
  void ForgetCallLists(storage::Transaction& tx);

 private:
  struct Job {
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void Run(int64_t id, ReportFilter filter, ExportFormat format, std::string language);
  // Writes the file to `path` (in the work folder); returns its size in bytes.
  core::Result<int64_t> Produce(int64_t id, const ReportFilter& filter, ExportFormat format,
                                const std::string& language, const std::string& path);
  // Copies the file at `path` into report_export_chunks, a chunk per transaction.
  void StoreChunks(int64_t id, const std::string& path);
  void Progress(int64_t id, int64_t rows_done, int64_t rows_total);
  void ReapFinished();

  storage::Database& db_;
  const core::Clock& clock_;
  const core::Logger& log_;
  std::string work_dir_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::map<int64_t, std::unique_ptr<Job>> jobs_;
};

nlohmann::json ReportExportJson(const ReportExport& e);

}  // namespace vaarta::reports
