#include "leads/lead.h"

#include <unicode/unistr.h>

#include <algorithm>

namespace vaarta::leads {

bool IsLeadStatus(const std::string& status) {
  return std::any_of(std::begin(kLeadStatuses), std::end(kLeadStatuses),
                     [&](const char* s) { return status == s; });
}

bool IsDndState(const std::string& state) {
  return state == "blocked" || state == "partial" || state == "clear" || state == "unknown";
}

std::string LeadSearchText(const Lead& lead) {
  // ICU folds case for every script, so "ANIL" finds "Anil" and Devanagari is kept.
  std::string folded;
  icu::UnicodeString::fromUTF8(lead.name + " " + lead.email).foldCase().toUTF8String(folded);
  if (lead.phone_e164) folded += " " + lead.phone_e164->substr(1);
  return folded;
}

}  // namespace vaarta::leads
