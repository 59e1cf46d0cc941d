#pragma once
// CallbackTimeParser: the instant a callee asks to be called back at, from what they said
// in English, Hindi or Hinglish ("tomorrow at 5 pm", "kal shaam 6 baje", "parso subah 10
// baje", "in 2 hours", "Monday 11am", "कल शाम 6 बजे"), resolved against the current
// instant on the callee's wall clock. The dialer clamps the result into the campaign's
// legal window (dialer/callback_time.h); this only reads what was asked.
//
// Documented defaults for vague parts: a day without a time is 10:00; "morning" 10:00,
// "afternoon" 14:00, "evening" 18:00, "night"/"tonight" 20:00; an hour without am/pm or a
// part of the day is read as business hours (1-7 -> pm, 8-11 -> am, 12 -> noon); a time
// already past today means tomorrow; "kal" means tomorrow (a callback is never in the
// past); a weekday means its next occurrence after today; "next week" is next Monday.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "campaigns/zone_rules.h"
#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

class CallbackTimeParser {
 public:
  CallbackTimeParser();
  // The instant asked for (Unix ms, UTC), or nullopt when the text names no time ("call
  // me later"). `zone` is the callee's time zone.
  std::optional<int64_t> Parse(const NormalizedText& text, int64_t now_ms,
                               const campaigns::ZoneRules& zone) const;

 private:
  enum class Word {
    kToday,
    kTomorrow,
    kDayAfter,
    kTonight,
    kNext,
    kWeek,
    kMorning,
    kAfternoon,
    kEvening,
    kNight,
    kAm,
    kPm,
    kHourUnit,
    kMinuteUnit,
    kBaje,
    kHalfPast,
    kSaade,
    kSawa,
    kPaune,
    kIn,
    kAfter,
    kAt,
    kWeekday,
    kNumberWord,
    kOrdinalSuffix,
    kNoon,
    kHalf,
    kA,
    kP,
    kM,
    kO,
    kClock
  };
  struct Meaning {
    Word word;
    int value = 0;  // weekday 0 (Monday)-6, or a number word's value in quarters of an hour
  };
  std::unordered_map<std::string, Meaning> words_;
};

}  // namespace vaarta::conversation
