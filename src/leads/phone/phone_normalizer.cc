#include "leads/phone/phone_normalizer.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <stdexcept>

#include "leads/phone/indian_number_fast_path.h"
#include "leads/phone/phone_text.h"

namespace vaarta::leads {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// libphonenumber keeps its metadata in a process-wide singleton that the library owns;
// it is immutable after construction and thread-safe, so sharing it hides no state of ours.
const PhoneNumberUtil& Util() { return *PhoneNumberUtil::GetInstance(); }

PhoneParse Refuse(PhoneRefusal refusal, std::string message) {
  PhoneParse out;
  out.refusal = refusal;
  out.message = std::move(message);
  return out;
}

std::string_view TypeName(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
      return "fixed_line";
    case PhoneNumberUtil::MOBILE:
      return "mobile";
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return "fixed_line_or_mobile";
    case PhoneNumberUtil::VOIP:
      return "voip";
    case PhoneNumberUtil::PERSONAL_NUMBER:
      return "personal_number";
    case PhoneNumberUtil::PAGER:
      return "pager";
    default:
      return "unknown";
  }
}

// What a type that is never called is, in words; "" for callable types.
std::string_view NeverCalledTypeName(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::TOLL_FREE:
      return "a toll-free number";
    case PhoneNumberUtil::SHARED_COST:
      return "a shared-cost number";
    case PhoneNumberUtil::PREMIUM_RATE:
      return "a premium-rate number";
    case PhoneNumberUtil::UAN:
      return "a universal access number (UAN)";
    case PhoneNumberUtil::VOICEMAIL:
      return "a voicemail access number";
    default:
      return "";
  }
}

std::string Digits(size_t count) {
  return std::to_string(count) + (count == 1 ? " digit" : " digits");
}

size_t CountDigits(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += c >= '0' && c <= '9' ? 1 : 0;
  return count;
}

// The first character libphonenumber cannot read as part of a number, as written.
std::string FirstStrangeCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' ||
        c == ')' || c == '/') {
      continue;
    }
    size_t length = 1;
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    return std::string(text.substr(i, length));
  }
  return "";
}

std::string UpperCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
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

bool PhoneNormalizer::KnowsRegion(std::string_view region) {
  return Util().GetCountryCodeForRegion(UpperCase(region)) != 0;
}

PhoneNormalizer::PhoneNormalizer(std::string default_region) : region_(UpperCase(default_region)) {
  if (!KnowsRegion(region_)) {
    throw std::invalid_argument("default region '" + region_ +
                                "' is not a region libphonenumber knows; use an ISO 3166 code "
                                "such as IN or GB");
  }
  default_facts_ = LookUpRegionFacts(region_);
  if (region_ == "IN") fast_path_ = std::make_unique<IndianNumberFastPath>();
}

PhoneNormalizer::~PhoneNormalizer() = default;

const RegionFacts& PhoneNormalizer::FactsOf(const std::string& region) const {
  if (region == region_) return default_facts_;
  std::lock_guard lock(facts_mutex_);
  auto it = facts_.find(region);
  if (it == facts_.end()) it = facts_.emplace(region, LookUpRegionFacts(region)).first;
  return it->second;  // map nodes never move and are never erased
}

std::optional<std::string> PhoneNormalizer::FastPathE164(std::string_view raw) const {
  if (!fast_path_) return std::nullopt;
  auto decision = fast_path_->Decide(raw);
  if (!decision) return std::nullopt;
  std::string e164 = "+91";
  e164.append(decision->national.data(), decision->national.size());
  return e164;
}

PhoneParse PhoneNormalizer::Normalize(std::string_view raw) const {
  if (fast_path_) {
    if (auto decision = fast_path_->Decide(raw)) {
      PhoneParse out;
      PhoneNumber& number = out.number.emplace();
      number.e164.reserve(13);
      number.e164.append("+91").append(decision->national.data(), decision->national.size());
      number.region = "IN";
      number.type = decision->type;
      number.time_zone = default_facts_.time_zone;
      return out;
    }
  }
  return NormalizeWithLibphonenumber(raw);
}

