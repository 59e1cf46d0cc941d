#include "conversation/callback_time_parser.h"

#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "campaigns/civil_date.h"

namespace vaarta::conversation {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// "5", "17:30", "5.30" -> minutes after midnight of the clock reading; -1 when not one.
bool ParseDigits(const std::string& token, int* whole, int* minute) {
  if (token.empty() || token.size() > 5) return false;
  size_t colon = token.find(':');
  std::string_view head = std::string_view(token).substr(0, colon);
  if (head.empty() || head.size() > 2) return false;
  for (char c : head) {
    if (c < '0' || c > '9') return false;
  }
  *whole = std::atoi(std::string(head).c_str());
  *minute = 0;
  if (colon != std::string::npos) {
    std::string_view tail = std::string_view(token).substr(colon + 1);
    if (tail.size() != 2 || tail[0] < '0' || tail[0] > '5' || tail[1] < '0' || tail[1] > '9') {
      return false;
    }
    *minute = (tail[0] - '0') * 10 + (tail[1] - '0');
  }
  return true;
}

}  // namespace

CallbackTimeParser::CallbackTimeParser() {
  auto add = [this](const std::vector<std::string_view>& spellings, Word word, int value = 0) {
    for (std::string_view s : spellings) words_[SpellingKey(s)] = Meaning{word, value};
  };
  add({"today", "aaj", "aj"}, Word::kToday);
  add({"tomorrow", "tmrw", "tomorow", "kal", "kl"}, Word::kTomorrow);
  add({"parso", "parson", "parsun", "parsoon"}, Word::kDayAfter);
  add({"tonight", "tonite"}, Word::kTonight);
  add({"next", "agle", "agla", "agli", "coming"}, Word::kNext);
  add({"week", "hafte", "hafta", "weekend"}, Word::kWeek);
  add({"morning", "subah", "subha", "savere", "sawere", "savera"}, Word::kMorning);
  add({"afternoon", "dopahar", "dophar", "dopehar", "dupahar"}, Word::kAfternoon);
  add({"noon", "midday"}, Word::kNoon);
  add({"evening", "shaam", "sham", "shyam"}, Word::kEvening);
  add({"night", "raat", "rat"}, Word::kNight);
  add({"am"}, Word::kAm);
  add({"pm"}, Word::kPm);
  add({"a"}, Word::kA);
  add({"p"}, Word::kP);
  add({"m"}, Word::kM);
  add({"o"}, Word::kO);
  add({"clock"}, Word::kClock);
  add({"hour", "hours", "hr", "hrs", "ghanta", "ghante", "ghanton"}, Word::kHourUnit);
  add({"minute", "minutes", "min", "mins", "minat", "minit"}, Word::kMinuteUnit);
  add({"baje", "bje", "bajay", "baj", "oclock"}, Word::kBaje);
  add({"saade", "sade", "sadhe"}, Word::kSaade);
  add({"sawa", "sava"}, Word::kSawa);
  add({"paune", "pone"}, Word::kPaune);
  add({"half"}, Word::kHalf);
  add({"in"}, Word::kIn);
  add({"after", "baad"}, Word::kAfter);
  add({"at"}, Word::kAt);
  add({"st", "nd", "rd", "th", "tarikh", "tareekh", "taarikh", "tarik"}, Word::kOrdinalSuffix);
  const std::pair<std::vector<std::string_view>, int> weekdays[] = {
      {{"monday", "somvar", "somwar"}, 0},
      {{"tuesday", "mangalvar", "mangalwar"}, 1},
      {{"wednesday", "budhvar", "budhwar"}, 2},
      {{"thursday", "guruvar", "guruwar", "brihaspativar"}, 3},
      {{"friday", "shukravar", "shukrawar"}, 4},
      {{"saturday", "shanivar", "shaniwar"}, 5},
      {{"sunday", "ravivar", "raviwar", "itvar", "itwar", "etvar"}, 6}};
  for (const auto& [names, day] : weekdays) add(names, Word::kWeekday, day);
  // Number words, in quarters of an hour (dedh = one and a half = 6).
  const std::pair<std::vector<std::string_view>, int> numbers[] = {
      {{"one", "ek", "an"}, 4},
      {{"two", "do"}, 8},
      {{"three", "teen", "tin"}, 12},
      {{"four", "char", "chaar"}, 16},
      {{"five", "panch", "paanch"}, 20},
      {{"six", "chhe", "chhah", "che", "chah"}, 24},
      {{"seven", "saat"}, 28},
      {{"eight", "aath", "ath"}, 32},
      {{"nine", "nau"}, 36},
      {{"ten", "das"}, 40},
      {{"eleven", "gyarah", "gyara"}, 44},
      {{"twelve", "barah", "bara"}, 48},
      {{"dedh", "derh"}, 6},
      {{"dhai", "dhaai", "arhai"}, 10},
      {{"aadha", "adha", "aadhe", "adhe"}, 2}};
  for (const auto& [names, quarters] : numbers) add(names, Word::kNumberWord, quarters);
}

