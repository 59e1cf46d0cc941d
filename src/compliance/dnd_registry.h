#pragma once
// DndRegistry: India's NCPR ("DND") registry as the product holds it. A registry file is
// loaded (whole, or a day's additions or removals) into a snapshot in the data folder
// (DndSnapshot); servers map the newest snapshot and answer, per number, whether a call
// of a campaign's category and mode is blocked and why.
//
// A registry is trusted only on the day (in IST) it was produced. After that it is
// stale and nobody may dial on it, unless an admin overrides for the current IST day
// with a reason; loads and overrides are recorded in the database and audited.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "compliance/dnd_preference.h"
#include "compliance/dnd_registry_file.h"
#include "compliance/dnd_snapshot.h"
#include "compliance/do_not_call_list.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace vaarta::compliance {

struct DndLoadOptions {
  DndLoadMode mode = DndLoadMode::kReplace;
  std::string registry_date;  // YYYY-MM-DD; empty: today in IST
  // Load the valid lines of a file with errors (numbers with an unreadable preference
  // are kept as fully blocked). Without it, any error refuses the whole file.
  bool allow_invalid = false;
  std::string file_name;  // for the record; the path's last part when empty
};

struct DndLoadReport {
  int64_t load_id = 0;
  std::string registry_date;
  DndLoadMode mode = DndLoadMode::kReplace;
  int64_t lines = 0, listed = 0, duplicates = 0, invalid = 0;
  uint64_t numbers_before = 0, numbers_after = 0, partial_after = 0;
  int64_t duration_ms = 0;
  std::vector<DndLineError> errors;  // the first ones
  std::vector<std::string> warnings;
  nlohmann::json ToJson() const;
};

// The answer for one number.
struct DndVerdict {
  bool indian = false;  // only Indian numbers can be on the registry
  bool listed = false;
  bool blocked = false;
  std::string reason;  // for a person: why blocked, or why not
  std::optional<DndPreference> preference;
  nlohmann::json ToJson() const;
};

struct DndStatus {
  bool loaded = false;
  std::string registry_date;  // of the loaded snapshot
  std::string today_ist;
  bool stale = true;
  bool overridden = false;  // an admin accepted the stale registry for today
  bool usable = false;      // loaded and (fresh or overridden): dialling may go on
  std::string reason;       // why not usable, for a person
  uint64_t numbers = 0, partial = 0, bytes = 0;
  int64_t snapshot_created_at_ms = 0;
  nlohmann::json last_load;  // null when never loaded
  nlohmann::json override_;  // today's override, null when none
  nlohmann::json ToJson() const;
};

class DndRegistry {
 public:
  // Snapshots live in `directory` (created when missing).
  DndRegistry(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
              std::string directory);

  // Reads the registry file at `path` and makes the new snapshot current. One load at a
  // time per data folder (a lock file); errors leave the current snapshot as it was.
  core::Result<DndLoadReport> Load(const std::string& path, const DndLoadOptions& options,
                                   const Actor& actor);

  // The current snapshot (null when none is loaded). A snapshot written by another
  // process (the CLI's 'dnd load') is picked up within a second.
  std::shared_ptr<const DndSnapshot> Current() const;

  // Whether a call of `category` (1-8; 0 = unspecified: a listing for any category counts) and
  // `mode` to `e164` is blocked; `at_ms` (when
  // given) also checks the customer's allowed time bands and days at that instant, in IST.
  static DndVerdict Check(const DndSnapshot* snapshot, const std::string& e164, int category,
                          DndCallMode mode, std::optional<int64_t> at_ms);
  // The registry's whole answer for a call: not blocked, and (for an Indian number) the
  // registry usable today. What a caller should act on; `blocked` alone does not know
  // that the registry has gone stale.
  static bool MayCall(const DndVerdict& verdict, const DndStatus& status) {
    return !verdict.blocked && (!verdict.indian || status.usable);
  }
  // The lead's recorded state: "blocked" (every category and mode), "partial" (listed
  // with a partial preference), "clear" (not listed, or not an Indian number), or
  // "unknown" (no registry loaded).
  static std::string LeadState(const DndSnapshot* snapshot, const std::string& e164);

  core::Result<DndStatus> Status() const;
  // Accepts the stale registry for the rest of today (IST). Admins only (checked by the
  // caller); `reason` is required and recorded.
  core::Result<nlohmann::json> Override(const std::string& reason, const Actor& actor);

  const std::string& directory() const { return directory_; }
  std::string snapshot_path() const { return directory_ + "/registry.snap"; }

 private:
  storage::Database& db_;
  const core::Clock& clock_;
  audit::AuditLog& audit_;
  std::string directory_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const DndSnapshot> current_;
  mutable uint64_t current_inode_ = 0;
  mutable int64_t current_mtime_ns_ = 0;
  mutable int64_t checked_at_ms_ = -1;
};

}  // namespace vaarta::compliance
