#pragma once
// DoNotCallRepository: the SQL of the do-not-call list. Rows are found by number_hash
// (the keyed hash of the E.164 number), never by the plaintext, which erasure removes.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "storage/database.h"

namespace vaarta::compliance {

// One entry of the list. Removal is soft: a removed entry stays as history, and adding
// the number again creates a new active entry.
struct DncEntry {
  int64_t id = 0;
  std::string number_hash;
  std::optional<std::string> phone_e164;  // nullopt once the number was erased
  std::string source;                     // "api", "agent_opt_out", "import", "complaint", ...
  std::string reason;                     // "" when none given, and after erasure
  int64_t added_at = 0;
  std::string added_by;
  std::optional<int64_t> removed_at;
  std::optional<std::string> removed_by;
  std::optional<std::string> removal_reason;
  std::optional<int64_t> erased_at;

  bool active() const { return !removed_at.has_value(); }
};

struct DncListFilter {
  std::optional<std::string> number_prefix;  // "+9198": digits only after '+'
  bool include_removed = false;
};

class DoNotCallRepository {
 public:
  // Inserts an active entry unless the number already has one; nullopt in that case
  // (atomic under concurrent adds, through the partial unique index).
  std::optional<DncEntry> InsertIfAbsent(storage::Transaction& tx, const DncEntry& entry);
  std::optional<DncEntry> FindActive(storage::Transaction& tx, const std::string& number_hash);
  std::optional<DncEntry> FindById(storage::Transaction& tx, int64_t id);
  // Every entry of the number, active and removed, newest first.
  std::vector<DncEntry> History(storage::Transaction& tx, const std::string& number_hash);
  // Newest first; before_id 0 starts at the newest.
  std::vector<DncEntry> List(storage::Transaction& tx, const DncListFilter& filter,
                             int64_t before_id, int limit);
  // False when the entry is absent or already removed.
  bool MarkRemoved(storage::Transaction& tx, int64_t id, int64_t at, const std::string& by,
                   const std::string& reason);
  // Which of `hashes` have an active entry (one query; the caller batches).
  std::vector<std::string> ActiveAmong(storage::Transaction& tx,
                                       const std::vector<std::string>& hashes);
  // Every active hash, for checking a large import against the whole list in memory.
  std::unordered_set<std::string> AllActiveHashes(storage::Transaction& tx);
  int64_t CountActive(storage::Transaction& tx);
  // Drops the plaintext number and free text of every entry of the number; returns how
  // many entries still had any.
  int64_t Erase(storage::Transaction& tx, const std::string& number_hash, int64_t at);

  // The stored fingerprint of key `name`, storing `fingerprint` first if there is none.
  std::string StoredKeyFingerprint(storage::Transaction& tx, const std::string& name,
                                   const std::string& fingerprint, int64_t at);
};

}  // namespace vaarta::compliance
