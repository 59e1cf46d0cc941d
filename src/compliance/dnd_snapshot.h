#pragma once
// DndSnapshot: the DND registry as one file that a server maps into memory and reads in
// place: a header (the registry's date, when it was made, section offsets), the number
// set (DndNumberSet, every listed number), and beside it the rarer numbers with a partial
// preference (sorted numbers, then their packed preferences). A number in the set but
// not among the partial ones is fully blocked.
//
// Files are written to a temporary name, flushed and renamed, so a reader sees the old
// snapshot or the new one, never half of one.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compliance/dnd_number_set.h"
#include "compliance/dnd_preference.h"
#include "core/result.h"

namespace vaarta::compliance {

// Indian numbers are 10 digits: the set's universe.
inline constexpr uint64_t kDndUniverse = 10'000'000'000ULL;

struct DndSnapshotInfo {
  std::string registry_date;  // YYYY-MM-DD: the day the registry file was produced
  int64_t created_at_ms = 0;  // when this snapshot was made
  uint64_t numbers = 0;       // listed numbers, partial ones included
  uint64_t partial = 0;       // numbers with a partial preference
};

// A registry's entries in memory, for building and merging: every listed number, sorted
// and unique, and the partial preferences sorted by number (each number also in `all`).
struct DndEntries {
  std::vector<uint64_t> all;
  std::vector<std::pair<uint64_t, uint32_t>> partial;
};

class DndSnapshot {
 public:
  ~DndSnapshot();
  DndSnapshot(const DndSnapshot&) = delete;
  DndSnapshot& operator=(const DndSnapshot&) = delete;

  // Maps `path` read-only. Errors say what is wrong with the file.
  static core::Result<std::shared_ptr<const DndSnapshot>> Open(const std::string& path);
  // Writes `entries` as a snapshot at `path`, atomically (temporary file, fsync, rename).
  static core::Status Write(const std::string& path, const DndEntries& entries,
                            const std::string& registry_date, int64_t created_at_ms);

  // The preference registered for a 10-digit national number; nullopt when not listed.
  std::optional<DndPreference> Lookup(uint64_t national) const;
  // Every entry, for merging an update.
  DndEntries Entries() const;
  const DndSnapshotInfo& info() const { return info_; }
  uint64_t mapped_bytes() const { return size_; }

 private:
  DndSnapshot() = default;

  DndSnapshotInfo info_;
  DndNumberSet set_;
  const uint64_t* partial_numbers_ = nullptr;
  const uint32_t* partial_prefs_ = nullptr;
  void* map_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace vaarta::compliance
