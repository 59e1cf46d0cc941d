#pragma once
// PhoneText: a phone cell made ready for libphonenumber, and refused where
// libphonenumber would silently "repair" it. Digits of every script become ASCII,
// invisible marks copied from chat apps go, an extension ("ext. 12", "x12", "#12") is
// split off; letters and Excel's scientific notation are refused because libphonenumber
// would read letters as keypad digits and cannot know which digits Excel dropped.
#include <string>
#include <string_view>

#include "leads/phone/phone_normalizer.h"

namespace vaarta::leads {

struct PhoneText {
  // The number without its extension: ASCII digits, the punctuation as written, trimmed.
  std::string number;
  std::string extension;  // "12" for "... ext. 12", else ""
  // Set when the text is refused before libphonenumber sees it.
  PhoneRefusal refusal = PhoneRefusal::kNone;
  std::string message;
};

PhoneText ReadPhoneText(std::string_view raw);

// True for what a spreadsheet shows for a long number: "9.12345E+09", "9,12E+9", "9.1E9".
bool IsScientificNotation(std::string_view text);

}  // namespace vaarta::leads