PhoneParse PhoneNormalizer::NormalizeWithLibphonenumber(std::string_view raw) const {
  PhoneText text = ReadPhoneText(raw);
  if (text.refusal != PhoneRefusal::kNone) return Refuse(text.refusal, std::move(text.message));

  const PhoneNumberUtil& util = Util();
  i18n::phonenumbers::PhoneNumber number;
  switch (util.Parse(text.number, region_, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return Refuse(PhoneRefusal::kInvalid,
                    "starts with a country calling code that does not exist (the digits after "
                    "'+' or '00')");
    case PhoneNumberUtil::TOO_SHORT_NSN:
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return Refuse(PhoneRefusal::kTooShort, "has only " + Digits(CountDigits(text.number)) +
                                                 ", too few for a phone number");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Refuse(PhoneRefusal::kTooLong,
                    "has " + Digits(CountDigits(text.number)) + ", too many for a phone number");
    default: {  // NOT_A_NUMBER
      const size_t digits = CountDigits(text.number);
      if (digits < 2) {
        return Refuse(PhoneRefusal::kTooShort,
                      "has only " + Digits(digits) + ", too few for a phone number");
      }
      const std::string strange = FirstStrangeCharacter(text.number);
      return Refuse(PhoneRefusal::kInvalid,
                    strange.empty()
                        ? "is not written as a phone number"
                        : "contains '" + strange + "', which has no place in a phone number");
    }
  }

  const int country_code = number.country_code();
  std::string region;
  util.GetRegionCodeForNumber(number, &region);  // "ZZ" when no region's patterns match
  std::string national;
  util.GetNationalSignificantNumber(number, &national);
  // "in India (+91)", for messages.
  auto where = [&] {
    std::string named = region;
    if (named == "ZZ") util.GetRegionCodeForCountryCode(country_code, &named);
    const std::string code = "+" + std::to_string(country_code);
    if (named == "ZZ" || named == "001") return "for country code " + code;
    return "in " + FactsOf(named).name + " (" + code + ")";
  };

  switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::IS_POSSIBLE:
      break;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return Refuse(PhoneRefusal::kTooShort,
                    "has only " + Digits(national.size()) +
                        ": a local number without its area code; write it with the area code "
                        "(in India, the STD code)");
    case PhoneNumberUtil::TOO_SHORT:
      return Refuse(PhoneRefusal::kTooShort, "has only " + Digits(national.size()) +
                                                 ", too few for a phone number " + where());
    case PhoneNumberUtil::TOO_LONG:
      return Refuse(PhoneRefusal::kTooLong,
                    "has " + Digits(national.size()) + ", too many for a phone number " + where());
    case PhoneNumberUtil::INVALID_LENGTH:
      return Refuse(PhoneRefusal::kInvalid, "has " + Digits(national.size()) +
                                                ", a length no phone number " + where() + " has");
    default:  // INVALID_COUNTRY_CODE
      return Refuse(PhoneRefusal::kInvalid, "+" + std::to_string(country_code) +
                                                " is not a country calling code that exists");
  }

  // India's series that are never called, decided here by prefix whatever the metadata
  // of the day says: 140 is allotted to registered telemarketers (libphonenumber 8.12
  // calls it UAN), 1600 and 1601 to banks', insurers' and government service calls (it
  // calls 1600 toll-free and does not know 1601).
  if (country_code == 91) {
    if (national.starts_with("140")) {
      return Refuse(PhoneRefusal::kNotCallableType,
                    "is a 140-series number, which India allots to registered telemarketers; "
                    "such numbers are never called");
    }
    if (national.starts_with("1600") || national.starts_with("1601")) {
      return Refuse(PhoneRefusal::kNotCallableType,
                    "is a " + national.substr(0, 4) +
                        "-series number, which India allots to banks', insurers' and government "
                        "service lines; service lines are never called");
    }
  }

  const auto type = util.GetNumberType(number);
  // IsValidNumber is exactly "GetNumberType != UNKNOWN" for the same region and metadata,
  // except for regions without number patterns; asking it only when the type is unknown
  // saves a second pass over the region's patterns (several microseconds) per number.
  if (type == PhoneNumberUtil::UNKNOWN && !util.IsValidNumber(number)) {
    std::string message = "is not a valid number " + where() +
                          ": no number is assigned with these digits; check it for a typo";
    if (country_code == 91 && national.size() != 10 && national[0] >= '6' && national[0] <= '9') {
      message += " (an Indian mobile number has 10 digits after +91 or 0; this one has " +
                 std::to_string(national.size()) + ")";
    }
    return Refuse(PhoneRefusal::kInvalid, std::move(message));
  }
  if (std::string_view never = NeverCalledTypeName(type); !never.empty()) {
    return Refuse(PhoneRefusal::kNotCallableType,
                  "is " + std::string(never) + " (" +
                      national.substr(0, country_code == 91 ? 4 : 3) +
                      " series); service lines are never called");
  }

  PhoneParse out;
  PhoneNumber& accepted = out.number.emplace();
  util.Format(number, PhoneNumberUtil::E164, &accepted.e164);
  accepted.extension = !text.extension.empty() ? std::move(text.extension) : number.extension();
  accepted.region = region;
  accepted.type = TypeName(type);
  accepted.time_zone = FactsOf(region).time_zone;
  return out;
}

}  // namespace vaarta::leads
