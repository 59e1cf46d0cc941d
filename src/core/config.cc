#include "core/config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>

namespace vaarta::core {

const std::vector<ConfigKey>& ConfigKeys() {
  static const std::vector<ConfigKey> kKeys = {
      {"db", "sqlite:data/vaarta.db", true, "database URL: sqlite:PATH or postgresql://..."},
      {"data_dir", "data", false, "folder for the generated secret and local files"},
      {"host", "127.0.0.1", false, "address to listen on"},
      {"port", "8080", false, "TCP port to listen on"},
      {"io_threads", "1", false, "threads running network I/O"},
      {"worker_threads", "16", false, "threads running database and other blocking work"},
      {"db_pool", "8", false, "database connections kept open"},
      {"max_body_bytes", "1048576", false, "largest accepted request body"},
      {"max_upload_bytes", "536870912", false, "largest accepted file upload (lead imports)"},
      {"request_timeout_seconds", "30", false, "time allowed to read a request"},
      {"shutdown_grace_seconds", "10", false, "time to finish in-flight work on SIGTERM"},
      {"log_level", "info", false, "debug, info, warn or error"},
      {"jwt_secret", "", true, "HS256 key for access tokens (generated when empty)"},
      {"access_token_ttl_seconds", "900", false, "lifetime of an access token"},
      {"refresh_token_ttl_seconds", "2592000", false, "lifetime of a refresh token"},
      {"login_max_failures_per_account", "5", false, "failed logins per account per window"},
      {"login_max_failures_per_address", "20", false, "failed logins per address per window"},
      {"login_window_seconds", "900", false, "window for counting failed logins"},
      {"public_base_url", "", false, "external URL when behind a proxy (webhook signatures)"},
      {"default_region", "IN", false, "region of phone numbers written without a country code"},
      {"suppression_key", "", true,
       "HMAC key for do-not-call hashes (generated in data_dir when empty)"},
      {"consent_reask_lock_days", "90", false,
       "days after a withdrawal before consent may be asked again"},
      {"demo", "false", false, "seed demo data and use the telephony simulator"},
      {"llm_base_url", "", false,
       "OpenAI-compatible API root for drafting scripts, e.g. http://127.0.0.1:8081/v1 (empty: "
       "templates only)"},
      {"llm_api_key", "", true, "bearer key for llm_base_url"},
      {"llm_model", "", false, "model name sent to llm_base_url"},
      {"llm_phrase_answers", "false", false,
       "let the LLM at llm_base_url phrase knowledge-base answers (falls back to the script "
       "line when slow, down or dishonest)"},
      {"llm_first_token_ms", "800", false, "time budget to the LLM's first streamed token"},
      {"llm_answer_ms", "2500", false, "time budget for the LLM's whole phrased answer"},
      {"nlu_model_path", "", false,
       "the fastText intent model (empty: vaarta-intents.bin beside the vaarta binary)"},
      {"web_dir", "", false,
       "the dashboard's built files (empty: web/dist of the source tree this binary was built "
       "from; 'off': serve the API alone)"},
      {"dialer", "true", false,
       "run the dialer in 'serve' (calls running campaigns through the telephony provider)"},
      {"telephony", "simulated", false,
       "'simulated' (an in-process model of call outcomes, no conversation) or 'twilio' (Twilio's "
       "API at twilio_api_base_url, or `vaarta telephony-sim` speaking it)"},
      {"twilio_api_base_url", "https://api.twilio.com", false,
       "root of Twilio's REST API (http://127.0.0.1:PORT for the simulator)"},
      {"twilio_account_sid", "", false, "Twilio account SID (AC...) that places the calls"},
      {"twilio_auth_token", "", true, "the account's auth token: signs webhooks, authenticates"},
      {"twilio_api_key_sid", "", false, "API key SID (SK...) used for REST auth instead"},
      {"twilio_api_key_secret", "", true, "the API key's secret"},
      {"twilio_calls_per_second", "1", false, "calls per second the Twilio account allows"},
      {"telephony_quiet_poll_seconds", "60", false,
       "ask the provider about a placed call after this long without a callback"},
      {"relay_words_per_second", "2.5", false,
       "ConversationRelay: estimated speaking rate that paces text tokens (barge-in stops the "
       "rest); 0 sends each reply at once"},
      {"recording_key", "", true,
       "AES-256 key (64 hex digits) encrypting recordings at rest (generated in data_dir when "
       "empty)"},
      {"recordings_dir", "", false, "folder of encrypted recordings (default data_dir/recordings)"},
      {"recordings_delete_remote", "true", false,
       "delete a recording from the provider once our encrypted copy is stored"},
      {"webhooks_allow_http", "false", false,
       "let outbound webhooks go to http:// URLs (otherwise only https://): for a receiver on "
       "the same trusted network"},
      {"webhooks_allow_private_network", "false", false,
       "let outbound webhooks connect to loopback, private and link-local addresses "
       "(otherwise refused when the connection is opened, whatever the URL's name)"},
      {"webhook_retry_base_ms", "30000", false,
       "first retry of a failed outbound webhook after this long; later retries wait 4, 20, "
       "120, 720 and 2880 times as long"},
  };
  return kKeys;
}

static const ConfigKey* FindKey(const std::string& name) {
  for (const auto& k : ConfigKeys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

Status ConfigSources::LoadFile(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config file " << path << " line " << e.source().begin.line << " column "
        << e.source().begin.column << ": " << e.description();
    return MakeError(ErrorCode::kInvalidArgument, msg.str(), "config_parse_error");
  }
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    if (!FindKey(name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "config file " + path + ": unknown key '" + name + "'",
                       "config_unknown_key");
    }
    if (auto s = node.value<std::string>())
      file_[name] = *s;
    else if (auto i = node.value<int64_t>())
      file_[name] = std::to_string(*i);
    else if (auto b = node.value<bool>())
      file_[name] = *b ? "true" : "false";
    else {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "config file " + path + ": key '" + name + "' must be a string, integer or boolean",
          "config_bad_type");
    }
  }
  return Ok{};
}

