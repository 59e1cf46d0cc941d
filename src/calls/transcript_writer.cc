#include "calls/transcript_writer.h"

#include <algorithm>
#include <chrono>

namespace vaarta::calls {

TranscriptWriter::TranscriptWriter(storage::Database& db, const core::Logger& logger,
                                   TranscriptWriterOptions options)
    : db_(db),
      logger_(logger),
      options_(options),
      thread_([this](std::stop_token stop) { Loop(stop); }) {}

TranscriptWriter::~TranscriptWriter() {
  thread_.request_stop();
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool TranscriptWriter::Add(CallTurn turn) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queued) {
      ++dropped_;
      if (dropped_ == 1 || dropped_ % 1000 == 0) {
        logger_.Error("transcript lines dropped: the database has been unavailable too long",
                      {{"dropped", dropped_}, {"queued", queue_.size()}});
      }
      return false;
    }
    queue_.push_back(std::move(turn));
    ++added_;
  }
  changed_.notify_all();
  return true;
}

bool TranscriptWriter::Flush(int timeout_ms) {
  std::unique_lock lock(mutex_);
  const uint64_t target = added_;
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return written_ >= target; });
}

uint64_t TranscriptWriter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

bool TranscriptWriter::Write(std::deque<CallTurn>& batch, size_t* done) {
  try {
    auto tx = db_.Begin(true);
    for (const auto& turn : batch) calls_.AppendTurn(*tx, turn);
    tx->Commit();
    *done = batch.size();
    batch.clear();
    return true;
  } catch (const storage::DatabaseError& e) {
    if (e.kind() == storage::DatabaseError::Kind::kConnection ||
        e.kind() == storage::DatabaseError::Kind::kBusy) {
      logger_.Warn("transcript lines not written yet; retrying",
                   {{"lines", batch.size()}, {"error", e.what()}});
      return false;
    }
  }
  // A line the database refuses for good (its call was erased meanwhile): written one
  // by one, so that it does not hold back the lines of every other call.
  while (!batch.empty()) {
    const CallTurn& turn = batch.front();
    try {
      auto tx = db_.Begin(true);
      calls_.AppendTurn(*tx, turn);
      tx->Commit();
    } catch (const storage::DatabaseError& e) {
      if (e.kind() == storage::DatabaseError::Kind::kConnection ||
          e.kind() == storage::DatabaseError::Kind::kBusy) {
        return false;  // the database went away: the rest again later
      }
      logger_.Error("transcript line refused by the database; dropped",
                    {{"attempt", turn.attempt_id}, {"error", e.what()}});
      std::lock_guard lock(mutex_);
      ++dropped_;
    }
    batch.pop_front();
    ++*done;
  }
  return true;
}

void TranscriptWriter::Loop(std::stop_token stop) {
  int retry_ms = options_.retry_initial_ms;
  while (true) {
    std::deque<CallTurn> batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, stop, [&] { return !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      const size_t n = std::min(queue_.size(), options_.max_batch);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    size_t done = 0;
    const bool ok = Write(batch, &done);
    if (done > 0) {
      {
        std::lock_guard lock(mutex_);
        written_ += done;
      }
      changed_.notify_all();
    }
    if (ok) {
      retry_ms = options_.retry_initial_ms;
      continue;
    }
    if (stop.stop_requested()) {
      logger_.Error("transcript lines lost at shutdown: the database is unavailable",
                    {{"lines", batch.size()}});
      std::lock_guard lock(mutex_);
      written_ += batch.size();
      dropped_ += batch.size();
      continue;
    }
    {
      // The rest back in front, in order, and wait before the next try.
      std::unique_lock lock(mutex_);
      for (auto it = batch.rbegin(); it != batch.rend(); ++it) queue_.push_front(std::move(*it));
      changed_.wait_for(lock, stop, std::chrono::milliseconds(retry_ms), [] { return false; });
    }
    retry_ms = std::min(retry_ms * 2, options_.retry_max_ms);
  }
}

}  // namespace vaarta::calls
