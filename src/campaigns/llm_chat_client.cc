#include "campaigns/llm_chat_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <utility>

namespace vaarta::campaigns {
namespace {

// A reply larger than this is not a chat completion we asked for.
constexpr size_t kMaxResponseBytes = 8 << 20;
// The server's own words in an error message, at most this long.
constexpr size_t kMaxQuotedChars = 300;

struct ResponseBody {
  std::string text;
  bool too_large = false;
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<ResponseBody*>(user);
  size_t bytes = size * count;
  if (body->text.size() + bytes > kMaxResponseBytes) {
    body->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  body->text.append(data, bytes);
  return bytes;
}

std::string ChatCompletionsUrl(std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return base_url + "/chat/completions";
}

std::string JsonString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

int64_t Count(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

std::optional<OpenAiError> ParseOpenAiError(std::string_view body) {
  nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  auto error = json.find("error");
  if (error == json.end()) return std::nullopt;
  if (error->is_string()) return OpenAiError{error->get<std::string>(), "", ""};
  if (!error->is_object()) return std::nullopt;
  return OpenAiError{JsonString(*error, "message"), JsonString(*error, "type"),
                     JsonString(*error, "code")};
}

LlmChatClient::LlmChatClient(LlmEndpoint endpoint) : endpoint_(std::move(endpoint)) {
  // Reference-counted and thread-safe since curl 7.84; paired with the destructor.
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

LlmChatClient::~LlmChatClient() { curl_global_cleanup(); }

nlohmann::json LlmChatClient::RequestBody(const ChatRequest& request) const {
  nlohmann::json messages = nlohmann::json::array();
  for (const auto& m : request.messages) {
    messages.push_back({{"role", m.role}, {"content", m.content}});
  }
  nlohmann::json body = {{"model", endpoint_.model},
                         {"messages", std::move(messages)},
                         {"temperature", request.temperature}};
  if (request.json_object) body["response_format"] = {{"type", "json_object"}};
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  return body;
}

core::Error LlmChatClient::Fail(core::ErrorCode code, std::string_view detail,
                                std::string message) const {
  // Some servers quote the key they were given in their error message.
  const std::string& key = endpoint_.api_key;
  if (key.size() >= 4) {
    for (size_t at = message.find(key); at != std::string::npos; at = message.find(key, at)) {
      message.replace(at, key.size(), "[redacted]");
    }
  }
  return core::MakeError(code, std::move(message), std::string(detail));
}

core::Result<ChatCompletion> LlmChatClient::Complete(const ChatRequest& request) const {
  if (endpoint_.base_url.empty()) {
    return Fail(core::ErrorCode::kInvalidArgument, kLlmNotConfigured,
                "No LLM endpoint is configured; set its base URL.");
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    return Fail(core::ErrorCode::kInternal, kLlmUnreachable, "libcurl could not start a request");
  }
  const std::string url = ChatCompletionsUrl(endpoint_.base_url);
  const std::string payload = RequestBody(request).dump();
  const long timeout_ms = std::max(1, request.timeout_ms.value_or(endpoint_.timeout_ms));

  curl_slist* raw_headers = nullptr;
  raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  if (!endpoint_.api_key.empty()) {
    raw_headers =
        curl_slist_append(raw_headers, ("Authorization: Bearer " + endpoint_.api_key).c_str());
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw_headers);

  ResponseBody body;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "vaarta/" VAARTA_VERSION);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  // No signals from libcurl's resolver: this runs on server threads.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // Redirects are not followed: the Authorization header must not go elsewhere.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);

  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Fail(core::ErrorCode::kUnavailable, kLlmTimeout,
                "The LLM endpoint did not answer within " + std::to_string(timeout_ms) +
                    " ms; try again later or raise its timeout.");
  }
  if (rc == CURLE_WRITE_ERROR && body.too_large) {
    return Fail(core::ErrorCode::kInternal, kLlmBadResponse,
                "The LLM endpoint's reply is larger than " +
                    std::to_string(kMaxResponseBytes >> 20) + " MB; it is not a chat completion.");
  }
  if (rc != CURLE_OK) {
    return Fail(core::ErrorCode::kUnavailable, kLlmUnreachable,
                std::string("Could not reach the LLM endpoint (") + curl_easy_strerror(rc) +
                    "); check its base URL and that it is running.");
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);

  if (status < 200 || status >= 300) {
    std::string said;
    if (auto error = ParseOpenAiError(body.text)) {
      std::string kind = error->type;
      if (!error->code.empty()) kind += (kind.empty() ? "" : "/") + error->code;
      said = (kind.empty() ? "" : kind + ": ") + error->message.substr(0, kMaxQuotedChars);
    } else {
      said = body.text.substr(0, kMaxQuotedChars);
    }
    const std::string answered = "The LLM endpoint answered HTTP " + std::to_string(status) +
                                 (said.empty() ? "" : " (" + said + ")");
    if (status == 401 || status == 403) {
      return Fail(core::ErrorCode::kUnauthenticated, kLlmAuthentication,
                  answered + ": authentication failed; check the API key.");
    }
    if (status == 429) {
      return Fail(core::ErrorCode::kRateLimited, kLlmRateLimited,
                  answered + ": rate limited or out of quota; try again later.");
    }
    if (status == 408 || status == 504) {
      return Fail(core::ErrorCode::kUnavailable, kLlmTimeout,
                  answered + ": it timed out; try again later.");
    }
    if (status >= 500) {
      return Fail(core::ErrorCode::kUnavailable, kLlmServerError,
                  answered + ": a server error; try again later.");
    }
    if (status >= 400) {
      return Fail(core::ErrorCode::kInvalidArgument, kLlmRejected,
                  answered + ": it refused the request; check the model name and base URL.");
    }
    return Fail(core::ErrorCode::kInternal, kLlmBadResponse,
                answered + ", which is not a chat completion; check the base URL.");
  }

  nlohmann::json json = nlohmann::json::parse(body.text, nullptr, false);
  auto bad = [&](const std::string& why) {
    return Fail(core::ErrorCode::kInternal, kLlmBadResponse,
                "The LLM endpoint's reply is not a chat completion (" + why +
                    "); check that it speaks the OpenAI chat completions protocol.");
  };
  if (!json.is_object()) return bad("not a JSON object");
  auto choices = json.find("choices");
  if (choices == json.end() || !choices->is_array() || choices->empty() ||
      !(*choices)[0].is_object()) {
    return bad("no choices");
  }
  const auto& choice = (*choices)[0];
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) return bad("the choice has no message");
  auto content = message->find("content");
  if (content == message->end() || !content->is_string()) {
    std::string refusal = JsonString(*message, "refusal");
    return bad(refusal.empty() ? "the message has no text"
                               : "the model refused: " + refusal.substr(0, kMaxQuotedChars));
  }
  ChatCompletion completion;
  completion.id = JsonString(json, "id");
  completion.model = JsonString(json, "model");
  completion.content = content->get<std::string>();
  completion.finish_reason = JsonString(choice, "finish_reason");
  if (auto usage = json.find("usage"); usage != json.end() && usage->is_object()) {
    completion.prompt_tokens = Count(*usage, "prompt_tokens");
    completion.completion_tokens = Count(*usage, "completion_tokens");
  }
  return completion;
}

}  // namespace vaarta::campaigns
