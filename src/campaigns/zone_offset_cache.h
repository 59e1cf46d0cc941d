#pragma once
// ZoneOffsetCache: the time zones the gate has met, each read from ICU once (ZoneRules)
// and kept for the life of the cache, so that a decision resolves the callee's offset
// without asking ICU. The application makes one and hands it to every gate call
// (GateFacts::zones); tests make their own.
//
// Thread-safe, and lookups take no lock: zones are only ever added, each published
// into an open-addressing table of atomic pointers, so a reader sees a zone whole or
// not at all. Adding one (the first lookup of a name) reads ICU and takes a mutex.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "campaigns/zone_rules.h"

namespace vaarta::campaigns {

class ZoneOffsetCache {
 public:
  // At most `capacity` names are kept (unknown ones included); a new name met after
  // that is refused. The world has about 600 zones, so only a flood of invented names
  // reaches the limit, and refusing then fails closed instead of growing without end.
  explicit ZoneOffsetCache(size_t capacity = 4096);
  ~ZoneOffsetCache();
  ZoneOffsetCache(const ZoneOffsetCache&) = delete;
  ZoneOffsetCache& operator=(const ZoneOffsetCache&) = delete;

  // The rules of `zone`; null when ICU does not know it or the cache is full. The pointer
  // lives as long as the cache.
  const ZoneRules* Find(std::string_view zone) const;
  size_t size() const;

 private:
  struct Entry {
    uint64_t hash = 0;
    std::string name;
    std::unique_ptr<const ZoneRules> rules;  // null: ICU does not know the name
  };
  const Entry* Probe(std::string_view zone, uint64_t hash, size_t* empty_slot) const;

  size_t capacity_;
  size_t mask_;
  std::unique_ptr<std::atomic<const Entry*>[]> slots_;
  mutable std::mutex add_mutex_;
  mutable std::vector<std::unique_ptr<Entry>> entries_;  // owns what slots_ points at
};

}  // namespace vaarta::campaigns
