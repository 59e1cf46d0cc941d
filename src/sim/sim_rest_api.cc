#include "sim/sim_rest_api.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>
#include <sstream>

#include "core/crypto.h"

namespace vaarta::sim {
namespace {

using nlohmann::json;

constexpr const char* kApiVersion = "2010-04-01";
constexpr const char* kAccountsPrefix = "/2010-04-01/Accounts/{AccountSid}";

// A form body (application/x-www-form-urlencoded): every value of every field.
using Form = std::map<std::string, std::vector<std::string>>;

bool ParseForm(const std::string& body, Form* form) {
  std::map<std::string, std::string> last;
  return http::ParseQueryString(body, &last, form);
}

std::string First(const Form& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() || it->second.empty() ? std::string() : it->second.front();
}

bool Has(const Form& form, const std::string& name) { return form.count(name) > 0; }

bool IsE164(const std::string& number) {
  if (number.size() < 8 || number.size() > 16 || number[0] != '+' || number[1] == '0') {
    return false;
  }
  return std::all_of(number.begin() + 1, number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Twilio also calls Voice SDK clients and SIP addresses.
bool IsCallableTo(const std::string& to) {
  return IsE164(to) || (to.rfind("client:", 0) == 0 && to.size() > 7) ||
         (to.rfind("sip:", 0) == 0 && to.size() > 4);
}

bool IsHttpUrl(const std::string& url) {
  for (const char* scheme : {"http://", "https://"}) {
    const size_t n = std::char_traits<char>::length(scheme);
    if (url.size() > n && url.compare(0, n, scheme) == 0 && url[n] != '/') return true;
  }
  return false;
}

std::optional<bool> ParseBool(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (value == "true") return true;
  if (value == "false") return false;
  return std::nullopt;
}

std::optional<int> ParseInt(const std::string& value) {
  if (value.empty() || value.size() > 9) return std::nullopt;
  if (!std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(value);
}

bool IsMethod(const std::string& method) { return method == "GET" || method == "POST"; }

// "CA123.json" → "CA123"; false when the file has another extension.
bool StripExtension(const std::string& file, const std::string& ext, std::string* sid) {
  if (file.size() <= ext.size() || file.compare(file.size() - ext.size(), ext.size(), ext) != 0) {
    return false;
  }
  *sid = file.substr(0, file.size() - ext.size());
  return true;
}

json NullableDate(const std::optional<int64_t>& ms) {
  return ms ? json(FormatRfc2822(*ms)) : json(nullptr);
}

json CallJson(const SimCallView& c) {
  const std::string uri = "/2010-04-01/Accounts/" + c.account_sid + "/Calls/" + c.sid;
  static const std::set<std::string> kFinal = {"completed", "busy", "no-answer", "failed",
                                               "canceled"};
  const bool final = kFinal.count(c.status) > 0;
  return json{
      {"account_sid", c.account_sid},
      {"annotation", nullptr},
      {"answered_by", c.answered_by.empty() ? json(nullptr) : json(c.answered_by)},
      {"api_version", kApiVersion},
      {"caller_name", nullptr},
      {"date_created", FormatRfc2822(c.date_created_ms)},
      {"date_updated", FormatRfc2822(c.date_updated_ms)},
      {"direction", c.direction},
      {"duration", final ? json(std::to_string(c.duration_seconds)) : json(nullptr)},
      {"end_time", NullableDate(c.end_time_ms)},
      {"forwarded_from", nullptr},
      {"from", c.from},
      {"from_formatted", c.from},
      {"group_sid", nullptr},
      {"parent_call_sid", c.parent_call_sid.empty() ? json(nullptr) : json(c.parent_call_sid)},
      {"phone_number_sid", nullptr},
      {"price", nullptr},
      {"price_unit", "USD"},
      {"queue_time", "0"},
      {"sid", c.sid},
      {"start_time", NullableDate(c.start_time_ms)},
      {"status", c.status},
      {"subresource_uris",
       {{"notifications", uri + "/Notifications.json"},
        {"recordings", uri + "/Recordings.json"},
        {"payments", uri + "/Payments.json"},
        {"events", uri + "/Events.json"},
        {"siprec", uri + "/Siprec.json"},
        {"streams", uri + "/Streams.json"},
        {"transcriptions", uri + "/Transcriptions.json"},
        {"user_defined_message_subscriptions", uri + "/UserDefinedMessageSubscriptions.json"},
        {"user_defined_messages", uri + "/UserDefinedMessages.json"}}},
      {"to", c.to},
      {"to_formatted", c.to},
      {"trunk_sid", nullptr},
      {"uri", uri + ".json"},
  };
}

json RecordingJson(const SimRecordingView& r, const std::string& base_url) {
  const std::string path = "/2010-04-01/Accounts/" + r.account_sid + "/Recordings/" + r.sid;
  return json{
      {"account_sid", r.account_sid},
      {"api_version", kApiVersion},
      {"call_sid", r.call_sid},
      {"conference_sid", nullptr},
      {"channels", r.channels},
      {"date_created", FormatRfc2822(r.date_created_ms)},
      {"date_updated", FormatRfc2822(r.date_created_ms)},
      {"start_time", FormatRfc2822(r.date_created_ms)},
      {"duration", std::to_string(r.duration_seconds)},
      {"encryption_details", nullptr},
      {"error_code", nullptr},
      {"media_url", base_url + path},
      {"price", nullptr},
      {"price_unit", "USD"},
      {"sid", r.sid},
      {"source", r.source},
      {"status", r.status},
      {"subresource_uris",
       {{"add_on_results", path + "/AddOnResults.json"},
        {"transcriptions", path + "/Transcriptions.json"}}},
      {"uri", path + ".json"},
  };
}

json MessageJson(const SimMessageView& m) {
  const std::string uri = "/2010-04-01/Accounts/" + m.account_sid + "/Messages/" + m.sid;
  return json{
      {"account_sid", m.account_sid},
      {"api_version", kApiVersion},
      {"body", m.body},
      {"date_created", FormatRfc2822(m.date_created_ms)},
      {"date_sent", nullptr},
      {"date_updated", FormatRfc2822(m.date_created_ms)},
      {"direction", "outbound-api"},
      {"error_code", nullptr},
      {"error_message", nullptr},
      {"from", m.from},
      {"messaging_service_sid", nullptr},
      {"num_media", "0"},
      {"num_segments", "1"},
      {"price", nullptr},
      {"price_unit", "USD"},
      {"sid", m.sid},
      {"status", m.status},
      {"subresource_uris", {{"media", uri + "/Media.json"}}},
      {"to", m.to},
      {"uri", uri + ".json"},
  };
}

// Twilio's list envelope: one page holding everything.
json ListJson(const std::string& key, json items, const std::string& uri) {
  const size_t count = items.size();
  return json{{key, std::move(items)},
              {"end", count == 0 ? 0 : static_cast<int64_t>(count) - 1},
              {"first_page_uri", uri + "?PageSize=50&Page=0"},
              {"next_page_uri", nullptr},
              {"page", 0},
              {"page_size", 50},
              {"previous_page_uri", nullptr},
              {"start", 0},
              {"uri", uri + "?PageSize=50&Page=0"}};
}

http::Response JsonResponse(int status, const json& body) {
  return http::Response::Json(status, body.dump());
}

http::Response BadRequest(int code, const std::string& message) {
  return TwilioErrorResponse(400, code, message);
}

http::Response NotFound(const std::string& path) {
  return TwilioErrorResponse(404, 20404, "The requested resource " + path + " was not found");
}

// The engine's errors in Twilio's words: kInvalidArgument carries the Twilio code.
http::Response EngineError(const core::Error& error, const std::string& path) {
  if (error.code == core::ErrorCode::kNotFound) return NotFound(path);
  if (error.code == core::ErrorCode::kInvalidArgument) {
    int code = 21200;
    try {
      if (!error.detail_code.empty()) code = std::stoi(error.detail_code);
    } catch (const std::exception&) {
    }
    return BadRequest(code, error.message);
  }
  if (error.code == core::ErrorCode::kRateLimited) {
    return TwilioErrorResponse(429, 20429, error.message);
  }
  return TwilioErrorResponse(500, 20500, error.message);
}

// "Basic base64(user:password)" → user, password.
bool ParseBasicAuth(const std::string& header, std::string* user, std::string* password) {
  if (header.size() < 6) return false;
  std::string scheme = header.substr(0, 6);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "basic ") return false;
  std::string encoded = header.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.erase(0, 1);
  // Standard base64 → base64url, which the decoder reads with optional padding.
  for (char& c : encoded) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();
  std::string decoded;
  if (!core::Base64UrlDecode(encoded, &decoded)) return false;
  const size_t colon = decoded.find(':');
  if (colon == std::string::npos) return false;
  *user = decoded.substr(0, colon);
  *password = decoded.substr(colon + 1);
  return true;
}

}  // namespace

http::Response TwilioErrorResponse(int status, int code, const std::string& message) {
  json body = {{"code", code},
               {"message", message},
               {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code)},
               {"status", status}};
  return http::Response::Json(status, body.dump());
}

std::string FormatRfc2822(int64_t unix_millis) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  if (unix_millis < 0 && unix_millis % 1000 != 0) --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

core::Result<SimAccounts> SimAccounts::FromJson(const json& input) {
  auto fail = [](const std::string& what) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, what);
  };
  if (!input.is_object() || !input.contains("accounts") || !input["accounts"].is_array()) {
    return fail("accounts must be an object with an \"accounts\" array");
  }
  SimAccounts out;
  for (size_t i = 0; i < input["accounts"].size(); ++i) {
    const json& a = input["accounts"][i];
    const std::string at = "accounts[" + std::to_string(i) + "]";
    if (!a.is_object()) return fail(at + " must be an object");
    SimAccount account;
    if (!a.contains("account_sid") || !a["account_sid"].is_string() ||
        a["account_sid"].get<std::string>().empty()) {
      return fail(at + ".account_sid must be a non-empty string");
    }
    if (!a.contains("auth_token") || !a["auth_token"].is_string() ||
        a["auth_token"].get<std::string>().empty()) {
      return fail(at + ".auth_token must be a non-empty string");
    }
    account.account_sid = a["account_sid"];
    account.auth_token = a["auth_token"];
    if (a.contains("api_keys")) {
      if (!a["api_keys"].is_array()) return fail(at + ".api_keys must be an array");
      for (const json& k : a["api_keys"]) {
        if (!k.is_object() || !k.contains("sid") || !k["sid"].is_string() ||
            !k.contains("secret") || !k["secret"].is_string()) {
          return fail(at + ".api_keys entries need \"sid\" and \"secret\" strings");
        }
        account.api_keys.push_back({k["sid"], k["secret"]});
      }
    }
    out.accounts.push_back(std::move(account));
  }
  return out;
}

