#pragma once
// When a campaign's calls are answered and convert: the calls by weekday and hour of the
// callee's own clock (each attempt records the number's UTC offset when placed), so a
// manager can move the calling window to the hours that work.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "storage/database.h"

namespace vaarta::reports {

struct HeatmapCell {
  int64_t placed = 0;
  int64_t answered = 0;
  int64_t converted = 0;
};

struct CampaignHeatmap {
  int64_t campaign_id = 0;
  // [weekday][hour]; weekday 0 = Monday.
  std::array<std::array<HeatmapCell, 24>, 7> cells{};
};

// Calls placed in [from_ms, to_ms) when given, else all of the campaign's calls.
CampaignHeatmap BuildCampaignHeatmap(storage::Transaction& tx, int64_t campaign_id,
                                     std::optional<int64_t> from_ms, std::optional<int64_t> to_ms);

// {"campaign_id", "cells": [{weekday, hour, placed, answered, converted, answer_rate,
// conversion_rate}] for the cells with calls}.
nlohmann::json CampaignHeatmapJson(const CampaignHeatmap& heatmap);

}  // namespace vaarta::reports
