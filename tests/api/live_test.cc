// The live WebSocket feed: authentication on upgrade and audit events pushed to admins.
#include <utility>  // must precede Asio with Boost 1.74 and g++ 12

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "test_support/test_server.h"

namespace vaarta::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

class LiveClient {
 public:
  LiveClient(int port, const std::string& target) : ws_(ioc_) {
    asio::ip::tcp::resolver resolver(ioc_);
    beast::get_lowest_layer(ws_).connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    ws_.handshake("127.0.0.1", target);
  }
  nlohmann::json Next() {
    beast::flat_buffer buffer;
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    ws_.read(buffer);
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
  }
  void Send(const std::string& text) { ws_.write(asio::buffer(text)); }

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

class LiveTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LiveTest, AdminsReceiveAuditRecordsAsTheyHappen) {
  TestServer server(GetParam());
  std::string admin = server.TokenFor("admin");
  LiveClient live(server.port(), "/api/v1/live?access_token=" + admin);
  auto hello = live.Next();
  EXPECT_EQ(hello["topic"], "hello");
  EXPECT_EQ(hello["data"]["role"], "admin");
  live.Send("ping");
  EXPECT_EQ(live.Next()["topic"], "pong");

  HttpClient client = server.Client();
  ASSERT_EQ(client.Put("/api/v1/settings/calling.window_start", {{"value", "10:30"}}, admin).status,
            200);
  auto event = live.Next();
  EXPECT_EQ(event["topic"], "audit");
  EXPECT_EQ(event["data"]["target"], "setting:calling.window_start");
}

TEST_P(LiveTest, AgentsDoNotSeeTheAuditStream) {
  TestServer server(GetParam());
  std::string agent = server.TokenFor("agent");
  std::string admin = server.TokenFor("admin");
  LiveClient live(server.port(), "/api/v1/live?access_token=" + agent);
  EXPECT_EQ(live.Next()["data"]["role"], "agent");
  HttpClient client = server.Client();
  ASSERT_EQ(client.Put("/api/v1/settings/calling.window_start", {{"value", "11:00"}}, admin).status,
            200);
  live.Send("ping");
  // The next message is the pong, not the audit record that was published before it.
  EXPECT_EQ(live.Next()["topic"], "pong");
}

TEST_P(LiveTest, UpgradeWithoutATokenIsRefused) {
  TestServer server(GetParam());
  EXPECT_THROW(LiveClient(server.port(), "/api/v1/live"), boost::system::system_error);
  EXPECT_THROW(LiveClient(server.port(), "/api/v1/live?access_token=forged"),
               boost::system::system_error);
}

TEST_P(LiveTest, ManagersWatchImportsRunAndAgentsDoNot) {
  TestServer server(GetParam());
  std::string manager = server.TokenFor("manager");
  std::string agent = server.TokenFor("agent");
  LiveClient watching(server.port(), "/api/v1/live?access_token=" + manager);
  LiveClient agent_live(server.port(), "/api/v1/live?access_token=" + agent);
  EXPECT_EQ(watching.Next()["topic"], "hello");
  EXPECT_EQ(agent_live.Next()["topic"], "hello");
  // Big enough for progress messages on the way (every chunk, at most four a second).
  std::string csv = "Phone,Name\n";
  for (int i = 0; i < 30000; ++i) {
    csv += "9" + std::to_string(700000000 + i) + ",Lead " + std::to_string(i) + "\n";
  }
  HttpClient client = server.Client();
  auto started =
      client.Request("POST", "/api/v1/imports?file_name=live.csv", csv,
                     {{"Authorization", "Bearer " + manager}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(started.status, 202) << started.body;
  int64_t id = started.Json()["id"];
  nlohmann::json last;
  for (int i = 0; i < 100; ++i) {
    auto event = watching.Next();
    if (event["topic"] != "import") continue;  // audit records are not for managers anyway
    ASSERT_EQ(event["data"]["id"], id) << event.dump();
    last = event["data"];
    if (last["status"] != "running") break;
    EXPECT_GT(last["progress"]["bytes_total"].get<int64_t>(), 0) << last.dump();
  }
  ASSERT_EQ(last["status"], "completed") << last.dump();
  EXPECT_EQ(last["summary"]["imported"], 30000);
  // The agent's feed carries nothing about it: the next message is the pong.
  agent_live.Send("ping");
  EXPECT_EQ(agent_live.Next()["topic"], "pong");
}

INSTANTIATE_TEST_SUITE_P(Dialects, LiveTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
