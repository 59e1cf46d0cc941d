#pragma once
// RelayScheduler: runs small tasks at a later instant for ConversationRelay sessions,
// which pace their text tokens to the estimated speech (so that a barge-in leaves the
// rest of a long turn unsent). One scheduler thread serves every session; tests use a
// manual implementation whose time only moves when told to.
#include <cstdint>
#include <functional>
#include <memory>

namespace vaarta::calls {

class RelayScheduler {
 public:
  virtual ~RelayScheduler() = default;
  // Monotonic milliseconds (not wall time; only differences mean anything).
  virtual int64_t NowMs() const = 0;
  // Runs `task` once, at or after `at_ms`, on the scheduler's thread. Tasks must be
  // short and must not block.
  virtual void At(int64_t at_ms, std::function<void()> task) = 0;
};

// A scheduler with its own thread on the steady clock. Pending tasks are dropped when it
// is destroyed.
std::shared_ptr<RelayScheduler> MakeThreadRelayScheduler();

}  // namespace vaarta::calls
