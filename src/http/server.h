#pragma once
// Server: the HTTP/1.1 and WebSocket server (Boost.Beast with C++20 coroutines).
// I/O threads only parse, route and write; handlers run on a worker pool unless their
// route says they never block. Beast stays behind this header (see server.cc).
#include <memory>
#include <string>

#include "core/logger.h"
#include "core/metrics.h"
#include "core/result.h"
#include "http/router.h"

namespace vaarta::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  int io_threads = 1;
  int worker_threads = 4;
  int64_t max_body_bytes = 1 << 20;
  int request_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
  std::string upload_dir = "/tmp";   // where upload routes' bodies are written
  int upload_timeout_seconds = 600;  // time allowed to receive one upload
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, const core::Logger& logger,
         core::MetricsRegistry& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound port.
  core::Result<int> Listen();
  // Serves until shutdown completes: stop accepting, let in-flight requests finish
  // (up to the grace period), close idle connections. With handle_signals, SIGTERM
  // and SIGINT start the shutdown.
  void Run(bool handle_signals);
  // Starts a graceful shutdown; safe from any thread.
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vaarta::http
