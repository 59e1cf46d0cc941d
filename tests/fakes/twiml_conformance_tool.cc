// twiml_conformance_tool: Vaarta's Twilio signature and TwiML code behind a JSON-lines pipe,
// so that tests/twilio_npm/agreement.test.js can hold it against the official `twilio` npm
// package. One request per stdin line, one answer per stdout line:
//
//   {"op":"sign", "token", "url", "params":[[name,value],...]}          -> {"signature"}
//   {"op":"validate", "token", "signature", "url", "params"}             -> {"valid"}
//   {"op":"validate_body", "token", "signature", "url", "body"}          -> {"valid"}
//   {"op":"body_sha256", "body"}                                         -> {"sha256"}
//   {"op":"twiml", "doc":[instruction,...]}                              -> {"xml"}
//
// An instruction is {"verb": "Say"|"Play"|"Pause"|"Gather"|"Record"|"Dial"|"Hangup"|
// "Redirect"|"Connect", ...fields}, the fields named as in telephony/call_control.h
// (snake_case); a field left out keeps the struct's default. Gather takes "prompts" (Say,
// Play or Pause instructions); Connect takes "relay" (ConversationRelayVerb fields, with
// "languages": {code: {attribute: value}} and "parameters": {name: value}) or "stream"
// (StreamVerb fields). A malformed request gets {"error": message} and the tool goes on.
#include <iostream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "telephony/call_control.h"
#include "telephony/twilio/twilio_signature.h"
#include "telephony/twilio/twiml_builder.h"

