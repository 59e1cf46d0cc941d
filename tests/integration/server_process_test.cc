// The server as a process: demo start-up, graceful shutdown on SIGTERM, and no lost
// commits when it is killed with SIGKILL in the middle of writes.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "test_support/http_client.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;

class ServerProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    dir_ = MakeTempDir("serve");
  }
  void TearDown() override {
    database_.reset();
    RemoveTree(dir_);
  }
  std::unique_ptr<ChildProcess> StartServer(int port, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {kVaarta,          "serve",       "--db",
                                     database_->url(), "--port",      std::to_string(port),
                                     "--data-dir",     dir_ + "/data"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto child =
        std::make_unique<ChildProcess>(args, std::map<std::string, std::string>{{"VAARTA_DB", ""}});
    EXPECT_TRUE(child->WaitForOutput("listening on", 30)) << child->Err();
    return child;
  }
  std::string AdminToken(int port) {
    auto add =
        RunProcess({kVaarta, "user", "add", "--db", database_->url(), "--data-dir", dir_ + "/data",
                    "--email", "admin@example.in", "--role", "admin", "--password-stdin"},
                   {}, "the admin password\n");
    EXPECT_EQ(add.exit_code, 0) << add.err;
    HttpClient client("127.0.0.1", port);
    auto login = client.Post("/api/v1/auth/login",
                             {{"email", "admin@example.in"}, {"password", "the admin password"}});
    EXPECT_EQ(login.status, 200) << login.body;
    return login.Json()["access_token"];
  }
  std::unique_ptr<TestDatabase> database_;
  std::string dir_;
};

TEST_P(ServerProcessTest, DemoModePrintsAWorkingLoginAndKeepsItAcrossRestarts) {
  int port = FreePort();
  std::string password;
  int64_t demo_leads = 0;
  {
    auto server = StartServer(port, {"--demo"});
    std::string out = server->Out();
    EXPECT_NE(out.find("http://127.0.0.1:" + std::to_string(port) + "/"), std::string::npos) << out;
    auto at = out.find("Demo login: admin@demo.vaarta.in / ");
    ASSERT_NE(at, std::string::npos) << out;
    password = out.substr(at + 35, out.find('\n', at) - at - 35);
    HttpClient client("127.0.0.1", port);
    auto login = client.Post("/api/v1/auth/login",
                             {{"email", "admin@demo.vaarta.in"}, {"password", password}});
    EXPECT_EQ(login.status, 200) << login.body;
    // The calling-policy defaults new campaigns start with.
    auto settings = client.Get("/api/v1/settings/calling.window", login.Json()["access_token"]);
    EXPECT_EQ(settings.status, 200);
    EXPECT_EQ(settings.Json()["value"]["end"], "21:00");
    // Demo leads come in through the real importer, with its refusals.
    auto lists = client.Get("/api/v1/lists", login.Json()["access_token"]).Json();
    ASSERT_EQ(lists["items"].size(), 1u) << lists.dump();
    EXPECT_EQ(lists["items"][0]["name"], "Demo: Diwali offer");
    demo_leads = lists["items"][0]["leads"];
    EXPECT_GT(demo_leads, 150);
    EXPECT_LT(demo_leads, 200);
    // The demo has today's DND registry, and some demo leads are on it.
    std::string token = login.Json()["access_token"];
    auto dnd = client.Get("/api/v1/dnd/status", token).Json();
    EXPECT_EQ(dnd["usable"], true) << dnd.dump();
    EXPECT_GT(dnd["numbers"].get<int64_t>(), 20000);
    auto blocked = client.Get("/api/v1/leads?dnd_state=blocked&limit=500", token).Json();
    EXPECT_GT(blocked["items"].size(), 10u) << blocked.dump();
    auto partial = client.Get("/api/v1/leads?dnd_state=partial&limit=500", token).Json();
    EXPECT_GT(partial["items"].size(), 10u);
    server->Signal(SIGTERM);
    EXPECT_EQ(server->Wait(15), 0) << server->Err();
  }
  auto again = StartServer(port, {"--demo"});
  EXPECT_NE(again->Out().find("Demo login: admin@demo.vaarta.in / " + password), std::string::npos);
  HttpClient client("127.0.0.1", port);
  auto login = client.Post("/api/v1/auth/login",
                           {{"email", "admin@demo.vaarta.in"}, {"password", password}});
  auto lists = client.Get("/api/v1/lists", login.Json()["access_token"]).Json();
  EXPECT_EQ(lists["items"][0]["leads"], demo_leads);  // seeded once, not again
}

TEST_P(ServerProcessTest, SigtermFinishesInFlightRequestsThenExitsCleanly) {
  int port = FreePort();
  auto server = StartServer(port);
  AdminToken(port);
  // Logins are slow on purpose (Argon2id), so these are still running when SIGTERM lands.
  constexpr int kClients = 6;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0}, failed{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      try {
        HttpClient client("127.0.0.1", port);
        auto res = client.Post("/api/v1/auth/login",
                               {{"email", "admin@example.in"}, {"password", "the admin password"}});
        (res.status == 200 ? ok : failed)++;
      } catch (const std::exception&) {
        failed++;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  server->Signal(SIGTERM);
  for (auto& t : clients) t.join();
  EXPECT_EQ(server->Wait(20), 0) << server->Err();
  EXPECT_EQ(ok, kClients) << "failed: " << failed << "\n" << server->Err();
  EXPECT_NE(server->Err().find("\"msg\":\"shutting down\""), std::string::npos);
  EXPECT_NE(server->Err().find("\"msg\":\"stopped\""), std::string::npos);
  // Not accepting any more.
  EXPECT_THROW(HttpClient("127.0.0.1", port).Get("/healthz"), std::exception);
}

TEST_P(ServerProcessTest, SigkillDuringWritesLosesNoCommittedData) {
  int port = FreePort();
  auto server = StartServer(port);
  std::string token = AdminToken(port);
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client("127.0.0.1", port);
      for (int i = 0; !stop; ++i) {
        std::string email = "w" + std::to_string(w) + "-" + std::to_string(i) + "@example.in";
        try {
          // Settings writes are quick, so many commits are in flight when the kill lands.
          auto res =
              client.Put("/api/v1/settings/crash.w" + std::to_string(w) + "_" + std::to_string(i),
                         {{"value", email}}, token);
          if (res.status != 200) break;
          std::lock_guard lock(mutex);
          acknowledged.insert("crash.w" + std::to_string(w) + "_" + std::to_string(i));
        } catch (const std::exception&) {
          break;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  server->Signal(SIGKILL);
  stop = true;
  for (auto& t : writers) t.join();
  EXPECT_EQ(server->Wait(10), -SIGKILL);
  ASSERT_GT(acknowledged.size(), 20u) << "too few writes to prove anything";

  auto restarted = StartServer(port);
  std::set<std::string> stored;
  {
    auto db = storage::OpenDatabase(database_->url(), 1);
    auto tx = db->Begin(false);
    for (const auto& row : tx->Execute("SELECT key FROM settings WHERE key LIKE 'crash.%'").rows) {
      stored.insert(row.GetText(0));
    }
  }
  for (const auto& key : acknowledged)
    EXPECT_TRUE(stored.count(key)) << "lost acknowledged write " << key;
  auto verify = RunProcess(
      {kVaarta, "audit", "verify", "--db", database_->url(), "--data-dir", dir_ + "/data"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  HttpClient client("127.0.0.1", port);
  EXPECT_EQ(client.Get("/readyz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Dialects, ServerProcessTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
