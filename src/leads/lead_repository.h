#pragma once
// LeadRepository: all SQL about leads, their tags, list memberships and timeline.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "leads/lead.h"
#include "storage/database.h"

namespace vaarta::leads {

struct LeadFilter {
  std::optional<int64_t> list_id;
  std::optional<std::string> status;
  std::optional<std::string> tag;
  std::optional<std::string> language;
  std::optional<std::string> dnd_state;
  std::optional<int64_t> owner_id;
  std::optional<std::string> text;  // case-folded substring of name, phone digits or e-mail
  std::vector<std::string> phones;  // any of these E.164 numbers (uses the phone index)
};

class LeadRepository {
 public:
  // Newest first: leads with id < before_id (0 = from the newest), at most limit.
  std::vector<Lead> List(storage::Transaction& tx, const LeadFilter& filter, int64_t before_id,
                         int limit);
  std::optional<Lead> FindById(storage::Transaction& tx, int64_t id);
  std::optional<Lead> FindByPhone(storage::Transaction& tx, const std::string& e164);
  // Every phone number held by a lead (for duplicate checks of large imports).
  std::unordered_set<std::string> AllPhones(storage::Transaction& tx);
  // Phones of the leads in one list.
  std::unordered_set<std::string> PhonesInList(storage::Transaction& tx, int64_t list_id);

  // Tunes the connection for a large insert (SQLite: a page cache big enough for the
  // indexes, so pages are not written out and read back mid-import).
  void PrepareForBulkInsert(storage::Transaction& tx);
  // Reserves `count` lead ids for a bulk insert (the caller holds the write transaction).
  std::vector<int64_t> ReserveIds(storage::Transaction& tx, size_t count);
  // Inserts leads whose ids were reserved, with their tags and the given list membership.
  // Takes the leads by value: their strings move into the statement instead of being
  // copied (a million-row import moves ~20 million strings).
  void InsertMany(storage::Transaction& tx, std::vector<Lead> leads, std::optional<int64_t> list_id,
                  int64_t now);
  // Updates the editable fields of an existing lead (and replaces its tags).
  void Update(storage::Transaction& tx, const Lead& lead);
  // Adds existing leads to a list (ignores those already in it).
  void AddToList(storage::Transaction& tx, int64_t list_id, const std::vector<int64_t>& lead_ids,
                 std::optional<int64_t> import_job_id, int64_t now);
  void AddTag(storage::Transaction& tx, const std::vector<int64_t>& lead_ids,
              const std::string& tag);
  void RemoveTag(storage::Transaction& tx, const std::vector<int64_t>& lead_ids,
                 const std::string& tag);
  void SetStatus(storage::Transaction& tx, int64_t id, const std::string& status, int64_t now);

  // Removes personal data but keeps the row (id, status "erased", erased_at) so that
  // counts and references stay consistent; deletes tags, memberships and events.
  void Erase(storage::Transaction& tx, int64_t id, int64_t now);

  void AppendEvent(storage::Transaction& tx, const LeadEvent& event);
  std::vector<LeadEvent> Events(storage::Transaction& tx, int64_t lead_id, int64_t before_id,
                                int limit);

 private:
  // One query of List, optionally limited to `among_ids` (a window of search results).
  std::vector<Lead> ListWhere(storage::Transaction& tx, const LeadFilter& filter, int64_t before_id,
                              int limit, const std::vector<int64_t>* among_ids);
};

}  // namespace vaarta::leads
