#include "leads/do_not_call_import.h"

#include <algorithm>

#include "leads/import/column_mapping.h"
#include "leads/import/record_reader.h"

namespace vaarta::leads {
namespace {

bool Blank(const import::RawRecord& record) {
  return std::all_of(record.cells.begin(), record.cells.end(), [](const std::string& c) {
    return c.find_first_not_of(" \t") == std::string::npos;
  });
}

}  // namespace

nlohmann::json DncImportSummary::ToJson(size_t max_rejects) const {
  nlohmann::json rejected = nlohmann::json::array();
  for (size_t i = 0; i < rejects.size() && i < max_rejects; ++i) {
    const auto& r = rejects[i];
    rejected.push_back(
        {{"row", r.row}, {"reason", r.reason}, {"message", r.message}, {"original", r.original}});
  }
  return {{"total", total},
          {"added", added},
          {"already_listed", already_listed},
          {"invalid", invalid},
          {"rejects", std::move(rejected)},
          {"rejects_left_out", rejects.size() > max_rejects ? rejects.size() - max_rejects : 0}};
}

core::Result<DncImportSummary> ImportDoNotCallFile(
    storage::Database& db, compliance::DoNotCallList& list, const PhoneNormalizer& phones,
    const std::string& path, const std::string& reason, const compliance::Actor& actor) {
  if (auto ok = compliance::ValidateStoredText("reason", reason,
                                               compliance::DoNotCallList::kMaxReasonBytes);
      !ok) {
    return ok.error();
  }
  auto reader = import::OpenRecordReader(path);
  if (!reader) return reader.error();
  // The first non-blank record: a header, unless one of its cells is a phone number.
  import::RawRecord first;
  while (true) {
    auto more = (*reader)->Next(&first);
    if (!more) return more.error();
    if (!*more) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "the file has no rows: expected one phone number a row", "empty_file");
    }
    if (!Blank(first)) break;
  }
  int column = -1;
  bool first_is_data = false;
  for (size_t i = 0; i < first.cells.size(); ++i) {
    if (phones.Normalize(first.cells[i]).number) {
      column = static_cast<int>(i);
      first_is_data = true;
      break;
    }
  }
  if (column < 0) {
    auto mapping = import::MapColumns(first.cells, {});
    if (!mapping) return mapping.error();  // names the headers found
    column = mapping->fields.at(import::LeadField::kPhone);
  }

  DncImportSummary summary;
  auto tx = db.Begin(true);
  auto take = [&](const import::RawRecord& record) -> core::Status {
    if (Blank(record)) return core::Ok{};
    ++summary.total;
    std::string cell =
        static_cast<size_t>(column) < record.cells.size() ? record.cells[column] : "";
    auto parsed = phones.Normalize(cell);
    if (!record.error.empty() || !parsed.number) {
      ++summary.invalid;
      std::string code =
          !record.error.empty() ? "malformed_row" : std::string(PhoneRefusalCode(parsed.refusal));
      std::string message = !record.error.empty() ? record.error : parsed.message;
      summary.rejects.push_back({record.row, "invalid", code,
                                 "row " + std::to_string(record.row) + ": " + message,
                                 record.original, ""});
      return core::Ok{};
    }
    auto added = list.Add(*tx, parsed.number->e164, "import", reason, actor);
    if (!added) return added.error();
    ++(added->created ? summary.added : summary.already_listed);
    return core::Ok{};
  };
  if (first_is_data) {
    if (auto ok = take(first); !ok) return ok.error();
  }
  import::RawRecord record;
  while (true) {
    auto more = (*reader)->Next(&record);
    if (!more) return more.error();  // the transaction rolls back
    if (!*more) break;
    if (auto ok = take(record); !ok) return ok.error();
  }
  tx->Commit();
  return summary;
}

}  // namespace vaarta::leads
