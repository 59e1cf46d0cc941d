#include "telephony/twilio/twilio_rest_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

namespace vaarta::telephony::twilio {
namespace {

// Recordings of long calls are large; anything past this is not a response we asked for.
constexpr size_t kMaxResponseBytes = 256u << 20;
// Idle curl handles kept for reuse (each holds its live connections).
constexpr size_t kMaxIdleHandles = 16;
// Pages of a list followed at most; Twilio pages hold 50 items by default.
constexpr int kMaxPages = 20;
constexpr size_t kMaxQuotedChars = 300;

// Twilio codes that mean the account may not do this at all (geo permissions, caller id
// not verified, trial restrictions): every further lead would fail the same way.
const std::set<int>& PermissionCodes() {
  static const std::set<int> codes = {
      10002,  // trial account does not support this feature
      13227,  // Dial: no international authorization (geo permissions)
      21210,  // 'From' phone number not verified
      21212,  // invalid 'From' (caller id) number
      21215,  // geo permission configuration is not permitting the call
      21216,  // account not allowed to call this number (blocked destination)
      21408,  // messaging geo permissions disabled for the region
      21606,  // 'From' number is not SMS-capable for this account
      32205,  // SIP geo permissions
  };
  return codes;
}

const std::set<int>& SuspendedCodes() {
  static const std::set<int> codes = {
      10001,  // account is not active
      10003,  // rejected due to inactive account
      20005,  // account not active (out of funds, trial not activated)
      21472,  // account is not active
      90010,  // account suspended
  };
  return codes;
}

struct Body {
  std::string text;
  bool too_large = false;
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const size_t bytes = size * count;
  if (body->text.size() + bytes > kMaxResponseBytes) {
    body->too_large = true;
    return 0;
  }
  body->text.append(data, bytes);
  return bytes;
}

std::string Str(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::optional<int> OptInt(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

CallResource ParseCall(const nlohmann::json& j) {
  CallResource c;
  c.sid = Str(j, "sid");
  c.account_sid = Str(j, "account_sid");
  c.to = Str(j, "to");
  c.from = Str(j, "from");
  c.status = Str(j, "status");
  c.direction = Str(j, "direction");
  c.answered_by = Str(j, "answered_by");
  c.parent_call_sid = Str(j, "parent_call_sid");
  c.date_created = Str(j, "date_created");
  c.date_updated = Str(j, "date_updated");
  c.start_time = Str(j, "start_time");
  c.end_time = Str(j, "end_time");
  c.duration_seconds = OptInt(j, "duration");
  return c;
}

RecordingResource ParseRecording(const nlohmann::json& j) {
  RecordingResource r;
  r.sid = Str(j, "sid");
  r.account_sid = Str(j, "account_sid");
  r.call_sid = Str(j, "call_sid");
  r.status = Str(j, "status");
  r.source = Str(j, "source");
  r.channels = OptInt(j, "channels").value_or(1);
  r.duration_seconds = OptInt(j, "duration");
  r.date_created = Str(j, "date_created");
  r.uri = Str(j, "uri");
  return r;
}

core::Error BadResponse(std::string_view what, const std::string& why) {
  return core::MakeError(core::ErrorCode::kUnavailable,
                         "Twilio's answer to " + std::string(what) +
                             " is not what its API returns (" + why + "); check api_base_url.",
                         std::string(kProviderUnavailable));
}

// Twilio SIDs are letters and digits; anything else would change the request path.
bool ValidSid(const std::string& sid) {
  return !sid.empty() && sid.size() <= 64 && std::all_of(sid.begin(), sid.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

core::Error InvalidSid(std::string_view kind, const std::string& sid) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         std::string(kind) + " SID '" + sid.substr(0, 64) +
                             "' is not a Twilio SID (letters and digits only).",
                         std::string(kProviderRejected));
}

void AddIfSet(FormParams* form, const char* name, const std::string& value) {
  if (!value.empty()) form->emplace_back(name, value);
}

std::string FormEncode(CURL* curl, const FormParams& form) {
  std::string out;
  for (const auto& [name, value] : form) {
    char* n = curl_easy_escape(curl, name.data(), static_cast<int>(name.size()));
    char* v = curl_easy_escape(curl, value.data(), static_cast<int>(value.size()));
    if (!out.empty()) out += '&';
    out += n ? n : "";
    out += '=';
    out += v ? v : "";
    curl_free(n);
    curl_free(v);
  }
  return out;
}

}  // namespace

void RealSleep(int64_t millis) {
  if (millis > 0) std::this_thread::sleep_for(std::chrono::milliseconds(millis));
}

TwilioError ParseTwilioError(int http_status, std::string_view body) {
  TwilioError error;
  error.http_status = http_status;
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object()) {
    error.code = OptInt(json, "code").value_or(0);
    error.message = Str(json, "message");
    error.more_info = Str(json, "more_info");
  }
  if (error.message.empty()) error.message = std::string(body.substr(0, kMaxQuotedChars));
  return error;
}

std::string_view ClassifyTwilioError(const TwilioError& error) {
  if (error.http_status == 401 || error.code == 20003) return kProviderAuth;
  if (SuspendedCodes().count(error.code)) return kProviderAccountSuspended;
  if (PermissionCodes().count(error.code) || error.http_status == 403) return kProviderPermission;
  if (error.http_status == 429 || error.code == 20429) return kProviderRateLimited;
  if (error.http_status >= 500 || error.http_status == 0) return kProviderUnavailable;
  if (error.http_status == 404 || error.code == 20404) return kProviderNotFound;
  return kProviderRejected;
}

core::Error ToError(const TwilioError& error, std::string_view what) {
  const std::string_view detail = ClassifyTwilioError(error);
  std::string message = "Twilio could not " + std::string(what) + ": " +
                        (error.message.empty() ? "no reason given" : error.message) + " (";
  if (error.code != 0) message += "Twilio error " + std::to_string(error.code) + ", ";
  message += "HTTP " + std::to_string(error.http_status);
  if (!error.more_info.empty()) message += ", " + error.more_info;
  message += ")";
  core::ErrorCode code = core::ErrorCode::kInvalidArgument;
  if (detail == kProviderAuth) {
    code = core::ErrorCode::kUnauthenticated;
    message += "; check the account SID and auth token (or API key) in the telephony settings.";
  } else if (detail == kProviderAccountSuspended) {
    code = core::ErrorCode::kPermissionDenied;
    message += "; the Twilio account is not active: check its status and balance in the console.";
  } else if (detail == kProviderPermission) {
    code = core::ErrorCode::kPermissionDenied;
    message += "; the account may not make this call: check its geo permissions and caller ID.";
  } else if (detail == kProviderRateLimited) {
    code = core::ErrorCode::kRateLimited;
    message += "; lower the campaign's calls per second or try again later.";
  } else if (detail == kProviderUnavailable) {
    code = core::ErrorCode::kUnavailable;
    message += "; Twilio is failing, try again later.";
  } else if (detail == kProviderNotFound) {
    code = core::ErrorCode::kNotFound;
    message += ".";
  } else {
    message += ".";
  }
  return core::MakeError(code, std::move(message), std::string(detail));
}

FormParams CreateCallRequest::ToForm() const {
  FormParams form;
  AddIfSet(&form, "To", to);
  AddIfSet(&form, "From", from);
  AddIfSet(&form, "Url", url);
  AddIfSet(&form, "Method", method);
  AddIfSet(&form, "Twiml", twiml);
  AddIfSet(&form, "StatusCallback", status_callback);
  for (const auto& event : status_callback_events) form.emplace_back("StatusCallbackEvent", event);
  AddIfSet(&form, "StatusCallbackMethod", status_callback_method);
  if (timeout_seconds) form.emplace_back("Timeout", std::to_string(*timeout_seconds));
  if (time_limit_seconds) form.emplace_back("TimeLimit", std::to_string(*time_limit_seconds));
  if (record) form.emplace_back("Record", *record ? "true" : "false");
  AddIfSet(&form, "RecordingChannels", recording_channels);
  AddIfSet(&form, "RecordingStatusCallback", recording_status_callback);
  AddIfSet(&form, "RecordingStatusCallbackMethod", recording_status_callback_method);
  AddIfSet(&form, "MachineDetection", machine_detection);
  if (async_amd) form.emplace_back("AsyncAmd", *async_amd ? "true" : "false");
  AddIfSet(&form, "AsyncAmdStatusCallback", async_amd_status_callback);
  AddIfSet(&form, "AsyncAmdStatusCallbackMethod", async_amd_status_callback_method);
  return form;
}

FormParams UpdateCallRequest::ToForm() const {
  FormParams form;
  AddIfSet(&form, "Status", status);
  AddIfSet(&form, "Url", url);
  AddIfSet(&form, "Method", method);
  AddIfSet(&form, "Twiml", twiml);
  return form;
}

struct TwilioRestClient::HttpResponse {
  long status = 0;
  std::string body;
  std::string content_type;
  int64_t retry_after_ms = -1;  // -1: no Retry-After
};

// Idle curl handles (each keeps its connection cache, so reusing a handle reuses its
// keep-alive connection to Twilio) and the jitter generator.
struct TwilioRestClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;
  std::mt19937_64 rng;

