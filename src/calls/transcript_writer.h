#pragma once
// TranscriptWriter: stores the transcript lines of live ConversationRelay calls from its
// own thread. A relay session answers the callee from the worker pool; if it waited for
// each line's commit, one slow fsync would hold up the replies of every call whose
// session shares those workers. Lines are queued and written in batches, in order, within
// milliseconds; while the database is unavailable they wait in memory (up to a bound)
// and are retried. What must be durable before the agent speaks (an opt-out's
// do-not-call entry) does not come this way: CallConversations::CarryOut writes it first.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "calls/provider_call_repository.h"
#include "core/logger.h"
#include "storage/database.h"

namespace vaarta::calls {

struct TranscriptWriterOptions {
  size_t max_batch = 500;
  size_t max_queued = 100000;  // beyond this (a long outage) new lines are dropped, logged
  int retry_initial_ms = 100;
  int retry_max_ms = 5000;
};

class TranscriptWriter {
 public:
  TranscriptWriter(storage::Database& db, const core::Logger& logger,
                   TranscriptWriterOptions options = {});
  // Writes what is queued (one last try) and stops.
  ~TranscriptWriter();
  TranscriptWriter(const TranscriptWriter&) = delete;
  TranscriptWriter& operator=(const TranscriptWriter&) = delete;

  // Never waits for the database. False when the line was dropped (queue full).
  bool Add(CallTurn turn);
  // Waits until every line added so far is written; false after timeout_ms.
  bool Flush(int timeout_ms);
  uint64_t dropped() const;

 private:
  void Loop(std::stop_token stop);
  // One transaction for the batch (line by line when one is refused for good); takes the
  // written lines off the batch and counts them in *done. False when the database is
  // unavailable: the rest stays in the batch.
  bool Write(std::deque<CallTurn>& batch, size_t* done);

  storage::Database& db_;
  const core::Logger& logger_;
  TranscriptWriterOptions options_;
  ProviderCallRepository calls_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::deque<CallTurn> queue_;
  uint64_t added_ = 0;
  uint64_t written_ = 0;  // lines written or given up (counted in order)
  uint64_t dropped_ = 0;
  std::jthread thread_;  // last: started after everything it uses
};

}  // namespace vaarta::calls
