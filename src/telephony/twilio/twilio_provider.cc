#include "telephony/twilio/twilio_provider.h"

#include <cstdio>
#include <cstring>
#include <ctime>

#include "telephony/twilio/twilio_signature.h"
#include "telephony/twilio/twiml_builder.h"

namespace vaarta::telephony::twilio {

namespace {

std::string Param(const std::map<std::string, std::string>& raw, const std::string& name) {
  auto it = raw.find(name);
  return it == raw.end() ? std::string() : it->second;
}

int ToInt(const std::string& text, int fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  return (end && *end == '\0') ? static_cast<int>(value) : fallback;
}

core::Error Missing(const std::string& name) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "the webhook has no " + name + " parameter", "webhook_malformed");
}

}  // namespace

int64_t ParseRfc2822(const std::string& text) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {}, month[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, zone = 0;
  if (std::sscanf(text.c_str(), "%3s %d %3s %d %d:%d:%d %d", weekday, &day, month, &year, &hour,
                  &minute, &second, &zone) != 8) {
    return 0;
  }
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::strcmp(kMonths[i], month) == 0) mon = i;
  }
  if (mon < 0) return 0;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = mon;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t utc = static_cast<int64_t>(timegm(&tm));
  const int sign = zone < 0 ? -1 : 1;
  const int offset_minutes = sign * ((std::abs(zone) / 100) * 60 + std::abs(zone) % 100);
  return (utc - int64_t{offset_minutes} * 60) * 1000;
}

TwilioProvider::TwilioProvider(TwilioProviderOptions options)
    : options_(std::move(options)), rest_(std::make_shared<TwilioRestClient>(options_.rest)) {}

std::shared_ptr<TwilioRestClient> TwilioProvider::Rest() const {
  std::lock_guard lock(mutex_);
  return rest_;
}

void TwilioProvider::SetCredentials(const std::string& account_sid, const std::string& auth_token,
                                    const std::string& api_key_sid,
                                    const std::string& api_key_secret,
                                    std::chrono::seconds previous_token_grace) {
  TwilioRestConfig config = options_.rest;
  config.account_sid = account_sid;
  config.auth_token = auth_token;
  config.api_key_sid = api_key_sid;
  config.api_key_secret = api_key_secret;
  auto next = std::make_shared<TwilioRestClient>(std::move(config));
  std::lock_guard lock(mutex_);
  if (rest_->config().auth_token != auth_token) {
    previous_token_ = rest_->config().auth_token;
    previous_token_until_ = std::chrono::steady_clock::now() + previous_token_grace;
  }
  rest_ = std::move(next);
}

core::Result<PlacedCall> TwilioProvider::PlaceCall(const OutboundCallRequest& request) {
  CreateCallRequest create;
  create.to = request.to;
  create.from = request.from;
  create.url = request.voice_url;
  create.method = "POST";
  create.status_callback = request.status_callback_url;
  create.status_callback_events = {"initiated", "ringing", "answered", "completed"};
  create.status_callback_method = "POST";
  create.timeout_seconds = request.ring_timeout_seconds;
  create.time_limit_seconds = request.time_limit_seconds;
  if (request.record && !request.recording_callback_url.empty()) {
    create.record = true;
    create.recording_channels = request.dual_channel ? "dual" : "mono";
    create.recording_status_callback = request.recording_callback_url;
    create.recording_status_callback_method = "POST";
  }
  if (!request.amd_callback_url.empty()) {
    // DetectMessageEnd: a voicemail message must start after the beep; asynchronous, so
    // a person hears the greeting at once while detection runs.
    create.machine_detection = "DetectMessageEnd";
    create.async_amd = true;
    create.async_amd_status_callback = request.amd_callback_url;
    create.async_amd_status_callback_method = "POST";
  }
  auto created = Rest()->CreateCall(create);
  if (!created) return created.error();
  return PlacedCall{created->sid, created->status};
}

core::Status TwilioProvider::HangUp(const std::string& call_id) {
  UpdateCallRequest update;
  update.status = "completed";
  auto done = Rest()->UpdateCall(call_id, update);
  if (!done) return done.error();
  return core::Ok{};
}

core::Status TwilioProvider::Redirect(const std::string& call_id, const std::string& url) {
  UpdateCallRequest update;
  update.url = url;
  update.method = "POST";
  auto done = Rest()->UpdateCall(call_id, update);
  if (!done) return done.error();
  return core::Ok{};
}

core::Status TwilioProvider::Update(const std::string& call_id,
                                    const CallControlDocument& document) {
  UpdateCallRequest update;
  update.twiml = RenderTwiml(document);
  auto done = Rest()->UpdateCall(call_id, update);
  if (!done) return done.error();
  return core::Ok{};
}

