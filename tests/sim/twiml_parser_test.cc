#include "sim/twiml_parser.h"

#include <gtest/gtest.h>

namespace vaarta::sim {
namespace {

using namespace telephony;

TEST(TwimlParser, ReadsSayAndGatherWithNestedPrompts) {
  auto doc = ParseTwiml(R"(<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="Polly.Aditi" language="en-IN">Namaste &amp; hello</Say>
  <Gather input="speech" action="http://x/gather?c=1" language="hi-IN" speechTimeout="auto"
          timeout="4" hints="haan,nahi" actionOnEmptyResult="true">
    <Say language="hi-IN">Kya aap interested hain?</Say>
    <Pause length="2"/>
    <Play>http://x/beep.wav</Play>
  </Gather>
</Response>)");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->instructions.size(), 2u);
  const auto& say = std::get<SayVerb>(doc->instructions[0]);
  EXPECT_EQ(say.text, "Namaste & hello");
  EXPECT_EQ(say.voice, "Polly.Aditi");
  EXPECT_EQ(say.language, "en-IN");
  const auto& gather = std::get<GatherVerb>(doc->instructions[1]);
  EXPECT_EQ(gather.input, "speech");
  EXPECT_EQ(gather.action, "http://x/gather?c=1");
  EXPECT_EQ(gather.language, "hi-IN");
  EXPECT_EQ(gather.timeout_seconds, 4);
  EXPECT_EQ(gather.hints, "haan,nahi");
  EXPECT_TRUE(gather.action_on_empty_result);
  ASSERT_EQ(gather.prompts.size(), 3u);
  EXPECT_EQ(std::get<SayVerb>(gather.prompts[0]).text, "Kya aap interested hain?");
  EXPECT_EQ(std::get<PauseVerb>(gather.prompts[1]).seconds, 2);
  EXPECT_EQ(std::get<PlayVerb>(gather.prompts[2]).url, "http://x/beep.wav");
}

TEST(TwimlParser, ReadsDialRecordRedirectHangup) {
  auto doc = ParseTwiml(
      "<Response><Record action=\"/r\" maxLength=\"30\" playBeep=\"false\" trim=\"do-not-trim\"/>"
      "<Dial callerId=\"+911140000000\" action=\"/d\" "
      "timeout=\"20\"><Number>+919800000001</Number></Dial>"
      "<Dial>+919800000002</Dial>"
      "<Redirect method=\"GET\">http://x/next</Redirect><Hangup/></Response>");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->instructions.size(), 5u);
  const auto& record = std::get<RecordVerb>(doc->instructions[0]);
  EXPECT_EQ(record.max_length_seconds, 30);
  EXPECT_FALSE(record.play_beep);
  EXPECT_EQ(record.trim, "do-not-trim");
  const auto& dial = std::get<DialVerb>(doc->instructions[1]);
  EXPECT_EQ(dial.number, "+919800000001");
  EXPECT_EQ(dial.caller_id, "+911140000000");
  EXPECT_EQ(dial.action, "/d");
  EXPECT_EQ(dial.timeout_seconds, 20);
  EXPECT_EQ(std::get<DialVerb>(doc->instructions[2]).number, "+919800000002");
  const auto& redirect = std::get<RedirectVerb>(doc->instructions[3]);
  EXPECT_EQ(redirect.url, "http://x/next");
  EXPECT_EQ(redirect.method, "GET");
  EXPECT_TRUE(std::holds_alternative<HangupVerb>(doc->instructions[4]));
}

TEST(TwimlParser, ReadsConnectWithConversationRelayLanguagesAndParameters) {
  auto doc = ParseTwiml(R"(<Response><Connect action="http://x/connect-end">
  <ConversationRelay url="ws://127.0.0.1:9/relay" welcomeGreeting="Hello!" language="en-IN"
      ttsProvider="Google" interruptible="speech" dtmfDetection="false">
    <Language code="hi-IN" ttsProvider="Google" voice="hi-IN-Wavenet-A"/>
    <Parameter name="lead" value="42"/>
  </ConversationRelay></Connect></Response>)");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const auto& connect = std::get<ConnectVerb>(doc->instructions.at(0));
  EXPECT_EQ(connect.action, "http://x/connect-end");
  const auto& relay = std::get<ConversationRelayVerb>(connect.target);
  EXPECT_EQ(relay.url, "ws://127.0.0.1:9/relay");
  EXPECT_EQ(relay.welcome_greeting, "Hello!");
  EXPECT_EQ(relay.interruptible, "speech");
  EXPECT_FALSE(relay.dtmf_detection);
  EXPECT_EQ(relay.languages.at("hi-IN").at("voice"), "hi-IN-Wavenet-A");
  EXPECT_EQ(relay.parameters.at("lead"), "42");
}

TEST(TwimlParser, ReadsConnectStream) {
  auto doc = ParseTwiml(
      "<Response><Connect><Stream url=\"wss://x/media\" track=\"inbound_track\">"
      "<Parameter name=\"a\" value=\"b\"/></Stream></Connect></Response>");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const auto& stream = std::get<StreamVerb>(std::get<ConnectVerb>(doc->instructions[0]).target);
  EXPECT_EQ(stream.url, "wss://x/media");
  EXPECT_EQ(stream.track, "inbound_track");
  EXPECT_EQ(stream.parameters.at("a"), "b");
}

TEST(TwimlParser, MalformedXmlIsParseFailureNamingTheLine) {
  auto doc = ParseTwiml("<Response>\n<Say>hi</Say>\n<Gather>\n</Response>");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().detail_code, "12100");
  EXPECT_NE(doc.error().message.find("line 4"), std::string::npos) << doc.error().message;
}

TEST(TwimlParser, EmptyInputIsParseFailure) {
  auto doc = ParseTwiml("");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().detail_code, "12100");
}

TEST(TwimlParser, UnknownVerbIsSchemaErrorNamingLineAndVerb) {
  auto doc = ParseTwiml("<Response>\n<Say>hi</Say>\n<Dance/>\n</Response>");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().detail_code, "12200");
  EXPECT_NE(doc.error().message.find("line 3"), std::string::npos) << doc.error().message;
  EXPECT_NE(doc.error().message.find("Dance"), std::string::npos);
}

TEST(TwimlParser, RejectsWrongRootNestingAndBadAttributes) {
  EXPECT_EQ(ParseTwiml("<Reply><Say>x</Say></Reply>").error().detail_code, "12200");
  auto nested = ParseTwiml("<Response><Gather><Dial>+911</Dial></Gather></Response>");
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.error().message.find("<Gather> cannot contain <Dial>"), std::string::npos);
  auto pause = ParseTwiml("<Response><Pause length=\"soon\"/></Response>");
  ASSERT_FALSE(pause.ok());
  EXPECT_NE(pause.error().message.find("length"), std::string::npos);
  EXPECT_FALSE(ParseTwiml("<Response><Gather method=\"PUT\"/></Response>").ok());
  EXPECT_FALSE(ParseTwiml("<Response><Dial/></Response>").ok());
  EXPECT_FALSE(ParseTwiml("<Response><Connect/></Response>").ok());
  EXPECT_FALSE(
      ParseTwiml("<Response><Connect><ConversationRelay url=\"http://x\"/></Connect></Response>")
          .ok());
}

TEST(TwimlParser, EmptyResponseIsAnEmptyDocument) {
  auto doc = ParseTwiml("<Response/>");
  ASSERT_TRUE(doc.ok());
  EXPECT_TRUE(doc->instructions.empty());
}

}  // namespace
}  // namespace vaarta::sim
