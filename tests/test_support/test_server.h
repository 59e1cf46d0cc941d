#pragma once
// TestServer: the whole product (Application) serving on a free loopback port, on a
// fresh database of the given dialect, for API tests.
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "app/application.h"
#include "test_support/http_client.h"
#include "test_support/test_database.h"

namespace vaarta::testing {

class TestServer {
 public:
  // `clock` (null: the system clock) must outlive the server.
  explicit TestServer(const std::string& dialect,
                      const std::function<void(core::Config&)>& tweak = {},
                      const core::Clock* clock = nullptr);
  ~TestServer();

  int port() const { return port_; }
  app::Application& app() { return *app_; }
  HttpClient Client() const { return HttpClient("127.0.0.1", port_); }
  // Creates (once) a user with this role and returns a fresh access token for it.
  std::string TokenFor(const std::string& role);
  // Password used for users made by TokenFor.
  static std::string Password() { return "correct horse battery staple"; }
  static std::string EmailFor(const std::string& role) { return role + "@test.vaarta.in"; }
  // Everything the server logged so far.
  std::string Logs() const;

 private:
  std::unique_ptr<TestDatabase> database_;
  std::string data_dir_;
  std::string log_path_;
  std::unique_ptr<std::ofstream> log_file_;
  std::unique_ptr<app::Application> app_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace vaarta::testing
