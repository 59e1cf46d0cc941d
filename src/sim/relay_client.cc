#include "sim/relay_client.h"

#include <utility>  // must precede Asio with Boost 1.74 and g++ 12

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace vaarta::sim {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

// How long Send waits for its frame to be written, and Close for the peer's close frame.
constexpr auto kWriteTimeout = std::chrono::seconds(10);
constexpr auto kCloseTimeout = std::chrono::seconds(2);

struct WsUrl {
  std::string host;
  std::string port;
  std::string target;
};

core::Result<WsUrl> ParseWsUrl(const std::string& url) {
  const std::string scheme = "ws://";
  if (url.rfind("wss://", 0) == 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "wss:// is not supported: the simulator talks to loopback over ws://");
  }
  if (url.rfind(scheme, 0) != 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "relay URL must start with ws://: " + url);
  }
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  WsUrl out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (out.target[0] == '?') out.target = "/" + out.target;
  if (authority.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "relay URL has no host: " + url);
  }
  if (authority[0] == '[') {  // [::1]:8080
    size_t close = authority.find(']');
    if (close == std::string::npos) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "malformed IPv6 host: " + url);
    }
    out.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    out.port = after.size() > 1 && after[0] == ':' ? after.substr(1) : "80";
  } else {
    size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    out.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (out.host.empty() || out.port.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "relay URL has no host: " + url);
  }
  return out;
}

// All socket work happens on one I/O thread; the caller's thread only posts to it and
// waits on futures or on the inbox. A read loop stays outstanding the whole time, so
// pings and the peer's close frame are answered even while nobody calls Receive.
class BeastRelayClient final : public RelayClient {
 public:
  BeastRelayClient() : ws_(ioc_) {}

  ~BeastRelayClient() override {
    Abort();
    work_.reset();
    ioc_.stop();
    if (thread_.joinable()) thread_.join();
  }

