#include "compliance/dnd_preference.h"

#include <array>
#include <vector>

namespace vaarta::compliance {
namespace {

// Bit layout of the packed preference.
constexpr int kCategoryShift = 0;  // 9 bits: categories 0-8 blocked
constexpr int kModeShift = 9;      // 4 bits: modes blocked
constexpr int kBandShift = 13;     // 9 bits: bands allowed
constexpr int kDayShift = 22;      // 8 bits: Monday..Sunday, holidays allowed
constexpr uint32_t kCategoryMask = 0x1FF;
constexpr uint32_t kModeMask = 0xF;
constexpr uint32_t kBandMask = 0x1FF;
constexpr uint32_t kDayMask = 0xFF;
// Bands 10-12 .. 18-21: the ones that are on unless the customer switched others on.
constexpr uint32_t kDefaultBands = 0b011111000;
constexpr uint32_t kEveryWeekday = 0x7F;  // holidays stay off unless chosen

constexpr std::array<std::string_view, 8> kDayNames = {"mon", "tue", "wed", "thu",
                                                       "fri", "sat", "sun", "hol"};
constexpr std::array<std::string_view, kDndModeCount> kModeNames = {"voice", "auto_recorded",
                                                                    "auto_live", "robo"};

core::Error At(int column, const std::string& message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "column " + std::to_string(column) + ": " + message, "invalid_dnd_line");
}

// Splits "a,b,c" into items with their offsets.
std::vector<std::pair<std::string_view, int>> Items(std::string_view list) {
  std::vector<std::pair<std::string_view, int>> items;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    items.emplace_back(list.substr(start, comma - start), static_cast<int>(start));
    start = comma + 1;
  }
  return items;
}

int DayIndex(std::string_view name) {
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (kDayNames[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int BandIndex(std::string_view text) {
  for (int b = 0; b < kDndBandCount; ++b) {
    if (text == DndBandName(b)) return b;
  }
  return -1;
}

std::string JoinMask(uint32_t mask, int count, const auto& name) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (!(mask >> i & 1)) continue;
    if (!out.empty()) out += ',';
    out += name(i);
  }
  return out;
}

}  // namespace

std::string_view DndModeName(DndMode mode) { return kModeNames[static_cast<int>(mode)]; }

std::optional<DndCallMode> ParseDndCallMode(std::string_view text) {
  if (text == "ai_agent") return DndCallMode::kAiAgent;
  for (int i = 0; i < kDndModeCount; ++i) {
    if (text == kModeNames[i]) return static_cast<DndCallMode>(i);
  }
  return std::nullopt;
}

std::string_view DndCallModeName(DndCallMode mode) {
  if (mode == DndCallMode::kAiAgent) return "ai_agent";
  return kModeNames[static_cast<int>(mode)];
}

int DndBandOfHour(int hour) {
  for (int b = 0; b < kDndBandCount; ++b) {
    if (hour < kDndBandStartHour[b + 1]) return b;
  }
  return kDndBandCount - 1;
}

std::string DndBandName(int band) {
  auto two = [](int h) { return std::string(h < 10 ? "0" : "") + std::to_string(h); };
  return two(kDndBandStartHour[band]) + "-" + two(kDndBandStartHour[band + 1]);
}

std::string_view DndCategoryName(int category) {
  static constexpr std::array<std::string_view, 9> kNames = {
      "every category (fully blocked)",
      "banking, insurance, financial products, credit cards",
      "real estate",
      "education",
      "health",
      "consumer goods and automobiles",
      "communication, broadcasting, entertainment, IT",
      "tourism and leisure",
      "food and beverages"};
  return category >= 0 && category < 9 ? kNames[category] : "unknown category";
}

DndPreference DndPreference::FullBlock() {
  return DndPreference((1u << kCategoryShift) | (kModeMask << kModeShift) |
                       (kDefaultBands << kBandShift) | (kEveryWeekday << kDayShift));
}