const SimAccount* SimAccounts::Authenticate(const std::string& user,
                                            const std::string& password) const {
  for (const auto& account : accounts) {
    if (account.account_sid == user) {
      return core::ConstantTimeEquals(account.auth_token, password) ? &account : nullptr;
    }
    for (const auto& key : account.api_keys) {
      if (key.sid == user) {
        return core::ConstantTimeEquals(key.secret, password) ? &account : nullptr;
      }
    }
  }
  return nullptr;
}

SimRestApi::SimRestApi(SimEngine& engine, SimAccounts accounts, SimFaults faults, FaultDice& dice,
                       SimRestApiOptions options)
    : engine_(engine),
      accounts_(std::move(accounts)),
      faults_(faults),
      dice_(dice),
      options_(std::move(options)) {
  if (faults_.rest_5xx_burst < 1) faults_.rest_5xx_burst = 1;
}

void SimRestApi::SetFaults(const SimFaults& faults) {
  std::lock_guard lock(fault_mutex_);
  faults_ = faults;
  if (faults_.rest_5xx_burst < 1) faults_.rest_5xx_burst = 1;
}

std::string SimRestApi::BaseUrl(const http::Request& request) const {
  if (!options_.public_base_url.empty()) return options_.public_base_url;
  const std::string host = request.Header("host");
  return host.empty() ? std::string() : "http://" + host;
}

