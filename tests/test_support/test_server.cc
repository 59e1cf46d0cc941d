#include "test_support/test_server.h"

#include <fstream>
#include <sstream>

namespace vaarta::testing {

TestServer::TestServer(const std::string& dialect, const std::function<void(core::Config&)>& tweak,
                       const core::Clock* clock) {
  database_ = std::make_unique<TestDatabase>(dialect);
  data_dir_ = MakeTempDir("server");
  log_path_ = data_dir_ + "/server.log";
  log_file_ = std::make_unique<std::ofstream>(log_path_);
  core::ConfigSources sources;
  auto config = sources.Resolve();
  if (!config) throw std::runtime_error(config.error().message);
  config->db = database_->url();
  config->data_dir = data_dir_;
  config->port = 0;
  config->worker_threads = 4;
  config->shutdown_grace_seconds = 5;
  config->dialer = false;  // API tests place no calls unless they ask for the dialer
  // Reading and compressing the dashboard's files costs every server start a fifth of a
  // second; only the browser tests, which ask for it, need it.
  config->web_dir = "off";
  if (tweak) tweak(*config);
  auto app = app::Application::Create(*config, *log_file_, clock);
  if (!app) throw std::runtime_error("cannot start test server: " + app.error().message);
  app_ = std::move(*app);
  auto port = app_->Listen();
  if (!port) throw std::runtime_error(port.error().message);
  port_ = *port;
  thread_ = std::thread([this] { app_->Run(false); });
}

TestServer::~TestServer() {
  app_->Shutdown();
  thread_.join();
  app_.reset();
  database_.reset();
  RemoveTree(data_dir_);
}

std::string TestServer::TokenFor(const std::string& role) {
  auto parsed = auth::ParseRole(role);
  if (!parsed) throw std::invalid_argument("no role " + role);
  auto created = app_->auth().CreateUser({EmailFor(role), role + " tester", Password(), *parsed},
                                         "system:test", {"127.0.0.1", "test"});
  if (!created && created.error().detail_code != "email_taken") {
    throw std::runtime_error("cannot create " + role + ": " + created.error().message);
  }
  auto tokens = app_->auth().Login(EmailFor(role), Password(), {"127.0.0.1", "test"});
  if (!tokens) throw std::runtime_error("cannot log in as " + role + ": " + tokens.error().message);
  return tokens->access_token;
}

std::string TestServer::Logs() const {
  log_file_->flush();
  std::ifstream in(log_path_);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace vaarta::testing
