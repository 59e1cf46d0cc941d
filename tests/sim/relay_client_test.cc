// The simulator's ConversationRelay WebSocket client against a real server.
#include "sim/relay_client.h"

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/server.h"

namespace vaarta::testing {
namespace {

// Echoes every message; "bye" makes the server close the connection.
class EchoSession final : public http::WebSocketSession {
 public:
  EchoSession(std::shared_ptr<http::WebSocketPeer> peer, std::function<void()> on_close)
      : peer_(std::move(peer)), on_close_(std::move(on_close)) {}
  void OnMessage(const std::string& text) override {
    if (text == "bye") {
      peer_->Send("closing");
      peer_->Close();
      return;
    }
    peer_->Send("echo:" + text);
  }
  void OnClose() override { on_close_(); }

 private:
  std::shared_ptr<http::WebSocketPeer> peer_;
  std::function<void()> on_close_;
};

class RelayClientTest : public ::testing::Test {
 protected:
  RelayClientTest() : logger_(log_, core::LogLevel::kWarn, clock_) {
    http::WebSocketRoute route;
    route.authorize = [](http::Request& request) {
      http::Response r;
      r.status = request.Header("x-twilio-signature") == "sig" && request.Query("call") == "CA1"
                     ? 101
                     : 403;
      return r;
    };
    route.open = [this](const http::Request&, std::shared_ptr<http::WebSocketPeer> peer) {
      return std::make_shared<EchoSession>(std::move(peer), [this] {
        {
          std::lock_guard lock(mutex_);
          ++closes_;
        }
        cv_.notify_all();
      });
    };
    router_.AddWebSocket({"GET", "/relay", "public", "test relay"}, route);
    http::ServerOptions options;
    options.port = 0;
    options.worker_threads = 1;
    options.shutdown_grace_seconds = 2;
    server_ = std::make_unique<http::Server>(options, router_, logger_, metrics_);
    auto port = server_->Listen();
    EXPECT_TRUE(port.ok());
    port_ = port.ok() ? *port : 0;
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~RelayClientTest() override {
    server_->Shutdown();
    thread_.join();
  }
  std::string Url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/relay?call=CA1"; }
  bool WaitForServerClose() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [this] { return closes_ > 0; });
  }
  std::unique_ptr<sim::RelayClient> Connect() {
    auto client = sim::RelayClient::Connect(Url(), {{"X-Twilio-Signature", "sig"}}, 5000);
    EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
    return client.ok() ? std::move(*client) : nullptr;
  }

  core::SystemClock clock_;
  std::ostringstream log_;
  core::Logger logger_;
  core::MetricsRegistry metrics_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int closes_ = 0;
};

TEST_F(RelayClientTest, SendsAndReceivesTextWithHeadersOnTheUpgrade) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send(R"({"type":"setup"})").ok());
  ASSERT_TRUE(client->Send("second").ok());
  auto first = client->Receive(10'000);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ(**first, R"(echo:{"type":"setup"})");
  auto second = client->Receive(10'000);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ(**second, "echo:second");
}

TEST_F(RelayClientTest, ReceiveReturnsNothingWhenNothingArrives) {
  auto client = Connect();
  ASSERT_TRUE(client);
  auto message = client->Receive(50);
  ASSERT_TRUE(message.ok());
  EXPECT_FALSE(message->has_value());
}

TEST_F(RelayClientTest, ServerCloseDeliversPendingMessagesThenUnavailable) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("bye").ok());
  auto last = client->Receive(10'000);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ(**last, "closing");
  auto after = client->Receive(10'000);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, core::ErrorCode::kUnavailable);
  EXPECT_FALSE(client->Send("anyone?").ok());
}

TEST_F(RelayClientTest, CloseEndsTheServerSession) {
  auto client = Connect();
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("hi").ok());
  client->Close();
  EXPECT_TRUE(WaitForServerClose());
  // The echo may have arrived before the close; after it, only the closed connection.
  auto first = client->Receive(1000);
  if (first.ok()) {
    ASSERT_TRUE(first->has_value());
    EXPECT_EQ(**first, "echo:hi");
    EXPECT_FALSE(client->Receive(1000).ok());
  }
  EXPECT_FALSE(client->Send("late").ok());
}

TEST_F(RelayClientTest, AbortDropsTheConnection) {
  auto client = Connect();
  ASSERT_TRUE(client);
  client->Abort();
  EXPECT_TRUE(WaitForServerClose());
  auto after = client->Receive(1000);
  EXPECT_FALSE(after.ok());
  EXPECT_FALSE(client->Send("late").ok());
}

TEST_F(RelayClientTest, RefusedUpgradeIsPermissionDenied) {
  auto wrong = sim::RelayClient::Connect(Url(), {{"X-Twilio-Signature", "forged"}}, 5000);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, core::ErrorCode::kPermissionDenied);
}

TEST_F(RelayClientTest, RejectsUrlsItCannotDial) {
  for (const char* url : {"wss://127.0.0.1/relay", "http://127.0.0.1/relay", "ws://", "ws:///x"}) {
    auto client = sim::RelayClient::Connect(url, {}, 1000);
    ASSERT_FALSE(client.ok()) << url;
    EXPECT_EQ(client.error().code, core::ErrorCode::kInvalidArgument) << url;
  }
}

TEST_F(RelayClientTest, ConnectionRefusedIsUnavailable) {
  // Port 1 on loopback: nobody listens there in the test environment.
  auto client = sim::RelayClient::Connect("ws://127.0.0.1:1/relay", {}, 2000);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace vaarta::testing
