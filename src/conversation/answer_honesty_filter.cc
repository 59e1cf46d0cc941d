#include "conversation/answer_honesty_filter.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace vaarta::conversation {
namespace {

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The numbers written in `text`, digits only ("4,999" and "4999" are one number; "1.5"
// keeps its point). Devanagari digits are mapped to ASCII.
std::set<std::string> Numbers(const std::string& text) {
  std::string ascii;
  for (size_t i = 0; i < text.size(); ++i) {
    // U+0966..U+096F: E0 A5 A6..AF
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xE0 &&
        static_cast<unsigned char>(text[i + 1]) == 0xA5) {
      unsigned char c = static_cast<unsigned char>(text[i + 2]);
      if (c >= 0xA6 && c <= 0xAF) {
        ascii += static_cast<char>('0' + (c - 0xA6));
        i += 2;
        continue;
      }
    }
    ascii += text[i];
  }
  std::set<std::string> out;
  std::string current;
  auto flush = [&] {
    while (!current.empty() && current.back() == '.') current.pop_back();
    if (!current.empty()) out.insert(current);
    current.clear();
  };
  for (size_t i = 0; i < ascii.size(); ++i) {
    char c = ascii[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      current += c;
    } else if ((c == ',' || c == '.') && !current.empty() && i + 1 < ascii.size() &&
               std::isdigit(static_cast<unsigned char>(ascii[i + 1]))) {
      if (c == '.') current += c;  // thousands separators go, decimal points stay
    } else {
      flush();
    }
  }
  flush();
  return out;
}

bool ContainsAny(const std::string& haystack, std::initializer_list<const char*> needles,
                 std::string* found) {
  for (const char* n : needles) {
    if (haystack.find(n) != std::string::npos) {
      *found = n;
      return true;
    }
  }
  return false;
}

}  // namespace

HonestyVerdict AnswerHonestyFilter::Check(const std::string& answer,
                                          const std::vector<std::string>& facts) const {
  std::string lower = Lower(answer);
  std::string all_facts;
  for (const auto& f : facts) all_facts += Lower(f) + "\n";
  if (std::all_of(lower.begin(), lower.end(),
                  [](unsigned char c) { return std::isspace(c) != 0; })) {
    return {false, "the answer is empty"};
  }
  int words = 0;
  bool in_word = false;
  for (unsigned char c : answer) {
    bool space = std::isspace(c) != 0;
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  if (words > kMaxWords) return {false, "the answer runs to " + std::to_string(words) + " words"};
  std::set<std::string> allowed = Numbers(all_facts);
  for (const auto& number : Numbers(answer)) {
    if (!allowed.count(number)) return {false, "number " + number + " is not in the facts"};
  }
  std::string found;
  // Spelled-out amounts would slip past the digit check; they must be in the facts too.
  for (const char* scale : {"lakh", "crore", "thousand", "hundred", "percent", "hazaar", "लाख",
                            "करोड़", "हज़ार", "हजार", "प्रतिशत"}) {
    if (lower.find(scale) != std::string::npos && all_facts.find(scale) == std::string::npos) {
      return {false, std::string("'") + scale + "' is not in the facts"};
    }
  }
  if (ContainsAny(lower,
                  {"guarantee", "assured return", "risk-free", "risk free", "no risk", "100% safe",
                   "100 percent", "pakka", "गारंटी", "certainly get", "definitely get"},
                  &found) &&
      all_facts.find(found) == std::string::npos) {
    return {false, "promises '" + found + "', which the facts do not"};
  }
  if (ContainsAny(lower,
                  {"i am a human", "i'm a human", "i am human", "i'm human", "i am a real person",
                   "i'm a real person", "not a bot", "not a robot", "not automated", "main insaan",
                   "मैं इंसान", "मैं एक इंसान", "रोबोट नहीं"},
                  &found)) {
    return {false, "claims to be a person ('" + found + "')"};
  }
  if (ContainsAny(lower,
                  {"only today", "last chance", "offer ends today", "expires today", "act now",
                   "hurry", "sirf aaj", "सिर्फ आज", "आखिरी मौका"},
                  &found) &&
      all_facts.find(found) == std::string::npos) {
    return {false, "presses with urgency ('" + found + "')"};
  }
  return {};
}

}  // namespace vaarta::conversation