std::optional<http::Response> SimRestApi::InjectFault() {
  bool fault_5xx = false;
  {
    std::lock_guard lock(fault_mutex_);
    if (burst_remaining_ > 0) {
      --burst_remaining_;
      fault_5xx = true;
    } else if (dice_.Chance(faults_.rest_429_rate)) {
      injected_429_++;
      http::Response response = TwilioErrorResponse(429, 20429, "Too Many Requests");
      if (options_.retry_after_seconds > 0) {
        response.headers.emplace_back("Retry-After", std::to_string(options_.retry_after_seconds));
      }
      return response;
    } else if (dice_.Chance(faults_.rest_5xx_rate)) {
      burst_remaining_ = faults_.rest_5xx_burst - 1;
      fault_5xx = true;
    }
  }
  if (!fault_5xx) return std::nullopt;
  injected_5xx_++;
  // Twilio answers both: 503 when it did not take the request, 500 when something broke.
  if (dice_.Chance(options_.rest_503_share))
    return TwilioErrorResponse(503, 20503, "Service Unavailable");
  return TwilioErrorResponse(500, 20500, "Internal Server Error");
}

http::Response SimRestApi::Guarded(http::Request& request, AccountHandler handler) {
  std::string user, password;
  const SimAccount* account = nullptr;
  if (ParseBasicAuth(request.Header("authorization"), &user, &password)) {
    account = accounts_.Authenticate(user, password);
  }
  // Credentials of one account may not touch another account's resources.
  if (account == nullptr || account->account_sid != request.PathParam("AccountSid")) {
    http::Response response = TwilioErrorResponse(401, 20003, "Authenticate");
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return response;
  }
  // Decided before the engine is touched: a faulted request has no effect.
  if (auto fault = InjectFault()) return *fault;
  return (this->*handler)(request, *account);
}

