#include "leads/phone/phone_normalizer.h"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>
#include <memory>

namespace vaarta::leads {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber keeps its metadata in a process-wide instance of its own; it is
// immutable after start-up and thread-safe, so sharing it is no hidden state of ours.
const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

const char* TypeName(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
      return "fixed_line";
    case PhoneNumberUtil::MOBILE:
      return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return "fixed_line_or_mobile";
    case PhoneNumberUtil::TOLL_FREE:
      return "toll_free";
    case PhoneNumberUtil::PREMIUM_RATE:
      return "premium_rate";
    case PhoneNumberUtil::SHARED_COST:
      return "shared_cost";
    case PhoneNumberUtil::VOIP:
      return "voip";
    case PhoneNumberUtil::PERSONAL_NUMBER:
      return "personal_number";
    case PhoneNumberUtil::PAGER:
      return "pager";
    case PhoneNumberUtil::UAN:
      return "uan";
    case PhoneNumberUtil::VOICEMAIL:
      return "voicemail";
    default:
      return "unknown";
  }
}

PhoneParse Refuse(PhoneRefusal refusal, std::string message) {
  PhoneParse p;
  p.refusal = refusal;
  p.message = std::move(message);
  return p;
}

bool IsSeparator(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}

}  // namespace

std::string_view PhoneRefusalCode(PhoneRefusal refusal) {
  switch (refusal) {
    case PhoneRefusal::kNone:
      return "";
    case PhoneRefusal::kMissing:
      return "missing";
    case PhoneRefusal::kTooShort:
      return "too_short";
    case PhoneRefusal::kTooLong:
      return "too_long";
    case PhoneRefusal::kLetters:
      return "letters";
    case PhoneRefusal::kScientificNotation:
      return "scientific_notation";
    case PhoneRefusal::kInvalid:
      return "invalid";
    case PhoneRefusal::kNotCallableType:
      return "not_callable_type";
  }
  return "invalid";
}

PhoneNormalizer::PhoneNormalizer(std::string default_region) : region_(std::move(default_region)) {}

const char* PhoneNormalizer::PrefixType(int prefix) const {
  static const char* kTypes[] = {nullptr, "mobile", "fixed_line_or_mobile", "fixed_line", nullptr};
  std::atomic<uint8_t>& slot = prefix_type_[static_cast<size_t>(prefix - 60000)];
  uint8_t known = slot.load(std::memory_order_relaxed);
  if (known != 0) return kTypes[known];
  // libphonenumber's answer for the prefix. In its metadata every Indian 10-digit
  // pattern starting 6-9 is decided by at most the first five digits, so the lowest,
  // highest and a middle number under a prefix decide all of it; a prefix where they
  // disagree, or that is not valid, is left to the library. The agreement test checks
  // this over a large corpus.
  const PhoneNumberUtil& util = Util();
  uint8_t decided = 0;
  for (const char* tail : {"00000", "99999", "50505"}) {
    i18n::phonenumbers::PhoneNumber n;
    uint8_t type = 4;
    if (util.Parse(std::to_string(prefix) + tail, "IN", &n) == PhoneNumberUtil::NO_PARSING_ERROR &&
        util.IsValidNumber(n)) {
      switch (util.GetNumberType(n)) {
        case PhoneNumberUtil::MOBILE:
          type = 1;
          break;
        case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
          type = 2;
          break;
        case PhoneNumberUtil::FIXED_LINE:
          type = 3;
          break;
        default:
          break;
      }
    }
    if (decided == 0)
      decided = type;
    else if (decided != type)
      decided = 4;
  }
  slot.store(decided, std::memory_order_relaxed);
  return kTypes[decided];
}

