#pragma once
// PhoneNormalizer: turns a phone number as people type it into E.164, or into a refusal
// with a reason a manager can act on. libphonenumber is the authority on validity and
// type; before it, refusals for data it would silently "repair" (letters, Excel's
// scientific notation); after it, refusals for numbers that must never be called (India's
// 140 telemarketing and 1600/1601 service series, toll-free, shared-cost, premium-rate,
// UAN, voicemail). Plain Indian numbers take a fast path that gives exactly
// libphonenumber's answer (see IndianNumberFastPath).
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "leads/phone/region_facts.h"

namespace vaarta::leads {

class IndianNumberFastPath;

enum class PhoneRefusal {
  kNone,
  kMissing,
  kTooShort,
  kTooLong,
  kLetters,
  kScientificNotation,
  kInvalid,
  kNotCallableType
};
// "missing", "too_short", "too_long", "letters", "scientific_notation", "invalid",
// "not_callable_type"; "" for kNone. Stable: they appear in import reports and API errors.
std::string_view PhoneRefusalCode(PhoneRefusal refusal);

struct PhoneNumber {
  std::string e164;       // "+919812345670"
  std::string extension;  // "12" for "... ext. 12", else ""; never part of e164
  std::string region;     // "IN", "GB", ...
  // "mobile", "fixed_line", "fixed_line_or_mobile", "voip", "personal_number", "pager",
  // "unknown" (never a type that must not be called).
  std::string type;
  std::string time_zone;  // IANA zone when the region has exactly one, else ""
};

struct PhoneParse {
  std::optional<PhoneNumber> number;  // set when accepted
  PhoneRefusal refusal = PhoneRefusal::kNone;
  // What is wrong, for a person, written to follow the input: "'99999OOOOO': contains
  // letters ('O' at character 6); a phone number has only digits".
  std::string message;
};

class PhoneNormalizer {
 public:
  // `default_region`: ISO 3166 code (any case) for numbers written without a country
  // code. Throws std::invalid_argument when libphonenumber does not know the region: a
  // bug, since configuration should refuse such a region first (see KnowsRegion).
  explicit PhoneNormalizer(std::string default_region = "IN");
  ~PhoneNormalizer();
  PhoneNormalizer(const PhoneNormalizer&) = delete;
  PhoneNormalizer& operator=(const PhoneNormalizer&) = delete;

  // Thread-safe: construct once, use from many threads.
  // The fast path first, libphonenumber for everything it leaves.
  PhoneParse Normalize(std::string_view raw) const;
  // libphonenumber alone, without the fast path (the authority, for the agreement test).
  PhoneParse NormalizeWithLibphonenumber(std::string_view raw) const;
  // The E.164 number when the fast path decides `raw`; nullopt when it defers (always,
  // unless the default region is IN).
  std::optional<std::string> FastPathE164(std::string_view raw) const;

  const std::string& default_region() const { return region_; }
  // Whether libphonenumber knows `region` ("IN", "gb"), for checking configuration.
  static bool KnowsRegion(std::string_view region);

 private:
  const RegionFacts& FactsOf(const std::string& region) const;

  std::string region_;
  RegionFacts default_facts_;
  std::unique_ptr<IndianNumberFastPath> fast_path_;  // null unless region_ is IN
  // Facts of the other regions numbers turn up from, looked up on first use.
  mutable std::mutex facts_mutex_;
  mutable std::map<std::string, RegionFacts, std::less<>> facts_;
};

}  // namespace vaarta::leads
