#pragma once
// RegionFacts: what the dialer needs to know about a number's region that the number
// does not say itself: its IANA time zone when the region has only one, and its name
// for messages. Both come from ICU's data (CLDR).
#include <string>
#include <string_view>

namespace vaarta::leads {

struct RegionFacts {
  // "Asia/Kolkata" for IN; "" when the region spans several zones (US, RU, ...) and the
  // number alone cannot say which.
  std::string time_zone;
  std::string name;  // "India", "United Kingdom"; the code itself when ICU has no name
};

// `region` is an ISO 3166 code as libphonenumber gives it ("IN", "GB").
RegionFacts LookUpRegionFacts(std::string_view region);

}  // namespace vaarta::leads
