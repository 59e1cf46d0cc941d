#include "leads/phone/indian_number_fast_path.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace vaarta::leads {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// Longer inputs are left to libphonenumber, which also refuses inputs over 250
// characters however few digits they hold.
constexpr size_t kMaxInput = 40;

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace

IndianNumberFastPath::PrefixType IndianNumberFastPath::TypeOfPrefix(int prefix) const {
  std::atomic<uint8_t>& slot = prefix_types_[static_cast<size_t>(prefix - kFirstPrefix)];
  auto known = static_cast<PrefixType>(slot.load(std::memory_order_relaxed));
  if (known != kNotAsked) return known;
  // The prefix's lowest number stands for all of them (see the header). Built directly
  // rather than parsed: parsing would double the cost of asking.
  i18n::phonenumbers::PhoneNumber number;
  number.set_country_code(91);
  number.set_national_number(static_cast<uint64_t>(prefix) * 100000);
  // libphonenumber's PhoneNumberUtil is a process-wide singleton the library owns; it is
  // immutable after construction and documented as thread-safe.
  switch (PhoneNumberUtil::GetInstance()->GetNumberType(number)) {
    case PhoneNumberUtil::MOBILE:
      known = kMobile;
      break;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      known = kFixedLineOrMobile;
      break;
    case PhoneNumberUtil::FIXED_LINE:
      known = kFixedLine;
      break;
    default:
      known = kDefer;
      break;
  }
  slot.store(known, std::memory_order_relaxed);
  return known;
}

std::optional<IndianNumberFastPath::Decision> IndianNumberFastPath::Decide(
    std::string_view raw) const {
  if (raw.size() > kMaxInput) return std::nullopt;
  std::array<char, 14> digits;
  size_t count = 0;
  bool plus = false;
  for (char c : raw) {
    if (c >= '0' && c <= '9') {
      if (count == digits.size()) return std::nullopt;
      digits[count++] = c;
    } else if (c == '+' && count == 0 && !plus) {
      plus = true;
    } else if (!IsSeparator(c)) {
      return std::nullopt;
    }
  }
  // Where the 10-digit national number starts, by the forms libphonenumber reads the
  // same way with region IN: +91 N, 0091 N (international prefix 00), 91 N, 0 N, N.
  size_t start;
  if (plus) {
    if (count != 12 || digits[0] != '9' || digits[1] != '1') return std::nullopt;
    start = 2;
  } else if (count == 10) {
    start = 0;
  } else if (count == 11 && digits[0] == '0') {
    start = 1;
  } else if (count == 12 && digits[0] == '9' && digits[1] == '1') {
    start = 2;
  } else if (count == 14 && digits[0] == '0' && digits[1] == '0' && digits[2] == '9' &&
             digits[3] == '1') {
    start = 4;
  } else {
    return std::nullopt;
  }
  if (digits[start] < '6') return std::nullopt;
  int prefix = 0;
  for (size_t i = start; i < start + 5; ++i) prefix = prefix * 10 + (digits[i] - '0');
  Decision decision;
  switch (TypeOfPrefix(prefix)) {
    case kMobile:
      decision.type = "mobile";
      break;
    case kFixedLineOrMobile:
      decision.type = "fixed_line_or_mobile";
      break;
    case kFixedLine:
      decision.type = "fixed_line";
      break;
    default:
      return std::nullopt;
  }
  for (size_t i = 0; i < 10; ++i) decision.national[i] = digits[start + i];
  return decision;
}

}  // namespace vaarta::leads
