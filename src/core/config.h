#pragma once
// Config: the effective settings of one process, merged from (highest first) command
// line flags, VAARTA_* environment variables, an optional TOML file, and defaults.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vaarta::core {

struct ConfigKey {
  std::string name;           // "db", "port", ... (TOML key; env is VAARTA_<NAME>)
  std::string default_value;  // text form; empty means unset
  bool secret = false;        // masked in `config show` and logs
  std::string help;
};

// Every key the product knows; unknown keys in the file or environment are errors.
const std::vector<ConfigKey>& ConfigKeys();

struct Config {
  std::string db;
  std::string data_dir;
  std::string host;
  int port = 8080;
  int io_threads = 1;
  // Handlers mostly wait (database locks, fsync, provider calls); a waiting thread costs
  // no CPU, and with few threads bursts of webhooks queue behind one commit.
  int worker_threads = 16;
  int db_pool = 8;
  int64_t max_body_bytes = 0;
  int64_t max_upload_bytes = 0;
  int request_timeout_seconds = 30;
  int shutdown_grace_seconds = 10;
  std::string log_level;
  std::string jwt_secret;  // empty: generated and kept in data_dir/jwt.secret
  int access_token_ttl_seconds = 900;
  int refresh_token_ttl_seconds = 0;
  int login_max_failures_per_account = 5;
  int login_max_failures_per_address = 20;
  int login_window_seconds = 900;
  std::string public_base_url;
  std::string default_region;   // ISO 3166 region for numbers written without a country code
  std::string suppression_key;  // HMAC key for do-not-call hashes (generated when empty)
  int consent_reask_lock_days = 90;
  bool demo = false;
  bool dialer = true;  // 'serve' runs the dialer
  // An OpenAI-compatible chat completions endpoint that drafts campaign scripts; the
  // deterministic templates are used when the URL is empty.
  std::string llm_base_url;
  std::string llm_api_key;
  std::string llm_model;
  // The conversation engine may ask that LLM to phrase knowledge-base answers.
  bool llm_phrase_answers = false;
  int llm_first_token_ms = 800;
  int llm_answer_ms = 2500;
  // The fastText intent model; empty: vaarta-intents.bin beside the binary.
  std::string nlu_model_path;
  // The dashboard's built files; empty: the build's web/dist; "off": the API alone.
  std::string web_dir;
  // Telephony: "simulated" (in-process outcome model) or "twilio" (REST + webhooks).
  std::string telephony = "simulated";
  std::string twilio_api_base_url;
  std::string twilio_account_sid;
  std::string twilio_auth_token;
  std::string twilio_api_key_sid;
  std::string twilio_api_key_secret;
  double twilio_calls_per_second = 1;
  int telephony_quiet_poll_seconds = 60;
  double relay_words_per_second = 2.5;  // 0: replies are sent at once
  std::string recording_key;            // 64 hex digits; empty: generated in data_dir
  std::string recordings_dir;           // empty: data_dir/recordings
  bool recordings_delete_remote = true;
  // Outbound webhooks (webhooks/): https only unless allowed; the retry schedule's unit.
  bool webhooks_allow_http = false;
  bool webhooks_allow_private_network = false;
  int64_t webhook_retry_base_ms = 30000;
};

struct ConfigValue {
  std::string value;
  std::string source;  // "default", "file", "env", "flag"
};

class ConfigSources {
 public:
  // Reads the TOML file; an absent path is fine, a malformed file is an error.
  Status LoadFile(const std::string& path);
  // Takes VAARTA_* entries from `environ` (VAARTA_CONFIG itself is not a key).
  Status LoadEnvironment(char** environ);
  void SetFlag(const std::string& name, const std::string& value);

  // Resolves the merged values into typed settings, validating each.
  Result<Config> Resolve() const;
  // name -> effective value and where it came from.
  std::map<std::string, ConfigValue> Effective() const;

 private:
  std::map<std::string, std::string> file_, env_, flags_;
};

// Replaces the password in a URL (userinfo or password= parameter) with "****".
std::string MaskUrlPassword(const std::string& url);

// "config show" text: one "name = value  # source" line per key, secrets masked.
std::string RenderConfig(const std::map<std::string, ConfigValue>& effective);

}  // namespace vaarta::core
