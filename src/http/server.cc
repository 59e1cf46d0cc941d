#include <utility>  // must precede Asio with Boost 1.74 and g++ 12

#include "http/server.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/crypto.h"
#include "http/problem.h"

namespace vaarta::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// One accepted connection, as far as shutdown needs to know it. Touched only on the
// connection's strand.
struct Connection {
  asio::any_io_executor executor;
  bool busy = false;                    // a request is being handled
  std::function<void()> close_if_idle;  // empty once the connection ended
};

// Cached metric series per (route, method, status), to keep the registry's map lookups
// and label rendering off the hot path.
class RequestMetrics {
 public:
  explicit RequestMetrics(core::MetricsRegistry& registry) : registry_(registry) {}
  void Record(const std::string& route, const std::string& method, int status, double seconds) {
    std::string key = route + '\n' + method + '\n' + std::to_string(status);
    Series* series = nullptr;
    {
      std::shared_lock lock(mutex_);
      auto it = series_.find(key);
      if (it != series_.end()) series = &it->second;
    }
    if (!series) {
      std::unique_lock lock(mutex_);
      auto& s = series_[key];
      if (!s.count) {
        s.count = registry_.GetCounter(
            "vaarta_http_requests_total", "HTTP requests by route and status",
            {{"route", route}, {"method", method}, {"status", std::to_string(status)}});
        s.latency = registry_.GetHistogram(
            "vaarta_http_request_duration_seconds", "HTTP request latency by route",
            core::MetricsRegistry::LatencyBucketsSeconds(), {{"route", route}, {"method", method}});
      }
      series = &s;
    }
    series->count->Increment();
    series->latency->Observe(seconds);
  }

 private:
  struct Series {
    core::Counter* count = nullptr;
    core::Histogram* latency = nullptr;
  };
  core::MetricsRegistry& registry_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Series> series_;
};

bool ValidRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return false;
  }
  return true;
}

// WebSocket connection state shared by its reader, its writer and the peer handle.
struct WsState {
  explicit WsState(beast::tcp_stream&& stream)
      : ws(std::move(stream)),
        wake(ws.get_executor(), std::chrono::steady_clock::time_point::max()) {}
  websocket::stream<beast::tcp_stream> ws;
  asio::steady_timer wake;  // cancelled to wake the writer
  std::deque<std::string> outbox;
  bool closing = false;
  bool closed = false;
};

constexpr size_t kMaxOutbox = 1024;       // a peer this far behind is too slow to keep
constexpr int kMaxPendingMessages = 256;  // received, not yet handled

class WsPeer final : public WebSocketPeer {
 public:
  explicit WsPeer(std::shared_ptr<WsState> state) : state_(std::move(state)) {}
  void Send(std::string text) override {
    asio::post(state_->ws.get_executor(), [s = state_, t = std::move(text)]() mutable {
      if (s->closed || s->closing) return;
      if (s->outbox.size() >= kMaxOutbox) {
        s->closing = true;
      } else {
        s->outbox.push_back(std::move(t));
      }
      s->wake.cancel();
    });
  }
  void Close() override {
    asio::post(state_->ws.get_executor(), [s = state_] {
      s->closing = true;
      s->wake.cancel();
    });
  }

