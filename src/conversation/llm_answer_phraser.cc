#include "conversation/llm_answer_phraser.h"

#include <curl/curl.h>

#include <chrono>
#include <memory>

#include <nlohmann/json.hpp>

namespace vaarta::conversation {
namespace {

using Clock = std::chrono::steady_clock;

// The stream as it arrives: server-sent events, one "data: {json}" line per chunk,
// "data: [DONE]" at the end.
struct Stream {
  std::string pending;  // bytes not yet a whole line
  std::string content;  // the answer so far
  std::string raw;      // a non-stream body (an error object), capped
  bool first_token = false;
  bool done = false;
  bool broken = false;  // a data line that is not the protocol
};

void ConsumeLine(Stream& s, std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.rfind("data:", 0) != 0) return;  // comments, event names, blank separators
  std::string data = line.substr(5);
  if (!data.empty() && data.front() == ' ') data.erase(0, 1);
  if (data == "[DONE]") {
    s.done = true;
    return;
  }
  auto chunk = nlohmann::json::parse(data, nullptr, false);
  if (chunk.is_discarded() || !chunk.is_object() || !chunk.contains("choices") ||
      !chunk["choices"].is_array()) {
    s.broken = true;
    return;
  }
  for (const auto& choice : chunk["choices"]) {
    if (!choice.is_object()) continue;
    auto delta = choice.find("delta");
    if (delta == choice.end() || !delta->is_object()) continue;
    auto content = delta->find("content");
    if (content != delta->end() && content->is_string()) {
      std::string text = content->get<std::string>();
      if (!text.empty()) s.first_token = true;
      s.content += text;
    }
  }
}

size_t OnData(char* data, size_t size, size_t count, void* user) {
  auto* s = static_cast<Stream*>(user);
  size_t n = size * count;
  if (s->raw.size() < 4096) s->raw.append(data, std::min(n, 4096 - s->raw.size()));
  s->pending.append(data, n);
  size_t start = 0;
  for (size_t nl = s->pending.find('\n'); nl != std::string::npos;
       nl = s->pending.find('\n', start)) {
    ConsumeLine(*s, s->pending.substr(start, nl - start));
    start = nl + 1;
  }
  s->pending.erase(0, start);
  return n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

LlmAnswerPhraser::LlmAnswerPhraser(campaigns::LlmEndpoint endpoint, LlmPhraserOptions options,
                                   const core::Logger* logger)
    : endpoint_(std::move(endpoint)), options_(options), logger_(logger) {}

std::string LlmAnswerPhraser::RequestBody(const PhraseRequest& request) const {
  std::string facts;
  for (const auto& f : request.facts) facts += "- " + f + "\n";
  std::string system =
      "You are " + (request.agent_name.empty() ? std::string("an") : request.agent_name + ", an") +
      " automated phone assistant for " +
      (request.business.empty() ? std::string("a business") : request.business) +
      ". Answer the caller's question in one or two short spoken sentences, in " +
      (request.language == "hi" ? "Hindi" : "English") +
      ". Use only the facts given. Never state a number, price, rate or term that is not in "
      "the facts. Never promise guarantees. Never claim to be a person. If the facts do not "
      "answer the question, say you do not have that information.";
  std::string user = "Caller said: " + request.question + "\nFacts:\n" + facts +
                     "Script line (fallback): " + request.script_line;
  nlohmann::json body = {
      {"model", endpoint_.model},
      {"stream", true},
      {"temperature", options_.temperature},
      {"max_tokens", options_.max_tokens},
      {"messages",
       {{{"role", "system"}, {"content", system}}, {{"role", "user"}, {"content", user}}}}};
  return body.dump();
}

void LlmAnswerPhraser::Log(const std::string& what, const std::string& detail) const {
  if (!logger_) return;
  // A server may echo the request's key in its error; it never reaches the log.
  std::string safe = detail;
  if (!endpoint_.api_key.empty()) {
    for (size_t at = safe.find(endpoint_.api_key); at != std::string::npos;
         at = safe.find(endpoint_.api_key, at)) {
      safe.replace(at, endpoint_.api_key.size(), "[redacted]");
    }
  }
  logger_->Warn("llm answer not used: " + what, {{"detail", safe}});
}

std::optional<std::string> LlmAnswerPhraser::Phrase(const PhraseRequest& request) const {
  if (endpoint_.base_url.empty() || request.facts.empty()) return std::nullopt;
  std::string url = endpoint_.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/chat/completions";
  std::string payload = RequestBody(request);
  std::unique_ptr<CURL, CurlDeleter> easy(curl_easy_init());
  std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
  if (!easy || !multi) {
    ++counters_.failures;
    return std::nullopt;
  }
  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto add = [&headers](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  add("Content-Type: application/json");
  add("Accept: text/event-stream");
  if (!endpoint_.api_key.empty()) add("Authorization: Bearer " + endpoint_.api_key);
  Stream stream;
  CURL* c = easy.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.answer_ms));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &stream);
  curl_multi_add_handle(multi.get(), c);

  // The multi interface lets this loop check the first-token deadline every few
  // milliseconds; the easy interface's progress callback runs too rarely for an 800 ms
  // budget.
  const auto start = Clock::now();
  const auto first_deadline = start + std::chrono::milliseconds(options_.first_token_ms);
  const auto answer_deadline = start + std::chrono::milliseconds(options_.answer_ms);
  int running = 1;
  std::string failure;
  while (running > 0) {
    curl_multi_perform(multi.get(), &running);
    if (running == 0) break;
    auto now = Clock::now();
    if (!stream.first_token && now >= first_deadline) {
      ++counters_.first_token_timeouts;
      failure = "first token later than " + std::to_string(options_.first_token_ms) + " ms";
      break;
    }
    if (now >= answer_deadline) {
      ++counters_.answer_timeouts;
      failure = "answer longer than " + std::to_string(options_.answer_ms) + " ms";
      break;
    }
    curl_multi_poll(multi.get(), nullptr, 0, 10, nullptr);
  }
  long status = 0;
  CURLcode result = CURLE_OK;
  if (failure.empty()) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &left)) {
      if (msg->msg == CURLMSG_DONE) result = msg->data.result;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  }
  curl_multi_remove_handle(multi.get(), c);
  if (!failure.empty()) {
    Log("too slow", failure);
    return std::nullopt;
  }
  if (result == CURLE_OPERATION_TIMEDOUT) {
    ++counters_.answer_timeouts;
    Log("too slow", "answer longer than " + std::to_string(options_.answer_ms) + " ms");
    return std::nullopt;
  }
  if (result != CURLE_OK || status != 200) {
    ++counters_.failures;
    auto error = campaigns::ParseOpenAiError(stream.raw);
    Log("request failed", result != CURLE_OK ? std::string(curl_easy_strerror(result))
                                             : "HTTP " + std::to_string(status) +
                                                   (error ? ": " + error->message : ""));
    return std::nullopt;
  }
  if (!stream.pending.empty()) ConsumeLine(stream, stream.pending);
  if (stream.broken || !stream.done) {
    ++counters_.failures;
    Log("broken stream",
        stream.broken ? "a chunk that is not the protocol" : "the stream ended without [DONE]");
    return std::nullopt;
  }
  auto verdict = filter_.Check(stream.content, request.facts);
  if (!verdict.ok) {
    ++counters_.refused_by_filter;
    Log("refused by the honesty filter", verdict.reason);
    return std::nullopt;
  }
  ++counters_.phrased;
  return stream.content;
}

}  // namespace vaarta::conversation
