#include "calls/telephony_call_provider.h"

#include <thread>

#include "telephony/call_status.h"

namespace vaarta::calls {

using dialer::Disposition;
using storage::Int;

dialer::Disposition FinalDisposition(const ProviderCall& call) {
  const auto status = telephony::ParseCallStatus(call.status);
  if (!status) return Disposition::kIncomplete;
  switch (*status) {
    case telephony::CallStatus::kBusy:
      return Disposition::kBusy;
    case telephony::CallStatus::kNoAnswer:
      return Disposition::kNoAnswer;
    case telephony::CallStatus::kFailed:
      return Disposition::kFailed;
    case telephony::CallStatus::kCanceled:
      return Disposition::kIncomplete;
    case telephony::CallStatus::kCompleted:
      break;
    default:
      return Disposition::kIncomplete;
  }
  if (IsMachine(call.answered_by) || call.disposition == "voicemail") {
    return Disposition::kVoicemail;
  }
  if (auto decided = dialer::ParseDisposition(call.disposition)) return *decided;
  // Answered, and ended before the conversation decided anything (the callee hung up).
  return call.answered_at ? Disposition::kIncomplete : Disposition::kNoAnswer;
}

core::Result<std::string> TelephonyCallProvider::PlaceCall(
    const dialer::PlaceCallRequest& request) {
  // The dialer paces each campaign; the bucket keeps all of them together within the
  // account's calls per second.
  const int64_t give_up = clock_.NowMillis() + options_.max_rate_wait_ms;
  while (!bucket_.TryTake()) {
    const int64_t wait = bucket_.TimeUntilAvailable();
    if (wait < 0 || clock_.NowMillis() + wait > give_up) {
      return core::MakeError(core::ErrorCode::kRateLimited,
                             "the provider account's calls-per-second limit is reached",
                             std::string(telephony::kProviderRateLimited));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::max<int64_t>(wait, 1)));
  }
  if (auto allowed = breaker_.Allow(); !allowed) return allowed.error();

  const int64_t now = clock_.NowMillis();
  ProviderCall call;
  call.attempt_id = request.attempt_id;
  call.provider = provider_.name();
  call.account_id = provider_.account_id();
  call.call_id = PendingCallId(request.attempt_id);
  call.worker = options_.worker_id;
  call.transport = request.conversation_transport == "relay" ? "relay" : "gather";
  call.status = "queued";
  call.created_at = now;
  call.updated_at = now;
  {
    auto tx = db_.Begin(true);
    calls_.Insert(*tx, call);
    tx->Commit();
  }

  telephony::OutboundCallRequest out;
  out.to = request.to_e164;
  out.from = request.caller_id;
  out.voice_url = flow_.Url("voice", request.attempt_id);
  out.status_callback_url = flow_.Url("status", request.attempt_id);
  out.amd_callback_url = flow_.Url("amd", request.attempt_id);
  out.recording_callback_url = options_.record ? flow_.Url("recording", request.attempt_id) : "";
  out.ring_timeout_seconds = options_.ring_timeout_seconds;
  out.time_limit_seconds = options_.time_limit_seconds;
  out.record = options_.record;
  out.dual_channel = true;
  auto placed = provider_.PlaceCall(out);
  breaker_.Record(placed);
  if (!placed) {
    // No call was placed: forget the row, so nothing waits for its callbacks.
    auto tx = db_.Begin(true);
    tx->Execute("DELETE FROM provider_calls WHERE attempt_id = $1", {Int(request.attempt_id)});
    tx->Commit();
    if (telephony::IsAccountLevelFailure(placed.error()) && on_account_failure_) {
      on_account_failure_(request.campaign_id, placed.error());
    }
    return placed.error();
  }
  {
    auto tx = db_.Begin(true);
    tx->Execute("UPDATE provider_calls SET call_id = $2 WHERE attempt_id = $1 AND call_id = $3",
                {Int(request.attempt_id), storage::Text(placed->call_id),
                 storage::Text(PendingCallId(request.attempt_id))});
    tx->Commit();
  }
  return placed->call_id;
}

void TelephonyCallProvider::PollQuietCalls(int64_t now_ms) {
  std::vector<ProviderCall> quiet;
  {
    auto tx = db_.Begin(false);
    quiet = calls_.ListQuiet(*tx, options_.worker_id, now_ms - options_.quiet_poll_ms, 50);
    tx->Commit();
  }
  for (const auto& call : quiet) {
    {
      std::lock_guard lock(mutex_);
      auto& last = polled_at_[call.attempt_id];
      if (last > now_ms - options_.quiet_poll_ms) continue;
      last = now_ms;
    }
    if (call.call_id == PendingCallId(call.attempt_id)) continue;
    auto fetched = provider_.FetchCall(call.call_id);
    if (!fetched) {
      logger_.Warn("call state not fetched",
                   {{"attempt", call.attempt_id}, {"error", fetched.error().message}});
      continue;
    }
    telephony::CallEvent event = std::move(*fetched);
    event.kind = telephony::WebhookKind::kStatus;
    event.sequence = -1;
    if (event.status && telephony::IsFinal(*event.status)) {
      auto applied = states_.Apply(call.attempt_id, call.provider, event);
      if (applied && *applied == ApplyOutcome::kApplied) {
        logger_.Info("call ended without its final callback; state fetched from the provider",
                     {{"attempt", call.attempt_id}, {"status", call.status}});
      }
    }
  }
}

std::vector<dialer::CallEnded> TelephonyCallProvider::TakeEnded(int64_t now_ms) {
  std::vector<dialer::CallEnded> ended;
  try {
    PollQuietCalls(now_ms);
    std::vector<ProviderCall> finished;
    {
      auto tx = db_.Begin(true);
      finished = calls_.TakeFinished(*tx, options_.worker_id, 500);
      tx->Commit();
    }
    for (const auto& call : finished) {
      dialer::CallEnded end;
      end.attempt_id = call.attempt_id;
      end.provider_call_id = call.call_id;
      end.disposition = FinalDisposition(call);
      end.answered_at_ms = call.answered_at;
      end.ended_at_ms = call.ended_at.value_or(now_ms);
      if (end.disposition == Disposition::kCallbackBooked) {
        end.callback_requested_at_ms = call.callback_at;
      }
      end.detail = {{"provider_status", call.status}};
      if (!call.answered_by.empty()) end.detail["answered_by"] = call.answered_by;
      if (call.duration_seconds) end.detail["duration_seconds"] = *call.duration_seconds;
      if (!call.error_code.empty()) end.detail["provider_error"] = call.error_code;
      ended.push_back(std::move(end));
      std::lock_guard lock(mutex_);
      polled_at_.erase(call.attempt_id);
    }
  } catch (const storage::DatabaseError& e) {
    // The dialer asks again next tick; nothing was marked taken in a failed transaction.
    logger_.Warn("call endings not read", {{"error", e.what()}});
    return {};
  }
  return ended;
}

}  // namespace vaarta::calls
