#include "telephony/twilio/twiml_builder.h"

#include <gtest/gtest.h>

#include <string>

namespace vaarta::telephony::twilio {
namespace {

constexpr char kDeclaration[] = R"(<?xml version="1.0" encoding="UTF-8"?>)";

std::string Twiml(const std::string& body) {
  return std::string(kDeclaration) + "<Response>" + body + "</Response>";
}

std::string Render(Instruction instruction) {
  CallControlDocument document;
  document.Add(std::move(instruction));
  return RenderTwiml(document);
}

TEST(TwimlBuilder, RendersAnEmptyDocument) {
  EXPECT_EQ(RenderTwiml(CallControlDocument{}), std::string(kDeclaration) + "<Response/>");
}

TEST(TwimlBuilder, RendersSayWithVoiceLanguageAndLoop) {
  EXPECT_EQ(
      Render(SayVerb{.text = "Hello", .language = "en-IN", .voice = "Polly.Aditi", .loop = 2}),
      Twiml(R"(<Say voice="Polly.Aditi" language="en-IN" loop="2">Hello</Say>)"));
  // Unset voice and language and the default loop are left out; loop 0 (forever) is not.
  EXPECT_EQ(Render(SayVerb{.text = "Hi"}), Twiml("<Say>Hi</Say>"));
  EXPECT_EQ(Render(SayVerb{.text = "Hi", .loop = 0}), Twiml(R"(<Say loop="0">Hi</Say>)"));
}

TEST(TwimlBuilder, PassesDevanagariThroughUnchanged) {
  const std::string text = "नमस्ते, यह कॉल रिकॉर्ड की जा रही है।";
  EXPECT_EQ(Render(SayVerb{.text = text, .language = "hi-IN"}),
            Twiml(R"(<Say language="hi-IN">)" + text + "</Say>"));
}

TEST(TwimlBuilder, EscapesTextAndAttributes) {
  EXPECT_EQ(Render(SayVerb{.text = R"(Tom & Jerry <b> "quoted" it's ]]>)", .voice = R"(a"b'<&>)"}),
            Twiml(R"(<Say voice="a&quot;b&apos;&lt;&amp;&gt;">)"
                  R"(Tom &amp; Jerry &lt;b&gt; &quot;quoted&quot; it&apos;s ]]&gt;</Say>)"));
}

TEST(TwimlBuilder, DropsCharactersXmlCannotCarry) {
  EXPECT_EQ(Render(SayVerb{.text = std::string("a\x01"
                                               "b\x0B"
                                               "c\x1F"
                                               "d\0e",
                                               9) +
                                   "\xEF\xBF\xBE"
                                   "f"}),
            Twiml("<Say>abcdef</Say>"));
  // Bytes that are not UTF-8 become U+FFFD rather than corrupting the document.
  EXPECT_EQ(Render(SayVerb{.text = "x\xFFy"}), Twiml("<Say>x\xEF\xBF\xBDy</Say>"));
}

TEST(TwimlBuilder, KeepsWhitespaceThroughXmlNormalisation) {
  EXPECT_EQ(Render(SayVerb{.text = "a\tb\nc\rd", .voice = "v\tw\nx\ry"}),
            Twiml("<Say voice=\"v&#9;w&#10;x&#13;y\">a\tb\nc&#13;d</Say>"));
}

TEST(TwimlBuilder, RendersPlayWithUrlOrDigits) {
  EXPECT_EQ(Render(PlayVerb{.url = "https://cdn.example/a.mp3?x=1&y=2", .loop = 3}),
            Twiml(R"(<Play loop="3">https://cdn.example/a.mp3?x=1&amp;y=2</Play>)"));
  EXPECT_EQ(Render(PlayVerb{.digits = "ww1234#"}), Twiml(R"(<Play digits="ww1234#"/>)"));
}

TEST(TwimlBuilder, RendersPause) {
  EXPECT_EQ(Render(PauseVerb{.seconds = 3}), Twiml(R"(<Pause length="3"/>)"));
}

TEST(TwimlBuilder, RendersGatherWithNestedPrompts) {
  GatherVerb gather{.action = "https://v.example/gather?call=CA1&turn=2",
                    .language = "hi-IN",
                    .hints = "haan, nahi, EMI"};
  gather.prompts = {SayVerb{.text = "क्या आप बात कर सकते हैं?", .language = "hi-IN"},
                    PlayVerb{.url = "https://cdn.example/beep.mp3"}, PauseVerb{.seconds = 1}};
  EXPECT_EQ(
      Render(gather),
      Twiml(R"(<Gather input="speech dtmf" action="https://v.example/gather?call=CA1&amp;turn=2" )"
            R"(method="POST" language="hi-IN" speechTimeout="auto" timeout="5" )"
            R"(hints="haan, nahi, EMI" actionOnEmptyResult="true">)"
            R"(<Say language="hi-IN">क्या आप बात कर सकते हैं?</Say>)"
            R"(<Play>https://cdn.example/beep.mp3</Play><Pause length="1"/></Gather>)"));
}

TEST(TwimlBuilder, RendersGatherOptionsAndLeavesMethodOutWithoutAction) {
  EXPECT_EQ(Render(GatherVerb{.input = "dtmf",
                              .method = "GET",
                              .speech_timeout = "",
                              .timeout_seconds = 0,
                              .action_on_empty_result = false,
                              .num_digits = 4,
                              .finish_on_key = "#",
                              .speech_model = "phone_call"}),
            Twiml(R"(<Gather input="dtmf" timeout="0" actionOnEmptyResult="false" numDigits="4" )"
                  R"(finishOnKey="#" speechModel="phone_call"/>)"));
}

TEST(TwimlBuilder, RendersRecord) {
  EXPECT_EQ(
      Render(RecordVerb{.action = "https://v.example/recorded",
                        .max_length_seconds = 30,
                        .timeout_seconds = 5,
                        .play_beep = false,
                        .finish_on_key = "#",
                        .recording_status_callback = "https://v.example/rec?a=1&b=2",
                        .trim = "trim-silence"}),
      Twiml(
          R"(<Record action="https://v.example/recorded" method="POST" maxLength="30" )"
          R"(timeout="5" playBeep="false" finishOnKey="#" )"
          R"(recordingStatusCallback="https://v.example/rec?a=1&amp;b=2" trim="trim-silence"/>)"));
  EXPECT_EQ(Render(RecordVerb{}), Twiml(R"(<Record playBeep="true"/>)"));
}

TEST(TwimlBuilder, RendersDialToANumber) {
  EXPECT_EQ(
      Render(DialVerb{.number = "+919876543210",
                      .caller_id = "+918045678901",
                      .action = "https://v.example/dialed",
                      .time_limit_seconds = 600,
                      .record = "record-from-answer-dual"}),
      Twiml(R"(<Dial callerId="+918045678901" action="https://v.example/dialed" method="POST" )"
            R"(timeout="30" timeLimit="600" record="record-from-answer-dual">)"
            R"(<Number>+919876543210</Number></Dial>)"));
}

TEST(TwimlBuilder, RendersHangupAndRedirect) {
  CallControlDocument document;
  document.Add(RedirectVerb{.url = "https://v.example/voice?step=2&lang=hi", .method = "GET"})
      .Add(HangupVerb{});
  EXPECT_EQ(RenderTwiml(document),
            Twiml(R"(<Redirect method="GET">https://v.example/voice?step=2&amp;lang=hi</Redirect>)"
                  "<Hangup/>"));
}

TEST(TwimlBuilder, RendersConnectWithConversationRelay) {
  ConversationRelayVerb relay{.url = "wss://v.example/relay?call=CA1&t=x",
                              .welcome_greeting = "नमस्ते! \"Vaarta\" here & recording.",
                              .language = "hi-IN",
                              .tts_provider = "Google",
                              .voice = "hi-IN-Standard-A",
                              .transcription_provider = "Deepgram",
                              .speech_model = "nova-2-phonecall",
                              .interruptible = "speech",
                              .dtmf_detection = false,
                              .hints = "EMI, किस्त"};
  relay.languages["hi-IN"] = {{"ttsProvider", "Google"}, {"voice", "hi-IN-Standard-A"}};
  relay.languages["en-IN"] = {
      {"ttsProvider", "ElevenLabs"}, {"transcriptionProvider", "Google"}, {"voice", ""}};
  relay.parameters = {{"lead_id", "L&7"}, {"campaign_id", "42"}};
  EXPECT_EQ(
      Render(ConnectVerb{.action = "https://v.example/relay-done", .target = relay}),
      Twiml(
          R"(<Connect action="https://v.example/relay-done" method="POST">)"
          R"(<ConversationRelay url="wss://v.example/relay?call=CA1&amp;t=x" )"
          R"(welcomeGreeting="नमस्ते! &quot;Vaarta&quot; here &amp; recording." language="hi-IN" )"
          R"(ttsProvider="Google" voice="hi-IN-Standard-A" transcriptionProvider="Deepgram" )"
          R"(speechModel="nova-2-phonecall" interruptible="speech" dtmfDetection="false" )"
          R"(hints="EMI, किस्त">)"
          R"(<Language code="en-IN" transcriptionProvider="Google" ttsProvider="ElevenLabs"/>)"
          R"(<Language code="hi-IN" ttsProvider="Google" voice="hi-IN-Standard-A"/>)"
          R"(<Parameter name="campaign_id" value="42"/><Parameter name="lead_id" value="L&amp;7"/>)"
          R"(</ConversationRelay></Connect>)"));
}

TEST(TwimlBuilder, LeavesOutLanguageSettingsThatAreNotXmlNames) {
  ConversationRelayVerb relay{.url = "wss://v.example/r", .interruptible = ""};
  relay.languages["en-IN"] = {{"bad name", "x"}, {"code", "xx"}, {"voice", "v"}};
  EXPECT_EQ(Render(ConnectVerb{.target = relay}),
            Twiml(R"(<Connect><ConversationRelay url="wss://v.example/r" language="en-IN" )"
                  R"(dtmfDetection="true"><Language code="en-IN" voice="v"/>)"
                  R"(</ConversationRelay></Connect>)"));
}

TEST(TwimlBuilder, RendersConnectWithStream) {
  StreamVerb stream{.url = "wss://v.example/media", .name = "call-audio", .track = "both_tracks"};
  stream.parameters = {{"call_id", "CA1"}};
  EXPECT_EQ(
      Render(ConnectVerb{.target = stream}),
      Twiml(R"(<Connect><Stream url="wss://v.example/media" name="call-audio" )"
            R"(track="both_tracks"><Parameter name="call_id" value="CA1"/></Stream></Connect>)"));
}

TEST(TwimlBuilder, RendersAGatherTurnInOrder) {
  CallControlDocument document;
  document.Add(SayVerb{.text = "Namaste", .language = "en-IN"})
      .Add(GatherVerb{.action = "https://v.example/g", .timeout_seconds = 3})
      .Add(SayVerb{.text = "Bye"})
      .Add(HangupVerb{});
  EXPECT_EQ(RenderTwiml(document),
            Twiml(R"(<Say language="en-IN">Namaste</Say>)"
                  R"(<Gather input="speech dtmf" action="https://v.example/g" method="POST" )"
                  R"(speechTimeout="auto" timeout="3" actionOnEmptyResult="true"/>)"
                  "<Say>Bye</Say><Hangup/>"));
}

}  // namespace
}  // namespace vaarta::telephony::twilio
