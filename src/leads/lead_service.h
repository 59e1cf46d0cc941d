#pragma once
// LeadService: what people and API clients do to leads after import: list and read,
// edit, tag, note, and erase (DPDP): personal data removed everywhere, suppression
// hashes and an audit record kept.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/clock.h"
#include "core/result.h"
#include "leads/lead.h"
#include "leads/lead_list_repository.h"
#include "leads/lead_repository.h"
#include "storage/database.h"

namespace vaarta::leads {

struct LeadChange {
  std::optional<std::string> name, email, language, city, state, time_zone, status;
  std::optional<std::optional<int64_t>> owner_id;  // set to nullopt to unassign
  std::optional<std::vector<std::string>> tags;    // replaces the tags
  std::optional<nlohmann::json> custom;            // merged; a null value removes a key
};

// Who acts, for audit records and lead events.
struct Actor {
  std::string name;  // "user:3:a@b.in", "apikey:...", "cli:..."
  std::string role;
  std::string address;
  std::string request_id;
};

// Runs inside the erasure's transaction for each erased number, so other modules
// (do-not-call list, consent ledger, later recordings) drop their plaintext copies.
using ErasureHook = std::function<void(storage::Transaction& tx, const std::string& e164)>;

// Events other modules keep about a number (consent given or withdrawn, do-not-call
// entries), merged into the lead's timeline.
using TimelineSource = std::function<std::vector<LeadEvent>(const std::string& e164)>;

class LeadService {
 public:
  LeadService(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit);
  void AddErasureHook(ErasureHook hook) { erasure_hooks_.push_back(std::move(hook)); }
  void AddTimelineSource(TimelineSource source) { timeline_sources_.push_back(std::move(source)); }

  std::vector<Lead> List(const LeadFilter& filter, int64_t before_id, int limit);
  core::Result<Lead> Get(int64_t id);
  core::Result<Lead> Update(int64_t id, const LeadChange& change, const Actor& actor);
  // Adds and removes tags on many leads at once (at most 10,000 ids).
  core::Status BulkTag(const std::vector<int64_t>& ids, const std::vector<std::string>& add,
                       const std::vector<std::string>& remove, const Actor& actor);
  core::Result<LeadEvent> AddNote(int64_t id, const std::string& text, const Actor& actor);
  // Newest first; the import that created the lead is part of its timeline.
  core::Result<std::vector<LeadEvent>> Timeline(int64_t id, int64_t before_id, int limit);
  // Erasure: idempotent; the second call finds nothing left to erase and says so.
  core::Status Erase(int64_t id, const std::string& reason, const Actor& actor);
  std::vector<LeadList> Lists();

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  LeadRepository leads_;
  LeadListRepository lists_;
  std::vector<ErasureHook> erasure_hooks_;
  std::vector<TimelineSource> timeline_sources_;
};

}  // namespace vaarta::leads
