#include "leads/search_index_worker.h"

#include <chrono>

#include "leads/lead_search_index.h"

namespace vaarta::leads {
namespace {

// Leads per transaction: large enough to amortise a commit, small enough that the
// SQLite write lock is held for a few tens of milliseconds at a time.
constexpr int64_t kChunk = 5000;

}  // namespace

SearchIndexWorker::SearchIndexWorker(storage::Database& db, const core::Logger& logger)
    : db_(db), logger_(logger) {}

SearchIndexWorker::~SearchIndexWorker() { Stop(); }

void SearchIndexWorker::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void SearchIndexWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SearchIndexWorker::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    std::chrono::milliseconds pause(1000);
    try {
      int64_t done = IndexQueuedLeads(db_, kChunk);
      indexed_ += done;
      if (done == kChunk) pause = std::chrono::milliseconds(0);  // more queued: go on
    } catch (const std::exception& e) {
      // A busy or lost database: try again later; searches read the table meanwhile.
      logger_.Warn("search index: cannot index queued leads", {{"error", e.what()}});
      pause = std::chrono::milliseconds(5000);
    }
    lock.lock();
    if (pause.count() > 0) wake_.wait_for(lock, pause, [this] { return stop_; });
  }
}

}  // namespace vaarta::leads