PhoneNormalizer::Cleaned PhoneNormalizer::Clean(std::string_view raw) const {
  Cleaned out;
  out.text.reserve(raw.size());
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(raw.size());
  while (i < length) {
    UChar32 c;
    int32_t start = i;
    U8_NEXT(reinterpret_cast<const uint8_t*>(raw.data()), i, length, c);
    if (c < 0) {
      out.text.append(raw.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
      continue;
    }
    if (c < 0x80) {
      out.text.push_back(static_cast<char>(c));
      continue;
    }
    int32_t digit = u_charDigitValue(c);  // ९ -> 9, ٤ -> 4, ...
    if (digit >= 0 && digit <= 9) {
      out.text.push_back(static_cast<char>('0' + digit));
    } else if (c == 0x00A0 || c == 0x2007 || c == 0x202F || c == 0x2010 || c == 0x2011 ||
               c == 0x2012 || c == 0x2013 || c == 0x2212) {
      out.text.push_back(c == 0x00A0 || c == 0x2007 || c == 0x202F ? ' ' : '-');
    } else {
      out.text.append(raw.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
  }
  // Trim.
  size_t first = out.text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    out.text.clear();
    return out;
  }
  out.text = out.text.substr(first, out.text.find_last_not_of(" \t\r\n") - first + 1);
  // An extension at the end: "ext. 12", "extn 12", "x12", "#12".
  std::string lower = out.text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t end = lower.size();
  size_t d = end;
  while (d > 0 && std::isdigit(static_cast<unsigned char>(lower[d - 1]))) --d;
  if (d < end) {
    size_t m = d;
    while (m > 0 && (lower[m - 1] == ' ' || lower[m - 1] == '.' || lower[m - 1] == ':')) --m;
    for (std::string_view marker : {"extension", "extn", "ext", "x", "#"}) {
      if (m >= marker.size() && lower.compare(m - marker.size(), marker.size(), marker) == 0) {
        size_t before = m - marker.size();
        // "x" must stand apart from the number (or directly follow a digit): "98x12".
        out.extension = out.text.substr(d);
        out.text = out.text.substr(0, before);
        size_t last = out.text.find_last_not_of(" ,;");
        out.text = last == std::string::npos ? "" : out.text.substr(0, last + 1);
        break;
      }
    }
  }
  return out;
}

std::optional<PhoneParse> PhoneNormalizer::RefuseBeforeParsing(const Cleaned& cleaned,
                                                               std::string_view raw) const {
  const std::string& t = cleaned.text;
  if (t.empty()) return Refuse(PhoneRefusal::kMissing, "the phone number is empty");
  // Excel turns long numbers into "9.12345E+09": the digits after the sixth are gone.
  size_t e = t.find_first_of("eE");
  if (e != std::string::npos && e > 0 && e + 1 < t.size()) {
    bool mantissa = true, saw_point = false;
    for (size_t i = 0; i < e; ++i) {
      if (t[i] == '.' || t[i] == ',')
        saw_point = true;
      else if (!std::isdigit(static_cast<unsigned char>(t[i])) && !(i == 0 && t[i] == '+'))
        mantissa = false;
    }
    size_t j = e + 1;
    if (j < t.size() && (t[j] == '+' || t[j] == '-')) ++j;
    bool exponent = j < t.size();
    for (; j < t.size(); ++j) {
      if (!std::isdigit(static_cast<unsigned char>(t[j]))) exponent = false;
    }
    if (mantissa && exponent && (saw_point || e <= 12)) {
      return Refuse(PhoneRefusal::kScientificNotation,
                    "'" + std::string(raw) +
                        "' is in scientific notation: the spreadsheet rounded the number and its "
                        "digits are lost; "
                        "format the column as text in the spreadsheet and export again");
    }
  }
  // Letters are a data error for a lead (libphonenumber would read them as keypad
  // digits: "99999OOOOO" would become 9999966666).
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(t.size());
  int position = 0;
  while (i < length) {
    UChar32 c;
    int32_t start = i;
    U8_NEXT(reinterpret_cast<const uint8_t*>(t.data()), i, length, c);
    ++position;
    if (c >= 0 && u_isalpha(c)) {
      return Refuse(PhoneRefusal::kLetters,
                    "contains letters ('" +
                        t.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)) +
                        "' at character " + std::to_string(position) +
                        "); a phone number has only digits");
    }
  }
  return std::nullopt;
}

const std::string& PhoneNormalizer::TimeZoneOf(const std::string& region) const {
  std::lock_guard lock(zones_mutex_);
  auto it = zones_.find(region);
  if (it != zones_.end()) return it->second;
  std::string zone;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> ids(icu::TimeZone::createTimeZoneIDEnumeration(
      UCAL_ZONE_TYPE_CANONICAL_LOCATION, region.c_str(), nullptr, status));
  if (U_SUCCESS(status) && ids && ids->count(status) == 1) {
    const icu::UnicodeString* id = ids->snext(status);
    if (id) id->toUTF8String(zone);
  }
  // ICU 72's canonical ids keep some old names; give the current IANA ones.
  static const std::pair<const char*, const char*> kRenamed[] = {
      {"Asia/Calcutta", "Asia/Kolkata"}, {"Asia/Katmandu", "Asia/Kathmandu"},
      {"Asia/Rangoon", "Asia/Yangon"},   {"Asia/Saigon", "Asia/Ho_Chi_Minh"},
      {"Asia/Dacca", "Asia/Dhaka"},      {"Asia/Thimbu", "Asia/Thimphu"}};
  for (const auto& [old_name, new_name] : kRenamed) {
    if (zone == old_name) zone = new_name;
  }
  return zones_.emplace(region, zone).first->second;
}

