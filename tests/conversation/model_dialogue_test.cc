// Whole scripted conversations through the dialogue manager with the production
// classifier (the trained fastText model with the rule layer), in English, Hindi,
// Hinglish and switching mid-call, phrased the way callees talk rather than the way the
// rules are written; plus the sentiment, summary and LLM-phrasing behaviour.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "campaigns/script_generator.h"
#include "campaigns/script_test_helpers.h"
#include "conversation/answer_phraser.h"
#include "conversation/dialogue_test_helpers.h"
#include "conversation/script_dialogue.h"
#include "conversation/utterance_understanding.h"
#include "core/clock.h"

namespace vaarta::conversation {
namespace {

using dialer::Disposition;

using test::At;
using test::Has;
using test::Lines;

// A phraser that answers from the facts it is given, and remembers the request.
class EchoPhraser final : public AnswerPhraser {
 public:
  std::optional<std::string> Phrase(const PhraseRequest& request) const override {
    last = request;
    if (refuse) return std::nullopt;
    return "In short: " + request.facts.front();
  }
  mutable PhraseRequest last;
  bool refuse = false;
};

class ModelDialogueTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto u = UtteranceUnderstanding::WithModel(VAARTA_INTENT_MODEL);
    ASSERT_TRUE(u.ok()) << u.error().message;
    understanding_ = u->release();
  }
  static void TearDownTestSuite() { delete understanding_; }

  void SetUp() override {
    campaign_ = std::make_shared<campaigns::Campaign>(campaigns::test::GoldLoans());
    campaign_->script = campaigns::GenerateTemplateScript(*campaign_);
    campaign_->knowledge = {{"faq", "", "What is the interest rate?", "ब्याज दर क्या है?",
                             "The interest rate is 1 percent per month.",
                             "ब्याज दर 1 प्रतिशत प्रति माह है।"}};
    ScriptEngineOptions options;
    options.phraser = &phraser_;
    engine_ =
        std::make_unique<ScriptConversationEngine>(understanding_->classifier(), clock_, options);
  }

  std::unique_ptr<ConversationSession> Start(const std::string& language,
                                             const std::string& transfer_to = "") {
    CallContext context;
    context.campaign = campaign_;
    context.campaign_id = 7;
    context.lead_id = 11;
    context.attempt_id = 13;
    context.lead_name = "Rahul";
    context.lead_source = "your enquiry on our website";
    context.language = language;
    context.now_ms = now_;
    context.transfer_to = transfer_to;
    auto session = engine_->Start(context);
    EXPECT_TRUE(session.ok());
    auto s = std::move(*session);
    s->Open();
    return s;
  }
  Utterance Say(const std::string& text) const { return Utterance{text, 0.9, "", now_}; }

  static UtteranceUnderstanding* understanding_;
  const int64_t now_ = At("2026-03-10T11:00:00+05:30");  // a Tuesday
  core::ManualClock clock_{now_};
  EchoPhraser phraser_;
  std::shared_ptr<campaigns::Campaign> campaign_;
  std::unique_ptr<ScriptConversationEngine> engine_;
};

UtteranceUnderstanding* ModelDialogueTest::understanding_ = nullptr;

TEST_F(ModelDialogueTest, EnglishCallEndsInterested) {
  auto s = Start("en");
  AgentTurn qualify = s->Hear(Say("yeah speaking go ahead"));
  EXPECT_EQ(qualify.step, "qualify") << Lines(qualify);
  AgentTurn pitch = s->Hear(Say("sounds useful actually, tell me more about it"));
  EXPECT_EQ(pitch.intent, "interested");
  EXPECT_EQ(pitch.disposition, Disposition::kInterested);
  AgentTurn close = s->Hear(Say("sure"));
  AgentTurn done = s->Hear(Say("yes"));
  EXPECT_TRUE(done.end_call) << Lines(close) << Lines(done);
  EXPECT_EQ(done.disposition, Disposition::kInterested);
  EXPECT_NE(done.summary.find("Outcome: interested"), std::string::npos) << done.summary;
  EXPECT_NE(done.summary.find("Spoke English"), std::string::npos) << done.summary;
}

