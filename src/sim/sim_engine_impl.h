#pragma once
// TwilioSimEngine: the simulator's world. Each created call runs on its own thread the
// way Twilio would run it: signed status callbacks in Twilio's order (with retries and
// the configured faults), ringing, the persona answering or not, answering-machine
// detection, the voice URL fetched and its TwiML executed (Say, Gather, Dial, Redirect,
// Connect/ConversationRelay, ...), and a generated recording at the end.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "sim/persona.h"
#include "sim/sim_engine.h"
#include "sim/sim_faults.h"
#include "telephony/twilio/twilio_signature.h"

namespace vaarta::sim {

struct TwilioSimOptions {
  // AccountSid -> auth token: the accounts the simulator knows; every webhook is signed
  // with its account's token.
  std::map<std::string, std::string> accounts;
  // The simulator's own REST base URL ("http://127.0.0.1:8091"); recording URLs point
  // here so our server downloads them from the simulator.
  std::string public_base_url = "http://127.0.0.1:8091";
  // Real milliseconds per simulated second (rings, speech, pauses); 0: as fast as possible.
  int time_scale_ms = 50;
  SimFaults faults;
  // Callbacks and document requests: attempts per request (first try included) on
  // connection failures and 5xx (callbacks: any non-2xx), with doubling backoff.
  int callback_attempts = 4;
  int callback_backoff_ms = 200;
  int http_timeout_ms = 15000;
  // ConversationRelay: real milliseconds the callee waits for the agent to say anything
  // before hanging up (a silent line would otherwise be held forever).
  int relay_idle_timeout_ms = 15000;
  // A call ends after this many TwiML documents or callee turns (a safety net against
  // a server that loops).
  int max_steps = 60;
};

class CallRunner;

class TwilioSimEngine final : public SimEngine {
 public:
  TwilioSimEngine(TwilioSimOptions options, PersonaDirectory personas, const core::Clock& clock,
                  const core::Logger& logger);
  ~TwilioSimEngine() override;
  TwilioSimEngine(const TwilioSimEngine&) = delete;
  TwilioSimEngine& operator=(const TwilioSimEngine&) = delete;

  // Only before Start (the REST front may learn its port after binding port 0).
  void SetPublicBaseUrl(std::string url);
  // Starts the delivery of held-back callbacks; calls are refused before Start.
  void Start();
  // Refuses new calls, hangs up live ones, waits for their threads and delivers the
  // callbacks still held back. Idempotent.
  void Stop();
  // True once no call is live and no callback is waiting, within timeout_ms.
  bool WaitUntilIdle(int timeout_ms);
  int LiveCalls() const;

  core::Result<SimCallView> CreateCall(const CreateCallParams& params) override;
  core::Result<SimCallView> UpdateCall(const std::string& account_sid, const std::string& call_sid,
                                       const UpdateCallParams& params) override;
  std::optional<SimCallView> FetchCall(const std::string& account_sid,
                                       const std::string& call_sid) const override;
  std::vector<SimCallView> ListCalls(const std::string& account_sid) const override;
  std::vector<SimRecordingView> ListRecordings(const std::string& account_sid,
                                               const std::string& call_sid) const override;
  std::optional<SimRecordingView> FetchRecording(const std::string& account_sid,
                                                 const std::string& recording_sid) const override;
  std::optional<std::string> RecordingWav(const std::string& account_sid,
                                          const std::string& recording_sid) const override;
  bool DeleteRecording(const std::string& account_sid, const std::string& recording_sid) override;
  core::Result<SimMessageView> CreateMessage(const std::string& account_sid, const std::string& to,
                                             const std::string& from, const std::string& body,
                                             const std::string& status_callback) override;
  std::vector<SimTurn> Transcript(const std::string& call_sid) const override;

  // A webhook the simulator sends; public for the runner in the .cc.
  struct Webhook {
    std::string method = "POST";
    std::string url;
    telephony::twilio::FormParams params;
    std::string auth_token;
    std::string idempotency_token;
    int64_t due_ms = 0;  // held-back delivery: not before this real time
  };

 private:
  friend class CallRunner;

  struct CallState {
    CreateCallParams params;
    std::string auth_token;
    const Persona* persona = nullptr;
    uint64_t fault_seed = 0;
    // Guarded by the engine's mutex_:
    SimCallView view;
    std::vector<SimTurn> transcript;
    bool hangup_requested = false;
    std::optional<UpdateCallParams> redirect;
    bool done = false;
    std::thread worker;
  };
  struct Recording {
    SimRecordingView view;
    std::string wav;
  };

  std::string NewSid(const char* prefix);
  int64_t NowMs() const { return clock_.NowMillis(); }
  void RunCall(std::shared_ptr<CallState> state);
  void HoldBack(Webhook webhook);
  void HeldBackLoop();
  // Sends with retries on the given client; true when some attempt got a 2xx.
  bool SendWithRetries(class WebhookClient& client, const Webhook& webhook);
  void AddRecording(Recording recording);

  TwilioSimOptions options_;
  PersonaDirectory personas_;
  const core::Clock& clock_;
  const core::Logger& logger_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;  // call flags, live count, held-back queue
  bool started_ = false;
  bool stopping_ = false;
  int live_calls_ = 0;
  std::map<std::string, std::shared_ptr<CallState>> calls_;
  std::vector<std::string> call_order_;
  std::map<std::string, Recording> recordings_;
  std::map<std::string, SimMessageView> messages_;
  std::vector<std::thread> finished_workers_;
  std::vector<Webhook> held_back_;
  bool delivering_held_back_ = false;
  std::thread held_back_thread_;
  std::mutex sid_mutex_;  // a leaf lock: taken with or without mutex_
  std::mt19937_64 sid_random_;
  std::mt19937_64 fault_seeds_;
};

}  // namespace vaarta::sim
