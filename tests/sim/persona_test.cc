#include "sim/persona.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "sim/wav.h"

namespace vaarta::sim {
namespace {

TEST(Persona, BuiltInCatalogHasTheNamedPersonas) {
  PersonaCatalog catalog = PersonaCatalog::BuiltIn();
  for (const char* name :
       {"interested_en", "not_interested_en", "callback_hinglish", "callback_en", "opt_out_hi",
        "opt_out_en", "wrong_number_en", "is_bot_en", "price_hinglish", "human_en", "silent",
        "busy", "no_answer", "voicemail", "failed"}) {
    EXPECT_NE(catalog.Find(name), nullptr) << name;
  }
  EXPECT_EQ(catalog.Find("busy")->answer, AnswerKind::kBusy);
  EXPECT_EQ(catalog.Find("no_answer")->answer, AnswerKind::kNoAnswer);
  EXPECT_EQ(catalog.Find("voicemail")->answer, AnswerKind::kVoicemail);
  EXPECT_EQ(catalog.Find("failed")->answer, AnswerKind::kFail);
  EXPECT_EQ(catalog.Find("opt_out_hi")->script.at(0), "मुझे दोबारा फ़ोन मत करना");
  EXPECT_EQ(catalog.Find("opt_out_hi")->SpeechLanguage(), "hi-IN");
}

TEST(Persona, SaysScriptInOrderThenFallsSilent) {
  PersonaCatalog catalog = PersonaCatalog::BuiltIn();
  PersonaConversation talk(*catalog.Find("interested_en"));
  EXPECT_EQ(talk.Reply("Hello, this is Asha").say, "Yes, I am interested, tell me more");
  EXPECT_EQ(talk.Reply("It is a home loan").say, "Yes please go ahead");
  EXPECT_EQ(talk.Reply("Anything else?").say, "");
  EXPECT_EQ(talk.turns(), 3);
}

TEST(Persona, RuleKeywordsMatchCaseInsensitivelyBeforeTheScript) {
  PersonaCatalog catalog = PersonaCatalog::BuiltIn();
  PersonaConversation talk(*catalog.Find("interested_en"));
  PersonaReply reply = talk.Reply("To confirm, PRESS 1 now");
  EXPECT_EQ(reply.digits, "1");
  EXPECT_EQ(reply.say, "");
  // The rule did not use up a script line.
  EXPECT_EQ(talk.Reply("hello").say, "Yes, I am interested, tell me more");
}

TEST(Persona, FromJsonReadsRulesAndHangsUpAfterTurns) {
  auto persona = Persona::FromJson(nlohmann::json::parse(R"({
    "name": "custom", "answer": "human", "language": "hinglish", "ring_seconds": 2,
    "replies": [{"when": ["Price"], "say": "kitna hai?"}],
    "script": ["haan boliye", "theek hai"], "hang_up_after": 2})"));
  ASSERT_TRUE(persona.ok()) << persona.error().message;
  PersonaConversation talk(*persona);
  PersonaReply first = talk.Reply("what about the price?");
  EXPECT_EQ(first.say, "kitna hai?");
  EXPECT_FALSE(first.hang_up);
  PersonaReply second = talk.Reply("hello");
  EXPECT_EQ(second.say, "haan boliye");
  EXPECT_TRUE(second.hang_up);
}

TEST(Persona, FromJsonRejectsUnknownFieldsAndBadValues) {
  EXPECT_FALSE(Persona::FromJson(nlohmann::json::parse(R"({"name": "x", "mood": "sad"})")).ok());
  EXPECT_FALSE(
      Persona::FromJson(nlohmann::json::parse(R"({"name": "x", "answer": "maybe"})")).ok());
  EXPECT_FALSE(Persona::FromJson(nlohmann::json::parse(R"({"name": "x", "language": "fr"})")).ok());
  EXPECT_FALSE(Persona::FromJson(nlohmann::json::parse(R"({"answer": "human"})")).ok());
  auto bad_rule = Persona::FromJson(
      nlohmann::json::parse(R"({"name": "x", "replies": [{"say": "no keywords"}]})"));
  ASSERT_FALSE(bad_rule.ok());
  EXPECT_NE(bad_rule.error().message.find("when"), std::string::npos);
}

TEST(PersonaDirectory, ExactNumbersWinAndTheRestHashStably) {
  auto directory = PersonaDirectory::FromJson(nlohmann::json::parse(R"({
    "personas": [{"name": "mine", "script": ["hi"]}],
    "numbers": {"+919800000001": "busy", "+919800000002": "mine"}})"));
  ASSERT_TRUE(directory.ok()) << directory.error().message;
  EXPECT_EQ(directory->ForNumber("+919800000001").name, "busy");
  EXPECT_EQ(directory->ForNumber("+919800000002").name, "mine");
  // Unlisted numbers: the same number always gets the same persona, and a spread of
  // numbers reaches several personas of the default mix.
  std::map<std::string, int> seen;
  for (int i = 0; i < 400; ++i) {
    const std::string number = "+9199" + std::to_string(10000000 + i * 7919);
    EXPECT_EQ(directory->ForNumber(number).name, directory->ForNumber(number).name);
    ++seen[directory->ForNumber(number).name];
  }
  EXPECT_GE(seen.size(), 8u);
  EXPECT_EQ(seen.count("mine"), 0u);  // not in the mix
}

TEST(PersonaDirectory, MixWeightsDecide) {
  auto directory = PersonaDirectory::FromJson(
      nlohmann::json::parse(R"({"mix": {"busy": 1, "interested_en": 0}})"));
  ASSERT_TRUE(directory.ok());
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(directory->ForNumber("+9198" + std::to_string(20000000 + i)).name, "busy");
  }
}

TEST(PersonaDirectory, RejectsUnknownPersonaNames) {
  auto bad_number = PersonaDirectory::FromJson(
      nlohmann::json::parse(R"({"numbers": {"+919800000001": "nobody"}})"));
  ASSERT_FALSE(bad_number.ok());
  EXPECT_NE(bad_number.error().message.find("+919800000001"), std::string::npos);
  EXPECT_FALSE(PersonaDirectory::FromJson(nlohmann::json::parse(R"({"mix": {"nobody": 1}})")).ok());
  EXPECT_FALSE(PersonaDirectory::FromJson(nlohmann::json::parse(R"({"extra": 1})")).ok());
}

TEST(PersonaDirectory, ReadsAFile) {
  const std::string path = ::testing::TempDir() + "/personas_h3.json";
  {
    std::ofstream out(path);
    out << R"({"numbers": {"+919811111111": "voicemail"}})";
  }
  auto directory = PersonaDirectory::FromFile(path);
  ASSERT_TRUE(directory.ok()) << directory.error().message;
  EXPECT_EQ(directory->ForNumber("+919811111111").name, "voicemail");
  EXPECT_FALSE(PersonaDirectory::FromFile(path + ".missing").ok());
}

TEST(Wav, IsValidPcmAndGrowsWithTheCall) {
  std::vector<SimTurn> short_call = {{"agent", "hello"}, {"callee", "hi"}};
  std::vector<SimTurn> long_call = short_call;
  for (int i = 0; i < 6; ++i) long_call.push_back({i % 2 ? "callee" : "agent", "more"});
  const std::string mono = RenderCallWav(short_call, 1);
  auto info = ReadWavInfo(mono);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->sample_rate, 8000);
  EXPECT_EQ(info->bits_per_sample, 16);
  EXPECT_GT(info->seconds(), 0.5);
  auto dual = ReadWavInfo(RenderCallWav(long_call, 2));
  ASSERT_TRUE(dual.ok());
  EXPECT_EQ(dual->channels, 2);
  EXPECT_GT(dual->frames, info->frames);
  EXPECT_EQ(RenderCallWav(long_call, 2), RenderCallWav(long_call, 2));  // deterministic
  EXPECT_FALSE(ReadWavInfo(mono.substr(0, mono.size() - 2)).ok());
  EXPECT_FALSE(ReadWavInfo("RIFF").ok());
}

}  // namespace
}  // namespace vaarta::sim
