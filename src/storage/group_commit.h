#pragma once
// GroupCommit: many small write transactions from concurrent threads committed as one.
// SQLite has one writer at a time and every commit waits for the disk (synchronous=FULL),
// so a burst of provider webhooks, each a tiny transaction, is bound by lock hand-overs
// and fsyncs. Here the first waiting thread becomes the leader: it runs the work of every
// thread queued behind it in one transaction, each piece inside its own savepoint (so one
// failing piece rolls back alone), commits once and wakes them. Nothing is acknowledged
// before its commit, so durability is the same as one transaction per piece.
//
// On PostgreSQL the work runs in its own transaction: the server takes concurrent writers,
// and a batch would make one request's row locks wait for another's.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>

#include "storage/database.h"

namespace vaarta::storage {

class GroupCommit {
 public:
  explicit GroupCommit(Database& db, size_t max_batch = 128) : db_(db), max_batch_(max_batch) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `work` in a write transaction and returns once it is committed. What `work`
  // throws is rethrown here (its changes rolled back); a failed commit throws its
  // DatabaseError to every piece of the batch. `work` must not register commit hooks: a
  // piece rolled back to its savepoint would still run them.
  void Run(const std::function<void(Transaction&)>& work);

 private:
  struct Job {
    const std::function<void(Transaction&)>* work = nullptr;
    std::exception_ptr error;
    bool done = false;
    // Woken when done, or when it is first in the queue and no one leads: one wake-up
    // per thread and batch, not the whole queue's.
    std::condition_variable wake;
  };
  void RunBatch(const std::vector<Job*>& batch);

  Database& db_;
  const size_t max_batch_;
  std::mutex mutex_;
  std::deque<Job*> queue_;
  bool leading_ = false;
};

}  // namespace vaarta::storage
