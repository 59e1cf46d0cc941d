#include "conversation/rule_intent_classifier.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "campaigns/script.h"

namespace vaarta::conversation {
namespace {

struct Case {
  const char* text;
  const char* intent;
  const char* also = "";  // a second acceptable intent
};

class RuleIntentClassifierTest : public ::testing::Test {
 protected:
  IntentResult Classify(const std::string& text) const {
    return classifier_.Classify(normalizer_.Normalize(text));
  }
  void ExpectAll(const std::vector<Case>& cases) const {
    for (const auto& c : cases) {
      IntentResult r = Classify(c.text);
      EXPECT_TRUE(r.intent == c.intent || r.intent == c.also)
          << "\"" << c.text << "\" -> " << r.intent << " (" << r.confidence << "), want "
          << c.intent;
      EXPECT_GE(r.confidence, 0.5) << c.text;
    }
  }
  TextNormalizer normalizer_;
  RuleIntentClassifier classifier_{normalizer_};
};

TEST_F(RuleIntentClassifierTest, UnderstandsTheSimulatorPersonas) {
  ExpectAll({
      {"Yes, I am interested, tell me more", "interested"},
      {"Yes please go ahead", "affirm", "interested"},
      {"No thanks, I am not interested", "not_interested"},
      {"Abhi busy hoon, kal shaam 6 baje call karna", "callback_request"},
      {"Can you call me tomorrow at 5 pm", "callback_request"},
      {"मुझे दोबारा फ़ोन मत करना", "opt_out"},
      {"mujhe dobara call mat karna", "opt_out"},
      {"Stop calling me, remove my number", "opt_out"},
      {"Wrong number, there is no Rahul here", "wrong_number"},
      {"Am I talking to a robot?", "is_bot"},
      {"ok fine, not interested", "not_interested"},
      {"Iska price kya hai?", "ask_price"},
      {"theek hai interested hoon", "interested"},
      {"I want to talk to a real person", "human_agent"},
  });
}

TEST_F(RuleIntentClassifierTest, OptOutInEveryScript) {
  ExpectAll({
      {"don't call me again", "opt_out"},
      {"please do not call this number", "opt_out"},
      {"remove my number from your list", "opt_out"},
      {"put me on do not disturb", "opt_out"},
      {"unsubscribe me", "opt_out"},
      {"stop", "opt_out"},
      {"never call me", "opt_out"},
      {"no more calls please", "opt_out"},
      {"I am not interested, don't call again", "opt_out"},
      {"mat karo call", "opt_out"},
      {"call mat karna", "opt_out"},
      {"phone mat karna", "opt_out"},
      {"dobara mat karna", "opt_out"},
      {"band karo ye sab", "opt_out"},
      {"ye calls band karo", "opt_out"},
      {"mera number hata do", "opt_out"},
      {"kabhi call mat karna", "opt_out"},
      {"yes yes ok, but dont call again", "opt_out"},
      {"मत करना फ़ोन", "opt_out"},
      {"फ़ोन मत करो", "opt_out"},
      {"मुझे कॉल मत करो", "opt_out"},
      {"मेरा नंबर हटा दो", "opt_out"},
      {"दोबारा कॉल मत करना", "opt_out"},
      {"फोन मत करना दोबारा", "opt_out"},
  });
}

TEST_F(RuleIntentClassifierTest, NotNowIsACallbackNotAnOptOut) {
  ExpectAll({
      {"abhi call mat karo, kal karna", "callback_request"},
      {"don't call me now, call me tomorrow evening", "callback_request"},
  });
}

TEST_F(RuleIntentClassifierTest, HonestyIntents) {
  ExpectAll({
      {"are you a robot", "is_bot"},
      {"is this a recorded call", "is_bot"},
      {"kya ye recorded call hai", "is_bot"},
      {"kya aap insaan ho", "is_bot"},
      {"how did you get my number", "how_got_number"},
      {"mera number kahan se mila", "how_got_number"},
      {"आपको मेरा नंबर कहाँ से मिला", "how_got_number"},
      {"who gave you my number", "how_got_number"},
      {"who is this", "who_is_calling"},
      {"kaun bol raha hai", "who_is_calling"},
      {"which company is this", "who_is_calling"},
      {"wrong number", "wrong_number"},
      {"galat number hai", "wrong_number"},
      {"गलत नंबर", "wrong_number"},
      {"yahan koi Rahul nahi rehta", "wrong_number"},
      {"let me talk to a human", "human_agent"},
      {"kisi insaan se baat karao", "human_agent"},
      {"connect me to your manager", "human_agent"},
      {"customer care se baat karni hai", "human_agent"},
  });
}

TEST_F(RuleIntentClassifierTest, TheRestOfTheIntents) {
  ExpectAll({
      {"hello?", "greeting"},
      {"haan ji boliye", "greeting"},
      {"नमस्ते", "greeting"},
      {"yes", "affirm"},
      {"haan", "affirm"},
      {"जी", "affirm"},
      {"theek hai", "affirm"},
      {"no", "deny"},
      {"nahi", "deny"},
      {"जी नहीं", "deny"},
      {"sounds good, tell me more", "interested"},
      {"mujhe chahiye", "interested"},
      {"not interested", "not_interested"},
      {"nahi chahiye", "not_interested"},
      {"मुझे नहीं चाहिए", "not_interested"},
      {"interested nahi hoon", "not_interested"},
      {"call me tomorrow at 5", "callback_request"},
      {"baad mein call karna", "callback_request"},
      {"I'm driving right now", "callback_request"},
      {"parso subah 10 baje", "callback_request"},
      {"कल शाम 6 बजे", "callback_request"},
      {"how much does it cost", "ask_price"},
      {"kitne ka hai", "ask_price"},
      {"कीमत क्या है", "ask_price"},
      {"what is the interest rate", "ask_price"},
      {"what is this about", "ask_details"},
      {"details batao", "ask_details"},
      {"how does it work", "ask_details"},
      {"hindi mein bolo", "language_switch"},
      {"speak in English please", "language_switch"},
      {"bahut mehenga hai", "objection_price"},
      {"too expensive", "objection_price"},
      {"I already have a loan", "objection_existing"},
      {"pehle se hai", "objection_existing"},
      {"is this a scam?", "objection_trust"},
      {"ye fraud to nahi", "objection_trust"},
      {"sorry?", "repeat"},
      {"phir se boliye", "repeat"},
      {"samajh nahi aaya", "repeat"},
      {"I didn't catch that", "repeat"},
      {"okay bye", "goodbye"},
      {"phone rakhta hoon", "goodbye"},
      {"what's the cricket score", "out_of_scope"},
  });
}

TEST_F(RuleIntentClassifierTest, NamesTheLanguageAskedFor) {
  EXPECT_EQ(Classify("hindi mein bolo").target_language, "hi");
  EXPECT_EQ(Classify("speak in English please").target_language, "en");
  EXPECT_EQ(Classify("hindi nahi aati").target_language, "en");
  EXPECT_EQ(Classify("मुझे अंग्रेज़ी नहीं आती").intent, "language_switch");
  EXPECT_EQ(Classify("मुझे अंग्रेज़ी नहीं आती").target_language, "hi");
}

TEST_F(RuleIntentClassifierTest, IdentifiesTheLanguage) {
  EXPECT_EQ(Classify("Can you call me tomorrow").language, "en");
  EXPECT_EQ(Classify("Abhi busy hoon, kal call karna").language, "hinglish");
  EXPECT_EQ(Classify("haan").language, "hinglish");
  EXPECT_EQ(Classify("मुझे दोबारा फ़ोन मत करना").language, "hi");
  EXPECT_EQ(Classify("").language, "");
}

TEST_F(RuleIntentClassifierTest, EmptyTextHasNoIntentAndUnknownTextALowConfidence) {
  EXPECT_EQ(Classify("").intent, "");
  IntentResult unknown = Classify("purple elephant giraffe");
  EXPECT_EQ(unknown.intent, "out_of_scope");
  EXPECT_LT(unknown.confidence, 0.5);
}

TEST_F(RuleIntentClassifierTest, ReturnsOnlyKnownIntents) {
  for (const char* text : {"yes", "hello", "blah", "mat", "kal", "stop calling"}) {
    EXPECT_TRUE(campaigns::IsIntent(Classify(text).intent)) << text;
  }
}

}  // namespace
}  // namespace vaarta::conversation
