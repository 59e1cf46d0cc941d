#include "calls/relay_scheduler.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace vaarta::calls {
namespace {

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The queue lives apart from the scheduler object and is shared with its thread: the last
// reference to the scheduler may be dropped by a task running on that very thread, which
// then cannot join itself and must be able to finish its loop after the object is gone.
struct TaskQueue {
  std::mutex mutex;
  std::condition_variable cv;
  std::multimap<int64_t, std::function<void()>> tasks;
  bool stop = false;
};

void RunTasks(const std::shared_ptr<TaskQueue>& q) {
  std::unique_lock lock(q->mutex);
  while (!q->stop) {
    if (q->tasks.empty()) {
      q->cv.wait(lock);
      continue;
    }
    int64_t due = q->tasks.begin()->first;
    int64_t now = SteadyNowMs();
    if (due > now) {
      q->cv.wait_for(lock, std::chrono::milliseconds(due - now));
      continue;
    }
    std::function<void()> task = std::move(q->tasks.begin()->second);
    q->tasks.erase(q->tasks.begin());
    lock.unlock();
    task();
    task = nullptr;  // release what it captured outside the lock
    lock.lock();
  }
  q->tasks.clear();
}

class ThreadRelayScheduler final : public RelayScheduler {
 public:
  ThreadRelayScheduler()
      : queue_(std::make_shared<TaskQueue>()), thread_([q = queue_] { RunTasks(q); }) {}

  ~ThreadRelayScheduler() override {
    {
      std::lock_guard lock(queue_->mutex);
      queue_->stop = true;
    }
    queue_->cv.notify_all();
    if (std::this_thread::get_id() == thread_.get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  int64_t NowMs() const override { return SteadyNowMs(); }

  void At(int64_t at_ms, std::function<void()> task) override {
    bool earliest;
    {
      std::lock_guard lock(queue_->mutex);
      if (queue_->stop) return;
      auto it = queue_->tasks.emplace(at_ms, std::move(task));
      earliest = it == queue_->tasks.begin();
    }
    if (earliest) queue_->cv.notify_one();
  }

 private:
  std::shared_ptr<TaskQueue> queue_;
  std::thread thread_;
};

}  // namespace

std::shared_ptr<RelayScheduler> MakeThreadRelayScheduler() {
  return std::make_shared<ThreadRelayScheduler>();
}

}  // namespace vaarta::calls
