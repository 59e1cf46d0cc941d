#pragma once
// CallStateService: applies verified provider callbacks (call progress, answering-machine
// detection) to a call's state. Providers retry and reorder callbacks, so each is recorded
// once under a dedupe key (a repeat changes nothing), and the status only ever moves
// forward (telephony::MayAdvance): a late "ringing" after "completed" is kept in the event
// log and otherwise ignored.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "calls/provider_call_repository.h"
#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/group_commit.h"
#include "telephony/webhook.h"

namespace vaarta::calls {

enum class ApplyOutcome {
  kApplied,    // new event; the state changed
  kRecorded,   // new event; the state stayed (out of order, or nothing to change)
  kDuplicate,  // seen before
};

class CallStateService {
 public:
  CallStateService(storage::Database& db, const core::Clock& clock) : clock_(clock), commits_(db) {}

  // kNotFound: no call for the attempt; kInvalidArgument: the event names another call.
  // Concurrent callbacks are committed together (storage/group_commit.h); each returns
  // once its own change is durable.
  core::Result<ApplyOutcome> Apply(int64_t attempt_id, const std::string& provider,
                                   const telephony::CallEvent& event);
  // Same inside the caller's transaction.
  core::Result<ApplyOutcome> Apply(storage::Transaction& tx, int64_t attempt_id,
                                   const std::string& provider, const telephony::CallEvent& event);

  // Equal for every delivery of one callback.
  static std::string DedupeKey(const telephony::CallEvent& event);

 private:
  const core::Clock& clock_;
  storage::GroupCommit commits_;
  ProviderCallRepository calls_;
};

// The kind's name in call_events ("status", "amd", ...).
std::string WebhookKindName(telephony::WebhookKind kind);
// The inverse of WebhookKindName (nullopt for any other text).
std::optional<telephony::WebhookKind> ParseWebhookKindName(std::string_view name);

}  // namespace vaarta::calls
