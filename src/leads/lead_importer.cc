#include "leads/lead_importer.h"

#include <unicode/unistr.h>

#include <unordered_map>

#include "leads/import/column_mapping.h"
#include "leads/import/record_reader.h"
#include "leads/lead_row_parser.h"
#include "leads/parsed_row_stream.h"
#include "leads/phone/phone_normalizer.h"

namespace vaarta::leads {
namespace {

constexpr size_t kBatch = 5000;
constexpr size_t kMaxWarnings = 50;

struct HeaderRead {
  import::RawRecord record;
  std::vector<std::string> headers;
};

core::Result<HeaderRead> ReadHeader(import::RecordReader& reader) {
  HeaderRead out;
  while (true) {
    auto more = reader.Next(&out.record);
    if (!more) return more.error();
    if (!*more) {
      return core::MakeError(
          core::ErrorCode::kInvalidArgument,
          "the file has no rows: expected a header row and then one row per lead", "empty_file");
    }
    if (!out.record.error.empty()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "the header row cannot be read: " + out.record.error,
                             "malformed_header");
    }
    bool blank = std::all_of(out.record.cells.begin(), out.record.cells.end(),
                             [](const std::string& c) { return Trim(c).empty(); });
    if (!blank) break;
  }
  for (const auto& cell : out.record.cells) out.headers.push_back(Trim(cell));
  return out;
}

void AddWarning(std::vector<std::string>* warnings, int64_t* dropped, const std::string& text) {
  if (warnings->size() < kMaxWarnings)
    warnings->push_back(text);
  else
    ++*dropped;
}

}  // namespace

LeadImporter::LeadImporter(storage::Database& db, const core::Clock& clock,
                           const PhoneNormalizer& phones, ImportChecks checks)
    : db_(db), clock_(clock), phones_(phones), checks_(std::move(checks)) {}

core::Result<ImportPreview> LeadImporter::Preview(import::RecordReader& reader,
                                                  const std::vector<std::string>& column_maps,
                                                  int rows) {
  auto header = ReadHeader(reader);
  if (!header) return header.error();
  auto mapping = import::MapColumns(header->headers, column_maps);
  if (!mapping) return mapping.error();
  ImportPreview preview;
  preview.headers = header->headers;
  for (const auto& [field, index] : mapping->fields) {
    preview.mapping.emplace_back(std::string(import::LeadFieldName(field)),
                                 header->headers[static_cast<size_t>(index)]);
  }
  for (const auto& [index, name] : mapping->custom) preview.custom_columns.push_back(name);
  preview.notes = mapping->notes;
  const auto& facts = reader.facts();
  preview.format = facts.format;
  preview.encoding = facts.encoding;
  preview.delimiter = std::string(1, facts.delimiter);
  preview.warnings = facts.warnings;
  LeadRowParser parser(phones_, *mapping, header->headers, "preview");
  import::RawRecord record;
  while (static_cast<int>(preview.rows.size()) < rows) {
    auto more = reader.Next(&record);
    if (!more) return more.error();
    if (!*more) break;
    ParsedRow parsed = parser.Parse(record);
    if (!parsed.lead && !parsed.refusal) continue;
    nlohmann::json row = {{"row", record.row}, {"cells", record.cells}};
    if (parsed.refusal) {
      row["outcome"] = "invalid";
      row["reason"] = parsed.refusal->reason;
      row["message"] = parsed.refusal->message;
    } else {
      row["outcome"] = "valid";
      row["e164"] = *parsed.lead->phone_e164;
      row["name"] = parsed.lead->name;
    }
    preview.rows.push_back(std::move(row));
  }
  return preview;
}

