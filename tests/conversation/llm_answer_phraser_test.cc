// LlmAnswerPhraser against fake_openai_server, a separate process speaking the chat
// completions streaming protocol: good, slow, stalled, broken and dishonest answers.
#include "conversation/llm_answer_phraser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::conversation {
namespace {

constexpr const char* kKey = "sk-test-phrase-8c1d";

class FakeLlm {
 public:
  FakeLlm(const std::string& mode, const std::string& answer, int delay_ms = 3000,
          const std::string& key = kKey)
      : dir_(vaarta::testing::MakeTempDir("phraser")),
        process_({FAKE_OPENAI_BINARY, "--key", key, "--mode", mode, "--answer", dir_ + "/answer",
                  "--delay-ms", std::to_string(delay_ms), "--token-ms", "2", "--log",
                  dir_ + "/log"}) {
    std::ofstream(dir_ + "/answer") << answer;
    if (!process_.WaitForOutput("\n", 10)) {
      ADD_FAILURE() << "the fake server did not start: " << process_.Err();
      return;
    }
    port_ = std::stoi(process_.Out());
  }
  ~FakeLlm() { vaarta::testing::RemoveTree(dir_); }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
  std::string Log() const {
    std::ifstream in(dir_ + "/log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string dir_;
  vaarta::testing::ChildProcess process_;
  int port_ = 0;
};

PhraseRequest Request() {
  PhraseRequest r;
  r.question = "what is the interest rate";
  r.intent = "ask_price";
  r.facts = {"The interest rate is 1 percent per month."};
  r.script_line = "The interest rate is 1 percent per month.";
  r.language = "en";
  r.business = "Shubh Gold Loans";
  r.agent_name = "Vaarta";
  return r;
}

struct Timed {
  std::optional<std::string> answer;
  int64_t ms = 0;
};

Timed Phrase(const LlmAnswerPhraser& phraser) {
  auto start = std::chrono::steady_clock::now();
  Timed t;
  t.answer = phraser.Phrase(Request());
  t.ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
             .count();
  return t;
}

LlmAnswerPhraser Phraser(const FakeLlm& llm, int first_token_ms = 800, int answer_ms = 2500,
                         const std::string& key = kKey) {
  LlmPhraserOptions options;
  options.first_token_ms = first_token_ms;
  options.answer_ms = answer_ms;
  return LlmAnswerPhraser({llm.BaseUrl(), key, "test-model", answer_ms}, options, nullptr);
}

TEST(LlmAnswerPhraserTest, StreamsAnHonestAnswer) {
  FakeLlm llm("stream", "It is just 1 percent a month, with no hidden charges.");
  auto phraser = Phraser(llm);
  auto t = Phrase(phraser);
  ASSERT_TRUE(t.answer) << "counters: failures " << phraser.counters().failures;
  EXPECT_EQ(*t.answer, "It is just 1 percent a month, with no hidden charges.");
  EXPECT_EQ(phraser.counters().phrased, 1u);
  // The request streams and carries the facts and the honesty instructions.
  auto body = nlohmann::json::parse(llm.Log().substr(0, llm.Log().find('\n')));
  EXPECT_TRUE(body["stream"].get<bool>());
  EXPECT_EQ(body["model"], "test-model");
  std::string prompt = body["messages"].dump();
  EXPECT_NE(prompt.find("1 percent per month"), std::string::npos);
  EXPECT_NE(prompt.find("Never claim to be a person"), std::string::npos);
}

TEST(LlmAnswerPhraserTest, NoFirstTokenInTimeFallsBackWithinTheBudget) {
  FakeLlm llm("stream_slow_first", "It is 1 percent a month.", 6000);
  auto phraser = Phraser(llm, 300, 2500);
  auto t = Phrase(phraser);
  EXPECT_FALSE(t.answer);
  // The first-token budget ended the request, long before the server's first token
  // (6 s) or the answer budget (2.5 s) would have.
  EXPECT_EQ(phraser.counters().first_token_timeouts, 1u);
  EXPECT_EQ(phraser.counters().answer_timeouts, 0u);
  EXPECT_LT(t.ms, 6000);
}

TEST(LlmAnswerPhraserTest, AStalledStreamFallsBackAtTheAnswerBudget) {
  FakeLlm llm("stream_stall", "It is 1 percent a month.", 6000);
  auto phraser = Phraser(llm, 800, 600);
  auto t = Phrase(phraser);
  EXPECT_FALSE(t.answer);
  // The first token came; the answer budget ended the request, not the server's 6 s stall.
  EXPECT_EQ(phraser.counters().answer_timeouts, 1u);
  EXPECT_EQ(phraser.counters().first_token_timeouts, 0u);
  EXPECT_LT(t.ms, 6000);
}

TEST(LlmAnswerPhraserTest, BrokenStreamsAndServerErrorsFallBack) {
  for (const char* mode : {"stream_broken", "stream_garbage", "error500", "error429"}) {
    FakeLlm llm(mode, "It is 1 percent a month, every month, for all customers.");
    auto phraser = Phraser(llm);
    EXPECT_FALSE(Phrase(phraser).answer) << mode;
    EXPECT_EQ(phraser.counters().failures, 1u) << mode;
  }
}

TEST(LlmAnswerPhraserTest, AWrongKeyOrNoServerFallsBack) {
  FakeLlm llm("stream", "It is 1 percent a month.");
  auto wrong_key = Phraser(llm, 800, 2500, "sk-wrong");
  EXPECT_FALSE(Phrase(wrong_key).answer);
  LlmAnswerPhraser nowhere(
      {"http://127.0.0.1:" + std::to_string(vaarta::testing::FreePort()) + "/v1", kKey, "m", 1000},
      {}, nullptr);
  EXPECT_FALSE(nowhere.Phrase(Request()));
}

TEST(LlmAnswerPhraserTest, DishonestAnswersAreNotSpoken) {
  for (const char* answer :
       {"It is only 0.5 percent a month for you.", "Approval is guaranteed within an hour.",
        "No, I am a real person, not a bot."}) {
    FakeLlm llm("stream", answer);
    auto phraser = Phraser(llm);
    EXPECT_FALSE(Phrase(phraser).answer) << answer;
    EXPECT_EQ(phraser.counters().refused_by_filter, 1u) << answer;
  }
}

}  // namespace
}  // namespace vaarta::conversation
