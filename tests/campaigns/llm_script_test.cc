// The LLM path of script generation, and the chat completions client under it, against
// tests/fakes/fake_openai_server.cc running as a separate process on loopback.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "campaigns/llm_chat_client.h"
#include "campaigns/script.h"
#include "campaigns/script_generator.h"
#include "script_test_helpers.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::campaigns {
namespace {

using nlohmann::json;
using test::Codes;
using test::GoldLoans;
using test::StepOf;

constexpr const char* kKey = "sk-test-vaarta-5f1c2e9a7b";

// What a model might write: the template with its own wording in places.
json GoodDraft() {
  json draft = GenerateTemplateScript(GoldLoans());
  StepOf(draft, "qualify")["lines"] = {
      {"en", "Do you have gold jewellery at home that you might borrow against?"},
      {"hi", "क्या आपके पास घर पर सोने के गहने हैं जिन पर आप लोन लेना चाहेंगे?"}};
  return draft;
}

std::string Joined(const std::vector<std::string>& notes) {
  std::string out;
  for (const auto& n : notes) out += n + "\n";
  return out;
}

// The fake server as a child process, killed when this goes out of scope.
class FakeOpenAi {
 public:
  FakeOpenAi(const std::string& mode, const std::string& draft_path,
             const std::string& log_path = "", int delay_ms = 5000)
      : process_({FAKE_OPENAI_BINARY, "--key", kKey, "--mode", mode, "--draft", draft_path,
                  "--delay-ms", std::to_string(delay_ms), "--log", log_path}) {
    if (!process_.WaitForOutput("\n", 10)) {
      ADD_FAILURE() << "the fake server did not start: " << process_.Err();
      return;
    }
    port_ = std::stoi(process_.Out());
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  LlmEndpoint Endpoint(int timeout_ms = 10000) const {
    return LlmEndpoint{BaseUrl(), kKey, "gpt-test-mini", timeout_ms};
  }

 private:
  testing::ChildProcess process_;
  int port_ = 0;
};

class LlmScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("llm-script");
    draft_path_ = dir_ + "/draft.json";
    log_path_ = dir_ + "/requests.jsonl";
    std::ofstream(draft_path_) << GoodDraft().dump(2);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::vector<json> LoggedRequests() const {
    std::ifstream in(log_path_);
    std::vector<json> out;
    for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
    return out;
  }

  std::string dir_;
  std::string draft_path_;
  std::string log_path_;
};

// ---- generation through the LLM ------------------------------------------------------

TEST_F(LlmScriptTest, AGoodDraftIsUsedAsDrafted) {
  FakeOpenAi server("draft", draft_path_, log_path_);
  GeneratedScript generated = GenerateScript(GoldLoans(), server.Endpoint());
  EXPECT_EQ(generated.source, "llm") << Joined(generated.notes);
  EXPECT_EQ(generated.script, GoodDraft());
  EXPECT_FALSE(HasErrors(generated.findings)) << Codes(generated.findings);
  EXPECT_TRUE(generated.notes.empty()) << Joined(generated.notes);

  auto requests = LoggedRequests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0]["model"], "gpt-test-mini");
  EXPECT_EQ(requests[0]["response_format"]["type"], "json_object");
  EXPECT_EQ(requests[0]["messages"][0]["role"], "system");
  EXPECT_NE(requests[0]["messages"][1]["content"].get<std::string>().find("Sharma Gold Loans"),
            std::string::npos);
}

TEST_F(LlmScriptTest, ABadDraftIsRepairedUntilTheCheckerPassesIt) {
  FakeOpenAi server("bad_draft", draft_path_);
  GeneratedScript generated = GenerateScript(GoldLoans(), server.Endpoint());
  ASSERT_EQ(generated.source, "llm_repaired") << Joined(generated.notes);
  EXPECT_FALSE(HasErrors(generated.findings)) << Codes(generated.findings);
  EXPECT_FALSE(HasErrors(CheckScript(generated.script, GoldLoans())));

  std::string notes = Joined(generated.notes);
  for (const char* said :
       {"missing_disclosure_recorded", "forbidden_guarantee", "forbidden_urgency", "opt_out"}) {
    EXPECT_NE(notes.find(said), std::string::npos) << said << "\n" << notes;
  }
  json& script = generated.script;
  EXPECT_NE(StepOf(script, "greeting")["lines"]["en"].get<std::string>().find("recorded"),
            std::string::npos);
  EXPECT_EQ(StepOf(script, "pitch")["lines"]["en"].get<std::string>().find("guaranteed"),
            std::string::npos);
  EXPECT_EQ(script["global_transitions"]["opt_out"], "opt_out");
  // What the draft did well stays.
  json good = GoodDraft();
  EXPECT_EQ(StepOf(script, "qualify")["lines"], StepOf(good, "qualify")["lines"]);
}