http::Response SimRestApi::FetchAccount(http::Request& request) {
  std::string file = request.PathParam("AccountFile");
  const std::string suffix = ".json";
  if (file.size() <= suffix.size() ||
      file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return TwilioErrorResponse(404, 20404,
                               "The requested resource " + request.path + " was not found");
  }
  const std::string sid = file.substr(0, file.size() - suffix.size());
  std::string user, password;
  const SimAccount* account = nullptr;
  if (ParseBasicAuth(request.Header("authorization"), &user, &password)) {
    account = accounts_.Authenticate(user, password);
  }
  if (account == nullptr || account->account_sid != sid) {
    http::Response response = TwilioErrorResponse(401, 20003, "Authenticate");
    response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    return response;
  }
  if (auto fault = InjectFault()) return *fault;
  const std::string uri = "/2010-04-01/Accounts/" + sid + ".json";
  // Twilio's Account resource, field for field (its auth_token included, as Twilio does).
  return JsonResponse(200, {{"sid", sid},
                            {"owner_account_sid", sid},
                            {"friendly_name", "Simulated account " + sid.substr(sid.size() - 4)},
                            {"status", "active"},
                            {"type", "Full"},
                            {"auth_token", account->auth_token},
                            {"date_created", "Tue, 02 Feb 2027 05:30:00 +0000"},
                            {"date_updated", "Tue, 02 Feb 2027 05:30:00 +0000"},
                            {"uri", uri},
                            {"subresource_uris",
                             {{"calls", "/2010-04-01/Accounts/" + sid + "/Calls.json"},
                              {"recordings", "/2010-04-01/Accounts/" + sid + "/Recordings.json"},
                              {"messages", "/2010-04-01/Accounts/" + sid + "/Messages.json"}}}});
}