  CURL* Acquire() {
    {
      std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* c = idle.back();
        idle.pop_back();
        return c;
      }
    }
    return curl_easy_init();
  }
  void Release(CURL* c) {
    {
      std::lock_guard lock(mutex);
      if (idle.size() < kMaxIdleHandles) {
        idle.push_back(c);
        return;
      }
    }
    curl_easy_cleanup(c);
  }
  ~Pool() {
    for (CURL* c : idle) curl_easy_cleanup(c);
  }
};

TwilioRestClient::TwilioRestClient(TwilioRestConfig config, SleepFunction sleep)
    : config_(std::move(config)), sleep_(std::move(sleep)), pool_(std::make_unique<Pool>()) {
  // Reference-counted and thread-safe since curl 7.84; paired with the destructor.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  while (!config_.api_base_url.empty() && config_.api_base_url.back() == '/') {
    config_.api_base_url.pop_back();
  }
  pool_->rng.seed(config_.jitter_seed);
  if (!sleep_) sleep_ = RealSleep;
}

TwilioRestClient::~TwilioRestClient() {
  pool_.reset();
  curl_global_cleanup();
}

std::string TwilioRestClient::AccountPath() const {
  return "/2010-04-01/Accounts/" + config_.account_sid;
}

int64_t TwilioRestClient::BackoffMillis(int attempt) {
  // Full jitter (a uniform draw up to the exponential cap) spreads the retries of many
  // dialer threads instead of sending them back together.
  int64_t cap = config_.backoff_base_ms;
  for (int i = 0; i < attempt && cap < config_.backoff_max_ms; ++i) cap *= 2;
  cap = std::clamp<int64_t>(cap, 0, config_.backoff_max_ms);
  std::lock_guard lock(pool_->mutex);
  return std::uniform_int_distribution<int64_t>(0, cap)(pool_->rng);
}

