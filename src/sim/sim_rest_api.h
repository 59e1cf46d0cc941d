#pragma once
// SimRestApi: the telephony simulator's Twilio-compatible REST front. It registers
// Twilio's 2010-04-01 paths (calls, recordings, messages) on an http::Router, checks HTTP
// Basic auth against the configured accounts (auth token or API key pair), parses and
// validates the form fields with Twilio's error codes, renders Twilio's JSON shapes and
// dates, and injects the REST faults of SimFaults. A request answered with an injected
// fault never reaches the SimEngine, so it has no effect. It also serves
// GET /sim/calls/{sid}/transcript for tests.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "http/router.h"
#include "sim/fault_dice.h"
#include "sim/sim_engine.h"
#include "sim/sim_faults.h"

namespace vaarta::sim {

struct SimApiKey {
  std::string sid;  // "SK..."
  std::string secret;
};

struct SimAccount {
  std::string account_sid;  // "AC..."
  std::string auth_token;
  std::vector<SimApiKey> api_keys;
};

struct SimAccounts {
  std::vector<SimAccount> accounts;

  // {"accounts": [{"account_sid": "AC..", "auth_token": "..", "api_keys": [{"sid": "SK..",
  // "secret": ".."}]}]}; errors name the bad field.
  static core::Result<SimAccounts> FromJson(const nlohmann::json& json);
  // The account these Basic-auth credentials (SID and token, or key SID and secret) belong
  // to; nullptr when they belong to none. Compares in constant time.
  const SimAccount* Authenticate(const std::string& user, const std::string& password) const;
};

struct SimRestApiOptions {
  // Base of the media_url of recordings ("http://127.0.0.1:9100"); empty: from the Host
  // header of the request.
  std::string public_base_url;
  // Retry-After sent with injected 429s; 0 sends none.
  int retry_after_seconds = 1;
  // Of the injected 5xx answers, this share is 503 (Twilio did not take the request) and
  // the rest 500 (a client cannot know whether anything happened).
  double rest_503_share = 0.5;
};

// Twilio's error body, e.g. {"code":20404,"message":"...","more_info":
// "https://www.twilio.com/docs/errors/20404","status":404}.
http::Response TwilioErrorResponse(int status, int code, const std::string& message);
// "Tue, 10 Aug 2010 08:02:17 +0000", the way Twilio's REST API writes dates.
std::string FormatRfc2822(int64_t unix_millis);

class SimRestApi {
 public:
  // `engine` and `dice` must outlive the routes registered by Register.
  SimRestApi(SimEngine& engine, SimAccounts accounts, SimFaults faults, FaultDice& dice,
             SimRestApiOptions options = {});
  SimRestApi(const SimRestApi&) = delete;
  SimRestApi& operator=(const SimRestApi&) = delete;

  void Register(http::Router& router);
  // Replaces the REST faults from the next request on (a running simulator's control
  // endpoint, tests); a 5xx burst under way still finishes. Thread-safe.
  void SetFaults(const SimFaults& faults);

  int64_t injected_429() const { return injected_429_.load(); }
  int64_t injected_5xx() const { return injected_5xx_.load(); }

 private:
  using AccountHandler = http::Response (SimRestApi::*)(http::Request&, const SimAccount&);

  // Authenticates, checks the path's account, injects faults, then runs `handler`.
  http::Response Guarded(http::Request& request, AccountHandler handler);
  std::optional<http::Response> InjectFault();

  // GET /2010-04-01/Accounts/{Sid}.json (the path has no {AccountSid} segment of its own).
  http::Response FetchAccount(http::Request& request);
  http::Response CreateCall(http::Request& request, const SimAccount& account);
  http::Response ListCalls(http::Request& request, const SimAccount& account);
  http::Response CallResource(http::Request& request, const SimAccount& account);  // GET, POST
  http::Response ListCallRecordings(http::Request& request, const SimAccount& account);
  http::Response ListRecordings(http::Request& request, const SimAccount& account);
  http::Response RecordingResource(http::Request& request, const SimAccount& account);
  http::Response DeleteRecording(http::Request& request, const SimAccount& account);
  http::Response CreateMessage(http::Request& request, const SimAccount& account);
  http::Response Transcript(http::Request& request);

  std::string BaseUrl(const http::Request& request) const;

  SimEngine& engine_;
  SimAccounts accounts_;
  SimFaults faults_;
  FaultDice& dice_;
  SimRestApiOptions options_;
  std::mutex fault_mutex_;
  int burst_remaining_ = 0;
  std::atomic<int64_t> injected_429_{0};
  std::atomic<int64_t> injected_5xx_{0};
};

}  // namespace vaarta::sim