http::Response SimRestApi::CreateCall(http::Request& request, const SimAccount& account) {
  Form form;
  if (!ParseForm(request.body, &form))
    return BadRequest(21200, "The request body is not a valid form");
  CreateCallParams p;
  p.account_sid = account.account_sid;
  p.to = First(form, "To");
  p.from = First(form, "From");
  p.url = First(form, "Url");
  p.twiml = First(form, "Twiml");
  if (p.to.empty()) return BadRequest(21201, "No 'To' number is specified");
  if (p.from.empty()) return BadRequest(21213, "No 'From' number is specified");
  if (p.url.empty() && p.twiml.empty()) {
    return BadRequest(21205, "Either a 'Url', 'Twiml' or 'ApplicationSid' parameter is required");
  }
  if (!IsCallableTo(p.to)) {
    return BadRequest(21211, "Invalid 'To' Phone Number: " + p.to);
  }
  if (!IsE164(p.from)) return BadRequest(21212, "Invalid 'From' Phone Number: " + p.from);
  if (!p.url.empty() && !IsHttpUrl(p.url))
    return BadRequest(21205, "Url is not a valid URL: " + p.url);

  auto method = [&](const char* name, std::string* out) -> bool {
    if (!Has(form, name)) return true;
    std::string value = First(form, name);
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!IsMethod(value)) return false;
    *out = value;
    return true;
  };
  for (auto [name, target] :
       {std::pair{"Method", &p.method},
        std::pair{"StatusCallbackMethod", &p.status_callback_method},
        std::pair{"RecordingStatusCallbackMethod", &p.recording_status_callback_method},
        std::pair{"AsyncAmdStatusCallbackMethod", &p.async_amd_status_callback_method}}) {
    if (!method(name, target)) {
      return BadRequest(21200, std::string(name) + " must be GET or POST");
    }
  }
  for (auto [name, target] : {std::pair{"StatusCallback", &p.status_callback},
                              std::pair{"RecordingStatusCallback", &p.recording_status_callback},
                              std::pair{"AsyncAmdStatusCallback", &p.async_amd_status_callback}}) {
    *target = First(form, name);
    if (!target->empty() && !IsHttpUrl(*target)) {
      return BadRequest(21200, std::string(name) + " is not a valid URL: " + *target);
    }
  }
  // StatusCallbackEvent repeats once per event; a space-separated list is read too.
  static const std::set<std::string> kEvents = {"initiated", "ringing", "answered", "completed"};
  if (auto it = form.find("StatusCallbackEvent"); it != form.end()) {
    for (const auto& value : it->second) {
      std::istringstream words(value);
      for (std::string event; words >> event;) {
        if (!kEvents.count(event)) {
          return BadRequest(21200, "StatusCallbackEvent '" + event +
                                       "' is not one of initiated, ringing, answered, completed");
        }
        p.status_callback_events.insert(event);
      }
    }
  }
  for (auto [name, target, max] : {std::tuple{"Timeout", &p.timeout_seconds, 600},
                                   std::tuple{"TimeLimit", &p.time_limit_seconds, 86400}}) {
    if (!Has(form, name)) continue;
    auto value = ParseInt(First(form, name));
    if (!value || *value < 1) {
      return BadRequest(21200, std::string(name) + " must be a positive whole number of seconds");
    }
    *target = std::min(*value, max);  // Twilio caps the ring timeout at 600 seconds
  }
  for (auto [name, target] :
       {std::pair{"Record", &p.record}, std::pair{"AsyncAmd", &p.async_amd}}) {
    if (!Has(form, name)) continue;
    auto value = ParseBool(First(form, name));
    if (!value) return BadRequest(21200, std::string(name) + " must be true or false");
    *target = *value;
  }
  if (Has(form, "RecordingChannels")) {
    p.recording_channels = First(form, "RecordingChannels");
    if (p.recording_channels != "mono" && p.recording_channels != "dual") {
      return BadRequest(21200, "RecordingChannels must be mono or dual");
    }
  }
  if (Has(form, "MachineDetection")) {
    p.machine_detection = First(form, "MachineDetection");
    if (p.machine_detection != "Enable" && p.machine_detection != "DetectMessageEnd") {
      return BadRequest(21200, "MachineDetection must be Enable or DetectMessageEnd");
    }
  }
  auto created = engine_.CreateCall(p);
  if (!created.ok()) return EngineError(created.error(), request.path);
  return JsonResponse(201, CallJson(*created));
}