  core::Status Open(const std::string& url, const std::map<std::string, std::string>& headers,
                    int timeout_ms) {
    auto parsed = ParseWsUrl(url);
    if (!parsed) return parsed.error();
    const WsUrl& u = *parsed;
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      req.set(beast::http::field::user_agent, "TwilioProxy/1.1 (vaarta telephony-sim)");
      for (const auto& [name, value] : headers) req.set(name, value);
    }));
    ws_.read_message_max(1 << 20);

    // The connect and handshake run as async operations under one deadline on this
    // (the caller's) thread, before the I/O thread exists.
    boost::system::error_code result = asio::error::timed_out;
    bool done = false;  // set by whichever step ends the sequence
    beast::http::response<beast::http::string_body> upgrade;
    tcp::resolver resolver(ioc_);
    const std::string host_header = u.host + ":" + u.port;
    auto finish = [&](boost::system::error_code ec) {
      result = ec;
      done = true;
    };
    beast::get_lowest_layer(ws_).expires_after(std::chrono::milliseconds(timeout_ms));
    resolver.async_resolve(
        u.host, u.port,
        [&](boost::system::error_code ec, const tcp::resolver::results_type& endpoints) {
          if (ec) return finish(ec);
          beast::get_lowest_layer(ws_).async_connect(
              endpoints, [&](boost::system::error_code ec2, const tcp::endpoint&) {
                if (ec2) return finish(ec2);
                // The handshake has its own timeout (the websocket option), so give
                // the socket back to it.
                beast::get_lowest_layer(ws_).expires_never();
                ws_.async_handshake(upgrade, host_header, u.target, finish);
              });
        });
    // Not run() until out of work: the websocket's handshake timer stays armed after
    // a refused upgrade and would hold run() for its full 30 seconds.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done && ioc_.run_one_until(deadline) > 0) {
    }
    if (!done) {
      // Deadline passed: cancel what is outstanding and let it finish (promptly, since
      // the socket is gone), so that no handler outlives the locals it refers to.
      boost::system::error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      resolver.cancel();
      while (!done && ioc_.run_one() > 0) {
      }
      result = asio::error::timed_out;
    }
    ioc_.restart();
    if (result) {
      const int status = static_cast<int>(upgrade.result_int());
      if (status == 401 || status == 403) {
        return core::MakeError(core::ErrorCode::kPermissionDenied,
                               "relay upgrade refused with HTTP " + std::to_string(status));
      }
      if (result == websocket::error::upgrade_declined) {
        return core::MakeError(core::ErrorCode::kUnavailable,
                               "relay upgrade refused with HTTP " + std::to_string(status));
      }
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "relay connect to " + host_header + " failed: " + result.message());
    }
    ws_.text(true);
    work_.emplace(asio::make_work_guard(ioc_));
    StartRead();
    thread_ = std::thread([this] { ioc_.run(); });
    return core::Ok{};
  }

  core::Status Send(const std::string& text) override {
    auto done = std::make_shared<std::promise<boost::system::error_code>>();
    auto future = done->get_future();
    asio::post(ioc_, [this, text, done] {
      if (socket_done_ || closing_) {
        done->set_value(asio::error::not_connected);
        return;
      }
      outbox_.emplace_back(text, done);
      if (!writing_) WriteNext();
    });
    if (future.wait_for(kWriteTimeout) != std::future_status::ready) {
      return core::MakeError(core::ErrorCode::kUnavailable, "relay send timed out");
    }
    boost::system::error_code ec = future.get();
    if (ec) {
      return core::MakeError(core::ErrorCode::kUnavailable, "relay send failed: " + ec.message());
    }
    return core::Ok{};
  }

  core::Result<std::optional<std::string>> Receive(int timeout_ms) override {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                 [this] { return !inbox_.empty() || closed_; });
    if (!inbox_.empty()) {
      std::string message = std::move(inbox_.front());
      inbox_.pop_front();
      return std::optional<std::string>(std::move(message));
    }
    if (closed_) {
      return core::MakeError(core::ErrorCode::kUnavailable, "relay connection closed: " + reason_);
    }
    return std::optional<std::string>();
  }

  void Close() override {
    if (!thread_.joinable()) return;
    asio::post(ioc_, [this] {
      if (socket_done_ || closing_) return;
      closing_ = true;
      // A close frame may not overlap a write: a pending write sends it when done.
      if (!writing_) SendCloseFrame();
    });
    // The read loop ends when the server answers the close frame.
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, kCloseTimeout, [this] { return closed_; })) {
      lock.unlock();
      Abort();
    }
  }

  void Abort() override {
    if (!thread_.joinable()) return;
    asio::post(ioc_, [this] {
      if (socket_done_) return;
      boost::system::error_code ignored;
      auto& socket = beast::get_lowest_layer(ws_).socket();
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    });
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, kCloseTimeout, [this] { return closed_; });
  }

 private:
  // I/O thread only from here on.
  void StartRead() {
    ws_.async_read(buffer_, [this](boost::system::error_code ec, size_t) {
      if (ec) {
        Finish(ec == websocket::error::closed ? "closed by server" : ec.message());
        return;
      }
      std::string text = beast::buffers_to_string(buffer_.data());
      buffer_.consume(buffer_.size());
      {
        std::lock_guard lock(mutex_);
        inbox_.push_back(std::move(text));
      }
      cv_.notify_all();
      StartRead();
    });
  }

  void SendCloseFrame() {
    ws_.async_close(websocket::close_code::normal, [](boost::system::error_code) {});
  }

  void WriteNext() {
    if (outbox_.empty()) {
      writing_ = false;
      if (closing_ && !socket_done_) SendCloseFrame();
      return;
    }
    writing_ = true;
    ws_.async_write(asio::buffer(outbox_.front().first),
                    [this](boost::system::error_code ec, size_t) {
                      outbox_.front().second->set_value(ec);
                      outbox_.pop_front();
                      WriteNext();
                    });
  }

  void Finish(const std::string& reason) {
    socket_done_ = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      reason_ = reason;
    }
    cv_.notify_all();
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  // Keeps run() going between operations, so work posted after the socket is gone
  // still runs (and fails) instead of waiting forever.
  // (Absent during Open, whose run_for must return as soon as the handshake is done.)
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  beast::flat_buffer buffer_;
  // I/O thread state.
  std::deque<std::pair<std::string, std::shared_ptr<std::promise<boost::system::error_code>>>>
      outbox_;
  bool writing_ = false;
  bool closing_ = false;
  bool socket_done_ = false;
  // Shared with the caller's thread.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> inbox_;
  bool closed_ = false;
  std::string reason_;
};

}  // namespace

core::Result<std::unique_ptr<RelayClient>> RelayClient::Connect(
    const std::string& url, const std::map<std::string, std::string>& headers, int timeout_ms) {
  auto client = std::make_unique<BeastRelayClient>();
  auto status = client->Open(url, headers, timeout_ms);
  if (!status) return status.error();
  return std::unique_ptr<RelayClient>(std::move(client));
}

}  // namespace vaarta::sim
