#pragma once
// WebhookSpool: verified provider callbacks that could not be recorded because the
// database was briefly unavailable, kept in an append-only file (fsynced before the
// provider is told 200) and replayed when the database answers again. Only callbacks
// that need no answer (status, AMD, recording) are spooled; a call waiting for its next
// document gets an apology instead.
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace vaarta::calls {

struct SpooledWebhook {
  std::string provider;
  std::string kind;  // WebhookKindName
  int64_t attempt_id = 0;
  std::vector<std::pair<std::string, std::string>> form;
  int64_t received_at = 0;
};

class WebhookSpool {
 public:
  explicit WebhookSpool(std::string path) : path_(std::move(path)) {}

  // Durable when it returns OK.
  core::Status Append(const SpooledWebhook& webhook);
  // Hands each spooled webhook to `apply` in arrival order; those it accepts (true) leave
  // the spool, the rest stay for the next replay. Returns how many were applied.
  int Replay(const std::function<bool(const SpooledWebhook&)>& apply);
  size_t size();

 private:
  std::vector<SpooledWebhook> ReadAll();

  std::string path_;
  std::mutex mutex_;
};

}  // namespace vaarta::calls