http::Response SimRestApi::ListCalls(http::Request&, const SimAccount& account) {
  json items = json::array();
  for (const auto& call : engine_.ListCalls(account.account_sid)) items.push_back(CallJson(call));
  return JsonResponse(200, ListJson("calls", std::move(items),
                                    "/2010-04-01/Accounts/" + account.account_sid + "/Calls.json"));
}

http::Response SimRestApi::CallResource(http::Request& request, const SimAccount& account) {
  std::string sid;
  if (!StripExtension(request.PathParam("CallFile"), ".json", &sid)) return NotFound(request.path);
  if (request.method == "GET" || request.method == "HEAD") {
    auto call = engine_.FetchCall(account.account_sid, sid);
    if (!call) return NotFound(request.path);
    return JsonResponse(200, CallJson(*call));
  }
  Form form;
  if (!ParseForm(request.body, &form))
    return BadRequest(21200, "The request body is not a valid form");
  UpdateCallParams p;
  if (Has(form, "Status")) {
    p.status = First(form, "Status");
    if (*p.status != "completed" && *p.status != "canceled") {
      return BadRequest(21200, "Status must be completed or canceled");
    }
  }
  if (Has(form, "Url")) {
    p.url = First(form, "Url");
    if (!IsHttpUrl(*p.url)) return BadRequest(21205, "Url is not a valid URL: " + *p.url);
  }
  if (Has(form, "Twiml")) p.twiml = First(form, "Twiml");
  if (Has(form, "Method")) {
    p.method = First(form, "Method");
    if (!IsMethod(p.method)) return BadRequest(21200, "Method must be GET or POST");
  }
  auto updated = engine_.UpdateCall(account.account_sid, sid, p);
  if (!updated.ok()) return EngineError(updated.error(), request.path);
  return JsonResponse(200, CallJson(*updated));
}

http::Response SimRestApi::ListCallRecordings(http::Request& request, const SimAccount& account) {
  const std::string call_sid = request.PathParam("CallSid");
  if (!engine_.FetchCall(account.account_sid, call_sid)) return NotFound(request.path);
  json items = json::array();
  const std::string base = BaseUrl(request);
  for (const auto& r : engine_.ListRecordings(account.account_sid, call_sid)) {
    items.push_back(RecordingJson(r, base));
  }
  return JsonResponse(200, ListJson("recordings", std::move(items), request.path));
}

http::Response SimRestApi::ListRecordings(http::Request& request, const SimAccount& account) {
  json items = json::array();
  const std::string base = BaseUrl(request);
  for (const auto& r : engine_.ListRecordings(account.account_sid, request.Query("CallSid"))) {
    items.push_back(RecordingJson(r, base));
  }
  return JsonResponse(200, ListJson("recordings", std::move(items), request.path));
}

http::Response SimRestApi::RecordingResource(http::Request& request, const SimAccount& account) {
  const std::string file = request.PathParam("RecordingFile");
  std::string sid;
  if (StripExtension(file, ".json", &sid)) {
    auto recording = engine_.FetchRecording(account.account_sid, sid);
    if (!recording) return NotFound(request.path);
    return JsonResponse(200, RecordingJson(*recording, BaseUrl(request)));
  }
  // The media: the .wav file, and the extension-less media_url (Twilio serves WAV there).
  if (!StripExtension(file, ".wav", &sid)) sid = file;
  if (sid.find('.') != std::string::npos) return NotFound(request.path);  // .mp3: not simulated
  auto wav = engine_.RecordingWav(account.account_sid, sid);
  if (!wav) return NotFound(request.path);
  http::Response response;
  response.status = 200;
  response.content_type = "audio/x-wav";
  response.body = std::move(*wav);
  return response;
}

