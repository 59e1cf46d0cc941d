#pragma once
// Instants written as tests read them: At("2027-01-25T11:00:00+05:30") is that moment in
// Unix milliseconds (a malformed text fails the test).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/clock.h"

namespace vaarta::testing {

inline int64_t At(const std::string& iso) {
  int64_t ms = 0;
  EXPECT_TRUE(core::ParseIso8601(iso, &ms)) << iso;
  return ms;
}

}  // namespace vaarta::testing
