#include "sim/sim_faults.h"

#include <string>

namespace vaarta::sim {

core::Result<SimFaults> SimFaults::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "faults must be a JSON object");
  }
  SimFaults faults;
  for (const auto& [key, value] : json.items()) {
    double* rate = nullptr;
    int* count = nullptr;
    if (key == "rest_429_rate") rate = &faults.rest_429_rate;
    else if (key == "rest_5xx_rate") rate = &faults.rest_5xx_rate;
    else if (key == "callback_drop_rate") rate = &faults.callback_drop_rate;
    else if (key == "callback_duplicate_rate") rate = &faults.callback_duplicate_rate;
    else if (key == "callback_reorder_rate") rate = &faults.callback_reorder_rate;
    else if (key == "websocket_drop_rate") rate = &faults.websocket_drop_rate;
    else if (key == "rest_5xx_burst") count = &faults.rest_5xx_burst;
    else if (key == "callback_reorder_delay_ms") count = &faults.callback_reorder_delay_ms;
    else if (key == "seed") {
      if (!value.is_number_unsigned()) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "faults.seed must be a non-negative integer");
      }
      faults.seed = value.get<uint64_t>();
      continue;
    } else {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "faults." + key + " is not a known fault");
    }
    if (rate != nullptr) {
      if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 1) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "faults." + key + " must be a number from 0 to 1");
      }
      *rate = value.get<double>();
    } else {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 600000) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "faults." + key + " must be an integer from 0 to 600000");
      }
      *count = value.get<int>();
    }
  }
  if (faults.rest_5xx_burst < 1) faults.rest_5xx_burst = 1;
  return faults;
}

}  // namespace vaarta::sim