core::Result<TwilioRestClient::HttpResponse> TwilioRestClient::Attempt(const std::string& method,
                                                                       const std::string& url,
                                                                       const std::string& body,
                                                                       bool* never_sent) {
  *never_sent = false;
  CURL* c = pool_->Acquire();
  if (c == nullptr) {
    *never_sent = true;
    return core::MakeError(core::ErrorCode::kUnavailable, "libcurl could not start a request",
                           std::string(kProviderUnavailable));
  }
  curl_easy_reset(c);
  const bool use_key = !config_.api_key_sid.empty() && !config_.api_key_secret.empty();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
  curl_easy_setopt(c, CURLOPT_USERNAME,
                   (use_key ? config_.api_key_sid : config_.account_sid).c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD,
                   (use_key ? config_.api_key_secret : config_.auth_token).c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "vaarta/" VAARTA_VERSION);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  // Twilio answers a recording's media URL with a redirect to its storage. libcurl sends
  // the credentials only to the original host (CURLOPT_UNRESTRICTED_AUTH stays off).
  const bool media =
      method == "GET" && url.size() > 4 && url.compare(url.size() - 4, 4, ".wav") == 0;
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, media ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, body.c_str());
  } else if (method == "DELETE") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
  } else {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  Body received;
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);

  const CURLcode rc = curl_easy_perform(c);
  HttpResponse response;
  curl_off_t connect_time = 0;
  curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_time);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    char* type = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
      response.content_type = type;
    }
    curl_off_t retry_after = -1;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0) {
      response.retry_after_ms = static_cast<int64_t>(retry_after) * 1000;
    }
  }
  pool_->Release(c);

  if (rc != CURLE_OK) {
    // Only failures before a connection existed prove Twilio never saw the request.
    *never_sent = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
                  rc == CURLE_COULDNT_CONNECT ||
                  (rc == CURLE_OPERATION_TIMEDOUT && connect_time == 0);
    if (rc == CURLE_WRITE_ERROR && received.too_large) {
      return core::MakeError(
          core::ErrorCode::kUnavailable,
          "Twilio's answer is larger than " + std::to_string(kMaxResponseBytes >> 20) + " MB",
          std::string(kProviderUnavailable));
    }
    return core::MakeError(core::ErrorCode::kUnavailable,
                           std::string("could not reach Twilio at ") + config_.api_base_url + " (" +
                               curl_easy_strerror(rc) + ")",
                           std::string(kProviderUnavailable));
  }
  response.body = std::move(received.text);
  return response;
}

