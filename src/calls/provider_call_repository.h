#pragma once
// ProviderCallRepository: all SQL for the provider's view of placed calls
// (provider_calls), the webhooks received for them (call_events) and their transcripts
// (call_turns). Methods run inside the caller's transaction so that a webhook's event
// record and the state change it causes commit together.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/database.h"

namespace vaarta::calls {

struct ProviderCall {
  int64_t attempt_id = 0;
  std::string provider;
  std::string account_id;
  std::string call_id;    // "pending:<attempt>" until the provider answered the create request
  std::string worker;     // the dialer that placed it (and takes its ending)
  std::string transport;  // "gather" or "relay"
  std::string status = "queued";
  int64_t status_sequence = -1;
  std::string answered_by;
  std::optional<int64_t> answered_at;
  std::optional<int64_t> ended_at;
  std::optional<int64_t> duration_seconds;
  std::string error_code;
  nlohmann::json conversation_state = nlohmann::json::object();
  std::string disposition;  // "" until the conversation decided one
  std::optional<int64_t> callback_at;
  // The conversation's running sentiment (-1..1) and, once it ended, its summary.
  std::optional<double> sentiment_score;
  std::string summary;
  bool final = false;
  bool consumed = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct CallTurn {
  int64_t attempt_id = 0;
  int seq = 0;
  std::string speaker;  // "agent" or "callee"
  std::string text;
  std::string language;
  std::string intent;
  std::optional<double> confidence;
  std::string step;
  int64_t at = 0;
  std::string sentiment;  // callee turns: "positive", "neutral", "negative"
  std::optional<double> sentiment_score;
  std::optional<int64_t> latency_ms;  // agent turns: from hearing the callee to the reply
};

struct CallEventRecord {
  int64_t attempt_id = 0;
  std::string provider;
  std::string call_id;
  std::string kind;        // "status", "amd", "recording", "gather", ...
  std::string dedupe_key;  // equal for retries of one callback
  std::string status;
  int64_t sequence = -1;
  int64_t received_at = 0;
  nlohmann::json payload = nlohmann::json::object();
};

std::string PendingCallId(int64_t attempt_id);

class ProviderCallRepository {
 public:
  void Insert(storage::Transaction& tx, const ProviderCall& call) const;
  std::optional<ProviderCall> Find(storage::Transaction& tx, int64_t attempt_id,
                                   bool for_update = false) const;
  // Writes every mutable field of `call` (found by attempt id).
  void Update(storage::Transaction& tx, const ProviderCall& call) const;
  // True when the event is new; false when this callback was seen before.
  bool RecordEvent(storage::Transaction& tx, const CallEventRecord& event) const;
  // Finished calls of `worker` not yet handed to its dialer, marked as handed over.
  std::vector<ProviderCall> TakeFinished(storage::Transaction& tx, const std::string& worker,
                                         int limit) const;
  // Unfinished calls of `worker` with no news since `updated_before`.
  std::vector<ProviderCall> ListQuiet(storage::Transaction& tx, const std::string& worker,
                                      int64_t updated_before, int limit) const;
  // Appends a turn with the next sequence number of its call.
  void AppendTurn(storage::Transaction& tx, const CallTurn& turn) const;
  std::vector<CallTurn> Turns(storage::Transaction& tx, int64_t attempt_id) const;
  std::vector<CallEventRecord> Events(storage::Transaction& tx, int64_t attempt_id) const;
};

}  // namespace vaarta::calls