Status ConfigSources::LoadEnvironment(char** environ) {
  for (char** e = environ; e && *e; ++e) {
    const char* entry = *e;
    if (std::strncmp(entry, "VAARTA_", 7) != 0) continue;
    const char* eq = std::strchr(entry, '=');
    if (!eq) continue;
    std::string upper(entry + 7, eq);
    std::string name;
    for (char c : upper)
      name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (name == "config") continue;
    // Test harness variables are not product settings.
    if (name.rfind("test_", 0) == 0) continue;
    if (!FindKey(name)) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "environment variable VAARTA_" + upper + " is not a known setting",
                       "config_unknown_key");
    }
    env_[name] = eq + 1;
  }
  return Ok{};
}

void ConfigSources::SetFlag(const std::string& name, const std::string& value) {
  flags_[name] = value;
}

std::map<std::string, ConfigValue> ConfigSources::Effective() const {
  std::map<std::string, ConfigValue> out;
  for (const auto& key : ConfigKeys()) {
    ConfigValue v{key.default_value, "default"};
    if (auto it = file_.find(key.name); it != file_.end()) v = {it->second, "file"};
    if (auto it = env_.find(key.name); it != env_.end()) v = {it->second, "env"};
    if (auto it = flags_.find(key.name); it != flags_.end()) v = {it->second, "flag"};
    out[key.name] = v;
  }
  return out;
}

namespace {

Status ParseInt(const std::map<std::string, ConfigValue>& values, const std::string& name,
                int64_t min, int64_t max, int64_t* out) {
  const ConfigValue& v = values.at(name);
  int64_t parsed = 0;
  auto [ptr, ec] = std::from_chars(v.value.data(), v.value.data() + v.value.size(), parsed);
  if (ec != std::errc() || ptr != v.value.data() + v.value.size() || parsed < min || parsed > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting '" + name + "' (from " + v.source + ") must be an integer from " +
                         std::to_string(min) + " to " + std::to_string(max) + ", got '" + v.value +
                         "'",
                     "config_bad_value");
  }
  *out = parsed;
  return Ok{};
}

}  // namespace