std::optional<int64_t> CallbackTimeParser::Parse(const NormalizedText& text, int64_t now_ms,
                                                 const campaigns::ZoneRules& zone) const {
  if (text.empty() || !zone.Covers(now_ms)) return std::nullopt;
  const auto& keys = text.keys;
  const size_t n = keys.size();
  auto meaning = [&](size_t i) -> const Meaning* {
    if (i >= n) return nullptr;
    auto it = words_.find(keys[i]);
    return it == words_.end() ? nullptr : &it->second;
  };
  auto is = [&](size_t i, Word w) {
    const Meaning* m = meaning(i);
    return m && m->word == w;
  };

  std::optional<int> day_offset, weekday, day_of_month, hour, minute;
  int relative_minutes = 0;
  bool relative = false, next = false, next_week = false;
  enum class Part { kNone, kMorning, kAfternoon, kEvening, kNight } part = Part::kNone;
  enum class Meridiem { kNone, kAm, kPm } meridiem = Meridiem::kNone;
  int pending_quarters = 0;  // saade (+2), sawa (+1), paune (-1) before an hour

  for (size_t i = 0; i < n; ++i) {
    const Meaning* m = meaning(i);
    // A number: digits, or a number word ("do" and "an" only before a unit or "baje").
    int quarters = -1;  // the number in quarters of an hour
    int clock_minute = 0;
    bool had_colon = false;
    int whole = 0;
    if (ParseDigits(keys[i], &whole, &clock_minute)) {
      quarters = whole * 4;
      had_colon = keys[i].find(':') != std::string::npos;
    } else if (m && m->word == Word::kNumberWord) {
      bool unit_follows =
          is(i + 1, Word::kHourUnit) || is(i + 1, Word::kMinuteUnit) || is(i + 1, Word::kBaje);
      bool ambiguous = keys[i] == "do" || keys[i] == "an";
      if (!ambiguous || unit_follows) quarters = m->value;
    }
    if (quarters >= 0) {
      if (is(i + 1, Word::kHourUnit)) {
        relative = true;
        relative_minutes += quarters * 15;
        ++i;
        continue;
      }
      if (is(i + 1, Word::kMinuteUnit)) {
        relative = true;
        relative_minutes += quarters / 4;
        ++i;
        continue;
      }
      if (is(i + 1, Word::kOrdinalSuffix) && quarters % 4 == 0 && quarters / 4 >= 1 &&
          quarters / 4 <= 31) {
        day_of_month = quarters / 4;
        ++i;
        continue;
      }
      bool am = is(i + 1, Word::kAm) || (is(i + 1, Word::kA) && is(i + 2, Word::kM));
      bool pm = is(i + 1, Word::kPm) || (is(i + 1, Word::kP) && is(i + 2, Word::kM));
      bool baje = is(i + 1, Word::kBaje) || (is(i + 1, Word::kO) && is(i + 2, Word::kClock));
      bool at = i > 0 && is(i - 1, Word::kAt);
      bool context = day_offset || weekday || part != Part::kNone || pending_quarters != 0;
      int value = quarters + pending_quarters;
      if ((am || pm || baje || at || had_colon || context) && value >= 0 && value < 24 * 4) {
        hour = value / 4;
        minute = had_colon ? clock_minute : (value % 4) * 15;
        if (am) meridiem = Meridiem::kAm;
        if (pm) meridiem = Meridiem::kPm;
        pending_quarters = 0;
      }
      continue;
    }
    if (!m) continue;
    switch (m->word) {
      case Word::kToday:
        day_offset = 0;
        break;
      case Word::kTomorrow:
        day_offset = 1;
        break;
      case Word::kDayAfter:
        day_offset = 2;
        break;
      case Word::kTonight:
        day_offset = 0;
        part = Part::kNight;
        break;
      case Word::kNext:
        next = true;
        break;
      case Word::kWeek:
        if (next) next_week = true;
        break;
      case Word::kWeekday:
        weekday = m->value;
        break;
      case Word::kMorning:
        part = Part::kMorning;
        break;
      case Word::kAfternoon:
        part = Part::kAfternoon;
        break;
      case Word::kEvening:
        part = Part::kEvening;
        break;
      case Word::kNight:
        part = Part::kNight;
        break;
      case Word::kNoon:
        hour = 12;
        minute = 0;
        break;
      case Word::kSaade:
        pending_quarters = 2;
        break;
      case Word::kSawa:
        pending_quarters = 1;
        break;
      case Word::kPaune:
        pending_quarters = -1;
        break;
      case Word::kHalf:
        if (is(i + 1, Word::kHourUnit) ||
            (is(i + 1, Word::kNumberWord) && keys[i + 1] == "an" && is(i + 2, Word::kHourUnit))) {
          relative = true;
          relative_minutes += 30;
          i += is(i + 1, Word::kHourUnit) ? 1 : 2;
        } else if (i + 1 < n && keys[i + 1] == "past") {
          pending_quarters = 2;
        }
        break;
      case Word::kAfter:
        // "day after tomorrow"
        if (i > 0 && keys[i - 1] == "day" && is(i + 1, Word::kTomorrow)) {
          day_offset = 2;
          ++i;
        }
        break;
      default:
        break;
    }
  }

  const int64_t offset = zone.OffsetAt(now_ms);
  const int64_t local_now = now_ms + offset;
  if (relative && !hour && !day_offset && !weekday && !day_of_month) {
    if (relative_minutes <= 0) return std::nullopt;
    return now_ms + relative_minutes * kMinuteMs;
  }
  const int64_t today = FloorDiv(local_now, kDayMs);
  const int today_weekday = static_cast<int>(((today % 7) + 7 + 3) % 7);  // 1970-01-01: Thu
  int64_t day = today;
  bool day_given = true;
  if (day_offset) {
    day = today + *day_offset;
  } else if (weekday) {
    int delta = (*weekday - today_weekday + 7) % 7;
    day = today + (delta == 0 ? 7 : delta);
  } else if (day_of_month) {
    campaigns::CivilDate date = campaigns::CivilFromDays(today);
    int64_t year = date.year;
    unsigned month = date.month;
    if (static_cast<unsigned>(*day_of_month) < date.day) {
      if (++month > 12) {
        month = 1;
        ++year;
      }
    }
    if (!campaigns::IsCivilDate(year, month, static_cast<unsigned>(*day_of_month))) {
      return std::nullopt;
    }
    day = campaigns::DaysFromCivil(year, month, static_cast<unsigned>(*day_of_month));
  } else if (next_week) {
    int delta = (0 - today_weekday + 7) % 7;
    day = today + (delta == 0 ? 7 : delta);
  } else {
    day_given = false;
  }

  int h = 0;
  int mi = 0;
  if (hour) {
    h = *hour;
    mi = minute.value_or(0);
    if (meridiem == Meridiem::kPm && h < 12) h += 12;
    if (meridiem == Meridiem::kAm && h == 12) h = 0;
    if (meridiem == Meridiem::kNone) {
      switch (part) {
        case Part::kMorning:
          break;
        case Part::kAfternoon:
          if (h >= 1 && h <= 6) h += 12;
          break;
        case Part::kEvening:
          if (h >= 1 && h <= 11) h += 12;
          break;
        case Part::kNight:
          if (h >= 5 && h <= 11) h += 12;
          break;
        case Part::kNone:
          if (h >= 1 && h <= 7) h += 12;
          break;
      }
    }
  } else if (part != Part::kNone) {
    h = part == Part::kMorning     ? 10
        : part == Part::kAfternoon ? 14
        : part == Part::kEvening   ? 18
                                   : 20;
  } else if (day_given) {
    h = 10;
  } else {
    return std::nullopt;  // "call me later": no time named
  }
  int64_t local = day * kDayMs + (h * 60 + mi) * kMinuteMs;
  if (!day_given && local <= local_now) local += kDayMs;
  if (relative) local += relative_minutes * kMinuteMs;
  int64_t instant = zone.FirstInstantAtOrAfterLocal(local);
  if (!zone.Covers(instant)) return std::nullopt;
  return instant;
}

}  // namespace vaarta::conversation