std::optional<std::string> PhoneNormalizer::FastPathE164(std::string_view raw) const {
  if (region_ != "IN") return std::nullopt;
  // ASCII digits with separators and an optional leading '+' only.
  char digits[20];
  size_t n = 0;
  bool plus = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9') {
      if (n == sizeof digits) return std::nullopt;
      digits[n++] = c;
    } else if (c == '+' && n == 0 && !plus) {
      plus = true;
    } else if (!IsSeparator(c)) {
      return std::nullopt;
    }
  }
  const char* national = nullptr;
  if (plus) {
    if (n == 12 && digits[0] == '9' && digits[1] == '1') national = digits + 2;
  } else if (n == 10) {
    national = digits;
  } else if (n == 11 && digits[0] == '0') {
    national = digits + 1;
  } else if (n == 12 && digits[0] == '9' && digits[1] == '1') {
    national = digits + 2;
  } else if (n == 14 && digits[0] == '0' && digits[1] == '0' && digits[2] == '9' &&
             digits[3] == '1') {
    national = digits + 4;
  }
  if (!national || national[0] < '6') return std::nullopt;
  int prefix = 0;
  for (int i = 0; i < 5; ++i) prefix = prefix * 10 + (national[i] - '0');
  if (!PrefixType(prefix)) return std::nullopt;
  return "+91" + std::string(national, 10);
}

PhoneParse PhoneNormalizer::ParseCleaned(const Cleaned& cleaned) const {
  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber number;
  auto error = util.Parse(cleaned.text, region_, &number);
  switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return Refuse(PhoneRefusal::kTooShort, "too few digits for a phone number");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Refuse(PhoneRefusal::kTooLong, "too many digits for a phone number");
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Refuse(PhoneRefusal::kInvalid, "the country code is not one that exists");
    default:
      return Refuse(PhoneRefusal::kInvalid, "this is not a phone number");
  }
  switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::TOO_SHORT:
      return Refuse(PhoneRefusal::kTooShort, "too few digits for a phone number");
    case PhoneNumberUtil::TOO_LONG:
      return Refuse(PhoneRefusal::kTooLong, "too many digits for a phone number");
    case PhoneNumberUtil::INVALID_LENGTH:
      return Refuse(PhoneRefusal::kInvalid, "the number of digits is wrong for this country");
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return Refuse(PhoneRefusal::kInvalid, "the country code is not one that exists");
    default:
      break;
  }
  std::string region;
  util.GetRegionCodeForNumber(number, &region);
  std::string national;
  util.GetNationalSignificantNumber(number, &national);
  if (region == "IN" || number.country_code() == 91) {
    // India's telemarketing (140) and service (1600, 1601) series must never be called,
    // whatever the library's metadata of the day says about them.
    if (national.rfind("140", 0) == 0) {
      return Refuse(PhoneRefusal::kNotCallableType,
                    "a 140-series number belongs to a registered telemarketer and is never called");
    }
    if (national.rfind("1600", 0) == 0 || national.rfind("1601", 0) == 0) {
      return Refuse(
          PhoneRefusal::kNotCallableType,
          "a 1600/1601-series number is a bank's or government service line and is never called");
    }
  }
  if (!util.IsValidNumber(number)) {
    return Refuse(PhoneRefusal::kInvalid, "no phone number in " +
                                              (region.empty() ? region_ : region) +
                                              " has these digits (an unassigned range)");
  }
  auto type = util.GetNumberType(number);
  switch (type) {
    case PhoneNumberUtil::TOLL_FREE:
    case PhoneNumberUtil::SHARED_COST:
    case PhoneNumberUtil::PREMIUM_RATE:
    case PhoneNumberUtil::UAN:
    case PhoneNumberUtil::VOICEMAIL:
      return Refuse(PhoneRefusal::kNotCallableType,
                    std::string("a ") + TypeName(type) +
                        " number is a business's service line and is never called");
    default:
      break;
  }
  PhoneParse out;
  PhoneNumber result;
  util.Format(number, PhoneNumberUtil::E164, &result.e164);
  result.extension = !cleaned.extension.empty() ? cleaned.extension : number.extension();
  result.region = region;
  result.type = TypeName(type);
  result.time_zone = TimeZoneOf(region);
  out.number = std::move(result);
  return out;
}

PhoneParse PhoneNormalizer::NormalizeWithLibphonenumber(std::string_view raw) const {
  Cleaned cleaned = Clean(raw);
  if (auto refused = RefuseBeforeParsing(cleaned, raw)) return *refused;
  return ParseCleaned(cleaned);
}

PhoneParse PhoneNormalizer::Normalize(std::string_view raw) const {
  if (auto e164 = FastPathE164(raw)) {
    int prefix = 0;
    for (int i = 3; i < 8; ++i) prefix = prefix * 10 + ((*e164)[static_cast<size_t>(i)] - '0');
    PhoneParse out;
    out.number = PhoneNumber{std::move(*e164), "", "IN", PrefixType(prefix), TimeZoneOf("IN")};
    return out;
  }
  return NormalizeWithLibphonenumber(raw);
}

}  // namespace vaarta::leads
