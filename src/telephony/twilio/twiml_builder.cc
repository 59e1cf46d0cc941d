#include "telephony/twilio/twiml_builder.h"

#include <string_view>
#include <type_traits>
#include <variant>

#include "telephony/twilio/xml_writer.h"

namespace vaarta::telephony::twilio {
namespace {

// Writes the attribute unless the value is the "not set" empty string.
void OptionalAttribute(XmlWriter& xml, std::string_view name, std::string_view value) {
  if (!value.empty()) xml.Attribute(name, value);
}

// Writes the attribute unless the value is the "not set" zero.
void OptionalPositive(XmlWriter& xml, std::string_view name, int value) {
  if (value > 0) xml.IntAttribute(name, value);
}

// `method` belongs to an `action`: both or neither.
void ActionAndMethod(XmlWriter& xml, const std::string& action, const std::string& method) {
  if (action.empty()) return;
  xml.Attribute("action", action);
  OptionalAttribute(xml, "method", method);
}

void Write(XmlWriter& xml, const SayVerb& say) {
  xml.Open("Say");
  OptionalAttribute(xml, "voice", say.voice);
  OptionalAttribute(xml, "language", say.language);
  if (say.loop != 1) xml.IntAttribute("loop", say.loop);
  xml.Text(say.text).Close();
}

void Write(XmlWriter& xml, const PlayVerb& play) {
  xml.Open("Play");
  if (play.loop != 1) xml.IntAttribute("loop", play.loop);
  OptionalAttribute(xml, "digits", play.digits);
  if (!play.url.empty()) xml.Text(play.url);
  xml.Close();
}

void Write(XmlWriter& xml, const PauseVerb& pause) {
  xml.Open("Pause").IntAttribute("length", pause.seconds).Close();
}

void Write(XmlWriter& xml, const GatherVerb& gather) {
  xml.Open("Gather");
  OptionalAttribute(xml, "input", gather.input);
  ActionAndMethod(xml, gather.action, gather.method);
  OptionalAttribute(xml, "language", gather.language);
  OptionalAttribute(xml, "speechTimeout", gather.speech_timeout);
  xml.IntAttribute("timeout", gather.timeout_seconds);
  OptionalAttribute(xml, "hints", gather.hints);
  xml.BoolAttribute("actionOnEmptyResult", gather.action_on_empty_result);
  OptionalPositive(xml, "numDigits", gather.num_digits);
  OptionalAttribute(xml, "finishOnKey", gather.finish_on_key);
  OptionalAttribute(xml, "speechModel", gather.speech_model);
  for (const GatherPrompt& prompt : gather.prompts) {
    std::visit([&xml](const auto& verb) { Write(xml, verb); }, prompt);
  }
  xml.Close();
}

void Write(XmlWriter& xml, const RecordVerb& record) {
  xml.Open("Record");
  ActionAndMethod(xml, record.action, record.method);
  OptionalPositive(xml, "maxLength", record.max_length_seconds);
  OptionalPositive(xml, "timeout", record.timeout_seconds);
  xml.BoolAttribute("playBeep", record.play_beep);
  OptionalAttribute(xml, "finishOnKey", record.finish_on_key);
  OptionalAttribute(xml, "recordingStatusCallback", record.recording_status_callback);
  OptionalAttribute(xml, "trim", record.trim);
  xml.Close();
}

void Write(XmlWriter& xml, const DialVerb& dial) {
  xml.Open("Dial");
  OptionalAttribute(xml, "callerId", dial.caller_id);
  ActionAndMethod(xml, dial.action, dial.method);
  xml.IntAttribute("timeout", dial.timeout_seconds);
  OptionalPositive(xml, "timeLimit", dial.time_limit_seconds);
  OptionalAttribute(xml, "record", dial.record);
  if (!dial.number.empty()) xml.Open("Number").Text(dial.number).Close();
  xml.Close();
}

void Write(XmlWriter& xml, const HangupVerb&) { xml.Open("Hangup").Close(); }

void Write(XmlWriter& xml, const RedirectVerb& redirect) {
  xml.Open("Redirect");
  OptionalAttribute(xml, "method", redirect.method);
  xml.Text(redirect.url).Close();
}

void WriteParameters(XmlWriter& xml, const std::map<std::string, std::string>& parameters) {
  for (const auto& [name, value] : parameters) {
    xml.Open("Parameter").Attribute("name", name).Attribute("value", value).Close();
  }
}

void Write(XmlWriter& xml, const ConversationRelayVerb& relay) {
  xml.Open("ConversationRelay");
  xml.Attribute("url", relay.url);
  OptionalAttribute(xml, "welcomeGreeting", relay.welcome_greeting);
  OptionalAttribute(xml, "language", relay.language);
  OptionalAttribute(xml, "ttsProvider", relay.tts_provider);
  OptionalAttribute(xml, "voice", relay.voice);
  OptionalAttribute(xml, "transcriptionProvider", relay.transcription_provider);
  OptionalAttribute(xml, "speechModel", relay.speech_model);
  OptionalAttribute(xml, "interruptible", relay.interruptible);
  xml.BoolAttribute("dtmfDetection", relay.dtmf_detection);
  OptionalAttribute(xml, "hints", relay.hints);
  for (const auto& [code, settings] : relay.languages) {
    xml.Open("Language").Attribute("code", code);
    for (const auto& [name, value] : settings) {
      // The code comes from the map key; a name that is not an XML name cannot be written.
      if (name == "code" || !IsXmlName(name)) continue;
      OptionalAttribute(xml, name, value);
    }
    xml.Close();
  }
  WriteParameters(xml, relay.parameters);
  xml.Close();
}

void Write(XmlWriter& xml, const StreamVerb& stream) {
  xml.Open("Stream");
  xml.Attribute("url", stream.url);
  OptionalAttribute(xml, "name", stream.name);
  OptionalAttribute(xml, "track", stream.track);
  WriteParameters(xml, stream.parameters);
  xml.Close();
}

void Write(XmlWriter& xml, const ConnectVerb& connect) {
  xml.Open("Connect");
  ActionAndMethod(xml, connect.action, connect.method);
  std::visit([&xml](const auto& target) { Write(xml, target); }, connect.target);
  xml.Close();
}

}  // namespace

std::string RenderTwiml(const CallControlDocument& document) {
  XmlWriter xml;
  xml.Open("Response");
  for (const Instruction& instruction : document.instructions) {
    std::visit([&xml](const auto& verb) { Write(xml, verb); }, instruction);
  }
  xml.Close();
  return std::move(xml).Finish();
}

}  // namespace vaarta::telephony::twilio
