#include "campaigns/zone_rules.h"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/ucal.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace vaarta::campaigns {
namespace {

constexpr int kBucketShift = 31;
// Wider than any UTC offset the world has used (-12:00 .. +14:00).
constexpr int64_t kMaxOffsetMs = 15 * 3'600'000LL;

}  // namespace

std::optional<ZoneRules> ZoneRules::Load(std::string_view zone) {
  if (zone.empty()) return std::nullopt;
  const icu::UnicodeString id = icu::UnicodeString::fromUTF8(
      icu::StringPiece(zone.data(), static_cast<int32_t>(zone.size())));
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(id));
  icu::UnicodeString resolved;
  // ICU answers an unknown id with its "Etc/Unknown" zone (UTC) instead of an error.
  if (!tz || tz->getID(resolved) == icu::UnicodeString(UCAL_UNKNOWN_ZONE_ID)) return std::nullopt;
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
  if (!basic) return std::nullopt;

  ZoneRules rules;
  rules.name_ = std::string(zone);
  UErrorCode status = U_ZERO_ERROR;
  char country[4] = {};
  const int32_t length = icu::TimeZone::getRegion(id, country, sizeof country, status);
  if (U_SUCCESS(status) && length == 2) {
    rules.country_ = {country[0], country[1], '\0'};
    rules.country_size_ = 2;
  }
  int32_t raw = 0, dst = 0;
  status = U_ZERO_ERROR;
  tz->getOffset(static_cast<UDate>(kFirstMs), false, raw, dst, status);
  if (U_FAILURE(status)) return std::nullopt;
  rules.starts_.push_back(kFirstMs);
  rules.offsets_.push_back(raw + dst);
  icu::TimeZoneTransition transition;
  UDate after = static_cast<UDate>(kFirstMs);
  while (basic->getNextTransition(after, false, transition) && transition.getTime() < kEndMs) {
    after = transition.getTime();
    const int32_t offset = transition.getTo()->getRawOffset() + transition.getTo()->getDSTSavings();
    if (offset == rules.offsets_.back()) continue;  // a change of name only
    rules.starts_.push_back(static_cast<int64_t>(after));
    rules.offsets_.push_back(offset);
  }
  if (rules.starts_.size() > 1) {
    const size_t buckets = static_cast<size_t>((kEndMs - kFirstMs) >> kBucketShift) + 1;
    rules.bucket_first_.resize(buckets);
    size_t segment = 0;
    for (size_t b = 0; b < buckets; ++b) {
      const int64_t bucket_start = kFirstMs + (static_cast<int64_t>(b) << kBucketShift);
      while (segment + 1 < rules.starts_.size() && rules.starts_[segment + 1] <= bucket_start) {
        ++segment;
      }
      rules.bucket_first_[b] = static_cast<uint16_t>(segment);
    }
  }
  return rules;
}

size_t ZoneRules::SegmentAt(int64_t utc_ms) const {
  if (starts_.size() == 1 || utc_ms < kFirstMs) return 0;
  if (utc_ms >= kEndMs) return starts_.size() - 1;
  size_t segment = bucket_first_[static_cast<size_t>((utc_ms - kFirstMs) >> kBucketShift)];
  while (segment + 1 < starts_.size() && starts_[segment + 1] <= utc_ms) ++segment;
  return segment;
}

int64_t ZoneRules::OffsetAt(int64_t utc_ms) const { return offsets_[SegmentAt(utc_ms)]; }

int64_t ZoneRules::FirstInstantAtOrAfterLocal(int64_t local_ms) const {
  // Within one segment the wall clock runs with UTC, so the earliest instant of segment
  // i whose wall clock reaches local_ms is max(start_i, local_ms - offset_i). Start from a
  // segment that shows only earlier wall clocks and take the first segment that reaches it.
  size_t segment = SegmentAt(local_ms - kMaxOffsetMs);
  for (; segment < starts_.size(); ++segment) {
    const int64_t candidate = std::max(starts_[segment], local_ms - offsets_[segment]);
    if (segment + 1 == starts_.size() || candidate < starts_[segment + 1]) return candidate;
  }
  return local_ms - offsets_.back();
}

}  // namespace vaarta::campaigns
