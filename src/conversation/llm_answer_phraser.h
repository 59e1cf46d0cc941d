#pragma once
// LlmAnswerPhraser: asks an OpenAI-compatible chat completions endpoint (streaming,
// "stream": true, server-sent events) to phrase a knowledge-base answer from the
// retrieved facts and the script line. Hard time budgets: no first token within
// first_token_ms, or no complete answer within answer_ms, and the request is abandoned;
// the dialogue then speaks the script line. The streamed answer is gathered whole and
// passes AnswerHonestyFilter before anything of it is spoken: a sentence already said
// cannot be taken back, so nothing is said until all of it is checked.
//
// Thread-safe: one request per call, each with its own curl handle.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "campaigns/llm_chat_client.h"
#include "conversation/answer_honesty_filter.h"
#include "conversation/answer_phraser.h"
#include "core/logger.h"

namespace vaarta::conversation {

struct LlmPhraserOptions {
  int first_token_ms = 800;
  int answer_ms = 2500;
  int max_tokens = 120;
  double temperature = 0.3;
};

// Why the last requests fell back, for tests and metrics.
struct LlmPhraserCounters {
  std::atomic<uint64_t> phrased{0};
  std::atomic<uint64_t> first_token_timeouts{0};
  std::atomic<uint64_t> answer_timeouts{0};
  std::atomic<uint64_t> failures{0};  // connection, HTTP status, protocol
  std::atomic<uint64_t> refused_by_filter{0};
};

class LlmAnswerPhraser final : public AnswerPhraser {
 public:
  // `logger` may be null. The endpoint's key is sent only in the Authorization header.
  LlmAnswerPhraser(campaigns::LlmEndpoint endpoint, LlmPhraserOptions options,
                   const core::Logger* logger);

  std::optional<std::string> Phrase(const PhraseRequest& request) const override;

  // The request body for `request` (for tests: the prompt carries the facts).
  std::string RequestBody(const PhraseRequest& request) const;
  const LlmPhraserCounters& counters() const { return counters_; }

 private:
  void Log(const std::string& what, const std::string& detail) const;

  campaigns::LlmEndpoint endpoint_;
  LlmPhraserOptions options_;
  const core::Logger* logger_;
  AnswerHonestyFilter filter_;
  mutable LlmPhraserCounters counters_;
};

}  // namespace vaarta::conversation