namespace {

using nlohmann::json;
using namespace vaarta::telephony;

template <typename T>
void Read(const json& object, const char* name, T* field) {
  if (object.contains(name)) *field = object.at(name).get<T>();
}

SayVerb ParseSay(const json& j) {
  SayVerb say;
  Read(j, "text", &say.text);
  Read(j, "language", &say.language);
  Read(j, "voice", &say.voice);
  Read(j, "loop", &say.loop);
  return say;
}

PlayVerb ParsePlay(const json& j) {
  PlayVerb play;
  Read(j, "url", &play.url);
  Read(j, "loop", &play.loop);
  Read(j, "digits", &play.digits);
  return play;
}

PauseVerb ParsePause(const json& j) {
  PauseVerb pause;
  Read(j, "seconds", &pause.seconds);
  return pause;
}

GatherVerb ParseGather(const json& j) {
  GatherVerb gather;
  Read(j, "input", &gather.input);
  Read(j, "action", &gather.action);
  Read(j, "method", &gather.method);
  Read(j, "language", &gather.language);
  Read(j, "speech_timeout", &gather.speech_timeout);
  Read(j, "timeout_seconds", &gather.timeout_seconds);
  Read(j, "hints", &gather.hints);
  Read(j, "action_on_empty_result", &gather.action_on_empty_result);
  Read(j, "num_digits", &gather.num_digits);
  Read(j, "finish_on_key", &gather.finish_on_key);
  Read(j, "speech_model", &gather.speech_model);
  for (const json& prompt : j.value("prompts", json::array())) {
    const std::string verb = prompt.at("verb").get<std::string>();
    if (verb == "Say") {
      gather.prompts.emplace_back(ParseSay(prompt));
    } else if (verb == "Play") {
      gather.prompts.emplace_back(ParsePlay(prompt));
    } else if (verb == "Pause") {
      gather.prompts.emplace_back(ParsePause(prompt));
    } else {
      throw std::invalid_argument("Gather cannot nest " + verb);
    }
  }
  return gather;
}

RecordVerb ParseRecord(const json& j) {
  RecordVerb record;
  Read(j, "action", &record.action);
  Read(j, "method", &record.method);
  Read(j, "max_length_seconds", &record.max_length_seconds);
  Read(j, "timeout_seconds", &record.timeout_seconds);
  Read(j, "play_beep", &record.play_beep);
  Read(j, "finish_on_key", &record.finish_on_key);
  Read(j, "recording_status_callback", &record.recording_status_callback);
  Read(j, "trim", &record.trim);
  return record;
}

DialVerb ParseDial(const json& j) {
  DialVerb dial;
  Read(j, "number", &dial.number);
  Read(j, "caller_id", &dial.caller_id);
  Read(j, "action", &dial.action);
  Read(j, "method", &dial.method);
  Read(j, "timeout_seconds", &dial.timeout_seconds);
  Read(j, "time_limit_seconds", &dial.time_limit_seconds);
  Read(j, "record", &dial.record);
  return dial;
}

RedirectVerb ParseRedirect(const json& j) {
  RedirectVerb redirect;
  Read(j, "url", &redirect.url);
  Read(j, "method", &redirect.method);
  return redirect;
}

ConversationRelayVerb ParseRelay(const json& j) {
  ConversationRelayVerb relay;
  Read(j, "url", &relay.url);
  Read(j, "welcome_greeting", &relay.welcome_greeting);
  Read(j, "language", &relay.language);
  Read(j, "tts_provider", &relay.tts_provider);
  Read(j, "voice", &relay.voice);
  Read(j, "transcription_provider", &relay.transcription_provider);
  Read(j, "speech_model", &relay.speech_model);
  Read(j, "interruptible", &relay.interruptible);
  Read(j, "dtmf_detection", &relay.dtmf_detection);
  Read(j, "hints", &relay.hints);
  Read(j, "languages", &relay.languages);
  Read(j, "parameters", &relay.parameters);
  return relay;
}

StreamVerb ParseStream(const json& j) {
  StreamVerb stream;
  Read(j, "url", &stream.url);
  Read(j, "name", &stream.name);
  Read(j, "track", &stream.track);
  Read(j, "parameters", &stream.parameters);
  return stream;
}

ConnectVerb ParseConnect(const json& j) {
  ConnectVerb connect;
  Read(j, "action", &connect.action);
  Read(j, "method", &connect.method);
  if (j.contains("relay")) {
    connect.target = ParseRelay(j.at("relay"));
  } else if (j.contains("stream")) {
    connect.target = ParseStream(j.at("stream"));
  } else {
    throw std::invalid_argument("Connect needs \"relay\" or \"stream\"");
  }
  return connect;
}

Instruction ParseInstruction(const json& j) {
  const std::string verb = j.at("verb").get<std::string>();
  if (verb == "Say") return ParseSay(j);
  if (verb == "Play") return ParsePlay(j);
  if (verb == "Pause") return ParsePause(j);
  if (verb == "Gather") return ParseGather(j);
  if (verb == "Record") return ParseRecord(j);
  if (verb == "Dial") return ParseDial(j);
  if (verb == "Hangup") return HangupVerb{};
  if (verb == "Redirect") return ParseRedirect(j);
  if (verb == "Connect") return ParseConnect(j);
  throw std::invalid_argument("unknown verb " + verb);
}

twilio::FormParams ParseParams(const json& j) {
  twilio::FormParams params;
  for (const json& pair : j.value("params", json::array())) {
    params.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  }
  return params;
}

json Answer(const json& request) {
  const std::string op = request.at("op").get<std::string>();
  if (op == "sign") {
    return {{"signature",
             twilio::ComputeSignature(request.at("token").get<std::string>(),
                                      request.at("url").get<std::string>(), ParseParams(request))}};
  }
  if (op == "validate") {
    return {{"valid", twilio::ValidateSignature(request.at("token").get<std::string>(),
                                                request.at("signature").get<std::string>(),
                                                request.at("url").get<std::string>(),
                                                ParseParams(request))}};
  }
  if (op == "validate_body") {
    return {{"valid", twilio::ValidateSignatureWithBody(request.at("token").get<std::string>(),
                                                        request.at("signature").get<std::string>(),
                                                        request.at("url").get<std::string>(),
                                                        request.at("body").get<std::string>())}};
  }
  if (op == "body_sha256") {
    return {{"sha256", twilio::BodySha256Hex(request.at("body").get<std::string>())}};
  }
  if (op == "twiml") {
    CallControlDocument document;
    for (const json& instruction : request.at("doc")) {
      document.Add(ParseInstruction(instruction));
    }
    return {{"xml", twilio::RenderTwiml(document)}};
  }
  throw std::invalid_argument("unknown op " + op);
}

}  // namespace

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    json answer;
    try {
      answer = Answer(json::parse(line));
    } catch (const std::exception& e) {
      answer = {{"error", e.what()}};
    }
    std::cout << answer.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
  }
  return 0;
}
