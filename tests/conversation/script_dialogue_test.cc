#include "conversation/script_dialogue.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "campaigns/script_generator.h"
#include "campaigns/script_test_helpers.h"
#include "conversation/dialogue_test_helpers.h"
#include "conversation/rule_intent_classifier.h"
#include "core/clock.h"

namespace vaarta::conversation {
namespace {

using dialer::Disposition;

using test::At;
using test::Has;
using test::Lines;

std::shared_ptr<campaigns::Campaign> GoldLoans() {
  auto campaign = std::make_shared<campaigns::Campaign>(campaigns::test::GoldLoans());
  campaign->script = campaigns::GenerateTemplateScript(*campaign);
  campaign->knowledge = {
      {"faq", "", "What is the interest rate?", "ब्याज दर क्या है?",
       "The interest rate is 1 percent per month.", "ब्याज दर 1 प्रतिशत प्रति माह है।"},
      {"objection", "objection_price", "It is too expensive", "यह बहुत महंगा है",
       "There is no processing fee in March.", "मार्च में कोई प्रोसेसिंग फीस नहीं है।"}};
  return campaign;
}

class ScriptDialogueTest : public ::testing::Test {
 protected:
  CallContext Context(const std::string& language = "en") const {
    CallContext context;
    context.campaign = campaign_;
    context.campaign_id = 7;
    context.lead_id = 11;
    context.attempt_id = 13;
    context.lead_name = "Rahul";
    context.lead_source = "your enquiry on our website";
    context.language = language;
    context.now_ms = now_;
    return context;
  }
  std::unique_ptr<ConversationSession> Start(const CallContext& context) {
    auto session = engine_.Start(context);
    EXPECT_TRUE(session.ok());
    return std::move(*session);
  }
  Utterance Say(const std::string& text, double confidence = 0.9) const {
    return Utterance{text, confidence, "", now_};
  }