TEST_F(ModelDialogueTest, HindiOptOutAsksForTheDoNotCallEntryBeforeTheGoodbye) {
  auto s = Start("hi");
  AgentTurn turn = s->Hear(Say("आप लोग रोज़ फ़ोन करते हो, मेरा नंबर अपनी लिस्ट से निकाल दो"));
  EXPECT_EQ(turn.intent, "opt_out");
  EXPECT_EQ(turn.action, "add_do_not_call");  // the transport writes it before speaking
  EXPECT_TRUE(turn.end_call);
  EXPECT_EQ(turn.disposition, Disposition::kOptedOut);
  EXPECT_EQ(turn.language, "hi");
}

TEST_F(ModelDialogueTest, HinglishPriceQuestionThenCallback) {
  auto s = Start("en");
  s->Hear(Say("haan ji bolo"));
  AgentTurn price = s->Hear(Say("achha ye batao interest kitna lagega mahine ka"));
  EXPECT_EQ(price.intent, "ask_price");
  EXPECT_EQ(price.language, "hi");
  // The answer comes from the knowledge base, phrased by the phraser from that fact.
  EXPECT_TRUE(Has(price, "In short: ब्याज दर 1 प्रतिशत प्रति माह है।")) << Lines(price);
  EXPECT_EQ(phraser_.last.facts.size(), 1u);
  EXPECT_EQ(phraser_.last.language, "hi");
  AgentTurn callback = s->Hear(Say("abhi office mein hoon yaar, parso subah 11 baje phone karna"));
  EXPECT_EQ(callback.intent, "callback_request");
  EXPECT_EQ(callback.action, "book_callback");
  ASSERT_TRUE(callback.callback_at_ms);
  EXPECT_EQ(*callback.callback_at_ms, At("2026-03-12T11:00:00+05:30"));
  EXPECT_EQ(callback.disposition, Disposition::kCallbackBooked);
  // The agent says the booked time back, in the call's language.
  EXPECT_TRUE(Has(callback, "आपको गुरुवार 12 मार्च, सुबह 11:00 बजे कॉल किया जाएगा।")) << Lines(callback);
  EXPECT_NE(callback.summary.find("Asked about the price"), std::string::npos) << callback.summary;
}

TEST_F(ModelDialogueTest, WhenThePhraserFallsBackTheFactIsQuotedAsWritten) {
  phraser_.refuse = true;
  auto s = Start("en");
  s->Hear(Say("yes tell me"));
  AgentTurn price = s->Hear(Say("what's the rate of interest on this"));
  EXPECT_EQ(price.intent, "ask_price");
  EXPECT_TRUE(Has(price, "The interest rate is 1 percent per month.")) << Lines(price);
  EXPECT_FALSE(Has(price, "In short"));
}

TEST_F(ModelDialogueTest, CodeSwitchingMidCallWithTruthfulAnswers) {
  auto s = Start("en");
  AgentTurn t1 = s->Hear(Say("haan boliye kaun bol raha hai"));
  EXPECT_EQ(t1.language, "hi");
  AgentTurn t2 = s->Hear(Say("please talk in english i don't follow hindi well"));
  EXPECT_EQ(t2.intent, "language_switch");
  EXPECT_EQ(t2.language, "en");
  AgentTurn t3 = s->Hear(Say("am i talking to some computer program"));
  EXPECT_EQ(t3.intent, "is_bot");
  EXPECT_TRUE(Has(t3, "automated")) << Lines(t3);
  AgentTurn t4 = s->Hear(Say("mera number aapko kisne diya"));
  EXPECT_EQ(t4.intent, "how_got_number");
  EXPECT_EQ(t4.language, "en");  // asked for English: it stays English
  EXPECT_TRUE(Has(t4, "your enquiry on our website")) << Lines(t4);
  AgentTurn t5 = s->Hear(Say("bas ab dubara phone mat karna"));
  EXPECT_EQ(t5.action, "add_do_not_call");
  EXPECT_EQ(t5.disposition, Disposition::kOptedOut);
}