http::Response SimRestApi::DeleteRecording(http::Request& request, const SimAccount& account) {
  std::string sid;
  if (!StripExtension(request.PathParam("RecordingFile"), ".json", &sid)) {
    sid = request.PathParam("RecordingFile");
  }
  if (!engine_.DeleteRecording(account.account_sid, sid)) return NotFound(request.path);
  http::Response response;
  response.status = 204;
  return response;
}

http::Response SimRestApi::CreateMessage(http::Request& request, const SimAccount& account) {
  Form form;
  if (!ParseForm(request.body, &form))
    return BadRequest(21600, "The request body is not a valid form");
  const std::string to = First(form, "To"), from = First(form, "From"), body = First(form, "Body"),
                    callback = First(form, "StatusCallback");
  if (to.empty()) return BadRequest(21604, "A 'To' phone number is required.");
  if (from.empty()) return BadRequest(21603, "A 'From' phone number is required.");
  if (body.empty()) return BadRequest(21602, "Message body is required.");
  if (!IsE164(to)) return BadRequest(21211, "Invalid 'To' Phone Number: " + to);
  if (!callback.empty() && !IsHttpUrl(callback)) {
    return BadRequest(21609, "Invalid StatusCallback url: " + callback);
  }
  auto created = engine_.CreateMessage(account.account_sid, to, from, body, callback);
  if (!created.ok()) return EngineError(created.error(), request.path);
  return JsonResponse(201, MessageJson(*created));
}

http::Response SimRestApi::Transcript(http::Request& request) {
  const std::string sid = request.PathParam("CallSid");
  json turns = json::array();
  for (const auto& turn : engine_.Transcript(sid)) {
    turns.push_back({{"speaker", turn.speaker}, {"text", turn.text}});
  }
  return JsonResponse(200, {{"call_sid", sid}, {"turns", std::move(turns)}});
}

void SimRestApi::Register(http::Router& router) {
  const std::string prefix = kAccountsPrefix;
  auto add = [&](const char* method, const std::string& pattern, const char* summary,
                 AccountHandler handler) {
    router.Add({method, prefix + pattern, "public", summary},
               [this, handler](http::Request& request) { return Guarded(request, handler); });
  };
  router.Add({"GET", "/2010-04-01/Accounts/{AccountFile}", "public", "Fetch the account"},
             [this](http::Request& request) { return FetchAccount(request); });
  add("POST", "/Calls.json", "Create a call", &SimRestApi::CreateCall);
  add("GET", "/Calls.json", "List calls", &SimRestApi::ListCalls);
  add("GET", "/Calls/{CallFile}", "Fetch a call", &SimRestApi::CallResource);
  add("POST", "/Calls/{CallFile}", "Update a call: hang up, redirect, new TwiML",
      &SimRestApi::CallResource);
  add("GET", "/Calls/{CallSid}/Recordings.json", "List a call's recordings",
      &SimRestApi::ListCallRecordings);
  add("GET", "/Recordings.json", "List recordings (CallSid filter)", &SimRestApi::ListRecordings);
  add("GET", "/Recordings/{RecordingFile}", "Fetch a recording (.json) or its media (.wav)",
      &SimRestApi::RecordingResource);
  add("DELETE", "/Recordings/{RecordingFile}", "Delete a recording", &SimRestApi::DeleteRecording);
  add("POST", "/Messages.json", "Send an SMS", &SimRestApi::CreateMessage);
  // Test inspection, not part of Twilio's API: no credentials, no faults.
  router.Add({"GET", "/sim/calls/{CallSid}/transcript", "public", "What was said on a call"},
             [this](http::Request& request) { return Transcript(request); });
}

}  // namespace vaarta::sim
