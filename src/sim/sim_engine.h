#pragma once
// SimEngine: the telephony simulator's world, behind its Twilio-compatible REST front
// (sim/sim_rest_api.h). It owns the simulated calls, recordings and messages, runs each
// call like Twilio would (fetch the voice URL, execute the TwiML, send signed status
// callbacks, run AMD, record), and plays the callee from a scripted persona
// (sim/persona.h). Values use Twilio's names and formats so the REST front only
// serialises them.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace vaarta::sim {

// POST /2010-04-01/Accounts/{AccountSid}/Calls.json, already parsed and validated.
struct CreateCallParams {
  std::string account_sid;
  std::string to, from;
  std::string url;
  std::string method = "POST";
  std::string twiml;  // inline TwiML instead of url
  std::string status_callback;
  std::set<std::string> status_callback_events;  // "initiated", "ringing", "answered", "completed"
  std::string status_callback_method = "POST";
  int timeout_seconds = 60;
  int time_limit_seconds = 14400;
  bool record = false;
  std::string recording_channels = "mono";  // "mono" or "dual"
  std::string recording_status_callback;
  std::string recording_status_callback_method = "POST";
  std::string machine_detection;  // "", "Enable", "DetectMessageEnd"
  bool async_amd = false;
  std::string async_amd_status_callback;
  std::string async_amd_status_callback_method = "POST";
};

// POST .../Calls/{Sid}.json
struct UpdateCallParams {
  std::optional<std::string> status;  // "completed" or "canceled"
  std::optional<std::string> url;
  std::string method = "POST";
  std::optional<std::string> twiml;
};

// A call resource as Twilio returns it (the REST front renders these fields).
struct SimCallView {
  std::string sid, account_sid, to, from;
  std::string status;     // queued, initiated, ringing, in-progress, completed, busy, ...
  std::string direction = "outbound-api";
  std::string answered_by;  // "" until AMD decided
  int64_t date_created_ms = 0, date_updated_ms = 0;
  std::optional<int64_t> start_time_ms, end_time_ms;
  int duration_seconds = 0;
  std::string parent_call_sid;
};

struct SimRecordingView {
  std::string sid, account_sid, call_sid;
  std::string status;  // "completed", ...
  std::string channels_text;  // "1" or "2"
  int channels = 1;
  int duration_seconds = 0;
  int64_t date_created_ms = 0;
  std::string source = "OutboundAPI";
};

struct SimMessageView {
  std::string sid, account_sid, to, from, body;
  std::string status = "queued";
  int64_t date_created_ms = 0;
};

// A transcript line the simulator heard or spoke, for tests to inspect.
struct SimTurn {
  std::string speaker;  // "agent" or "callee"
  std::string text;
};

class SimEngine {
 public:
  virtual ~SimEngine() = default;
  // Errors: kInvalidArgument (detail_code = Twilio error code as text, e.g. "21211").
  virtual core::Result<SimCallView> CreateCall(const CreateCallParams& params) = 0;
  virtual core::Result<SimCallView> UpdateCall(const std::string& account_sid,
                                               const std::string& call_sid,
                                               const UpdateCallParams& params) = 0;
  virtual std::optional<SimCallView> FetchCall(const std::string& account_sid,
                                               const std::string& call_sid) const = 0;
  virtual std::vector<SimCallView> ListCalls(const std::string& account_sid) const = 0;
  virtual std::vector<SimRecordingView> ListRecordings(const std::string& account_sid,
                                                       const std::string& call_sid) const = 0;
  virtual std::optional<SimRecordingView> FetchRecording(const std::string& account_sid,
                                                         const std::string& recording_sid) const = 0;
  // The recording's media as a WAV file; nullopt when none.
  virtual std::optional<std::string> RecordingWav(const std::string& account_sid,
                                                  const std::string& recording_sid) const = 0;
  virtual bool DeleteRecording(const std::string& account_sid, const std::string& recording_sid) = 0;
  virtual core::Result<SimMessageView> CreateMessage(const std::string& account_sid,
                                                     const std::string& to, const std::string& from,
                                                     const std::string& body,
                                                     const std::string& status_callback) = 0;
  // What was said on a call, in order (test inspection: GET /sim/calls/{sid}/transcript).
  virtual std::vector<SimTurn> Transcript(const std::string& call_sid) const = 0;
};

}  // namespace vaarta::sim