core::Result<std::string> TwilioProvider::SendSms(const SmsRequest& request) {
  auto sent =
      Rest()->SendMessage(request.to, request.from, request.body, request.status_callback_url);
  if (!sent) return sent.error();
  return sent->sid;
}

core::Result<RecordingMedia> TwilioProvider::FetchRecording(const std::string& recording_id) {
  return Rest()->DownloadRecordingMedia(recording_id);
}

core::Status TwilioProvider::DeleteRecording(const std::string& recording_id) {
  return Rest()->DeleteRecording(recording_id);
}

core::Result<CallEvent> TwilioProvider::FetchCall(const std::string& call_id) {
  auto call = Rest()->FetchCall(call_id);
  if (!call) return call.error();
  CallEvent event;
  event.kind = WebhookKind::kStatus;
  event.account_id = call->account_sid;
  event.call_id = call->sid;
  event.status = ParseCallStatus(call->status);
  event.answered_by = call->answered_by;
  if (call->duration_seconds) event.duration_seconds = *call->duration_seconds;
  event.timestamp_ms = ParseRfc2822(call->end_time);
  event.raw = {{"CallSid", call->sid}, {"CallStatus", call->status}, {"source", "rest"}};
  return event;
}

bool TwilioProvider::VerifyWebhook(const WebhookRequest& request) const {
  auto header = request.headers.find("x-twilio-signature");
  if (header == request.headers.end() || header->second.empty()) return false;
  std::string previous;
  std::string token;
  {
    std::lock_guard lock(mutex_);
    token = rest_->config().auth_token;
    if (std::chrono::steady_clock::now() < previous_token_until_) previous = previous_token_;
  }
  auto valid = [&](const std::string& key) {
    if (request.public_url.find("bodySHA256=") != std::string::npos) {
      return ValidateSignatureWithBody(key, header->second, request.public_url, request.body);
    }
    return ValidateSignature(key, header->second, request.public_url, request.form);
  };
  return valid(token) || (!previous.empty() && valid(previous));
}

core::Result<CallEvent> TwilioProvider::ParseWebhook(WebhookKind kind,
                                                     const WebhookRequest& request) const {
  CallEvent event;
  event.kind = kind;
  for (const auto& [name, value] : request.form) event.raw[name] = value;
  const auto& raw = event.raw;
  event.account_id = Param(raw, "AccountSid");
  event.call_id = Param(raw, "CallSid");
  if (event.call_id.empty()) return Missing("CallSid");
  if (event.account_id.empty()) return Missing("AccountSid");
  event.timestamp_ms = ParseRfc2822(Param(raw, "Timestamp"));
  event.answered_by = Param(raw, "AnsweredBy");
  if (const std::string status = Param(raw, "CallStatus"); !status.empty()) {
    event.status = ParseCallStatus(status);
    if (!event.status) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "CallStatus '" + status + "' is not a call status",
                             "webhook_malformed");
    }
  }
  switch (kind) {
    case WebhookKind::kStatus: {
      if (!event.status) return Missing("CallStatus");
      const std::string sequence = Param(raw, "SequenceNumber");
      event.sequence = ToInt(sequence, -1);
      if (!sequence.empty() && event.sequence < 0) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "SequenceNumber '" + sequence + "' is not a number",
                               "webhook_malformed");
      }
      event.duration_seconds = ToInt(Param(raw, "CallDuration"), -1);
      event.error_code = Param(raw, "ErrorCode");
      event.error_message = Param(raw, "ErrorMessage");
      break;
    }
    case WebhookKind::kAmd:
      if (event.answered_by.empty()) return Missing("AnsweredBy");
      break;
    case WebhookKind::kGather: {
      if (auto it = raw.find("SpeechResult"); it != raw.end()) event.speech_result = it->second;
      event.confidence = std::atof(Param(raw, "Confidence").c_str());
      event.digits = Param(raw, "Digits");
      break;
    }
    case WebhookKind::kRecording:
      event.recording_id = Param(raw, "RecordingSid");
      if (event.recording_id.empty()) return Missing("RecordingSid");
      event.recording_url = Param(raw, "RecordingUrl");
      event.recording_status = Param(raw, "RecordingStatus");
      if (event.recording_status.empty()) return Missing("RecordingStatus");
      event.recording_duration_seconds = ToInt(Param(raw, "RecordingDuration"), -1);
      event.recording_channels = ToInt(Param(raw, "RecordingChannels"), 1);
      break;
    default:
      break;
  }
  return event;
}

std::string TwilioProvider::RenderDocument(const CallControlDocument& document) const {
  return RenderTwiml(document);
}

}  // namespace vaarta::telephony::twilio
