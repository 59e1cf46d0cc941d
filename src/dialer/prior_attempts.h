#pragma once
// The earlier attempts on numbers, by any campaign of the business, as the pre-dial gate
// reads them (its attempt caps count across campaigns).
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "campaigns/pre_dial_gate.h"
#include "storage/database.h"

namespace vaarta::dialer {

// Every attempt on each of the leads (in no particular order), by lead id; leads with
// none are absent. One query.
std::unordered_map<int64_t, std::vector<campaigns::PriorAttempt>> ReadPriorAttempts(
    storage::Transaction& tx, const std::vector<int64_t>& lead_ids);

}  // namespace vaarta::dialer
