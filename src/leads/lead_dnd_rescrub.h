#pragma once
// Brings every lead's recorded DND state up to a newly loaded registry, so that lead
// lists filter by today's registry. (The pre-dial gate never relies on the recorded
// state: it asks the registry itself before every call.)
#include <cstdint>

#include "leads/lead_importer.h"
#include "storage/database.h"

namespace vaarta::leads {

struct DndRescrubCounts {
  int64_t checked = 0;  // leads with a phone number
  int64_t changed = 0;  // leads whose state changed
};

// Walks the leads in id order, a chunk per transaction, so the server keeps answering.
DndRescrubCounts RescrubLeadsDnd(storage::Database& db, const DndScrub& dnd);

}  // namespace vaarta::leads
