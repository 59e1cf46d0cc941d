#pragma once
// What the dialogue tests share: instants from ISO 8601 and looking into an AgentTurn.
#include <gtest/gtest.h>

#include <string>

#include "conversation/conversation_engine.h"
#include "core/clock.h"

namespace vaarta::conversation::test {

inline int64_t At(const std::string& iso) {
  int64_t ms = 0;
  EXPECT_TRUE(core::ParseIso8601(iso, &ms)) << iso;
  return ms;
}

// Whether any of the turn's lines contains `text`.
inline bool Has(const AgentTurn& turn, const std::string& text) {
  for (const auto& line : turn.lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

// The turn's lines for failure messages: "[line] [line] ".
inline std::string Lines(const AgentTurn& turn) {
  std::string out;
  for (const auto& line : turn.lines) out += "[" + line + "] ";
  return out;
}

}  // namespace vaarta::conversation::test
