#include "leads/phone/region_facts.h"

#include <unicode/locid.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>
#include <utility>

namespace vaarta::leads {
namespace {

// CLDR keeps some old spellings as its canonical zone ids where the IANA database has
// renamed the zone; these are all such ids of single-zone regions in ICU 72 (found by
// comparing every region's zone with tzdata's zone.tab). ICU 74's TimeZone::getIanaID
// would do this, but Debian 12 ships ICU 72.
constexpr std::pair<std::string_view, std::string_view> kIanaNames[] = {
    {"Africa/Asmera", "Africa/Asmara"},  {"Asia/Calcutta", "Asia/Kolkata"},
    {"Asia/Katmandu", "Asia/Kathmandu"}, {"Asia/Rangoon", "Asia/Yangon"},
    {"Asia/Saigon", "Asia/Ho_Chi_Minh"}, {"Atlantic/Faeroe", "Atlantic/Faroe"},
};

std::string SingleTimeZone(const std::string& region) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> zones(icu::TimeZone::createTimeZoneIDEnumeration(
      UCAL_ZONE_TYPE_CANONICAL_LOCATION, region.c_str(), nullptr, status));
  if (U_FAILURE(status) || !zones || zones->count(status) != 1) return "";
  const icu::UnicodeString* id = zones->snext(status);
  if (U_FAILURE(status) || id == nullptr) return "";
  std::string zone;
  id->toUTF8String(zone);
  for (const auto& [cldr, iana] : kIanaNames) {
    if (zone == cldr) return std::string(iana);
  }
  return zone;
}

std::string DisplayName(const std::string& region) {
  icu::UnicodeString name;
  icu::Locale("", region.c_str()).getDisplayCountry(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? region : out;
}

}  // namespace

RegionFacts LookUpRegionFacts(std::string_view region) {
  const std::string code(region);
  return RegionFacts{SingleTimeZone(code), DisplayName(code)};
}

}  // namespace vaarta::leads
