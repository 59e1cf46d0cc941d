#include "leads/phone/phone_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdio>

namespace vaarta::leads {
namespace {

// libphonenumber refuses inputs over 250 characters; a cell this long is no phone number
// and is not worth decoding.
constexpr size_t kMaxInputBytes = 256;
// libphonenumber keeps extensions of up to 20 digits when marked with "ext".
constexpr size_t kMaxExtensionDigits = 20;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

PhoneText Refused(PhoneRefusal refusal, std::string message) {
  PhoneText out;
  out.refusal = refusal;
  out.message = std::move(message);
  return out;
}

// Marks that never show: bidi controls and zero-width characters that phone numbers
// pick up when copied from chat apps and web pages (general category Cf).
bool IsInvisibleMark(UChar32 c) { return u_charType(c) == U_FORMAT_CHAR; }

// Digits of any script (Devanagari ९, Arabic-Indic ٩, fullwidth ９, ...) as ASCII;
// spaces of any kind (tabs, no-break spaces) as ' ', dashes as '-'; invisible marks
// dropped; everything else kept as written. `raw` must be valid UTF-8.
std::string ToAsciiDigits(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  const auto length = static_cast<int32_t>(raw.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && c < 0x80) {
      out.push_back(IsAsciiSpace(static_cast<char>(c)) ? ' ' : static_cast<char>(c));
      continue;
    }
    const int32_t digit = u_charDigitValue(c);  // decimal digits (category Nd) only
    if (digit >= 0 && digit <= 9) {
      out.push_back(static_cast<char>('0' + digit));
    } else if (IsInvisibleMark(c)) {
      // dropped
    } else if (u_isUWhiteSpace(c)) {
      out.push_back(' ');
    } else if (u_charType(c) == U_DASH_PUNCTUATION) {
      out.push_back('-');
    } else if (c == 0xFF0B) {  // fullwidth plus
      out.push_back('+');
    } else {
      out.append(raw.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
  }
  return out;
}

// Where `raw` stops being UTF-8, or -1 when all of it is.
int32_t FirstInvalidUtf8Byte(std::string_view raw) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  const auto length = static_cast<int32_t>(raw.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return start;
  }
  return -1;
}

// The first letter of `raw` as written and its position in visible characters (1-based).
std::pair<std::string, int> FirstLetter(std::string_view raw) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  const auto length = static_cast<int32_t>(raw.size());
  int32_t i = 0;
  int position = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (IsInvisibleMark(c)) continue;
    ++position;
    if (u_isalpha(c)) {
      return {std::string(raw.substr(static_cast<size_t>(start), static_cast<size_t>(i - start))),
              position};
    }
  }
  return {"", 0};
}

bool HasLetter(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (u_isalpha(c)) return true;
  }
  return false;
}

// Splits a trailing extension off `number`: "ext 12", "ext. 12", "extn 12", "extension
// 12", "x12", "#12" (any case). "fax 12" is not one: a marker must not end a word.
void SplitExtension(std::string& number, std::string& extension) {
  size_t digits = number.size();
  while (digits > 0 && IsAsciiDigit(number[digits - 1])) --digits;
  if (digits == number.size() || number.size() - digits > kMaxExtensionDigits) return;
  size_t marker_end = digits;
  while (marker_end > 0 && (number[marker_end - 1] == ' ' || number[marker_end - 1] == '.' ||
                            number[marker_end - 1] == ':')) {
    --marker_end;
  }
  for (std::string_view marker : {"extension", "extn", "ext", "x", "#"}) {
    if (marker_end < marker.size()) continue;
    const size_t begin = marker_end - marker.size();
    if (!EqualsIgnoringCase(std::string_view(number).substr(begin, marker.size()), marker)) {
      continue;
    }
    if (begin > 0 && IsAsciiLetter(number[begin - 1])) return;
    extension = number.substr(digits);
    number.resize(begin);
    while (!number.empty() && (IsAsciiSpace(number.back()) || number.back() == ',' ||
                               number.back() == ';' || number.back() == '-')) {
      number.pop_back();
    }
    return;
  }
}

// What people type for "no number"; a missing number, not letters.
bool IsPlaceholder(std::string_view text) {
  for (std::string_view placeholder : {"na", "n/a", "n.a.", "nil", "null", "none", "-"}) {
    if (EqualsIgnoringCase(text, placeholder)) return true;
  }
  return false;
}

}  // namespace

bool IsScientificNotation(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t from = i;
    while (i < text.size() && IsAsciiDigit(text[i])) ++i;
    return i - from;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  if (digits() == 0) return false;
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    if (digits() == 0) return false;
  }
  if (i == text.size() || (text[i] != 'e' && text[i] != 'E')) return false;
  ++i;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  const size_t exponent = digits();
  return exponent >= 1 && exponent <= 3 && i == text.size();
}

PhoneText ReadPhoneText(std::string_view raw) {
  if (raw.size() > kMaxInputBytes) {
    return Refused(PhoneRefusal::kTooLong, "is " + std::to_string(raw.size()) +
                                               " bytes long, far too long for a phone number");
  }
  if (const int32_t bad = FirstInvalidUtf8Byte(raw); bad >= 0) {
    std::array<char, 8> hex{};
    std::snprintf(hex.data(), hex.size(), "0x%02X", static_cast<unsigned char>(raw[bad]));
    return Refused(PhoneRefusal::kInvalid,
                   "is not UTF-8 text (byte " + std::string(hex.data()) + " at byte " +
                       std::to_string(bad + 1) +
                       "); save the file as UTF-8, or check the cell for stray characters");
  }
  PhoneText out;
  out.number = std::string(Trim(ToAsciiDigits(raw)));
  if (out.number.empty()) return Refused(PhoneRefusal::kMissing, "the phone number is empty");
  if (IsPlaceholder(out.number)) {
    return Refused(PhoneRefusal::kMissing,
                   "is a placeholder, not a number: the phone number is missing");
  }
  SplitExtension(out.number, out.extension);
  // Before the letter check: the 'E' of "9.12345E+09" is not a typing error.
  if (IsScientificNotation(out.number)) {
    return Refused(PhoneRefusal::kScientificNotation,
                   "is in scientific notation, so the spreadsheet has already rounded away the "
                   "last digits; format the column as text in the spreadsheet and export again");
  }
  if (HasLetter(out.number)) {
    auto [letter, position] = FirstLetter(raw);
    return Refused(PhoneRefusal::kLetters, "contains letters ('" + letter + "' at character " +
                                               std::to_string(position) +
                                               "); a phone number has only digits");
  }
  bool has_digit = false;
  for (char c : out.number) has_digit = has_digit || IsAsciiDigit(c);
  if (!has_digit) {
    return Refused(PhoneRefusal::kMissing, "has no digits: the phone number is missing");
  }
  return out;
}

}  // namespace vaarta::leads