// Retries. Reads (GET) and deletes are idempotent: any 429, 5xx or network failure is
// retried. Creating a call or a message is not: a 500, 502 or 504, a timeout or a dropped
// connection may come after Twilio created the call, and sending again would ring the
// lead twice. Those requests are retried only when Twilio surely did nothing: 429 (refused
// before processing), 503 (the service did not take the request) and failures before a
// connection existed (refused, unresolvable, connect timeout). Anything else goes back to
// the caller as provider_unavailable, who must treat the call as possibly placed.
core::Result<TwilioRestClient::HttpResponse> TwilioRestClient::Send(const std::string& method,
                                                                    const std::string& path,
                                                                    const FormParams& form,
                                                                    Retry retry,
                                                                    std::string_view what) {
  const std::string url = config_.api_base_url + path;
  std::string body;
  if (!form.empty()) {
    CURL* c = pool_->Acquire();
    if (c == nullptr) {
      return core::MakeError(core::ErrorCode::kUnavailable, "libcurl could not start a request",
                             std::string(kProviderUnavailable));
    }
    body = FormEncode(c, form);
    pool_->Release(c);
  }
  const int max_retries = std::max(0, config_.max_retries);
  for (int attempt = 0;; ++attempt) {
    const std::string tries =
        attempt == 0 ? "" : " after " + std::to_string(attempt + 1) + " attempts";
    bool never_sent = false;
    auto response = Attempt(method, url, body, &never_sent);
    if (!response.ok()) {
      const bool retryable = retry == Retry::kIdempotent || never_sent;
      if (!retryable || attempt >= max_retries) {
        core::Error error = response.error();
        error.message = "Twilio could not " + std::string(what) + ": " + error.message + tries +
                        (retryable ? "; try again later."
                                   : "; the request may have reached Twilio, so it was not "
                                     "repeated.");
        return error;
      }
      sleep_(BackoffMillis(attempt));
      continue;
    }
    const long status = response->status;
    if (status >= 200 && status < 300) return response;
    TwilioError twilio_error = ParseTwilioError(static_cast<int>(status), response->body);
    const bool retryable =
        status == 429 || (status >= 500 && (retry == Retry::kIdempotent || status == 503));
    int64_t delay = retryable ? BackoffMillis(attempt) : 0;
    const bool wait_too_long = response->retry_after_ms > config_.max_retry_after_ms;
    if (!retryable || attempt >= max_retries || wait_too_long) {
      core::Error error = ToError(twilio_error, what);
      if (!tries.empty()) error.message += " (gave up" + tries + ")";
      if (status >= 500 && !retryable) {
        error.message += " The request may have reached Twilio, so it was not repeated.";
      }
      return error;
    }
    delay = std::max(delay, response->retry_after_ms);
    sleep_(delay);
  }
}

core::Result<CallResource> TwilioRestClient::CreateCall(const CreateCallRequest& request) {
  auto response = Send("POST", AccountPath() + "/Calls.json", request.ToForm(),
                       Retry::kOnlyIfNotProcessed, "create the call");
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object() || Str(json, "sid").empty()) {
    return BadResponse("create the call", "no call sid");
  }
  return ParseCall(json);
}

core::Result<CallResource> TwilioRestClient::UpdateCall(const std::string& call_sid,
                                                        const UpdateCallRequest& request) {
  if (!ValidSid(call_sid)) return InvalidSid("Call", call_sid);
  // Hanging up is idempotent; a redirect or new TwiML applied twice would restart the
  // call's document, so those are retried only when Twilio surely did nothing.
  const bool idempotent = request.url.empty() && request.twiml.empty();
  auto response =
      Send("POST", AccountPath() + "/Calls/" + call_sid + ".json", request.ToForm(),
           idempotent ? Retry::kIdempotent : Retry::kOnlyIfNotProcessed, "update call " + call_sid);
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object()) return BadResponse("update the call", "not a JSON object");
  return ParseCall(json);
}