Result<Config> ConfigSources::Resolve() const {
  auto values = Effective();
  Config c;
  c.db = values["db"].value;
  c.data_dir = values["data_dir"].value;
  c.host = values["host"].value;
  c.log_level = values["log_level"].value;
  c.jwt_secret = values["jwt_secret"].value;
  c.public_base_url = values["public_base_url"].value;
  c.default_region = values["default_region"].value;
  c.suppression_key = values["suppression_key"].value;
  c.llm_base_url = values["llm_base_url"].value;
  c.llm_api_key = values["llm_api_key"].value;
  c.llm_model = values["llm_model"].value;
  c.nlu_model_path = values["nlu_model_path"].value;
  c.web_dir = values["web_dir"].value;
  c.telephony = values["telephony"].value;
  if (c.telephony != "simulated" && c.telephony != "twilio") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'telephony' must be simulated or twilio, got '" + c.telephony + "'",
                     "config_bad_value");
  }
  c.twilio_api_base_url = values["twilio_api_base_url"].value;
  if (c.twilio_api_base_url.rfind("http://", 0) != 0 &&
      c.twilio_api_base_url.rfind("https://", 0) != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'twilio_api_base_url' must start with http:// or https://, got '" +
                         c.twilio_api_base_url + "'",
                     "config_bad_value");
  }
  c.twilio_account_sid = values["twilio_account_sid"].value;
  c.twilio_auth_token = values["twilio_auth_token"].value;
  c.twilio_api_key_sid = values["twilio_api_key_sid"].value;
  c.twilio_api_key_secret = values["twilio_api_key_secret"].value;
  if (c.telephony == "twilio" &&
      (c.twilio_account_sid.rfind("AC", 0) != 0 || c.twilio_auth_token.empty())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "telephony = twilio needs twilio_account_sid (AC...) and twilio_auth_token",
                     "config_bad_value");
  }
  {
    const std::string& cps = values["twilio_calls_per_second"].value;
    char* end = nullptr;
    c.twilio_calls_per_second = std::strtod(cps.c_str(), &end);
    if (cps.empty() || *end != '\0' || !(c.twilio_calls_per_second > 0) ||
        c.twilio_calls_per_second > 1000) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "setting 'twilio_calls_per_second' must be a number above 0 and at most "
                       "1000, got '" +
                           cps + "'",
                       "config_bad_value");
    }
  }
  c.recording_key = values["recording_key"].value;
  if (!c.recording_key.empty() &&
      (c.recording_key.size() != 64 ||
       c.recording_key.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'recording_key' must be 64 hexadecimal digits (32 bytes)",
                     "config_bad_value");
  }
  c.recordings_dir = values["recordings_dir"].value;
  {
    const std::string& v = values["relay_words_per_second"].value;
    char* end = nullptr;
    c.relay_words_per_second = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !(c.relay_words_per_second >= 0) ||
        c.relay_words_per_second > 1000) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "setting 'relay_words_per_second' must be a number from 0 to 1000, got '" + v + "'",
          "config_bad_value");
    }
  }
  {
    const std::string& v = values["recordings_delete_remote"].value;
    if (v == "true" || v == "1") {
      c.recordings_delete_remote = true;
    } else if (v == "false" || v == "0") {
      c.recordings_delete_remote = false;
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       "setting 'recordings_delete_remote' must be true or false, got '" + v + "'",
                       "config_bad_value");
    }
  }
  {
    const std::string& v = values["webhooks_allow_http"].value;
    if (v == "true" || v == "1") {
      c.webhooks_allow_http = true;
    } else if (v == "false" || v == "0") {
      c.webhooks_allow_http = false;
    } else {
      return MakeError(ErrorCode::kInvalidArgument,
                       "setting 'webhooks_allow_http' must be true or false, got '" + v + "'",
                       "config_bad_value");
    }
  }
  {
    const std::string& v = values["webhooks_allow_private_network"].value;
    if (v == "true" || v == "1") {
      c.webhooks_allow_private_network = true;
    } else if (v == "false" || v == "0") {
      c.webhooks_allow_private_network = false;
    } else {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "setting 'webhooks_allow_private_network' must be true or false, got '" + v + "'",
          "config_bad_value");
    }
  }
  if (!c.llm_base_url.empty() && c.llm_base_url.rfind("http://", 0) != 0 &&
      c.llm_base_url.rfind("https://", 0) != 0) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "setting 'llm_base_url' must start with http:// or https://, got '" + c.llm_base_url + "'",
        "config_bad_value");
  }
  if (c.default_region.size() != 2 ||
      !std::isupper(static_cast<unsigned char>(c.default_region[0])) ||
      !std::isupper(static_cast<unsigned char>(c.default_region[1]))) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'default_region' must be a two-letter region code such as IN, got '" +
                         c.default_region + "'",
                     "config_bad_value");
  }
  if (!c.suppression_key.empty() && c.suppression_key.size() < 32) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'suppression_key' must be at least 32 characters long",
                     "config_bad_value");
  }
  const std::string& dialer = values["dialer"].value;
  if (dialer == "true" || dialer == "1") {
    c.dialer = true;
  } else if (dialer == "false" || dialer == "0") {
    c.dialer = false;
  } else {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'dialer' must be true or false, got '" + dialer + "'",
                     "config_bad_value");
  }
  const std::string& phrase = values["llm_phrase_answers"].value;
  if (phrase == "true" || phrase == "1")
    c.llm_phrase_answers = true;
  else if (phrase == "false" || phrase == "0")
    c.llm_phrase_answers = false;
  else
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'llm_phrase_answers' must be true or false, got '" + phrase + "'",
                     "config_bad_value");
  const std::string& demo = values["demo"].value;
  if (demo == "true" || demo == "1")
    c.demo = true;
  else if (demo == "false" || demo == "0")
    c.demo = false;
  else {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'demo' must be true or false, got '" + demo + "'",
                     "config_bad_value");
  }
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "setting 'log_level' must be debug, info, warn or error, got '" + c.log_level + "'",
        "config_bad_value");
  }
  if (!c.jwt_secret.empty() && c.jwt_secret.size() < 32) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "setting 'jwt_secret' must be at least 32 characters long",
                     "config_bad_value");
  }
  struct IntField {
    const char* name;
    int64_t min, max;
    int64_t* target64;
    int* target;
  };
  int64_t port = 0;
  IntField ints[] = {
      {"port", 0, 65535, &port, &c.port},
      {"io_threads", 1, 256, nullptr, &c.io_threads},
      {"worker_threads", 1, 1024, nullptr, &c.worker_threads},
      {"db_pool", 1, 1024, nullptr, &c.db_pool},
      {"max_body_bytes", 1024, int64_t{1} << 34, &c.max_body_bytes, nullptr},
      {"max_upload_bytes", 1024, int64_t{1} << 40, &c.max_upload_bytes, nullptr},
      {"request_timeout_seconds", 1, 3600, nullptr, &c.request_timeout_seconds},
      {"shutdown_grace_seconds", 0, 3600, nullptr, &c.shutdown_grace_seconds},
      {"access_token_ttl_seconds", 30, 86400, nullptr, &c.access_token_ttl_seconds},
      {"refresh_token_ttl_seconds", 300, 31536000, nullptr, &c.refresh_token_ttl_seconds},
      {"login_max_failures_per_account", 1, 1000, nullptr, &c.login_max_failures_per_account},
      {"login_max_failures_per_address", 1, 100000, nullptr, &c.login_max_failures_per_address},
      {"login_window_seconds", 1, 86400, nullptr, &c.login_window_seconds},
      {"consent_reask_lock_days", 0, 3650, nullptr, &c.consent_reask_lock_days},
      {"telephony_quiet_poll_seconds", 1, 86400, nullptr, &c.telephony_quiet_poll_seconds},
      {"llm_first_token_ms", 50, 60000, nullptr, &c.llm_first_token_ms},
      {"llm_answer_ms", 100, 120000, nullptr, &c.llm_answer_ms},
      {"webhook_retry_base_ms", 10, 3600000, &c.webhook_retry_base_ms, nullptr},
  };
  for (auto& f : ints) {
    int64_t v = 0;
    if (auto s = ParseInt(values, f.name, f.min, f.max, &v); !s) return s.error();
    if (f.target64) *f.target64 = v;
    if (f.target) *f.target = static_cast<int>(v);
  }
  return c;
}

std::string MaskUrlPassword(const std::string& url) {
  // scheme://user:password@host -> scheme://user:****@host, and password=... parameters.
  static const std::regex kUserinfo(R"(^([a-z]+://[^:/@]*):[^@/]*@)");
  std::string masked = std::regex_replace(url, kUserinfo, "$1:****@");
  static const std::regex kPasswordParam(R"(([?&]password=)[^&]*)");
  return std::regex_replace(masked, kPasswordParam, "$1****");
}

std::string RenderConfig(const std::map<std::string, ConfigValue>& effective) {
  std::ostringstream out;
  for (const auto& key : ConfigKeys()) {
    const ConfigValue& v = effective.at(key.name);
    std::string shown = v.value;
    if (key.secret && !shown.empty()) {
      if (key.name == "db") {
        shown = MaskUrlPassword(shown);  // the URL is useful to see; its password is not
      } else {
        shown = "****";
      }
    }
    out << key.name << " = \"" << shown << "\"  # " << v.source << '\n';
  }
  return out.str();
}

}  // namespace vaarta::core
