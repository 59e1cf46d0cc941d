#include "campaigns/zone_offset_cache.h"

#include <bit>
#include <functional>

namespace vaarta::campaigns {

ZoneOffsetCache::ZoneOffsetCache(size_t capacity)
    : capacity_(capacity),
      // At most half full, so a probe meets an empty slot soon.
      mask_(std::bit_ceil(2 * capacity + 2) - 1),
      slots_(new std::atomic<const Entry*>[mask_ + 1]) {
  for (size_t i = 0; i <= mask_; ++i) slots_[i].store(nullptr, std::memory_order_relaxed);
}

ZoneOffsetCache::~ZoneOffsetCache() = default;

const ZoneOffsetCache::Entry* ZoneOffsetCache::Probe(std::string_view zone, uint64_t hash,
                                                     size_t* empty_slot) const {
  for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
    const Entry* entry = slots_[i].load(std::memory_order_acquire);
    if (!entry) {
      if (empty_slot) *empty_slot = i;
      return nullptr;
    }
    if (entry->hash == hash && entry->name == zone) return entry;
  }
}

const ZoneRules* ZoneOffsetCache::Find(std::string_view zone) const {
  const uint64_t hash = std::hash<std::string_view>{}(zone);
  if (const Entry* entry = Probe(zone, hash, nullptr)) return entry->rules.get();
  // Read ICU outside the lock: another thread may do the same, and the first one in wins.
  auto loaded = ZoneRules::Load(zone);
  auto entry = std::make_unique<Entry>();
  entry->hash = hash;
  entry->name = std::string(zone);
  if (loaded) entry->rules = std::make_unique<const ZoneRules>(std::move(*loaded));
  std::lock_guard lock(add_mutex_);
  size_t empty = 0;
  if (const Entry* existing = Probe(zone, hash, &empty)) return existing->rules.get();
  if (entries_.size() >= capacity_) return nullptr;
  const ZoneRules* rules = entry->rules.get();
  slots_[empty].store(entry.get(), std::memory_order_release);
  entries_.push_back(std::move(entry));
  return rules;
}

size_t ZoneOffsetCache::size() const {
  std::lock_guard lock(add_mutex_);
  return entries_.size();
}

}  // namespace vaarta::campaigns
