#pragma once
// Clock: the one source of "now" for domain code, so tests can move time.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace vaarta::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to; for tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_millis) : now_(start_millis) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Advance(int64_t millis) { now_ += millis; }
  void Set(int64_t millis) { now_ = millis; }

 private:
  std::atomic<int64_t> now_;
};

// Virtual time that runs `factor` times faster than the system clock from a shared
// anchor: every process given the same (virtual_start, real_anchor, factor) reads the
// same virtual "now", so several dialer processes can run one campaign in accelerated
// time against one database (vaarta simulate).
class ScaledClock final : public Clock {
 public:
  ScaledClock(int64_t virtual_start_millis, int64_t real_anchor_millis, double factor)
      : virtual_start_(virtual_start_millis), real_anchor_(real_anchor_millis), factor_(factor) {}
  int64_t NowMillis() const override {
    const int64_t real = SystemClock().NowMillis() - real_anchor_;
    return virtual_start_ + static_cast<int64_t>(static_cast<double>(real) * factor_);
  }
  double factor() const { return factor_; }

 private:
  int64_t virtual_start_;
  int64_t real_anchor_;
  double factor_;
};

// "2026-11-24T17:51:14.123Z"
std::string FormatIso8601Utc(int64_t unix_millis);
// Parses "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)"; false on malformed input.
bool ParseIso8601(const std::string& text, int64_t* unix_millis);

// India Standard Time: UTC+05:30 all year, without daylight saving.
inline constexpr int64_t kIstOffsetMillis = 19'800'000;
// An instant as a wall clock at a fixed UTC offset shows it.
struct LocalTime {
  int64_t days = 0;  // since 1970-01-01 (negative before)
  int hour = 0;
  int minute = 0;
  int weekday = 0;  // 0 = Monday ... 6 = Sunday
};
LocalTime ToLocalTime(int64_t unix_millis, int64_t offset_millis);
// The calendar date of an instant at a fixed UTC offset: "2026-12-01".
std::string LocalDate(int64_t unix_millis, int64_t offset_millis);
inline std::string IstDate(int64_t unix_millis) { return LocalDate(unix_millis, kIstOffsetMillis); }
// Whether `text` is a real calendar date written YYYY-MM-DD.
bool IsCalendarDate(const std::string& text);
// The instant India's day `date` (YYYY-MM-DD) begins; false unless it is a calendar date.
bool IstMidnightOf(const std::string& date, int64_t* unix_millis);

}  // namespace vaarta::core
