#pragma once
// WebhookReceiver: a business's webhook endpoint for tests: a real HTTP server on a
// loopback port that keeps every request it gets and answers with the statuses it is
// told to (one per request, then the last one for ever).
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/router.h"
#include "http/server.h"

namespace vaarta::testing {

class WebhookReceiver {
 public:
  struct Received {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
  };

  explicit WebhookReceiver(std::vector<int> statuses = {200})
      : statuses_(statuses.begin(), statuses.end()), logger_(log_, core::LogLevel::kError, clock_) {
    router_.Add({"POST", "/hooks/vaarta", "public", "receives webhooks"},
                [this](http::Request& request) {
                  std::lock_guard lock(mutex_);
                  received_.push_back({request.headers, request.body});
                  int status = statuses_.front();
                  if (statuses_.size() > 1) statuses_.pop_front();
                  http::Response response;
                  response.status = status;
                  if (status != 204) {  // a 204 has no body
                    response.body = "{}";
                    response.headers.emplace_back("Content-Type", "application/json");
                  }
                  return response;
                });
    http::ServerOptions options;
    options.port = 0;
    options.worker_threads = 2;
    options.shutdown_grace_seconds = 1;
    server_ = std::make_unique<http::Server>(options, router_, logger_, metrics_);
    auto port = server_->Listen();
    if (!port.ok()) throw std::runtime_error(port.error().message);
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~WebhookReceiver() {
    server_->Shutdown();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/vaarta"; }
  void SetStatuses(std::vector<int> statuses) {
    std::lock_guard lock(mutex_);
    statuses_.assign(statuses.begin(), statuses.end());
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // Waits (up to `seconds`) until at least `count` requests arrived.
  std::vector<Received> WaitFor(size_t count, int seconds = 20) const {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < until) {
      if (received().size() >= count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return received();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<int> statuses_;
  std::vector<Received> received_;
  core::SystemClock clock_;
  std::ostringstream log_;
  core::Logger logger_;
  core::MetricsRegistry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace vaarta::testing
