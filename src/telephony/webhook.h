#pragma once
// Webhooks as the telephony module sees them: the request as the provider sent it
// (before any trust), and the neutral event a verified request turns into.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "telephony/call_status.h"

namespace vaarta::telephony {

struct WebhookRequest {
  std::string method;      // "POST" or "GET"
  std::string public_url;  // the full URL the provider called: public base + path + query
  // Form parameters of a form-encoded POST, decoded, in body order (repeats kept).
  std::vector<std::pair<std::string, std::string>> form;
  std::string body;          // raw body (JSON-body webhooks are signed over its SHA-256)
  std::string content_type;  // lower-case, without parameters
  std::map<std::string, std::string> headers;  // lower-case names
};

enum class WebhookKind {
  kVoice,       // the call was answered: what should it do? (answer with a document)
  kStatus,      // call progress: initiated, ringing, answered, completed...
  kAmd,         // asynchronous answering-machine detection result
  kGather,      // what the callee said or keyed in a Gather
  kRecording,   // a recording's status changed (completed, failed, absent)
  kConnectEnd,  // a <Connect> session (relay, stream) ended; answer with a document
  kDialEnd,     // a transfer's <Dial> ended
};

// One provider callback, verified and parsed into words that belong to no provider.
struct CallEvent {
  WebhookKind kind = WebhookKind::kStatus;
  std::string account_id;
  std::string call_id;
  std::optional<CallStatus> status;
  int64_t sequence = -1;      // provider's ordering of status callbacks (-1: none)
  int64_t timestamp_ms = 0;   // when the provider says it happened (0: unknown)
  std::string answered_by;    // "human", "machine_start", "machine_end_beep", "fax", "unknown"
  int duration_seconds = -1;  // call duration on final status (-1: unknown)
  std::string error_code;     // provider error code for failed calls ("" : none)
  std::string error_message;
  // Gather
  std::optional<std::string> speech_result;
  double confidence = 0;
  std::string digits;
  // Recording
  std::string recording_id;
  std::string recording_url;
  std::string recording_status;  // "in-progress", "completed", "absent", "failed"
  int recording_duration_seconds = -1;
  int recording_channels = 0;
  // Every parameter as received, for the call's event log.
  std::map<std::string, std::string> raw;
};

}  // namespace vaarta::telephony
