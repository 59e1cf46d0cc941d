#pragma once
// DndNumberSet: a compact, immutable set of numbers for the DND registry, which must
// hold 300 million 10-digit numbers on one machine. Elias-Fano coding (Elias 1974, Fano
// 1971) stores n sorted values below u in about n * (2 + log2(u/n)) bits, under a byte
// per number for India's registry, and answers membership in a few dozen nanoseconds.
// Written by hand because no Debian library offers a succinct set with a flat layout
// that can be memory-mapped from a snapshot file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vaarta::compliance {

class DndNumberSet {
 public:
  DndNumberSet() = default;
  // `sorted` must be strictly increasing and every value below `universe`.
  static core::Result<DndNumberSet> Build(const std::vector<uint64_t>& sorted, uint64_t universe);

  bool Contains(uint64_t value) const;
  // Answers many lookups at once (out[i] = 1 when values[i] is a member). Each lookup
  // touches three cache lines that are almost never cached for a 300M-number set;
  // working on a group at a time lets their memory fetches overlap.
  void ContainsMany(const uint64_t* values, size_t count, uint8_t* out) const;
  // Every member in increasing order (to merge a daily update into the set).
  std::vector<uint64_t> Decode() const;
  uint64_t size() const { return count_; }
  uint64_t universe() const { return universe_; }
  // Memory held by the encoding (the view's backing buffer when loaded from bytes).
  uint64_t bytes() const;

  // Flat little-endian layout, readable in place from a memory-mapped file.
  std::string Serialize() const;
  // A set that reads `data` in place (kept alive by the caller, e.g. an mmap).
  // Errors name what is wrong: bad magic, truncated, inconsistent sizes.
  static core::Result<DndNumberSet> View(std::string_view data);

 private:
  // Position of the k-th (0-based) zero in the upper bit vector.
  uint64_t SelectZero(uint64_t k) const;
  uint64_t Low(uint64_t index) const;

  uint64_t count_ = 0;
  uint64_t universe_ = 0;
  uint32_t low_bits_ = 0;
  uint64_t upper_bits_ = 0;  // length of the upper bit vector in bits
  // Owned storage when built; views point into a caller's buffer instead.
  std::vector<uint64_t> upper_store_, low_store_, samples_store_;
  const uint64_t* upper_ = nullptr;
  const uint64_t* low_ = nullptr;
  const uint64_t* zero_samples_ = nullptr;  // position of every kSampleRate-th zero
  uint64_t sample_count_ = 0;
};

}  // namespace vaarta::compliance