uint32_t DndPreference::categories() const { return bits_ >> kCategoryShift & kCategoryMask; }
uint32_t DndPreference::modes() const { return bits_ >> kModeShift & kModeMask; }
uint32_t DndPreference::bands() const { return bits_ >> kBandShift & kBandMask; }
uint32_t DndPreference::days() const { return bits_ >> kDayShift & kDayMask; }

bool DndPreference::BlocksCategory(int category) const {
  return (categories() & 1) || (category >= 0 && category < 9 && (categories() >> category & 1));
}
bool DndPreference::BlocksMode(DndMode mode) const { return modes() >> static_cast<int>(mode) & 1; }
bool DndPreference::FullyBlocked() const { return (categories() & 1) && modes() == kModeMask; }
bool DndPreference::AllowsBand(int band) const { return bands() >> band & 1; }
bool DndPreference::AllowsDay(int day) const { return days() >> day & 1; }

void DndPreference::SetCategory(int category) { bits_ |= 1u << (kCategoryShift + category); }
void DndPreference::SetMode(DndMode mode) { bits_ |= 1u << (kModeShift + static_cast<int>(mode)); }
void DndPreference::SetBands(uint32_t mask) {
  bits_ = (bits_ & ~(kBandMask << kBandShift)) | ((mask & kBandMask) << kBandShift);
}
void DndPreference::SetDays(uint32_t mask) {
  bits_ = (bits_ & ~(kDayMask << kDayShift)) | ((mask & kDayMask) << kDayShift);
}

DndPreference DndPreference::Stricter(const DndPreference& other) const {
  DndPreference out(((categories() | other.categories()) << kCategoryShift) |
                    ((modes() | other.modes()) << kModeShift) |
                    ((bands() & other.bands()) << kBandShift) |
                    ((days() & other.days()) << kDayShift));
  return out.Canonical();
}

DndPreference DndPreference::Canonical() const {
  if (FullyBlocked()) return FullBlock();
  // Category 0 blocks every category, so the other bits add nothing.
  if (categories() & 1) {
    return DndPreference((bits_ & ~(kCategoryMask << kCategoryShift)) | (1u << kCategoryShift));
  }
  return *this;
}

std::string DndPreference::ToText() const {
  if (FullyBlocked()) return "";
  std::string out = "cat=" + JoinMask(categories(), 9, [](int i) { return std::to_string(i); });
  out += " modes=" +
         JoinMask(modes(), kDndModeCount, [](int i) { return std::string(kModeNames[i]); });
  if (bands() != kDefaultBands) {
    out += " bands=" + (bands() ? JoinMask(bands(), kDndBandCount, DndBandName) : "none");
  }
  if (days() != kEveryWeekday) {
    out += " days=" +
           (days() ? JoinMask(days(), 8, [](int i) { return std::string(kDayNames[i]); }) : "none");
  }
  return out;
}

nlohmann::json DndPreference::ToJson() const {
  nlohmann::json cats = nlohmann::json::array(), modes_json = nlohmann::json::array(),
                 bands_json = nlohmann::json::array(), days_json = nlohmann::json::array();
  for (int c = 0; c < 9; ++c) {
    if (categories() >> c & 1) cats.push_back(c);
  }
  for (int m = 0; m < kDndModeCount; ++m) {
    if (modes() >> m & 1) modes_json.push_back(kModeNames[m]);
  }
  for (int b = 0; b < kDndBandCount; ++b) {
    if (AllowsBand(b)) bands_json.push_back(DndBandName(b));
  }
  for (int d = 0; d < 8; ++d) {
    if (AllowsDay(d)) days_json.push_back(kDayNames[d]);
  }
  return {{"fully_blocked", FullyBlocked()},
          {"blocked_categories", std::move(cats)},
          {"blocked_modes", std::move(modes_json)},
          {"allowed_bands", std::move(bands_json)},
          {"allowed_days", std::move(days_json)}};
}

