#include "calls/call_state_service.h"

#include <optional>

#include "telephony/call_status.h"

namespace vaarta::calls {

using telephony::WebhookKind;

std::string WebhookKindName(WebhookKind kind) {
  switch (kind) {
    case WebhookKind::kVoice:
      return "voice";
    case WebhookKind::kStatus:
      return "status";
    case WebhookKind::kAmd:
      return "amd";
    case WebhookKind::kGather:
      return "gather";
    case WebhookKind::kRecording:
      return "recording";
    case WebhookKind::kConnectEnd:
      return "connect_end";
    case WebhookKind::kDialEnd:
      return "dial_end";
  }
  return "unknown";
}

std::optional<WebhookKind> ParseWebhookKindName(std::string_view name) {
  for (WebhookKind kind :
       {WebhookKind::kVoice, WebhookKind::kStatus, WebhookKind::kAmd, WebhookKind::kGather,
        WebhookKind::kRecording, WebhookKind::kConnectEnd, WebhookKind::kDialEnd}) {
    if (WebhookKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string CallStateService::DedupeKey(const telephony::CallEvent& event) {
  switch (event.kind) {
    case WebhookKind::kStatus:
      // SequenceNumber orders one call's progress callbacks; a retry repeats it. A status
      // learnt by polling the provider has none and is keyed by the status itself.
      if (event.sequence >= 0) return "seq:" + std::to_string(event.sequence);
      return "status:" +
             std::string(event.status ? telephony::CallStatusName(*event.status) : "none");
    case WebhookKind::kAmd:
      return "amd";
    case WebhookKind::kRecording:
      return "recording:" + event.recording_id + ":" + event.recording_status;
    default:
      return WebhookKindName(event.kind) + ":" + std::to_string(event.timestamp_ms);
  }
}

core::Result<ApplyOutcome> CallStateService::Apply(int64_t attempt_id, const std::string& provider,
                                                   const telephony::CallEvent& event) {
  // An error result changed nothing, so committing the batch around it is harmless.
  std::optional<core::Result<ApplyOutcome>> outcome;
  commits_.Run([&](storage::Transaction& tx) { outcome = Apply(tx, attempt_id, provider, event); });
  return std::move(*outcome);
}

core::Result<ApplyOutcome> CallStateService::Apply(storage::Transaction& tx, int64_t attempt_id,
                                                   const std::string& provider,
                                                   const telephony::CallEvent& event) {
  auto found = calls_.Find(tx, attempt_id, true);
  if (!found || found->provider != provider) {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "no " + provider + " call for attempt " + std::to_string(attempt_id),
                           "call_not_found");
  }
  ProviderCall call = std::move(*found);
  const bool pending = call.call_id == PendingCallId(attempt_id);
  if (!pending && call.call_id != event.call_id) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the callback names call " + event.call_id + " but attempt " +
                               std::to_string(attempt_id) + " is call " + call.call_id,
                           "call_mismatch");
  }
  if (!event.account_id.empty() && event.account_id != call.account_id) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the callback comes from another provider account", "call_mismatch");
  }
  const int64_t now = clock_.NowMillis();
  CallEventRecord record;
  record.attempt_id = attempt_id;
  record.provider = provider;
  record.call_id = event.call_id;
  record.kind = WebhookKindName(event.kind);
  record.dedupe_key = DedupeKey(event);
  record.status = event.status ? std::string(telephony::CallStatusName(*event.status)) : "";
  record.sequence = event.sequence;
  record.received_at = now;
  record.payload = event.raw;
  if (!calls_.RecordEvent(tx, record)) return ApplyOutcome::kDuplicate;

  bool changed = false;
  if (pending && !event.call_id.empty()) {
    // The provider's callback overtook its answer to our create request.
    call.call_id = event.call_id;
    changed = true;
  }
  if (!event.answered_by.empty() && call.answered_by.empty()) {
    call.answered_by = event.answered_by;
    changed = true;
  }
  if (event.kind == WebhookKind::kStatus && event.status) {
    const auto current = telephony::ParseCallStatus(call.status);
    const telephony::CallStatus next = *event.status;
    if (!current || telephony::MayAdvance(*current, next)) {
      call.status = std::string(telephony::CallStatusName(next));
      call.status_sequence = std::max(call.status_sequence, event.sequence);
      const int64_t at = event.timestamp_ms > 0 ? event.timestamp_ms : now;
      if (next == telephony::CallStatus::kInProgress && !call.answered_at) call.answered_at = at;
      if (telephony::IsFinal(next)) {
        call.final = true;
        call.ended_at = at;
        if (event.duration_seconds >= 0) call.duration_seconds = event.duration_seconds;
        // A completed call lasted from its answer: without an in-progress callback (it
        // was dropped) the duration says that it was answered.
        if (next == telephony::CallStatus::kCompleted && !call.answered_at &&
            event.duration_seconds > 0) {
          call.answered_at = at - int64_t{event.duration_seconds} * 1000;
        }
        call.error_code = event.error_code;
      }
      changed = true;
    }
  }
  if (!changed) return ApplyOutcome::kRecorded;
  call.updated_at = now;
  calls_.Update(tx, call);
  return ApplyOutcome::kApplied;
}

}  // namespace vaarta::calls
