#pragma once
// ZoneRules: one IANA time zone's UTC offsets as a table of transitions read once from
// ICU, so that the pre-dial gate can turn an instant into the callee's wall clock (and a
// wall clock back into an instant) in a few nanoseconds, daylight saving included.
// Asking ICU per decision costs about a microsecond and allocates; the gate must do a
// million decisions a second. Immutable once built, so any thread may read it.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vaarta::campaigns {

class ZoneRules {
 public:
  // The instants the table covers: 1970-01-01 to 2200-01-01 UTC. Outside it the gate
  // refuses (fail closed) rather than guess an offset.
  static constexpr int64_t kFirstMs = 0;
  static constexpr int64_t kEndMs = 7'258'118'400'000;

  // Reads `zone` ("America/New_York") from ICU; nullopt when ICU does not know it.
  static std::optional<ZoneRules> Load(std::string_view zone);

  bool Covers(int64_t utc_ms) const { return utc_ms >= kFirstMs && utc_ms < kEndMs; }
  // Milliseconds to add to UTC for the wall clock at `utc_ms` (Covers() must hold).
  int64_t OffsetAt(int64_t utc_ms) const;
  // The first instant whose wall clock shows `local_ms` (milliseconds since 1970-01-01
  // on the wall clock) or later: in a gap (clocks spring forward) the transition
  // itself, in an overlap (clocks fall back) the first of the two.
  int64_t FirstInstantAtOrAfterLocal(int64_t local_ms) const;

  const std::string& name() const { return name_; }
  // ISO 3166 alpha-2 country of the zone ("US" for America/New_York); empty when ICU
  // names none ("Etc/UTC").
  std::string_view country() const { return std::string_view(country_.data(), country_size_); }

 private:
  ZoneRules() = default;
  size_t SegmentAt(int64_t utc_ms) const;

  std::string name_;
  std::array<char, 3> country_{};
  size_t country_size_ = 0;
  // Segment i runs from starts_[i] (starts_[0] = kFirstMs) to starts_[i + 1] at offsets_[i].
  std::vector<int64_t> starts_;
  std::vector<int32_t> offsets_;
  // The segment at the start of each bucket of 2^31 ms (about 25 days), so a lookup
  // scans at most the few transitions inside one bucket.
  std::vector<uint16_t> bucket_first_;
};

}  // namespace vaarta::campaigns
