#include "leads/import_job_repository.h"

namespace vaarta::leads {
namespace {

using storage::Int;
using storage::OptInt;
using storage::Text;

constexpr const char* kColumns =
    "id, list_id, file_name, format, encoding, options, status, total, imported, updated, "
    "duplicates, invalid, "
    "dnd_blocked, warnings, error, created_by, created_at, finished_at, do_not_call";

ImportJob FromRow(const storage::Row& r) {
  ImportJob j;
  j.id = r.GetInt(0);
  j.list_id = r.GetOptInt(1);
  j.file_name = r.GetText(2);
  j.format = r.GetText(3);
  j.encoding = r.GetText(4);
  j.options = r.GetText(5);
  j.status = r.GetText(6);
  j.summary.total = r.GetInt(7);
  j.summary.imported = r.GetInt(8);
  j.summary.updated = r.GetInt(9);
  j.summary.duplicates = r.GetInt(10);
  j.summary.invalid = r.GetInt(11);
  j.summary.dnd_blocked = r.GetInt(12);
  auto warnings = nlohmann::json::parse(r.GetText(13), nullptr, false);
  if (warnings.is_array()) {
    for (const auto& w : warnings) {
      if (w.is_string()) j.warnings.push_back(w.get<std::string>());
    }
  }
  j.error = r.GetText(14);
  j.created_by = r.GetText(15);
  j.created_at = r.GetInt(16);
  j.finished_at = r.GetOptInt(17);
  j.summary.do_not_call = r.GetInt(18);
  return j;
}

}  // namespace

int64_t ImportJobRepository::Create(storage::Transaction& tx, const ImportJob& j) {
  return tx
      .Execute(
          "INSERT INTO import_jobs (list_id, file_name, format, encoding, options, status, "
          "created_by, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
          {OptInt(j.list_id), Text(j.file_name), Text(j.format), Text(j.encoding), Text(j.options),
           Text(j.status), Text(j.created_by), Int(j.created_at)})
      .rows[0]
      .GetInt(0);
}

std::optional<ImportJob> ImportJobRepository::FindById(storage::Transaction& tx, int64_t id) {
  auto rows =
      tx.Execute(std::string("SELECT ") + kColumns + " FROM import_jobs WHERE id = $1", {Int(id)})
          .rows;
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::vector<ImportJob> ImportJobRepository::List(storage::Transaction& tx, int64_t before_id,
                                                 int limit) {
  std::vector<ImportJob> out;
  for (const auto& row :
       tx.Execute(std::string("SELECT ") + kColumns +
                      " FROM import_jobs WHERE ($1 = 0 OR id < $1) ORDER BY id DESC LIMIT $2",
                  {Int(before_id), Int(limit)})
           .rows) {
    out.push_back(FromRow(row));
  }
  return out;
}

void ImportJobRepository::Finish(storage::Transaction& tx, const ImportJob& j) {
  tx.Execute(
      "UPDATE import_jobs SET status = $2, total = $3, imported = $4, updated = $5, duplicates = "
      "$6, invalid = $7, "
      "dnd_blocked = $8, warnings = $9, error = $10, finished_at = $11, format = $12, encoding = "
      "$13, list_id = $14, "
      "do_not_call = $15 WHERE id = $1",
      {Int(j.id), Text(j.status), Int(j.summary.total), Int(j.summary.imported),
       Int(j.summary.updated), Int(j.summary.duplicates), Int(j.summary.invalid),
       Int(j.summary.dnd_blocked), Text(nlohmann::json(j.warnings).dump()), Text(j.error),
       OptInt(j.finished_at), Text(j.format), Text(j.encoding), OptInt(j.list_id),
       Int(j.summary.do_not_call)});
}

void ImportJobRepository::FailUnfinished(storage::Transaction& tx, int64_t now) {
  tx.Execute(
      "UPDATE import_jobs SET status = 'failed', error = 'interrupted: the server stopped before "
      "the import "
      "finished; nothing was stored, run it again', finished_at = $1 WHERE status IN ('queued', "
      "'running')",
      {Int(now)});
}

void ImportJobRepository::InsertRejects(storage::Transaction& tx, int64_t job_id,
                                        const std::vector<RowOutcome>& rejects) {
  std::vector<std::vector<storage::Value>> rows;
  rows.reserve(rejects.size());
  for (const auto& r : rejects) {
    rows.push_back({Int(job_id), Int(r.row), r.e164.empty() ? storage::Null() : Text(r.e164),
                    Text(r.outcome), Text(r.reason), Text(r.message), Text(r.original)});
  }
  tx.InsertRows("import_rejects",
                {"job_id", "row_number", "phone_e164", "outcome", "reason", "message", "original"},
                rows);
}

std::vector<RowOutcome> ImportJobRepository::Rejects(storage::Transaction& tx, int64_t job_id,
                                                     int64_t after_row, int limit) {
  std::vector<RowOutcome> out;
  for (const auto& r :
       tx.Execute(
             "SELECT row_number, outcome, reason, message, original, phone_e164 FROM "
             "import_rejects WHERE job_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3",
             {Int(job_id), Int(after_row), Int(limit)})
           .rows) {
    out.push_back(
        {r.GetInt(0), r.GetText(1), r.GetText(2), r.GetText(3), r.GetText(4), r.GetText(5)});
  }
  return out;
}

}  // namespace vaarta::leads
