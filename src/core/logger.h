#pragma once
// Logger: structured JSON lines, one object per event.
// Written by hand rather than with spdlog because every field must be JSON-escaped
// and typed; spdlog's pattern formatter interpolates raw text into the line.
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

namespace vaarta::core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

bool ParseLogLevel(std::string_view text, LogLevel* level);

class Clock;

class Logger {
 public:
  Logger(std::ostream& out, LogLevel min_level, const Clock& clock);

  bool Enabled(LogLevel level) const { return level >= min_level_; }
  // `fields` must be a JSON object; it is merged into the line after ts/level/msg.
  void Log(LogLevel level, std::string_view msg, const nlohmann::json& fields = {}) const;
  void Debug(std::string_view msg, const nlohmann::json& f = {}) const {
    Log(LogLevel::kDebug, msg, f);
  }
  void Info(std::string_view msg, const nlohmann::json& f = {}) const {
    Log(LogLevel::kInfo, msg, f);
  }
  void Warn(std::string_view msg, const nlohmann::json& f = {}) const {
    Log(LogLevel::kWarn, msg, f);
  }
  void Error(std::string_view msg, const nlohmann::json& f = {}) const {
    Log(LogLevel::kError, msg, f);
  }

 private:
  std::ostream& out_;
  LogLevel min_level_;
  const Clock& clock_;
  mutable std::mutex mutex_;
};

}  // namespace vaarta::core
