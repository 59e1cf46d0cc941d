#pragma once
// LeadSearchIndex: the trigram index behind text search over leads (name, e-mail, phone
// digits), so that a search matching few of a million leads does not read them all.
// SQLite keeps it in an FTS5 table with the trigram tokenizer, PostgreSQL in a table
// with a pg_trgm GIN index (migration 0005).
//
// Leads reach the index through a queue (lead_search_pending): inserting and changing a
// lead only queues it, in the same transaction, and a background worker moves queued
// leads into the index a chunk at a time. So a million-row import does not wait for
// the index (building it costs as much again as the import). While anything is queued,
// search reads the leads table instead, which is slower but always right.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.h"

namespace vaarta::leads {

// Queues new leads for indexing (their text is read when they are indexed).
void QueueForSearch(storage::Transaction& tx, const std::vector<int64_t>& lead_ids);
// Call before a lead's search text changes (an edit, an erasure): takes it out of the
// index and queues it again.
void RequeueForSearch(storage::Transaction& tx, int64_t lead_id);
// Whether any lead waits to be indexed.
bool SearchQueueEmpty(storage::Transaction& tx);
// Moves up to `max_leads` queued leads into the index in one transaction; returns how
// many it took (0 when the queue is empty).
int64_t IndexQueuedLeads(storage::Database& db, int64_t max_leads);

// Whether the index can answer a search for `folded` (case-folded): it needs at least
// three characters, the length of a trigram.
bool SearchIndexCanAnswer(const std::string& folded);
// Ids of indexed leads whose text may contain `folded`, newest first, below `before_id`
// (0: from the newest), at most `limit`. A superset on SQLite (the lead holds every
// trigram of the text, not always in a row): confirm with LIKE on leads.search_text.
std::vector<int64_t> SearchCandidates(storage::Transaction& tx, const std::string& folded,
                                      int64_t before_id, int limit);

}  // namespace vaarta::leads