core::Result<DndPreference> ParseDndPreference(std::string_view tokens, int column) {
  uint32_t cats = 0, modes = 0, bands = kDefaultBands, days = kEveryWeekday;
  bool seen[4] = {false, false, false, false};
  size_t pos = 0;
  while (pos < tokens.size()) {
    if (tokens[pos] == ' ' || tokens[pos] == '\t') {
      ++pos;
      continue;
    }
    size_t end = tokens.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = tokens.size();
    std::string_view token = tokens.substr(pos, end - pos);
    int token_col = column + static_cast<int>(pos);
    size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return At(token_col, "expected key=value (cat=, modes=, bands= or days=), found '" +
                               std::string(token) + "'");
    }
    std::string_view key = token.substr(0, eq), value = token.substr(eq + 1);
    int value_col = token_col + static_cast<int>(eq) + 1;
    int which = key == "cat" || key == "category" || key == "categories" ? 0
                : key == "modes" || key == "mode"                        ? 1
                : key == "bands" || key == "band"                        ? 2
                : key == "days" || key == "day"                          ? 3
                                                                         : -1;
    if (which < 0) {
      return At(token_col,
                "unknown key '" + std::string(key) + "' (expected cat, modes, bands or days)");
    }
    if (seen[which]) return At(token_col, "'" + std::string(key) + "' is given twice");
    seen[which] = true;
    if (value.empty()) return At(value_col, "'" + std::string(key) + "=' has no value");
    if (which == 1 && value == "all") {
      modes = kModeMask;
    } else if (which == 2 && value == "all") {
      bands = kBandMask;
    } else if (which == 2 && value == "none") {
      bands = 0;
    } else if (which == 3 && value == "all") {
      days = kDayMask;
    } else if (which == 3 && value == "none") {
      days = 0;
    } else {
      if (which == 2) bands = 0;
      if (which == 3) days = 0;
      for (auto [item, offset] : Items(value)) {
        int col = value_col + offset;
        std::string text(item);
        if (item.empty()) return At(col, "empty item in '" + std::string(token) + "'");
        if (which == 0) {
          if (item.size() != 1 || item[0] < '0' || item[0] > '8') {
            return At(col, "unknown category '" + text + "' (categories are 0-8)");
          }
          cats |= 1u << (item[0] - '0');
        } else if (which == 1) {
          int m = -1;
          for (int i = 0; i < kDndModeCount; ++i) {
            if (kModeNames[i] == item) m = i;
          }
          if (m < 0) {
            return At(col, "unknown mode '" + text +
                               "' (modes are voice, auto_recorded, auto_live, robo, all)");
          }
          modes |= 1u << m;
        } else if (which == 2) {
          int b = BandIndex(item);
          if (b < 0) {
            return At(col, "unknown time band '" + text +
                               "' (bands are 00-06, 06-08, 08-10, 10-12, 12-14, 14-16, "
                               "16-18, 18-21, 21-24)");
          }
          bands |= 1u << b;
        } else {
          size_t dash = item.find('-');
          int from = DayIndex(item.substr(0, dash));
          int to = dash == std::string_view::npos ? from : DayIndex(item.substr(dash + 1));
          if (from < 0 || to < 0 || from > to || (dash != std::string_view::npos && to > 6)) {
            return At(col, "unknown day '" + text +
                               "' (days are mon, tue, wed, thu, fri, sat, sun, hol, or a "
                               "range such as mon-fri)");
          }
          for (int d = from; d <= to; ++d) days |= 1u << d;
        }
      }
    }
    pos = end;
  }
  // A line without categories blocks everything; without modes, every mode.
  if (!seen[0]) cats = 1;
  if (!seen[1]) modes = kModeMask;
  DndPreference pref = DndPreference::FromPacked((cats << kCategoryShift) | (modes << kModeShift) |
                                                 (bands << kBandShift) | (days << kDayShift));
  return pref.Canonical();
}

}  // namespace vaarta::compliance
