#include "compliance/dnd_number_set.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace vaarta::compliance {
namespace {

constexpr uint64_t kSampleRate = 64;  // zeros between select samples: ~1 word to scan
constexpr char kMagic[8] = {'V', 'D', 'N', 'D', 'E', 'F', '0', '1'};

uint64_t Words(uint64_t bits) { return (bits + 63) / 64; }

}  // namespace

core::Result<DndNumberSet> DndNumberSet::Build(const std::vector<uint64_t>& sorted,
                                               uint64_t universe) {
  DndNumberSet set;
  set.count_ = sorted.size();
  set.universe_ = universe;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i] >= universe) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "value " + std::to_string(sorted[i]) + " is outside the universe " +
                                 std::to_string(universe));
    }
    if (i > 0 && sorted[i] <= sorted[i - 1]) {
      return core::MakeError(
          core::ErrorCode::kInvalidArgument,
          "values must be strictly increasing (index " + std::to_string(i) + ")");
    }
  }
  uint64_t n = std::max<uint64_t>(1, set.count_);
  uint64_t ratio = universe / n;
  set.low_bits_ = ratio > 1 ? static_cast<uint32_t>(std::bit_width(ratio) - 1) : 0;
  uint64_t buckets = (universe >> set.low_bits_) + 1;
  set.upper_bits_ = set.count_ + buckets;
  set.upper_store_.assign(Words(set.upper_bits_), 0);
  set.low_store_.assign(Words(set.count_ * set.low_bits_) + 1, 0);
  const uint64_t mask = set.low_bits_ ? (uint64_t{1} << set.low_bits_) - 1 : 0;
  for (uint64_t i = 0; i < set.count_; ++i) {
    uint64_t v = sorted[i];
    uint64_t pos = (v >> set.low_bits_) + i;
    set.upper_store_[pos / 64] |= uint64_t{1} << (pos % 64);
    if (set.low_bits_) {
      uint64_t bit = i * set.low_bits_;
      uint64_t low = v & mask;
      set.low_store_[bit / 64] |= low << (bit % 64);
      if (bit % 64 + set.low_bits_ > 64) set.low_store_[bit / 64 + 1] |= low >> (64 - bit % 64);
    }
  }
  // Sample the position of every kSampleRate-th zero for fast select.
  uint64_t zeros = 0;
  for (uint64_t pos = 0; pos < set.upper_bits_; ++pos) {
    if (!(set.upper_store_[pos / 64] >> (pos % 64) & 1)) {
      if (zeros % kSampleRate == 0) set.samples_store_.push_back(pos);
      ++zeros;
    }
  }
  set.upper_ = set.upper_store_.data();
  set.low_ = set.low_store_.data();
  set.zero_samples_ = set.samples_store_.data();
  set.sample_count_ = set.samples_store_.size();
  return set;
}

uint64_t DndNumberSet::SelectZero(uint64_t k) const {
  uint64_t pos = zero_samples_[k / kSampleRate];
  uint64_t remaining = k % kSampleRate;
  // Scan words from the sample, counting zeros with popcount.
  uint64_t word_index = pos / 64;
  uint64_t word = ~upper_[word_index] & (~uint64_t{0} << (pos % 64));
  while (true) {
    uint64_t zeros = static_cast<uint64_t>(std::popcount(word));
    if (remaining < zeros) {
      for (uint64_t r = 0; r < remaining; ++r) word &= word - 1;  // drop lowest zeros
      return word_index * 64 + static_cast<uint64_t>(std::countr_zero(word));
    }
    remaining -= zeros;
    word = ~upper_[++word_index];
  }
}

uint64_t DndNumberSet::Low(uint64_t index) const {
  if (!low_bits_) return 0;
  uint64_t bit = index * low_bits_;
  uint64_t value = low_[bit / 64] >> (bit % 64);
  if (bit % 64 + low_bits_ > 64) value |= low_[bit / 64 + 1] << (64 - bit % 64);
  return value & ((uint64_t{1} << low_bits_) - 1);
}

bool DndNumberSet::Contains(uint64_t value) const {
  if (count_ == 0 || value >= universe_) return false;
  uint64_t high = value >> low_bits_;
  uint64_t low = low_bits_ ? value & ((uint64_t{1} << low_bits_) - 1) : 0;
  // Elements of bucket `high` are the ones after the (high-1)-th zero and before the
  // next zero; buckets hold about one element, so walking the bits is cheaper than a
  // second select.
  uint64_t pos = high == 0 ? 0 : SelectZero(high - 1) + 1;
  for (uint64_t index = pos - high; pos < upper_bits_ && (upper_[pos / 64] >> (pos % 64) & 1);
       ++pos, ++index) {
    uint64_t l = Low(index);
    if (l == low) return true;
    if (l > low) return false;
  }
  return false;
}