core::Result<AccountResource> TwilioRestClient::FetchAccount() {
  auto response = Send("GET", AccountPath() + ".json", {}, Retry::kIdempotent, "fetch the account");
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object() || Str(json, "sid").empty()) {
    return BadResponse("fetch the account", "no account sid");
  }
  return AccountResource{Str(json, "sid"), Str(json, "friendly_name"), Str(json, "status"),
                         Str(json, "type")};
}

core::Result<CallResource> TwilioRestClient::FetchCall(const std::string& call_sid) {
  if (!ValidSid(call_sid)) return InvalidSid("Call", call_sid);
  auto response = Send("GET", AccountPath() + "/Calls/" + call_sid + ".json", {},
                       Retry::kIdempotent, "fetch call " + call_sid);
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object()) return BadResponse("fetch the call", "not a JSON object");
  return ParseCall(json);
}

core::Result<std::vector<RecordingResource>> TwilioRestClient::ListRecordings(
    const std::string& call_sid) {
  if (!ValidSid(call_sid)) return InvalidSid("Call", call_sid);
  std::vector<RecordingResource> recordings;
  std::string path = AccountPath() + "/Calls/" + call_sid + "/Recordings.json";
  for (int page = 0; page < kMaxPages && !path.empty(); ++page) {
    auto response =
        Send("GET", path, {}, Retry::kIdempotent, "list the recordings of call " + call_sid);
    if (!response.ok()) return response.error();
    auto json = nlohmann::json::parse(response->body, nullptr, false);
    if (!json.is_object() || !json.contains("recordings") || !json["recordings"].is_array()) {
      return BadResponse("list recordings", "no recordings array");
    }
    for (const auto& item : json["recordings"]) {
      if (item.is_object()) recordings.push_back(ParseRecording(item));
    }
    // next_page_uri is a path on the same API host; nothing else is followed.
    path = Str(json, "next_page_uri");
    if (path.rfind("/2010-04-01/", 0) != 0) path.clear();
  }
  return recordings;
}

core::Result<RecordingResource> TwilioRestClient::FetchRecording(const std::string& recording_sid) {
  if (!ValidSid(recording_sid)) return InvalidSid("Recording", recording_sid);
  auto response = Send("GET", AccountPath() + "/Recordings/" + recording_sid + ".json", {},
                       Retry::kIdempotent, "fetch recording " + recording_sid);
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object()) return BadResponse("fetch the recording", "not a JSON object");
  return ParseRecording(json);
}

core::Status TwilioRestClient::DeleteRecording(const std::string& recording_sid) {
  if (!ValidSid(recording_sid)) return InvalidSid("Recording", recording_sid);
  auto response = Send("DELETE", AccountPath() + "/Recordings/" + recording_sid + ".json", {},
                       Retry::kIdempotent, "delete recording " + recording_sid);
  if (!response.ok()) return response.error();
  return core::Ok{};
}

core::Result<RecordingMedia> TwilioRestClient::DownloadRecordingMedia(
    const std::string& recording_sid) {
  if (!ValidSid(recording_sid)) return InvalidSid("Recording", recording_sid);
  auto response = Send("GET", AccountPath() + "/Recordings/" + recording_sid + ".wav", {},
                       Retry::kIdempotent, "download recording " + recording_sid);
  if (!response.ok()) return response.error();
  RecordingMedia media;
  media.content_type = response->content_type.empty() ? "audio/x-wav" : response->content_type;
  media.bytes = std::move(response->body);
  return media;
}

core::Result<MessageResource> TwilioRestClient::SendMessage(const std::string& to,
                                                            const std::string& from,
                                                            const std::string& body,
                                                            const std::string& status_callback) {
  FormParams form = {{"To", to}, {"From", from}, {"Body", body}};
  AddIfSet(&form, "StatusCallback", status_callback);
  auto response = Send("POST", AccountPath() + "/Messages.json", form, Retry::kOnlyIfNotProcessed,
                       "send the message");
  if (!response.ok()) return response.error();
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (!json.is_object() || Str(json, "sid").empty()) {
    return BadResponse("send the message", "no message sid");
  }
  MessageResource m;
  m.sid = Str(json, "sid");
  m.account_sid = Str(json, "account_sid");
  m.to = Str(json, "to");
  m.from = Str(json, "from");
  m.body = Str(json, "body");
  m.status = Str(json, "status");
  return m;
}

}  // namespace vaarta::telephony::twilio