TEST_F(LlmScriptTest, AReplyThatIsNotJsonFallsBackToTheTemplate) {
  FakeOpenAi server("non_json", draft_path_);
  GeneratedScript generated = GenerateScript(GoldLoans(), server.Endpoint());
  EXPECT_EQ(generated.source, "template_fallback");
  EXPECT_EQ(generated.script, GenerateTemplateScript(GoldLoans()));
  EXPECT_FALSE(HasErrors(generated.findings));
  EXPECT_NE(Joined(generated.notes).find("not JSON"), std::string::npos) << Joined(generated.notes);
}

TEST_F(LlmScriptTest, ServerErrorsFallBackToTheTemplate) {
  for (const auto& [mode, said] :
       {std::pair{"error500", "HTTP 500"}, std::pair{"error429", "HTTP 429"},
        std::pair{"garbage", "not a chat completion"}}) {
    FakeOpenAi server(mode, draft_path_);
    GeneratedScript generated = GenerateScript(GoldLoans(), server.Endpoint());
    EXPECT_EQ(generated.source, "template_fallback") << mode;
    EXPECT_FALSE(HasErrors(generated.findings));
    EXPECT_NE(Joined(generated.notes).find(said), std::string::npos)
        << mode << ": " << Joined(generated.notes);
  }
}

TEST_F(LlmScriptTest, ASlowEndpointFallsBackWithinTheTimeout) {
  FakeOpenAi server("slow", draft_path_, "", 5000);
  auto started = std::chrono::steady_clock::now();
  GeneratedScript generated = GenerateScript(GoldLoans(), server.Endpoint(300));
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(generated.source, "template_fallback");
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_NE(Joined(generated.notes).find("did not answer within 300 ms"), std::string::npos)
      << Joined(generated.notes);
}

TEST_F(LlmScriptTest, AWrongKeyFallsBackAndTheKeyIsNeverShown) {
  FakeOpenAi server("draft", draft_path_);
  LlmEndpoint endpoint = server.Endpoint();
  endpoint.api_key = "sk-wrong-4d7e1a0b93";
  GeneratedScript generated = GenerateScript(GoldLoans(), endpoint);
  EXPECT_EQ(generated.source, "template_fallback");
  std::string notes = Joined(generated.notes);
  EXPECT_NE(notes.find("authentication"), std::string::npos) << notes;
  EXPECT_NE(notes.find("invalid_api_key"), std::string::npos) << notes;
  EXPECT_EQ(notes.find(endpoint.api_key), std::string::npos) << notes;  // the server echoed it
  EXPECT_EQ(notes.find(kKey), std::string::npos) << notes;
}

TEST_F(LlmScriptTest, AnEndpointNobodyListensOnFallsBack) {
  LlmEndpoint endpoint{"http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/v1", kKey,
                       "gpt-test-mini", 2000};
  GeneratedScript generated = GenerateScript(GoldLoans(), endpoint);
  EXPECT_EQ(generated.source, "template_fallback");
  EXPECT_NE(Joined(generated.notes).find("Could not reach"), std::string::npos)
      << Joined(generated.notes);
}

// ---- the client ----------------------------------------------------------------------

ChatRequest Hello() {
  ChatRequest request;
  request.messages = {{"system", "Answer in JSON."}, {"user", "Say hello."}};
  request.temperature = 0.0;
  request.json_object = true;
  request.max_tokens = 50;
  return request;
}

TEST_F(LlmScriptTest, LlmChatClientSpeaksTheChatCompletionsProtocol) {
  FakeOpenAi server("draft", draft_path_, log_path_);
  LlmEndpoint endpoint = server.Endpoint();
  endpoint.base_url += "/";  // a trailing slash is tolerated
  LlmChatClient client(endpoint);
  auto completion = client.Complete(Hello());
  ASSERT_TRUE(completion) << completion.error().message;
  EXPECT_EQ(json::parse(completion->content), GoodDraft());
  EXPECT_EQ(completion->id.rfind("chatcmpl-fake-", 0), 0u) << completion->id;
  EXPECT_EQ(completion->model, "gpt-test-mini");
  EXPECT_EQ(completion->finish_reason, "stop");
  EXPECT_GT(completion->prompt_tokens, 0);
  EXPECT_GT(completion->completion_tokens, 0);

  auto requests = LoggedRequests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0], client.RequestBody(Hello()));
  EXPECT_EQ(requests[0]["messages"][1], (json{{"role", "user"}, {"content", "Say hello."}}));
  EXPECT_EQ(requests[0]["max_tokens"], 50);
  EXPECT_EQ(requests[0]["temperature"], 0.0);
  EXPECT_EQ(requests[0].dump().find(kKey), std::string::npos);
}

