#pragma once
// SimRestTestServer: the simulator's REST front over a FakeSimEngine, served by a real
// http::Server on a loopback port chosen at run time, for tests that speak HTTP to it.
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/server.h"
#include "sim/fake_sim_engine.h"
#include "sim/sim_rest_api.h"

namespace vaarta::sim {

inline constexpr const char* kTestAccountSid = "AC00000000000000000000000000000001";
inline constexpr const char* kTestAuthToken = "token-one";
inline constexpr const char* kTestKeySid = "SK00000000000000000000000000000001";
inline constexpr const char* kTestKeySecret = "key-secret";
inline constexpr const char* kOtherAccountSid = "AC00000000000000000000000000000002";
inline constexpr const char* kOtherAuthToken = "token-two";
// An account whose token is as long as Twilio's, for the product's credential checks.
inline constexpr const char* kThirdAccountSid = "AC00000000000000000000000000000003";
inline constexpr const char* kThirdAuthToken = "third-token-0123456789abcdef0123";

class SimRestTestServer {
 public:
  explicit SimRestTestServer(SimFaults faults = {}, SimRestApiOptions options = {})
      : dice_(faults.seed),
        logger_(log_, core::LogLevel::kError, clock_),
        api_(engine_, Accounts(), faults, dice_, options) {
    api_.Register(router_);
    http::ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 4;
    server_options.shutdown_grace_seconds = 2;
    server_ = std::make_unique<http::Server>(server_options, router_, logger_, metrics_);
    auto port = server_->Listen();
    if (!port.ok()) throw std::runtime_error(port.error().message);
    port_ = *port;
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~SimRestTestServer() {
    server_->Shutdown();
    thread_.join();
  }

  static SimAccounts Accounts() {
    SimAccounts accounts;
    accounts.accounts.push_back(
        {kTestAccountSid, kTestAuthToken, {SimApiKey{kTestKeySid, kTestKeySecret}}});
    accounts.accounts.push_back({kOtherAccountSid, kOtherAuthToken, {}});
    accounts.accounts.push_back({kThirdAccountSid, kThirdAuthToken, {}});
    return accounts;
  }

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  FakeSimEngine& engine() { return engine_; }
  SimRestApi& api() { return api_; }

 private:
  core::SystemClock clock_;
  std::ostringstream log_;
  FakeSimEngine engine_;
  FaultDice dice_;
  core::Logger logger_;
  core::MetricsRegistry metrics_;
  SimRestApi api_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace vaarta::sim