 private:
  std::shared_ptr<WsState> state_;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, const core::Logger& l, core::MetricsRegistry& m)
      : options(std::move(o)),
        router(r),
        log(l),
        metrics(m),
        request_metrics(m),
        ioc(options.io_threads),
        acceptor(ioc),
        signals(ioc),
        workers(static_cast<size_t>(options.worker_threads)),
        request_id_prefix(core::RandomToken(6).substr(0, 8)) {}

  ServerOptions options;
  const Router& router;
  const core::Logger& log;
  core::MetricsRegistry& metrics;
  RequestMetrics request_metrics;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::thread_pool workers;
  std::string request_id_prefix;
  std::atomic<uint64_t> request_counter{0};
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex connections_mutex;
  std::unordered_set<std::shared_ptr<Connection>> connections;

  std::string NextRequestId() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(++request_counter));
    return request_id_prefix + "-" + buf;
  }

  awaitable<void> Listen() {
    while (!stopping) {
      tcp::socket socket(asio::make_strand(ioc));
      boost::system::error_code ec;
      co_await acceptor.async_accept(socket, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        log.Warn("accept failed", {{"error", ec.message()}});
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket)), asio::detached);
    }
  }

  static Request ToRequest(const bhttp::request<bhttp::string_body>& req, const std::string& remote,
                           bool* malformed) {
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    std::string raw_path = r.target;
    std::string query;
    if (auto q = raw_path.find('?'); q != std::string::npos) {
      query = raw_path.substr(q + 1);
      raw_path.resize(q);
    }
    *malformed = !PercentDecode(raw_path, false, &r.path) ||
                 !ParseQueryString(query, &r.query, &r.query_all) || r.path.empty() ||
                 r.path[0] != '/';
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(field.value());
    }
    r.body = req.body();
    r.remote_address = remote;
    return r;
  }

  Response RunHandler(const Route& route, Request& request) {
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      log.Error(
          "handler failed",
          {{"route", route.info.pattern}, {"request_id", request.request_id}, {"error", e.what()}});
      return Problem(500, "internal",
                     "the server failed to handle this request; it has been logged "
                     "with request id " +
                         request.request_id);
    }
  }

  awaitable<void> Session(tcp::socket socket) {
    auto conn = std::make_shared<Connection>();
    conn->executor = socket.get_executor();
    beast::tcp_stream stream(std::move(socket));
    std::string remote;
    {
      boost::system::error_code ec;
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    conn->close_if_idle = [conn_raw = conn.get(), &stream] {
      if (!conn_raw->busy) {
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
      }
    };
    {
      std::lock_guard lock(connections_mutex);
      connections.insert(conn);
    }
    beast::flat_buffer buffer;
    bool upgraded = false;
    while (!stopping) {
      // The header comes first, alone: the route decides how much body it accepts and
      // whether the body goes to memory or, for uploads, straight to a file.
      bhttp::request_parser<bhttp::empty_body> header_parser;
      header_parser.header_limit(16 * 1024);
      // The route's limit is applied below, once the route is known.
      header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
      boost::system::error_code ec;
      co_await bhttp::async_read_header(stream, buffer, header_parser,
                                        asio::redirect_error(use_awaitable, ec));
      int64_t body_limit = options.max_body_bytes;
      std::string body_path;
      bhttp::request<bhttp::string_body> req;
      if (!ec) {
        const auto& head = header_parser.get();
        std::string target(head.target());
        std::string path;
        PercentDecode(target.substr(0, target.find('?')), false, &path);
        RouteMatch peek = router.Match(std::string(head.method_string()), path, nullptr);
        int64_t upload_limit = peek.route ? peek.route->info.upload_max_bytes : 0;
        if (upload_limit > 0) body_limit = upload_limit;
        // A declared length over the limit is refused before a byte of the body is read
        // (chunked bodies are stopped by the parser's limit as they arrive).
        if (auto length = header_parser.content_length();
            length && *length > static_cast<std::uint64_t>(body_limit)) {
          ec = bhttp::error::body_limit;
        }
        if (!ec && head[bhttp::field::expect] == "100-continue") {
          bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, head.version()};
          co_await bhttp::async_write(stream, go_on, asio::redirect_error(use_awaitable, ec));
        }
        if (!ec && upload_limit > 0) {
          bhttp::request_parser<bhttp::file_body> file_parser{std::move(header_parser)};
          file_parser.body_limit(static_cast<uint64_t>(upload_limit));
          body_path = options.upload_dir + "/upload-" + core::HexEncode(core::RandomBytes(12));
          file_parser.get().body().open(body_path.c_str(), beast::file_mode::write, ec);
          if (ec) {
            log.Error("cannot store upload", {{"path", body_path}, {"error", ec.message()}});
            co_await WriteError(stream, 503, "upload_unavailable",
                                "the server cannot store uploads right now");
            break;
          }
          stream.expires_after(std::chrono::seconds(options.upload_timeout_seconds));
          co_await bhttp::async_read(stream, buffer, file_parser,
                                     asio::redirect_error(use_awaitable, ec));
          file_parser.get().body().close();
          req.base() = file_parser.get().base();
        } else if (!ec) {
          bhttp::request_parser<bhttp::string_body> string_parser{std::move(header_parser)};
          string_parser.body_limit(static_cast<uint64_t>(body_limit));
          co_await bhttp::async_read(stream, buffer, string_parser,
                                     asio::redirect_error(use_awaitable, ec));
          if (!ec) req = string_parser.release();
        }
      }
      if (ec) {
        if (!body_path.empty()) std::remove(body_path.c_str());
        if (ec == bhttp::error::body_limit) {
          co_await WriteError(
              stream, 413, "body_too_large",
              "the request body is larger than " + std::to_string(body_limit) + " bytes");
          co_await LingeringClose(stream);
        } else if (ec == bhttp::error::header_limit) {
          co_await WriteError(stream, 431, "headers_too_large",
                              "the request headers exceed 16 KiB");
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                   ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
          co_await WriteError(stream, 400, "malformed_request",
                              "the request is not valid HTTP/1.1: " + ec.message());
        }
        break;
      }
      conn->busy = true;
      in_flight++;
      auto started = std::chrono::steady_clock::now();
      bool malformed = false;
      Request request = ToRequest(req, remote, &malformed);
      request.body_path = body_path;
      std::string incoming_id = request.Header("x-request-id");
      request.request_id = ValidRequestId(incoming_id) ? incoming_id : NextRequestId();
      Response response;
      std::string route_name = "unmatched";
      bool quiet = false;
      const Route* route = nullptr;
      if (malformed) {
        response =
            Problem(400, "malformed_path", "the request path or query has an invalid %-escape");
      } else {
        RouteMatch match = router.Match(request.method, request.path, &request.path_params);
        route = match.route;
        if (!route) {
          if (match.path_exists) {
            response = Problem(405, "method_not_allowed",
                               request.method + " is not supported on " + request.path);
            std::string allow;
            for (const auto& m : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + m;
            response.headers.emplace_back("Allow", allow);
          } else {
            response = Problem(404, "not_found", "no such endpoint: " + request.path);
          }
        } else {
          route_name = route->info.pattern;
          quiet = route->info.quiet;
          request.route_pattern = route->info.pattern;
          if (route->info.run_on_io_thread) {
            response = RunHandler(*route, request);
          } else {
            response = co_await asio::co_spawn(
                workers.get_executor(),
                [this, route, &request]() -> awaitable<Response> {
                  co_return RunHandler(*route, request);
                },
                use_awaitable);
          }
        }
      }
      if (route && route->websocket && response.status == 101 && websocket::is_upgrade(req)) {
        Log(request, route_name, 101, started, quiet);
        request_metrics.Record(route_name, request.method, 101, Seconds(started));
        conn->busy = false;
        in_flight--;
        upgraded = true;
        conn->close_if_idle = nullptr;
        co_await RunWebSocket(std::move(stream), std::move(req), std::move(request), *route, conn);
        break;
      }
      if (route && route->websocket && response.status == 101) {
        response = Problem(426, "upgrade_required", "this endpoint only speaks WebSocket");
      }
      bool keep_alive = req.keep_alive() && !stopping;
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status),
                                              req.version()};
      res.set(bhttp::field::server, "vaarta");
      res.set(bhttp::field::content_type, response.content_type);
      res.set("X-Request-Id", request.request_id);
      // API answers are personal data and must not be cached or sniffed into another type.
      res.set("X-Content-Type-Options", "nosniff");
      res.set(bhttp::field::cache_control, "no-store");
      for (const auto& [name, value] : response.headers) res.set(name, value);
      res.keep_alive(keep_alive);
      if (req.method() != bhttp::verb::head) res.body() = std::move(response.body);
      res.prepare_payload();
      if (req.method() == bhttp::verb::head) res.content_length(response.body.size());
      // An upload the handler did not take (by moving the file) is not kept.
      if (!body_path.empty()) std::remove(body_path.c_str());
      stream.expires_after(std::chrono::seconds(options.request_timeout_seconds));
      co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      request_metrics.Record(route_name, request.method, response.status, Seconds(started));
      Log(request, route_name, response.status, started, quiet);
      conn->busy = false;
      in_flight--;
      if (ec || !keep_alive) break;
    }
    if (!upgraded) {
      boost::system::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    conn->close_if_idle = nullptr;
    std::lock_guard lock(connections_mutex);
    connections.erase(conn);
  }

  static double Seconds(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }

  void Log(const Request& request, const std::string& route, int status,
           std::chrono::steady_clock::time_point started, bool quiet) {
    core::LogLevel level = quiet ? core::LogLevel::kDebug
                                 : (status >= 500 ? core::LogLevel::kError : core::LogLevel::kInfo);
    if (!log.Enabled(level)) return;
    // The path only: query strings may carry tokens and must not reach the logs.
    log.Log(level, "request",
            {{"request_id", request.request_id},
             {"method", request.method},
             {"path", request.path},
             {"route", route},
             {"status", status},
             {"duration_ms", Seconds(started) * 1000.0},
             {"remote", request.remote_address}});
  }

  // After refusing a request whose body is still arriving, read and discard a little of
  // it before closing: closing with unread data makes the kernel send a reset, which
  // can destroy the refusal before the client reads it.
  awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 16384> sink;
    size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (!ec && drained < (size_t{8} << 20)) {
      drained += co_await stream.async_read_some(asio::buffer(sink),
                                                 asio::redirect_error(use_awaitable, ec));
    }
  }

  awaitable<void> WriteError(beast::tcp_stream& stream, int status, const std::string& code,
                             const std::string& detail) {
    Response p = Problem(status, code, detail);
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::server, "vaarta");
    res.set(bhttp::field::content_type, p.content_type);
    res.keep_alive(false);
    res.body() = p.body;
    res.prepare_payload();
    boost::system::error_code ec;
    stream.expires_after(std::chrono::seconds(5));
    co_await bhttp::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
  }

  awaitable<void> RunWebSocket(beast::tcp_stream stream, bhttp::request<bhttp::string_body> req,
                               Request request, const Route& route,
                               std::shared_ptr<Connection> conn) {
    stream.expires_never();
    auto state = std::make_shared<WsState>(std::move(stream));
    state->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    state->ws.read_message_max(64 * 1024);
    boost::system::error_code ec;
    co_await state->ws.async_accept(req, asio::redirect_error(use_awaitable, ec));
    if (ec) co_return;
    auto peer = std::make_shared<WsPeer>(state);
    std::shared_ptr<WebSocketSession> session;
    try {
      session = route.websocket->open(request, peer);
    } catch (const std::exception& e) {
      log.Error("websocket open failed", {{"route", route.info.pattern}, {"error", e.what()}});
      co_return;
    }
    conn->close_if_idle = [peer] { peer->Close(); };
    asio::co_spawn(state->ws.get_executor(), WebSocketWriter(state), asio::detached);
    // Messages are handled on the worker pool, in order (one strand per connection): a
    // session may write to the database (a call's transcript), and the I/O threads serve
    // every other connection meanwhile.
    auto strand = asio::make_strand(workers.get_executor());
    auto pending = std::make_shared<std::atomic<int>>(0);
    beast::flat_buffer buffer;
    while (true) {
      co_await state->ws.async_read(buffer, asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (!session) continue;
      if (pending->fetch_add(1) >= kMaxPendingMessages) {
        // The peer sends faster than its messages can be handled: not kept.
        log.Warn("websocket peer too fast; closing", {{"route", route.info.pattern}});
        peer->Close();
        break;
      }
      asio::post(strand, [this, session, pending, text = std::move(text)] {
        try {
          session->OnMessage(text);
        } catch (const std::exception& e) {
          log.Error("websocket message failed", {{"error", e.what()}});
        }
        pending->fetch_sub(1);
      });
    }
    state->closed = true;
    state->wake.cancel();
    if (session) {
      asio::post(strand, [this, session] {
        try {
          session->OnClose();
        } catch (const std::exception& e) {
          log.Error("websocket close failed", {{"error", e.what()}});
        }
      });
    }
  }

  awaitable<void> WebSocketWriter(std::shared_ptr<WsState> state) {
    boost::system::error_code ec;
    while (!state->closed) {
      if (state->outbox.empty() && !state->closing) {
        state->wake.expires_at(std::chrono::steady_clock::time_point::max());
        co_await state->wake.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      if (!state->outbox.empty()) {
        std::string message = std::move(state->outbox.front());
        state->outbox.pop_front();
        state->ws.text(true);
        co_await state->ws.async_write(asio::buffer(message),
                                       asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        continue;
      }
      // closing with nothing left to send
      co_await state->ws.async_close(websocket::close_code::going_away,
                                     asio::redirect_error(use_awaitable, ec));
      break;
    }
  }

  void BeginShutdown() {
    if (stopping.exchange(true)) return;
    log.Info("shutting down", {{"in_flight", in_flight.load()}});
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(connections_mutex);
      open.assign(connections.begin(), connections.end());
    }
    for (auto& c : open) {
      asio::post(c->executor, [c] {
        if (c->close_if_idle) c->close_if_idle();
      });
    }
    asio::co_spawn(ioc, WaitForDrain(), asio::detached);
  }

  awaitable<void> WaitForDrain() {
    auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_grace_seconds);
    asio::steady_timer timer(ioc);
    while (std::chrono::steady_clock::now() < deadline) {
      bool empty;
      {
        std::lock_guard lock(connections_mutex);
        empty = connections.empty();
      }
      if (in_flight == 0 && empty) break;
      timer.expires_after(std::chrono::milliseconds(20));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    if (in_flight > 0)
      log.Warn("grace period over with requests in flight", {{"in_flight", in_flight.load()}});
    ioc.stop();
  }
};

Server::Server(ServerOptions options, const Router& router, const core::Logger& logger,
               core::MetricsRegistry& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, logger, metrics)) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->workers.join();
}

core::Result<int> Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "'" + impl_->options.host + "' is not an IP address to listen on");
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->options.port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot listen on " + impl_->options.host + ":" +
                               std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return static_cast<int>(acceptor.local_endpoint().port());
}

void Server::Run(bool handle_signals) {
  Impl& impl = *impl_;
  if (handle_signals) {
    impl.signals.add(SIGTERM);
    impl.signals.add(SIGINT);
    impl.signals.async_wait([&impl](const boost::system::error_code& ec, int) {
      if (!ec) impl.BeginShutdown();
    });
  }
  asio::co_spawn(impl.ioc, impl.Listen(), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < impl.options.io_threads; ++i) extra.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : extra) t.join();
  impl.workers.join();
}

void Server::Shutdown() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->BeginShutdown(); });
}

}  // namespace vaarta::http