TEST_F(LlmScriptTest, LlmChatClientTypesItsErrors) {
  struct Case {
    const char* mode;
    core::ErrorCode code;
    std::string_view detail;
    const char* said;
  };
  for (const Case& c :
       {Case{"error500", core::ErrorCode::kUnavailable, kLlmServerError, "server_error"},
        Case{"error429", core::ErrorCode::kRateLimited, kLlmRateLimited, "rate_limit_exceeded"},
        Case{"garbage", core::ErrorCode::kInternal, kLlmBadResponse, "JSON"}}) {
    FakeOpenAi server(c.mode, draft_path_);
    auto result = LlmChatClient(server.Endpoint()).Complete(Hello());
    ASSERT_FALSE(result) << c.mode;
    EXPECT_EQ(result.error().code, c.code) << c.mode;
    EXPECT_EQ(result.error().detail_code, c.detail) << c.mode;
    EXPECT_NE(result.error().message.find(c.said), std::string::npos) << result.error().message;
  }

  FakeOpenAi server("draft", draft_path_);
  LlmEndpoint wrong = server.Endpoint();
  wrong.api_key = "sk-wrong-4d7e1a0b93";
  auto unauthenticated = LlmChatClient(wrong).Complete(Hello());
  ASSERT_FALSE(unauthenticated);
  EXPECT_EQ(unauthenticated.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_EQ(unauthenticated.error().detail_code, kLlmAuthentication);
  EXPECT_NE(unauthenticated.error().message.find("invalid_request_error/invalid_api_key"),
            std::string::npos)
      << unauthenticated.error().message;
  EXPECT_NE(unauthenticated.error().message.find("[redacted]"), std::string::npos);
  EXPECT_EQ(unauthenticated.error().message.find(wrong.api_key), std::string::npos);

  LlmEndpoint elsewhere = server.Endpoint();
  elsewhere.base_url = server.BaseUrl().substr(0, server.BaseUrl().size() - 3) + "/v2";
  auto rejected = LlmChatClient(elsewhere).Complete(Hello());
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().detail_code, kLlmRejected);
  EXPECT_NE(rejected.error().message.find("HTTP 404"), std::string::npos);

  auto unconfigured = LlmChatClient(LlmEndpoint{}).Complete(Hello());
  ASSERT_FALSE(unconfigured);
  EXPECT_EQ(unconfigured.error().detail_code, kLlmNotConfigured);
}

TEST_F(LlmScriptTest, LlmChatClientGivesUpAtItsTimeout) {
  FakeOpenAi server("slow", draft_path_, "", 5000);
  LlmChatClient client(server.Endpoint(10000));
  ChatRequest request = Hello();
  request.timeout_ms = 200;  // the call's own budget wins over the endpoint's
  auto started = std::chrono::steady_clock::now();
  auto result = client.Complete(request);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().detail_code, kLlmTimeout);
  EXPECT_EQ(result.error().code, core::ErrorCode::kUnavailable);
}

TEST(LlmChatClient, ParsesOpenAiErrorBodies) {
  auto error = ParseOpenAiError(
      R"({"error": {"message": "Rate limit reached", "type": "requests", "param": null,
          "code": "rate_limit_exceeded"}})");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "Rate limit reached");
  EXPECT_EQ(error->type, "requests");
  EXPECT_EQ(error->code, "rate_limit_exceeded");
  auto numeric = ParseOpenAiError(R"({"error": {"message": "x", "code": 500}})");
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->code, "500");
  auto plain = ParseOpenAiError(R"({"error": "model not loaded"})");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->message, "model not loaded");
  EXPECT_FALSE(ParseOpenAiError("<html>Bad gateway</html>"));
  EXPECT_FALSE(ParseOpenAiError(R"({"detail": "Not Found"})"));
}

}  // namespace
}  // namespace vaarta::campaigns
