#pragma once
// SearchIndexWorker: a background thread that moves queued leads into the search index
// (lead_search_index.h), a chunk per transaction so that imports and edits never wait
// long for it, and then checks the queue again every second.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "core/logger.h"
#include "storage/database.h"

namespace vaarta::leads {

class SearchIndexWorker {
 public:
  SearchIndexWorker(storage::Database& db, const core::Logger& logger);
  ~SearchIndexWorker();  // stops and joins
  SearchIndexWorker(const SearchIndexWorker&) = delete;
  SearchIndexWorker& operator=(const SearchIndexWorker&) = delete;

  void Start();
  void Stop();
  int64_t indexed() const { return indexed_; }

 private:
  void Loop();

  storage::Database& db_;
  const core::Logger& logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::atomic<int64_t> indexed_{0};
  std::thread thread_;
};

}  // namespace vaarta::leads
