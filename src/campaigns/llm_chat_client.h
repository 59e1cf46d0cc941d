#pragma once
// LlmChatClient: one chat completion from an OpenAI-compatible endpoint (hosted or a
// local server): POST {base_url}/chat/completions with a Bearer key, over libcurl, within
// a time budget. Failures come back as values with stable detail codes, so a caller can
// fall back (to the template script, to the script line) instead of failing the call.
// The API key is sent only in the Authorization header and never appears in an error
// message, even when the server echoes it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vaarta::campaigns {

struct LlmEndpoint {
  std::string base_url;  // "http://127.0.0.1:8081/v1"; empty: no LLM
  std::string api_key;   // sent as "Authorization: Bearer"; never logged
  std::string model;
  int timeout_ms = 20000;
};

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  double temperature = 0.2;
  bool json_object = false;       // ask for JSON: response_format {"type": "json_object"}
  std::optional<int> max_tokens;  // none: the server's default
  std::optional<int> timeout_ms;  // this call's budget; none: the endpoint's
};

struct ChatCompletion {
  std::string id;
  std::string model;
  std::string content;        // the first choice's message
  std::string finish_reason;  // "stop"; "length" means the content was cut short
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

// Detail codes (core::Error::detail_code) of Complete's errors. Stable.
inline constexpr std::string_view kLlmNotConfigured = "llm_not_configured";   // no base_url
inline constexpr std::string_view kLlmUnreachable = "llm_unreachable";        // no connection
inline constexpr std::string_view kLlmTimeout = "llm_timeout";                // over the budget
inline constexpr std::string_view kLlmAuthentication = "llm_authentication";  // 401, 403
inline constexpr std::string_view kLlmRateLimited = "llm_rate_limited";       // 429
inline constexpr std::string_view kLlmServerError = "llm_server_error";       // 5xx
inline constexpr std::string_view kLlmRejected = "llm_rejected";  // other 4xx: model, request
inline constexpr std::string_view kLlmBadResponse = "llm_bad_response";  // not the protocol

// The error object of an OpenAI-style error body: {"error": {"message", "type", "code"}}.
struct OpenAiError {
  std::string message;
  std::string type;  // "invalid_request_error", "rate_limit_error", "server_error", ...
  std::string code;  // "invalid_api_key", "rate_limit_exceeded", ... (or a number as text)
};
std::optional<OpenAiError> ParseOpenAiError(std::string_view body);

// The LLM as the rest of the product sees it. An interface because the script generator
// and the conversation engine take any implementation (tests pass their own).
class LlmClient {
 public:
  virtual ~LlmClient() = default;
  virtual core::Result<ChatCompletion> Complete(const ChatRequest& request) const = 0;
};

class LlmChatClient : public LlmClient {
 public:
  explicit LlmChatClient(LlmEndpoint endpoint);
  ~LlmChatClient() override;
  LlmChatClient(const LlmChatClient&) = delete;
  LlmChatClient& operator=(const LlmChatClient&) = delete;

  // Blocking; safe to call from several threads at once.
  core::Result<ChatCompletion> Complete(const ChatRequest& request) const override;

  // The JSON body sent for `request` (the wire format, for tests and logs: no key).
  nlohmann::json RequestBody(const ChatRequest& request) const;

 private:
  core::Error Fail(core::ErrorCode code, std::string_view detail, std::string message) const;

  LlmEndpoint endpoint_;
};

}  // namespace vaarta::campaigns