TEST_F(ModelDialogueTest, ACallbackAskedForAtNightIsMovedIntoTheWindowAndSaidSo) {
  auto s = Start("en");
  AgentTurn turn = s->Hear(Say("i'm busy now, call me tonight at 11"));
  EXPECT_EQ(turn.action, "book_callback");
  ASSERT_TRUE(turn.callback_at_ms);
  EXPECT_EQ(*turn.callback_at_ms, At("2026-03-10T23:00:00+05:30"));  // what was asked
  EXPECT_TRUE(Has(turn,
                  "We may only call between 10:00 am and 9:00 pm, so we will call you "
                  "on Wednesday 11 March at 10:00 am."))
      << Lines(turn);
}

TEST_F(ModelDialogueTest, WrongNumberIsMarked) {
  auto s = Start("hi");
  AgentTurn turn = s->Hear(Say("ye rahul ka number nahi hai aapne galat jagah phone kiya"));
  EXPECT_EQ(turn.intent, "wrong_number");
  EXPECT_EQ(turn.action, "mark_wrong_number");
  EXPECT_EQ(turn.disposition, Disposition::kWrongNumber);
}

TEST_F(ModelDialogueTest, AnAngryCalleeIsOfferedAPerson) {
  auto s = Start("en", "+919800000001");
  s->Hear(Say("yes"));
  AgentTurn turn = s->Hear(Say("what is this nonsense you stupid people waste my time"));
  EXPECT_EQ(turn.sentiment, "negative");
  EXPECT_LT(turn.sentiment_score, -0.6);
  EXPECT_EQ(turn.action, "transfer") << turn.intent << " " << Lines(turn);
  EXPECT_EQ(turn.transfer_to, "+919800000001");
  EXPECT_NE(turn.summary.find("angry"), std::string::npos) << turn.summary;
}

TEST_F(ModelDialogueTest, AnAngryCalleeWithNoOneToTransferToGetsAPersonsCallback) {
  auto s = Start("en");
  s->Hear(Say("yes"));
  AgentTurn turn = s->Hear(Say("pagal ho kya, kya bakwas hai ye, ghatiya company"));
  EXPECT_EQ(turn.action, "book_callback") << turn.intent << " " << Lines(turn);
  // The callee spoke Hinglish, so the agent answers in Hindi: a person will call back.
  EXPECT_TRUE(Has(turn, "कोई व्यक्ति आपको वापस कॉल करेगा")) << Lines(turn);
}

TEST_F(ModelDialogueTest, SentimentAndTopicsSurviveASavedState) {
  auto s = Start("en");
  s->Hear(Say("how much does it cost"));
  auto state = s->SaveState();
  CallContext context;
  context.campaign = campaign_;
  context.language = "en";
  auto resumed = engine_->Resume(context, state);
  ASSERT_TRUE(resumed.ok());
  AgentTurn bye = (*resumed)->Hear(Say("no not interested thanks"));
  EXPECT_TRUE(bye.end_call);
  EXPECT_NE(bye.summary.find("Asked about the price"), std::string::npos) << bye.summary;
  EXPECT_NE(bye.summary.find("not_interested"), std::string::npos) << bye.summary;
}

TEST(UnderstandingTest, ClassifyJsonHasTheIssuesShape) {
  auto u = UtteranceUnderstanding::WithModel(VAARTA_INTENT_MODEL);
  ASSERT_TRUE(u.ok());
  auto zone = campaigns::ZoneRules::Load("Asia/Kolkata");
  ASSERT_TRUE(zone);
  auto understood =
      (*u)->Understand("kal shaam 5 baje call karna", At("2026-03-10T11:00:00+05:30"), *zone);
  auto j = understood.ToJson(*zone);
  EXPECT_EQ(j["intent"], "callback_request");
  EXPECT_EQ(j["language"], "hinglish");
  EXPECT_EQ(j["entities"]["callback_at"], "2026-03-11T17:00:00+05:30");
  EXPECT_GT(j["confidence"].get<double>(), 0.5);
  for (const char* key : {"text", "intent", "confidence", "language", "sentiment", "entities"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
}

}  // namespace
}  // namespace vaarta::conversation
