#pragma once
// PhoneNormalizer: turns a phone number as people type it into E.164, or into a
// refusal with a reason a manager can read. libphonenumber is the authority on
// validity and type; a fast path decides plain Indian mobile numbers without it and
// is built from libphonenumber's own answers (see FastPathE164), so the two agree.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace vaarta::leads {

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
// "not_callable_type" (stable: they appear in import reports and API errors).
std::string_view PhoneRefusalCode(PhoneRefusal refusal);

struct PhoneNumber {
  std::string e164;       // "+919812345670"
  std::string extension;  // "12" for "... ext. 12"
  std::string region;     // "IN"
  std::string type;       // "mobile", "fixed_line", "fixed_line_or_mobile", "voip", ...
  std::string time_zone;  // the region's IANA zone when it has exactly one, else ""
};

struct PhoneParse {
  std::optional<PhoneNumber> number;
  PhoneRefusal refusal = PhoneRefusal::kNone;
  std::string message;  // what is wrong, for a person
};

class PhoneNormalizer {
 public:
  explicit PhoneNormalizer(std::string default_region = "IN");
  // Thread-safe.
  PhoneParse Normalize(std::string_view raw) const;
  // libphonenumber alone, without the fast path (the authority, for the agreement test).
  PhoneParse NormalizeWithLibphonenumber(std::string_view raw) const;
  // The E.164 number when the fast path decides `raw`; nullopt when it defers.
  std::optional<std::string> FastPathE164(std::string_view raw) const;
  const std::string& default_region() const { return region_; }

 private:
  // Digits of every script as ASCII, other characters kept; the extension split off.
  struct Cleaned {
    std::string text;
    std::string extension;
  };
  Cleaned Clean(std::string_view raw) const;
  std::optional<PhoneParse> RefuseBeforeParsing(const Cleaned& cleaned, std::string_view raw) const;
  PhoneParse ParseCleaned(const Cleaned& cleaned) const;
  const std::string& TimeZoneOf(const std::string& region) const;

  std::string region_;
  // The type libphonenumber gives every valid number under a 5-digit Indian prefix
  // (60000..99999), or nullptr when the prefix's numbers are not all valid with one type.
  const char* PrefixType(int prefix) const;

  // Per prefix: 0 not yet asked, 1 mobile, 2 fixed_line_or_mobile, 3 fixed_line, 4 defer
  // to libphonenumber. Filled on first use of each prefix.
  mutable std::array<std::atomic<uint8_t>, 40000> prefix_type_{};
  mutable std::mutex zones_mutex_;
  mutable std::map<std::string, std::string> zones_;
};

}  // namespace vaarta::leads
