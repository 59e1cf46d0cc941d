#pragma once
// WebhookDispatcher: sends what the outbox (webhook_book.h) holds. Any server may run one:
// a delivery is claimed with a conditional update before it is sent, so two servers never
// send it at once, and a claim lapses after a minute if its server dies mid-send.
//
// Each POST carries the JSON envelope {"id", "type", "created_at", "data"}, the headers
// X-Vaarta-Event, X-Vaarta-Event-Id (the same on every retry: receivers deduplicate on
// it), X-Vaarta-Delivery and X-Vaarta-Signature (webhook_signature.h). A 2xx answer
// delivers it; anything else (or no answer in 10 s) is retried after 1, 4, 20, 120, 720
// and 2880 times the retry base (30 s by default: 30 s, 2 min, 10 min, 1 h, 6 h, 24 h),
// then it is marked failed, and Settings can send it again. Redirects are not followed.
#include <cstdint>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "settings/secret_box.h"
#include "storage/database.h"

namespace vaarta::webhooks {

struct WebhookDispatcherOptions {
  int threads = 2;
  int64_t retry_base_ms = 30000;
  int timeout_ms = 10000;
  // Connections to loopback, private and link-local addresses (network_guard.h) are
  // refused unless this is set.
  bool allow_private_network = false;
  int64_t claim_ms = 60000;
  int64_t keep_days = 30;  // delivered and failed deliveries are removed after this
};

// The delays before each retry, in order; their count + 1 is the number of attempts.
std::vector<int64_t> RetryDelaysMs(int64_t base_ms);

class WebhookDispatcher {
 public:
  WebhookDispatcher(storage::Database& db, const core::Clock& clock, const settings::SecretBox& box,
                    const core::Logger& logger, WebhookDispatcherOptions options = {});
  ~WebhookDispatcher();

  void Start();
  void Stop();
  // Claims and sends the deliveries due now (at most `limit`); returns how many it sent.
  int RunOnce(int limit = 8);

 private:
  struct Claimed;
  void Send(const Claimed& delivery);
  void Prune();

  storage::Database& db_;
  const core::Clock& clock_;
  const settings::SecretBox& box_;
  const core::Logger& logger_;
  WebhookDispatcherOptions options_;
  std::vector<std::jthread> threads_;
};

}  // namespace vaarta::webhooks
