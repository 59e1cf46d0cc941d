#include "conversation/entity_extractor.h"

#include <cctype>
#include <regex>

namespace vaarta::conversation {
namespace {

struct Word {
  const char* word;
  double value;
};

constexpr Word kUnits[] = {
    {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
    {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
    {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},
    {"seventy", 70}, {"eighty", 80},  {"ninety", 90},    {"ek", 1},        {"do", 2},
    {"teen", 3},     {"char", 4},     {"chaar", 4},      {"panch", 5},     {"paanch", 5},
    {"chhe", 6},     {"chah", 6},     {"saat", 7},       {"aath", 8},      {"nau", 9},
    {"das", 10},     {"gyarah", 11},  {"barah", 12},     {"pandrah", 15},  {"bees", 20},
    {"pachees", 25}, {"tees", 30},    {"chalis", 40},    {"pachas", 50},   {"pachaas", 50},
    {"saath", 60},   {"sattar", 70},  {"assi", 80},      {"nabbe", 90},    {"dedh", 1.5},
    {"dhai", 2.5},   {"dhaai", 2.5},  {"sava", 1.25},    {"half", 0.5},    {"aadha", 0.5}};

constexpr Word kScales[] = {{"hundred", 100},    {"sau", 100},         {"thousand", 1000},
                            {"hazaar", 1000},    {"hazar", 1000},      {"hajar", 1000},
                            {"k", 1000},         {"lakh", 100000},     {"lakhs", 100000},
                            {"lac", 100000},     {"lacs", 100000},     {"million", 1000000},
                            {"crore", 10000000}, {"crores", 10000000}, {"karod", 10000000}};

bool IsDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

EntityExtractor::EntityExtractor() {
  for (const auto& w : kUnits) units_[SpellingKey(w.word)] = w.value;
  for (const auto& w : kScales) scales_[SpellingKey(w.word)] = w.value;
}

std::vector<double> EntityExtractor::Numbers(const NormalizedText& text) const {
  // A number is a run of digits and number words: units add ("twenty five"), scales
  // multiply what came before them ("do lakh pachas hazaar" = 2*100000 + 50*1000).
  std::vector<double> out;
  double total = 0;  // completed scale groups
  double group = 0;  // the group being read
  bool in_number = false;
  auto finish = [&] {
    if (in_number) out.push_back(total + group);
    total = group = 0;
    in_number = false;
  };
  for (size_t i = 0; i < text.tokens.size(); ++i) {
    const std::string& token = text.tokens[i];
    const std::string& key = text.keys[i];
    if (IsDigits(token) && token.size() <= 12) {
      if (in_number && group != 0) finish();
      group = std::stod(token);
      in_number = true;
      continue;
    }
    // "do" is also the English verb: only a number next to a scale word ("do lakh").
    if (auto unit = units_.find(key); unit != units_.end()) {
      bool next_is_scale = i + 1 < text.keys.size() && scales_.count(text.keys[i + 1]) > 0;
      if (key == SpellingKey("do") && !next_is_scale) {
        finish();
        continue;
      }
      if (in_number && group >= 20 && unit->second < 10) {
        group += unit->second;  // "twenty five"
      } else {
        if (in_number && group != 0) finish();
        group = unit->second;
        in_number = true;
      }
      continue;
    }
    if (auto scale = scales_.find(key); scale != scales_.end() && in_number) {
      if (scale->second == 100) {
        group = group * 100;
      } else {
        total += group * scale->second;
        group = 0;
      }
      continue;
    }
    finish();
  }
  finish();
  return out;
}

std::vector<std::string> EntityExtractor::SpokenEmails(const NormalizedText& text) const {
  // local ( (dot|underscore|hyphen) part )* (at | at the rate) domain (dot part)+
  std::vector<std::string> out;
  const auto& t = text.tokens;
  auto separator = [](const std::string& w) -> const char* {
    if (w == "dot") return ".";
    if (w == "underscore") return "_";
    if (w == "hyphen" || w == "dash") return "-";
    return nullptr;
  };
  for (size_t at = 1; at + 3 < t.size() + 1; ++at) {
    if (t[at] != "at") continue;
    size_t domain = at + 1;
    if (domain + 1 < t.size() && t[domain] == "the" && t[domain + 1] == "rate") domain += 2;
    // The local part: walk back over "word (sep word)*".
    size_t begin = at - 1;
    while (begin >= 2 && separator(t[begin - 1]) != nullptr) begin -= 2;
    std::string local;
    for (size_t i = begin; i < at; ++i) {
      const char* sep = separator(t[i]);
      local += sep ? sep : t[i];
    }
    std::string host;
    size_t i = domain;
    if (i >= t.size() || separator(t[i])) continue;
    host = t[i++];
    int dots = 0;
    while (i + 1 < t.size() && t[i] == "dot" && !separator(t[i + 1])) {
      host += "." + t[i + 1];
      i += 2;
      ++dots;
    }
    if (dots == 0 || local.empty()) continue;
    out.push_back(local + "@" + host);
  }
  return out;
}

Entities EntityExtractor::Extract(std::string_view original, const NormalizedText& text) const {
  Entities entities;
  entities.numbers = Numbers(text);
  static const std::regex kTyped(R"(([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+))");
  std::string raw(original);
  if (raw.find('@') == std::string::npos) raw.clear();  // no regex work for most utterances
  for (std::sregex_iterator it(raw.begin(), raw.end(), kTyped), end; it != end; ++it) {
    std::string email = it->str();
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    entities.emails.push_back(email);
  }
  for (auto& email : SpokenEmails(text)) entities.emails.push_back(std::move(email));
  return entities;
}

}  // namespace vaarta::conversation