void DndNumberSet::ContainsMany(const uint64_t* values, size_t count, uint8_t* out) const {
  constexpr size_t kGroup = 32;
  uint64_t starts[kGroup];
  for (size_t base = 0; base < count; base += kGroup) {
    size_t n = std::min(kGroup, count - base);
    if (count_ == 0) {
      for (size_t i = 0; i < n; ++i) out[base + i] = 0;
      continue;
    }
    // 1. Fetch the select samples.
    for (size_t i = 0; i < n; ++i) {
      uint64_t high = values[base + i] >> low_bits_;
      if (values[base + i] < universe_ && high > 0)
        __builtin_prefetch(&zero_samples_[(high - 1) / kSampleRate]);
    }
    // 2. Fetch the words of the upper bit vector they point at.
    for (size_t i = 0; i < n; ++i) {
      uint64_t high = values[base + i] >> low_bits_;
      if (values[base + i] < universe_ && high > 0)
        __builtin_prefetch(&upper_[zero_samples_[(high - 1) / kSampleRate] / 64]);
    }
    // 3. Find each bucket's start and fetch its low bits.
    for (size_t i = 0; i < n; ++i) {
      uint64_t v = values[base + i];
      if (v >= universe_) continue;
      uint64_t high = v >> low_bits_;
      starts[i] = high == 0 ? 0 : SelectZero(high - 1) + 1;
      if (low_bits_) __builtin_prefetch(&low_[((starts[i] - high) * low_bits_) / 64]);
    }
    // 4. Walk the buckets.
    for (size_t i = 0; i < n; ++i) {
      uint64_t v = values[base + i];
      uint8_t found = 0;
      if (v < universe_) {
        uint64_t high = v >> low_bits_;
        uint64_t low = low_bits_ ? v & ((uint64_t{1} << low_bits_) - 1) : 0;
        uint64_t pos = starts[i];
        for (uint64_t index = pos - high; pos < upper_bits_ && (upper_[pos / 64] >> (pos % 64) & 1);
             ++pos, ++index) {
          uint64_t l = Low(index);
          if (l >= low) {
            found = l == low;
            break;
          }
        }
      }
      out[base + i] = found;
    }
  }
}

std::vector<uint64_t> DndNumberSet::Decode() const {
  std::vector<uint64_t> values;
  values.reserve(count_);
  uint64_t words = Words(upper_bits_);
  for (uint64_t w = 0; w < words && values.size() < count_; ++w) {
    uint64_t word = upper_[w];
    while (word) {
      uint64_t pos = w * 64 + static_cast<uint64_t>(std::countr_zero(word));
      uint64_t index = values.size();
      values.push_back(((pos - index) << low_bits_) | Low(index));
      word &= word - 1;
    }
  }
  return values;
}

uint64_t DndNumberSet::bytes() const {
  return (Words(upper_bits_) + Words(count_ * low_bits_) + 1 + sample_count_) * 8;
}

std::string DndNumberSet::Serialize() const {
  uint64_t upper_words = Words(upper_bits_), low_words = Words(count_ * low_bits_) + 1;
  uint64_t header[7] = {count_,      universe_, low_bits_,    upper_bits_,
                        upper_words, low_words, sample_count_};
  std::string out(kMagic, sizeof kMagic);
  out.append(reinterpret_cast<const char*>(header), sizeof header);
  out.append(reinterpret_cast<const char*>(upper_), upper_words * 8);
  out.append(reinterpret_cast<const char*>(low_), low_words * 8);
  out.append(reinterpret_cast<const char*>(zero_samples_), sample_count_ * 8);
  return out;
}

core::Result<DndNumberSet> DndNumberSet::View(std::string_view data) {
  auto bad = [](const std::string& why) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "DND snapshot is damaged: " + why,
                           "bad_snapshot");
  };
  if (data.size() < sizeof kMagic + 7 * 8) return bad("shorter than its header");
  if (std::memcmp(data.data(), kMagic, sizeof kMagic) != 0)
    return bad("it does not start with the snapshot marker");
  if (reinterpret_cast<uintptr_t>(data.data()) % 8 != 0)
    return bad("its buffer is not 8-byte aligned");
  uint64_t header[7];
  std::memcpy(header, data.data() + sizeof kMagic, sizeof header);
  DndNumberSet set;
  set.count_ = header[0];
  set.universe_ = header[1];
  set.low_bits_ = static_cast<uint32_t>(header[2]);
  set.upper_bits_ = header[3];
  uint64_t upper_words = header[4], low_words = header[5];
  set.sample_count_ = header[6];
  if (set.low_bits_ > 63 || upper_words != Words(set.upper_bits_) ||
      low_words != Words(set.count_ * set.low_bits_) + 1 || set.upper_bits_ < set.count_) {
    return bad("its sizes do not agree with each other");
  }
  uint64_t expected =
      sizeof kMagic + sizeof header + (upper_words + low_words + set.sample_count_) * 8;
  if (data.size() != expected) {
    return bad("it has " + std::to_string(data.size()) + " bytes where its header says " +
               std::to_string(expected));
  }
  const char* p = data.data() + sizeof kMagic + sizeof header;
  set.upper_ = reinterpret_cast<const uint64_t*>(p);
  set.low_ = reinterpret_cast<const uint64_t*>(p + upper_words * 8);
  set.zero_samples_ = reinterpret_cast<const uint64_t*>(p + (upper_words + low_words) * 8);
  uint64_t zeros = set.upper_bits_ - set.count_;
  if (set.sample_count_ != (zeros + kSampleRate - 1) / kSampleRate)
    return bad("its select samples are missing");
  for (uint64_t i = 0; i < set.sample_count_; ++i) {
    if (set.zero_samples_[i] >= set.upper_bits_ ||
        (i > 0 && set.zero_samples_[i] <= set.zero_samples_[i - 1])) {
      return bad("its select sample " + std::to_string(i) + " is out of order");
    }
  }
  return set;
}

}  // namespace vaarta::compliance
