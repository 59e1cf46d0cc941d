#include "storage/group_commit.h"

#include <vector>

namespace vaarta::storage {

void GroupCommit::Run(const std::function<void(Transaction&)>& work) {
  if (db_.dialect() == Dialect::kPostgres) {
    auto tx = db_.Begin(true);
    work(*tx);
    tx->Commit();
    return;
  }
  Job job;
  job.work = &work;
  std::unique_lock lock(mutex_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leading_) {
      job.wake.wait(lock);
      continue;
    }
    leading_ = true;
    std::vector<Job*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    leading_ = false;
    for (Job* j : batch) {
      j->done = true;
      if (j != &job) j->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
  }
  if (job.error) std::rethrow_exception(job.error);
}

void GroupCommit::RunBatch(const std::vector<Job*>& batch) {
  try {
    auto tx = db_.Begin(true);
    if (batch.size() == 1) {
      try {
        (*batch[0]->work)(*tx);
      } catch (...) {
        batch[0]->error = std::current_exception();
        return;  // rolled back by the transaction's destructor
      }
    } else {
      for (Job* job : batch) {
        tx->Execute("SAVEPOINT group_commit");
        try {
          (*job->work)(*tx);
          tx->Execute("RELEASE SAVEPOINT group_commit");
        } catch (...) {
          job->error = std::current_exception();
          tx->Execute("ROLLBACK TO SAVEPOINT group_commit");
          tx->Execute("RELEASE SAVEPOINT group_commit");
        }
      }
    }
    tx->Commit();
  } catch (...) {
    // Beginning, a savepoint or the commit failed: nothing of the batch was kept.
    for (Job* job : batch) {
      if (!job->error) job->error = std::current_exception();
    }
  }
}

}  // namespace vaarta::storage