  // Tuesday 10 March 2026, 11:00 in India.
  const int64_t now_ = At("2026-03-10T11:00:00+05:30");
  core::ManualClock clock_{now_};
  TextNormalizer normalizer_;
  RuleIntentClassifier classifier_{normalizer_};
  ScriptConversationEngine engine_{classifier_, clock_};
  std::shared_ptr<campaigns::Campaign> campaign_ = GoldLoans();
};

TEST_F(ScriptDialogueTest, OpensWithTheDisclosures) {
  auto session = Start(Context());
  AgentTurn open = session->Open();
  ASSERT_EQ(open.lines.size(), 1u) << Lines(open);
  EXPECT_TRUE(Has(open, "Sharma Gold Loans"));
  EXPECT_TRUE(Has(open, "automated AI assistant"));
  EXPECT_TRUE(Has(open, "This call is recorded"));
  EXPECT_TRUE(Has(open, "stop calling"));
  EXPECT_TRUE(Has(open, "book a gold loan appraisal visit"));
  EXPECT_TRUE(Has(open, "this is Vaarta"));
  EXPECT_EQ(open.step, "greeting");
  EXPECT_EQ(open.language, "en");
  EXPECT_EQ(open.action, "");
  EXPECT_FALSE(open.end_call);
  EXPECT_FALSE(open.disposition.has_value());
}

TEST_F(ScriptDialogueTest, AddsTheRecordingAnnouncementWhenTheGreetingLacksIt) {
  campaigns::test::StepOf(campaign_->script, "greeting")["lines"]["en"] =
      "Hello, this is {agent}, an automated assistant of {business}. Do you have a minute?";
  campaigns::test::StepOf(campaign_->script, "greeting")["lines"]["hi"] =
      "नमस्ते, मैं {agent} हूँ। क्या आपके पास एक मिनट है?";
  AgentTurn en = Start(Context("en"))->Open();
  ASSERT_EQ(en.lines.size(), 2u) << Lines(en);
  EXPECT_EQ(en.lines[0], "This call is recorded.");
  AgentTurn hi = Start(Context("hi"))->Open();
  ASSERT_EQ(hi.lines.size(), 3u) << Lines(hi);
  EXPECT_EQ(hi.lines[0], "मैं एक स्वचालित सहायक हूँ।");
  EXPECT_EQ(hi.lines[1], "यह कॉल रिकॉर्ड की जा रही है।");
}

TEST_F(ScriptDialogueTest, EnglishCallEndsInterested) {
  auto session = Start(Context());
  session->Open();
  AgentTurn t1 = session->Hear(Say("yes"));
  EXPECT_EQ(t1.intent, "affirm");
  EXPECT_EQ(t1.step, "qualify");
  AgentTurn t2 = session->Hear(Say("Yes, I am interested, tell me more"));
  EXPECT_EQ(t2.step, "pitch");
  EXPECT_TRUE(Has(t2, "Loans against gold jewellery")) << Lines(t2);
  EXPECT_TRUE(Has(t2, "No processing fee in March"));
  EXPECT_EQ(t2.disposition, Disposition::kInterested);
  AgentTurn t3 = session->Hear(Say("Yes please go ahead"));
  EXPECT_EQ(t3.step, "close");
  EXPECT_FALSE(t3.end_call);
  AgentTurn t4 = session->Hear(Say("yes"));
  EXPECT_EQ(t4.step, "close_confirmed");
  EXPECT_EQ(t4.action, "end_call");
  EXPECT_TRUE(t4.end_call);
  EXPECT_EQ(t4.disposition, Disposition::kInterested);
  AgentTurn after = session->Hear(Say("hello?"));
  EXPECT_TRUE(after.end_call);
  EXPECT_TRUE(after.lines.empty());
}

TEST_F(ScriptDialogueTest, NotInterestedEndsPolitely) {
  auto session = Start(Context());
  session->Open();
  AgentTurn turn = session->Hear(Say("No thanks, I am not interested"));
  EXPECT_EQ(turn.step, "goodbye");
  EXPECT_EQ(turn.action, "end_call");
  EXPECT_TRUE(turn.end_call);
  EXPECT_EQ(turn.disposition, Disposition::kNotInterested);
  EXPECT_TRUE(Has(turn, "Thank you for your time"));
}

TEST_F(ScriptDialogueTest, HindiOptOutWritesDoNotCallWithTheGoodbye) {
  auto session = Start(Context("hi"));
  AgentTurn open = session->Open();
  EXPECT_EQ(open.language, "hi");
  EXPECT_TRUE(Has(open, "रिकॉर्ड"));
  AgentTurn turn = session->Hear(Say("मुझे दोबारा फ़ोन मत करना"));
  EXPECT_EQ(turn.intent, "opt_out");
  EXPECT_EQ(turn.callee_language, "hi");
  EXPECT_EQ(turn.action, "add_do_not_call");
  EXPECT_TRUE(turn.end_call);
  EXPECT_EQ(turn.disposition, Disposition::kOptedOut);
  EXPECT_EQ(turn.language, "hi");
  EXPECT_TRUE(Has(turn, "आपका नंबर हटा दिया गया है")) << Lines(turn);
}

TEST_F(ScriptDialogueTest, OptOutIsActedOnEvenWhenTheRecogniserIsUnsure) {
  auto session = Start(Context());
  session->Open();
  AgentTurn turn = session->Hear(Say("stop calling me", 0.2));
  EXPECT_EQ(turn.action, "add_do_not_call");
  EXPECT_EQ(turn.disposition, Disposition::kOptedOut);
}

TEST_F(ScriptDialogueTest, HinglishCallbackIsBookedAtTheTimeAskedInHindi) {
  auto session = Start(Context("en"));
  session->Open();
  AgentTurn turn = session->Hear(Say("Abhi busy hoon, kal shaam 6 baje call karna"));
  EXPECT_EQ(turn.intent, "callback_request");
  EXPECT_EQ(turn.callee_language, "hinglish");
  EXPECT_EQ(turn.action, "book_callback");
  ASSERT_TRUE(turn.callback_at_ms.has_value());
  EXPECT_EQ(*turn.callback_at_ms, At("2026-03-11T18:00:00+05:30"));
  EXPECT_EQ(turn.disposition, Disposition::kCallbackBooked);
  EXPECT_TRUE(turn.end_call);
  EXPECT_EQ(turn.language, "hi");
  EXPECT_TRUE(Has(turn, "वापस कॉल")) << Lines(turn);
}

TEST_F(ScriptDialogueTest, CallbackTimeGivenAfterTheAgentAsks) {
  auto session = Start(Context());
  session->Open();
  AgentTurn ask = session->Hear(Say("no"));
  EXPECT_EQ(ask.step, "ask_callback");
  AgentTurn booked = session->Hear(Say("Can you call me tomorrow at 5 pm"));
  EXPECT_EQ(booked.action, "book_callback");
  ASSERT_TRUE(booked.callback_at_ms.has_value());
  EXPECT_EQ(*booked.callback_at_ms, At("2026-03-11T17:00:00+05:30"));
  EXPECT_EQ(booked.language, "en");
}

TEST_F(ScriptDialogueTest, WrongNumberMarksTheLead) {
  auto session = Start(Context());
  session->Open();
  AgentTurn turn = session->Hear(Say("Wrong number, there is no Rahul here"));
  EXPECT_EQ(turn.action, "mark_wrong_number");
  EXPECT_EQ(turn.disposition, Disposition::kWrongNumber);
  EXPECT_TRUE(turn.end_call);
}

TEST_F(ScriptDialogueTest, AnswersHonestlyWhoItIsAndWhereTheNumberCameFrom) {
  auto session = Start(Context());
  session->Open();
  AgentTurn bot = session->Hear(Say("Am I talking to a robot?"));
  EXPECT_EQ(bot.step, "answer_is_bot");
  EXPECT_TRUE(Has(bot, "automated AI assistant")) << Lines(bot);
  EXPECT_TRUE(Has(bot, "not a person"));
  AgentTurn source = session->Hear(Say("how did you get my number"));
  EXPECT_EQ(source.step, "answer_source");
  EXPECT_TRUE(Has(source, "from your enquiry on our website")) << Lines(source);
  EXPECT_FALSE(source.end_call);
}

TEST_F(ScriptDialogueTest, UnknownLeadSourceIsNotInvented) {
  CallContext context = Context();
  context.lead_source = "";
  auto session = Start(context);
  session->Open();
  AgentTurn source = session->Hear(Say("how did you get my number"));
  EXPECT_TRUE(Has(source, "Sharma Gold Loans's customer records")) << Lines(source);
}

TEST_F(ScriptDialogueTest, AnswersPricesOnlyFromTheKnowledgeBase) {
  auto session = Start(Context());
  session->Open();
  AgentTurn known = session->Hear(Say("what is the interest rate"));
  EXPECT_EQ(known.step, "answer_question");
  EXPECT_TRUE(Has(known, "The interest rate is 1 percent per month.")) << Lines(known);

  campaign_ = GoldLoans();
  campaign_->knowledge.clear();
  auto bare = Start(Context());
  bare->Open();
  AgentTurn unknown = bare->Hear(Say("how much does it cost"));
  EXPECT_EQ(unknown.step, "answer_question");
  EXPECT_TRUE(Has(unknown, "I do not have that information")) << Lines(unknown);
  EXPECT_FALSE(Has(unknown, "percent"));
  EXPECT_FALSE(Has(unknown, "{answer}"));

  auto hindi = Start(Context());
  hindi->Open();
  AgentTurn hindi_unknown = hindi->Hear(Say("Iska price kya hai?"));
  EXPECT_EQ(hindi_unknown.language, "hi");
  EXPECT_TRUE(Has(hindi_unknown, "यह जानकारी अभी मेरे पास नहीं है")) << Lines(hindi_unknown);
}

TEST_F(ScriptDialogueTest, ObjectionUsesItsEntry) {
  auto session = Start(Context());
  session->Open();
  AgentTurn turn = session->Hear(Say("too expensive"));
  EXPECT_EQ(turn.step, "objection_price");
  EXPECT_TRUE(Has(turn, "There is no processing fee in March.")) << Lines(turn);
}

TEST_F(ScriptDialogueTest, HumanAgentWithoutANumberBooksAPersonsCallback) {
  auto session = Start(Context());
  session->Open();
  AgentTurn turn = session->Hear(Say("I want to talk to a real person"));
  EXPECT_EQ(turn.intent, "human_agent");
  EXPECT_EQ(turn.action, "book_callback");
  EXPECT_EQ(turn.transfer_to, "");
  EXPECT_TRUE(Has(turn, "cannot connect you to a person")) << Lines(turn);
  EXPECT_FALSE(Has(turn, "please stay on the line"));
  EXPECT_EQ(turn.disposition, Disposition::kCallbackBooked);
  EXPECT_TRUE(turn.end_call);
}

TEST_F(ScriptDialogueTest, HumanAgentWithANumberIsTransferred) {
  CallContext context = Context();
  context.transfer_to = "+919800000001";
  auto session = Start(context);
  session->Open();
  AgentTurn turn = session->Hear(Say("let me talk to a human"));
  EXPECT_EQ(turn.action, "transfer");
  EXPECT_EQ(turn.transfer_to, "+919800000001");
  EXPECT_EQ(turn.disposition, Disposition::kTransferred);
  EXPECT_TRUE(Has(turn, "please stay on the line"));
}

TEST_F(ScriptDialogueTest, SilenceIsRepromptedOnceThenTheCallEnds) {
  auto session = Start(Context());
  session->Open();
  AgentTurn first = session->Hear(Say(""));
  EXPECT_EQ(first.intent, "");
  EXPECT_FALSE(first.end_call);
  ASSERT_EQ(first.lines.size(), 2u);
  EXPECT_EQ(first.lines[0], "Sorry, I could not hear you.");
  EXPECT_TRUE(Has(first, "Do you have a minute?"));
  AgentTurn second = session->Hear(Say(""));
  EXPECT_TRUE(second.end_call);
  EXPECT_EQ(second.action, "end_call");
  EXPECT_TRUE(Has(second, "Goodbye"));
  EXPECT_FALSE(second.disposition.has_value());
}

TEST_F(ScriptDialogueTest, LowConfidenceIsRepromptedAndAnAnswerResetsTheCount) {
  auto session = Start(Context());
  session->Open();
  AgentTurn unsure = session->Hear(Say("yes", 0.3));
  EXPECT_TRUE(Has(unsure, "Sorry, I did not catch that."));
  EXPECT_EQ(unsure.step, "greeting");
  AgentTurn gibberish = session->Hear(Say("purple elephant"));  // second in a row
  EXPECT_TRUE(gibberish.end_call);

  auto other = Start(Context());
  other->Open();
  other->Hear(Say("yes", 0.3));
  EXPECT_EQ(other->Hear(Say("yes")).step, "qualify");
  AgentTurn again = other->Hear(Say("purple elephant"));
  EXPECT_FALSE(again.end_call);
  EXPECT_EQ(again.step, "qualify");
}

TEST_F(ScriptDialogueTest, RepeatAndLanguageSwitchAreAnsweredInPlace) {
  auto session = Start(Context());
  AgentTurn open = session->Open();
  AgentTurn repeat = session->Hear(Say("sorry?"));
  EXPECT_EQ(repeat.step, "greeting");
  EXPECT_EQ(repeat.lines, open.lines);
  AgentTurn hindi = session->Hear(Say("hindi mein bolo"));
  EXPECT_EQ(hindi.step, "greeting");
  EXPECT_EQ(hindi.language, "hi");
  EXPECT_TRUE(Has(hindi, "नमस्ते, मैं Vaarta हूँ")) << Lines(hindi);
  EXPECT_EQ(hindi.action, "");
}

TEST_F(ScriptDialogueTest, CodeSwitchingMidCall) {
  auto session = Start(Context("en"));
  session->Open();
  // The callee answers in Hinglish: the agent follows in Hindi.
  AgentTurn t1 = session->Hear(Say("haan ji boliye"));
  EXPECT_EQ(t1.callee_language, "hinglish");
  EXPECT_EQ(t1.step, "qualify");
  EXPECT_EQ(t1.language, "hi");
  // Then asks for English: it stays English from then on.
  AgentTurn t2 = session->Hear(Say("speak in English please"));
  EXPECT_EQ(t2.language, "en");
  EXPECT_EQ(t2.step, "qualify");
  AgentTurn t3 = session->Hear(Say("kya ye recorded call hai"));
  EXPECT_EQ(t3.intent, "is_bot");
  EXPECT_EQ(t3.language, "en");
  EXPECT_TRUE(Has(t3, "automated AI assistant"));
  AgentTurn t4 = session->Hear(Say("mujhe dobara call mat karna"));
  EXPECT_EQ(t4.action, "add_do_not_call");
  EXPECT_EQ(t4.language, "en");
  EXPECT_TRUE(Has(t4, "Your number has been removed"));
}

TEST_F(ScriptDialogueTest, SavedStateResumesWithIdenticalBehaviour) {
  const std::vector<Utterance> said = {Say("haan ji"),
                                       Say(""),
                                       Say("Iska price kya hai?"),
                                       Say("theek hai interested hoon"),
                                       Say("too expensive"),
                                       Say("speak in English please"),
                                       Say("Yes please go ahead"),
                                       Say("kal shaam 6 baje call karna")};
  auto whole = Start(Context());
  std::vector<AgentTurn> expected = {whole->Open()};
  for (const auto& u : said) expected.push_back(whole->Hear(u));

  auto first = Start(Context());
  std::vector<AgentTurn> resumed = {first->Open()};
  nlohmann::json state = first->SaveState();
  for (const auto& u : said) {
    // Through text, as a stateless Gather round trip would carry it.
    auto session = engine_.Resume(Context(), nlohmann::json::parse(state.dump()));
    ASSERT_TRUE(session.ok()) << session.error().message;
    resumed.push_back((*session)->Hear(u));
    state = (*session)->SaveState();
  }
  ASSERT_EQ(resumed.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(resumed[i].lines, expected[i].lines) << i;
    EXPECT_EQ(resumed[i].action, expected[i].action) << i;
    EXPECT_EQ(resumed[i].step, expected[i].step) << i;
    EXPECT_EQ(resumed[i].language, expected[i].language) << i;
    EXPECT_EQ(resumed[i].disposition, expected[i].disposition) << i;
    EXPECT_EQ(resumed[i].callback_at_ms, expected[i].callback_at_ms) << i;
    EXPECT_EQ(resumed[i].end_call, expected[i].end_call) << i;
  }
  EXPECT_EQ(expected.back().action, "book_callback");
  EXPECT_TRUE(expected.back().callback_at_ms.has_value());
}

TEST_F(ScriptDialogueTest, RefusesScriptsAndStatesItCannotRun) {
  campaign_->script = nlohmann::json{{"version", 1}, {"steps", "not a list"}};
  auto started = engine_.Start(Context());
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, core::ErrorCode::kInvalidArgument);

  campaign_ = GoldLoans();
  nlohmann::json state = Start(Context())->SaveState();
  state["step"] = "no_such_step";
  state["opened"] = true;
  auto resumed = engine_.Resume(Context(), state);
  ASSERT_FALSE(resumed.ok());
  EXPECT_EQ(resumed.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(engine_.Resume(Context(), nlohmann::json{{"version", 99}}).ok());
}

}  // namespace
}  // namespace vaarta::conversation
