#pragma once
// DndPreference: one customer's preference on India's NCPR ("DND") registry, in its four
// parts (compliance-india.md section 2): the blocked categories (0 = everything, 1-8 one
// kind of business each), the blocked modes of calling, the time bands and the days in
// which the customer accepts the calls they did not block. Packed into 32 bits so that a
// registry of 300 million numbers can keep the rarer partial preferences beside its
// number set.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vaarta::compliance {

// Modes a customer may block separately.
enum class DndMode : uint8_t {
  kVoice = 0,         // ordinary voice calls dialled by a person
  kAutoRecorded = 1,  // auto-dialer calls with a pre-recorded announcement
  kAutoLive = 2,      // auto-dialer calls connected to a live agent
  kRobo = 3,          // robo calls
};
inline constexpr int kDndModeCount = 4;
// "voice", "auto_recorded", "auto_live", "robo".
std::string_view DndModeName(DndMode mode);

// How a campaign calls, for a check: one of the modes, or the AI agent, which the rules
// treat as an auto-dialer / robo call and which, failing closed, any blocked mode stops.
enum class DndCallMode : uint8_t { kVoice, kAutoRecorded, kAutoLive, kRobo, kAiAgent };
std::optional<DndCallMode> ParseDndCallMode(std::string_view text);  // "ai_agent", "robo", ...
std::string_view DndCallModeName(DndCallMode mode);

// The nine time bands, in order: 00-06, 06-08, 08-10, 10-12, 12-14, 14-16, 16-18, 18-21,
// 21-24 (hours, the callee's local time).
inline constexpr int kDndBandCount = 9;
inline constexpr int kDndBandStartHour[kDndBandCount + 1] = {0, 6, 8, 10, 12, 14, 16, 18, 21, 24};
// The band holding `hour` (0-23).
int DndBandOfHour(int hour);
std::string DndBandName(int band);  // "10-12"

// Category names for messages: 0 "everything", 1 "banking, insurance, financial products,
// credit cards", ...
std::string_view DndCategoryName(int category);

class DndPreference {
 public:
  // The preference of a number listed without details: every category and mode blocked.
  static DndPreference FullBlock();
  static DndPreference FromPacked(uint32_t packed) { return DndPreference(packed); }
  uint32_t packed() const { return bits_; }

  bool BlocksCategory(int category) const;  // 0-8; true for every category when 0 is set
  bool BlocksMode(DndMode mode) const;
  bool FullyBlocked() const;  // category 0 with every mode
  bool AllowsBand(int band) const;
  // Day 0 = Monday ... 6 = Sunday, 7 = public holidays.
  bool AllowsDay(int day) const;

  void SetCategory(int category);
  void SetMode(DndMode mode);
  void SetBands(uint32_t mask);  // bit b = band b allowed
  void SetDays(uint32_t mask);   // bit d = day d allowed
  uint32_t categories() const;
  uint32_t modes() const;
  uint32_t bands() const;
  uint32_t days() const;

  // The stricter of two preferences for the same number (listed twice): blocked
  // categories and modes add up, allowed bands and days narrow.
  DndPreference Stricter(const DndPreference& other) const;

  // Canonical form: a full block forgets its bands and days (they cannot matter).
  DndPreference Canonical() const;
  bool operator==(const DndPreference& other) const = default;

  // The tokens of the registry file format ("cat=1,3 modes=robo bands=10-12 days=mon-fri"),
  // empty for a full block.
  std::string ToText() const;
  nlohmann::json ToJson() const;

 private:
  explicit DndPreference(uint32_t bits) : bits_(bits) {}
  uint32_t bits_ = 0;
};

// Reads the preference tokens that follow a number on a registry line. `column` is the
// 1-based column of `tokens` in its line, so errors can point at the exact character:
// "column 17: unknown category '9' (categories are 0-8)".
core::Result<DndPreference> ParseDndPreference(std::string_view tokens, int column);

}  // namespace vaarta::compliance
