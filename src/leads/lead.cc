#include "leads/lead.h"

#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>

namespace vaarta::leads {

bool IsLeadStatus(const std::string& status) {
  return std::any_of(std::begin(kLeadStatuses), std::end(kLeadStatuses),
                     [&](const char* s) { return status == s; });
}

bool IsDndState(const std::string& state) {
  return state == "blocked" || state == "partial" || state == "clear" || state == "unknown";
}

std::string LeadSearchText(const Lead& lead) {
  std::string text = lead.name + " " + lead.email;
  std::string folded;
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    // ASCII (most rows of a big import): lower-casing is case folding; skip ICU.
    folded = text;
    for (char& c : folded) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    // ICU folds case for every script, so "ANIL" finds "Anil" and Devanagari is kept.
    icu::UnicodeString::fromUTF8(text).foldCase().toUTF8String(folded);
  }
  if (lead.phone_e164) folded += " " + lead.phone_e164->substr(1);
  return folded;
}

}  // namespace vaarta::leads