core::Result<ImportResult> LeadImporter::Run(import::RecordReader& reader,
                                             const ImportOptions& options, int64_t job_id,
                                             ImportProgress* progress) {
  auto header = ReadHeader(reader);
  if (!header) return header.error();
  auto mapping = import::MapColumns(header->headers, options.column_maps);
  if (!mapping) return mapping.error();
  const int64_t now = clock_.NowMillis();
  std::string source_detail = options.file_name.empty() ? "upload" : options.file_name;
  LeadRowParser parser(phones_, *mapping, header->headers, "file " + source_detail);

  ImportResult result;
  ImportJob& job = result.job;
  job.id = job_id;
  job.file_name = options.file_name;
  job.format = reader.facts().format;
  job.encoding = reader.facts().encoding;
  job.warnings = reader.facts().warnings;
  int64_t dropped_warnings = 0;
  ImportSummary& summary = job.summary;

  // One write transaction for the whole import: all or nothing.
  auto tx = db_.Begin(true);
  leads_.PrepareForBulkInsert(*tx);
  std::optional<LeadList> list;
  if (!options.list_name.empty())
    list = lists_.FindOrCreate(*tx, options.list_name, options.actor, now);
  job.list_id = list ? std::optional<int64_t>(list->id) : std::nullopt;

  // Numbers already stored, for duplicate checks: the whole book, or just the list.
  const bool list_scope = options.scope == DedupeScope::kList && list;
  std::unordered_set<std::string> stored = leads_.AllPhones(*tx);
  std::unordered_set<std::string> stored_in_list;
  if (list_scope) stored_in_list = leads_.PhonesInList(*tx, list->id);
  // E.164 numbers have at most 15 digits, so the digits as an integer are a compact,
  // fast key (a million string keys cost a second of hashing and allocation).
  std::unordered_map<uint64_t, int64_t> seen_in_file;  // e164 digits -> first row
  seen_in_file.reserve(
      static_cast<size_t>(std::min<int64_t>(reader.bytes_total() / 40 + 1024, 20000000)));
  auto number_key = [](const std::string& e164) {
    uint64_t key = 0;
    for (size_t i = 1; i < e164.size(); ++i) key = key * 10 + static_cast<uint64_t>(e164[i] - '0');
    return key;
  };
  std::unordered_map<std::string, std::optional<int64_t>> owners;  // e-mail -> user id

  std::vector<Lead> batch;
  std::vector<std::pair<int64_t, std::string>> batch_notes;  // (lead id index in batch, note)
  std::vector<int64_t> link_to_list;
  batch.reserve(kBatch);

  const DndScrub dnd = checks_.dnd ? checks_.dnd() : DndScrub{};
  auto resolve_owner = [&](const std::string& email) -> std::optional<int64_t> {
    auto it = owners.find(email);
    if (it != owners.end()) return it->second;
    auto rows = tx->Execute("SELECT id FROM users WHERE email = $1", {storage::Text(email)}).rows;
    std::optional<int64_t> id;
    if (!rows.empty()) id = rows[0].GetInt(0);
    owners[email] = id;
    return id;
  };

  auto flush = [&]() {
    if (batch.empty()) return;
    std::vector<std::string> numbers;
    numbers.reserve(batch.size());
    for (const auto& l : batch) numbers.push_back(*l.phone_e164);
    std::unordered_set<std::string> suppressed;
    if (checks_.suppressed) suppressed = checks_.suppressed(numbers);
    std::vector<int64_t> ids = leads_.ReserveIds(*tx, batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      Lead& l = batch[i];
      l.id = ids[i];
      l.import_job_id = job_id;
      l.created_at = l.updated_at = now;
      l.dnd_state = dnd.state ? dnd.state(*l.phone_e164) : "unknown";
      l.dnd_checked_on = dnd.registry_date;
      if (l.dnd_state == "blocked" || l.dnd_state == "partial") ++summary.dnd_blocked;
      if (suppressed.count(*l.phone_e164)) {
        l.status = "do_not_call";
        ++summary.do_not_call;
      }
    }
    // Note events need the ids, which the insert below moves away with the leads.
    std::vector<std::vector<storage::Value>> events;
    for (const auto& [index, note] : batch_notes) {
      events.push_back(
          {storage::Int(batch[static_cast<size_t>(index)].id), storage::Int(now),
           storage::Text("note"), storage::Text(options.actor),
           storage::Text(nlohmann::json{{"text", note}, {"import_job_id", job_id}}.dump())});
    }
    leads_.InsertMany(*tx, std::move(batch), job.list_id, now);
    tx->InsertRows("lead_events", {"lead_id", "at", "kind", "actor", "data"}, events);
    batch.clear();
    batch_notes.clear();
  };

  // Reading and parsing run a chunk ahead on their own thread; checking and storing
  // stay here, on the transaction's thread.
  ParsedRowStream stream(reader, parser, progress);
  while (true) {
    auto chunk = stream.Next();
    if (!chunk) return chunk.error();  // the transaction rolls back
    if (chunk->empty()) break;
    if (progress && progress->on_chunk) progress->on_chunk();
    for (ParsedRecord& record : *chunk) {
      if (progress) {
        progress->rows.store(summary.total, std::memory_order_relaxed);
        if ((summary.total & 1023) == 0 && progress->cancel.load()) {
          return core::MakeError(
              core::ErrorCode::kConflict,
              "the import was cancelled; nothing was stored, and it can be run again",
              "import_cancelled");
        }
      }
      ParsedRow& parsed = record.parsed;
      ++summary.total;
      for (const auto& w : parsed.warnings) AddWarning(&job.warnings, &dropped_warnings, w);
      if (parsed.refusal) {
        ++summary.invalid;
        result.rejects.push_back(std::move(*parsed.refusal));
        continue;
      }
      Lead& lead = *parsed.lead;
      const std::string& e164 = *lead.phone_e164;
      const uint64_t key = number_key(e164);
      if (auto first = seen_in_file.find(key); first != seen_in_file.end()) {
        ++summary.duplicates;
        result.rejects.push_back({record.row, "duplicate", "duplicate_in_file",
                                  "row " + std::to_string(record.row) + ": " + e164 +
                                      " is the same number as row " +
                                      std::to_string(first->second) + "; the first row was kept",
                                  record.original, e164});
        continue;
      }
      seen_in_file.emplace(key, record.row);
      if (!parsed.owner_email.empty()) {
        std::string owner_email;
        icu::UnicodeString::fromUTF8(parsed.owner_email).toLower().toUTF8String(owner_email);
        lead.owner_id = resolve_owner(owner_email);
        if (!lead.owner_id) {
          AddWarning(&job.warnings, &dropped_warnings,
                     "row " + std::to_string(record.row) + ": owner '" + parsed.owner_email +
                         "' is not a user; the lead was left unassigned");
        }
      }
      bool in_scope = list_scope ? stored_in_list.count(e164) > 0 : stored.count(e164) > 0;
      std::optional<Lead> existing;
      if (stored.count(e164)) existing = leads_.FindByPhone(*tx, e164);
      if (existing && existing->erased_at) existing.reset();
      if (existing && (in_scope || options.update_existing)) {
        if (!options.update_existing) {
          ++summary.duplicates;
          result.rejects.push_back({record.row, "duplicate", "already_stored",
                                    "row " + std::to_string(record.row) + ": " + e164 +
                                        " is already lead " + std::to_string(existing->id) +
                                        (list_scope ? " in this list" : "") +
                                        "; use --update to update it",
                                    record.original, e164});
          continue;
        }
        // Update: the file's non-empty values replace the stored ones.
        Lead updated = *existing;
        if (!lead.name.empty()) updated.name = lead.name;
        if (!lead.email.empty()) updated.email = lead.email;
        if (!lead.language.empty()) updated.language = lead.language;
        if (!lead.city.empty()) updated.city = lead.city;
        if (!lead.state.empty()) updated.state = lead.state;
        for (const auto& tag : lead.tags) {
          if (std::find(updated.tags.begin(), updated.tags.end(), tag) == updated.tags.end())
            updated.tags.push_back(tag);
        }
        for (auto& [k, v] : lead.custom.items()) updated.custom[k] = v;
        if (lead.owner_id) updated.owner_id = lead.owner_id;
        updated.updated_at = now;
        leads_.Update(*tx, updated);
        leads_.AppendEvent(*tx, {0,
                                 updated.id,
                                 now,
                                 "update",
                                 options.actor,
                                 {{"import_job_id", job_id}, {"row", record.row}}});
        if (job.list_id) leads_.AddToList(*tx, *job.list_id, {updated.id}, job_id, now);
        ++summary.updated;
        continue;
      }
      if (existing) {
        // List scope: the number is a lead already, in another list. One lead per number,
        // so the existing lead joins this list.
        leads_.AddToList(*tx, *job.list_id, {existing->id}, job_id, now);
        leads_.AppendEvent(*tx,
                           {0,
                            existing->id,
                            now,
                            "import",
                            options.actor,
                            {{"import_job_id", job_id}, {"row", record.row}, {"linked", true}}});
        ++summary.imported;
        continue;
      }
      if (!parsed.note.empty())
        batch_notes.emplace_back(static_cast<int64_t>(batch.size()), parsed.note);
      batch.push_back(std::move(lead));
      ++summary.imported;
      if (batch.size() >= kBatch) flush();
    }
  }
  flush();
  if (dropped_warnings > 0)
    job.warnings.push_back("... and " + std::to_string(dropped_warnings) + " more warnings");
  if (progress) progress->rows.store(summary.total);
  if (options.dry_run) {
    job.status = "dry_run";
    return result;  // the transaction rolls back
  }
  job.status = "completed";
  job.finished_at = clock_.NowMillis();
  jobs_.InsertRejects(*tx, job_id, result.rejects);
  jobs_.Finish(*tx, job);
  tx->Commit();
  return result;
}

}  // namespace vaarta::leads
