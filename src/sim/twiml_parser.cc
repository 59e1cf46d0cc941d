#include "sim/twiml_parser.h"

#include <expat.h>

#include <charconv>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vaarta::sim {
namespace {

using telephony::CallControlDocument;
using telephony::Instruction;

// The document as a small tree; TwiML is tiny, so building it first keeps the verb
// rules below free of SAX state.
struct Node {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::string text;
  int line = 0;
  std::vector<std::unique_ptr<Node>> children;
};

struct TreeBuilder {
  XML_Parser parser = nullptr;
  std::unique_ptr<Node> root;
  std::vector<Node*> open;
};

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* builder = static_cast<TreeBuilder*>(data);
  auto node = std::make_unique<Node>();
  node->name = name;
  node->line = static_cast<int>(XML_GetCurrentLineNumber(builder->parser));
  for (int i = 0; attrs[i] != nullptr; i += 2) node->attributes[attrs[i]] = attrs[i + 1];
  Node* raw = node.get();
  if (builder->open.empty()) {
    builder->root = std::move(node);
  } else {
    builder->open.back()->children.push_back(std::move(node));
  }
  builder->open.push_back(raw);
}

void XMLCALL OnEnd(void* data, const XML_Char* /*name*/) {
  static_cast<TreeBuilder*>(data)->open.pop_back();
}

void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  auto* builder = static_cast<TreeBuilder*>(data);
  if (!builder->open.empty()) builder->open.back()->text.append(text, static_cast<size_t>(length));
}

std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

core::Error SchemaError(const Node& node, const std::string& problem) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "line " + std::to_string(node.line) + ": " + problem,
                         kTwimlSchemaViolation);
}

// Reads verb attributes and remembers the first bad one, so each verb's conversion reads
// as a list of fields.
class Attributes {
 public:
  explicit Attributes(const Node& node) : node_(node) {}

  void String(const char* name, std::string* out) const {
    auto it = node_.attributes.find(name);
    if (it != node_.attributes.end()) *out = it->second;
  }
  void Int(const char* name, int* out, int min_value) {
    auto it = node_.attributes.find(name);
    if (it == node_.attributes.end()) return;
    const std::string& text = it->second;
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min_value) {
      Fail("attribute " + std::string(name) + "=\"" + text + "\" of <" + node_.name +
           "> must be an integer of at least " + std::to_string(min_value));
      return;
    }
    *out = value;
  }
  void Bool(const char* name, bool* out) {
    auto it = node_.attributes.find(name);
    if (it == node_.attributes.end()) return;
    if (it->second == "true") {
      *out = true;
    } else if (it->second == "false") {
      *out = false;
    } else {
      Fail("attribute " + std::string(name) + "=\"" + it->second + "\" of <" + node_.name +
           "> must be true or false");
    }
  }
  void Method(std::string* out) {
    auto it = node_.attributes.find("method");
    if (it == node_.attributes.end()) return;
    if (it->second != "GET" && it->second != "POST") {
      Fail("attribute method=\"" + it->second + "\" of <" + node_.name + "> must be GET or POST");
      return;
    }
    *out = it->second;
  }
  void Fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  const std::string& problem() const { return problem_; }

 private:
  const Node& node_;
  std::string problem_;
};

core::Status NoChildren(const Node& node) {
  if (!node.children.empty()) {
    return SchemaError(*node.children.front(),
                       "<" + node.name + "> cannot contain <" + node.children.front()->name + ">");
  }
  return core::Ok{};
}

core::Result<telephony::SayVerb> ToSay(const Node& node) {
  // <Say> may carry SSML children (<break>, <prosody>, ...); their text is spoken.
  telephony::SayVerb say;
  std::string text = node.text;
  for (const auto& child : node.children) text += " " + child->text;
  say.text = Trim(text);
  Attributes a(node);
  a.String("language", &say.language);
  a.String("voice", &say.voice);
  a.Int("loop", &say.loop, 0);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  return say;
}

core::Result<telephony::PlayVerb> ToPlay(const Node& node) {
  if (auto s = NoChildren(node); !s) return s.error();
  telephony::PlayVerb play;
  play.url = Trim(node.text);
  Attributes a(node);
  a.Int("loop", &play.loop, 0);
  a.String("digits", &play.digits);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  if (play.url.empty() && play.digits.empty()) {
    return SchemaError(node, "<Play> needs a URL or a digits attribute");
  }
  return play;
}

core::Result<telephony::PauseVerb> ToPause(const Node& node) {
  if (auto s = NoChildren(node); !s) return s.error();
  telephony::PauseVerb pause;
  Attributes a(node);
  a.Int("length", &pause.seconds, 0);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  return pause;
}

core::Result<telephony::GatherVerb> ToGather(const Node& node) {
  telephony::GatherVerb gather;
  Attributes a(node);
  a.String("input", &gather.input);
  a.String("action", &gather.action);
  a.Method(&gather.method);
  a.String("language", &gather.language);
  a.String("speechTimeout", &gather.speech_timeout);
  a.Int("timeout", &gather.timeout_seconds, 0);
  a.String("hints", &gather.hints);
  a.Bool("actionOnEmptyResult", &gather.action_on_empty_result);
  a.Int("numDigits", &gather.num_digits, 1);
  a.String("finishOnKey", &gather.finish_on_key);
  a.String("speechModel", &gather.speech_model);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  if (gather.input.find("speech") == std::string::npos &&
      gather.input.find("dtmf") == std::string::npos) {
    return SchemaError(node, "attribute input=\"" + gather.input +
                                 "\" of <Gather> must name speech, dtmf or both");
  }
  for (const auto& child : node.children) {
    if (child->name == "Say") {
      auto say = ToSay(*child);
      if (!say) return say.error();
      gather.prompts.emplace_back(*say);
    } else if (child->name == "Play") {
      auto play = ToPlay(*child);
      if (!play) return play.error();
      gather.prompts.emplace_back(*play);
    } else if (child->name == "Pause") {
      auto pause = ToPause(*child);
      if (!pause) return pause.error();
      gather.prompts.emplace_back(*pause);
    } else {
      return SchemaError(*child, "<Gather> cannot contain <" + child->name + ">");
    }
  }
  return gather;
}

core::Result<telephony::RecordVerb> ToRecord(const Node& node) {
  if (auto s = NoChildren(node); !s) return s.error();
  telephony::RecordVerb record;
  Attributes a(node);
  a.String("action", &record.action);
  a.Method(&record.method);
  a.Int("maxLength", &record.max_length_seconds, 1);
  a.Int("timeout", &record.timeout_seconds, 0);
  a.Bool("playBeep", &record.play_beep);
  a.String("finishOnKey", &record.finish_on_key);
  a.String("recordingStatusCallback", &record.recording_status_callback);
  a.String("trim", &record.trim);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  return record;
}

core::Result<telephony::DialVerb> ToDial(const Node& node) {
  telephony::DialVerb dial;
  Attributes a(node);
  a.String("callerId", &dial.caller_id);
  a.String("action", &dial.action);
  a.Method(&dial.method);
  a.Int("timeout", &dial.timeout_seconds, 1);
  a.Int("timeLimit", &dial.time_limit_seconds, 1);
  a.String("record", &dial.record);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  dial.number = Trim(node.text);
  for (const auto& child : node.children) {
    if (child->name != "Number") {
      return SchemaError(*child, "<Dial> cannot contain <" + child->name + ">");
    }
    if (!dial.number.empty()) {
      return SchemaError(*child, "<Dial> may name only one number");
    }
    if (auto s = NoChildren(*child); !s) return s.error();
    dial.number = Trim(child->text);
  }
  if (dial.number.empty()) return SchemaError(node, "<Dial> needs a number to call");
  return dial;
}

core::Result<telephony::RedirectVerb> ToRedirect(const Node& node) {
  if (auto s = NoChildren(node); !s) return s.error();
  telephony::RedirectVerb redirect;
  Attributes a(node);
  a.Method(&redirect.method);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  redirect.url = Trim(node.text);
  if (redirect.url.empty()) return SchemaError(node, "<Redirect> needs a URL");
  return redirect;
}

// <Parameter name=".." value=".."/> children of <ConversationRelay> and <Stream>.
core::Status ReadParameter(const Node& node, std::map<std::string, std::string>* parameters) {
  if (auto s = NoChildren(node); !s) return s.error();
  auto name = node.attributes.find("name");
  if (name == node.attributes.end() || name->second.empty()) {
    return SchemaError(node, "<Parameter> needs a name attribute");
  }
  auto value = node.attributes.find("value");
  (*parameters)[name->second] = value == node.attributes.end() ? std::string() : value->second;
  return core::Ok{};
}

core::Result<telephony::ConversationRelayVerb> ToConversationRelay(const Node& node) {
  telephony::ConversationRelayVerb relay;
  Attributes a(node);
  a.String("url", &relay.url);
  a.String("welcomeGreeting", &relay.welcome_greeting);
  a.String("language", &relay.language);
  a.String("ttsProvider", &relay.tts_provider);
  a.String("voice", &relay.voice);
  a.String("transcriptionProvider", &relay.transcription_provider);
  a.String("speechModel", &relay.speech_model);
  a.String("interruptible", &relay.interruptible);
  a.Bool("dtmfDetection", &relay.dtmf_detection);
  a.String("hints", &relay.hints);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  if (relay.url.rfind("ws://", 0) != 0 && relay.url.rfind("wss://", 0) != 0) {
    return SchemaError(node, "attribute url of <ConversationRelay> must be a ws:// or wss:// URL");
  }
  for (const auto& child : node.children) {
    if (child->name == "Parameter") {
      if (auto s = ReadParameter(*child, &relay.parameters); !s) return s.error();
    } else if (child->name == "Language") {
      if (auto s = NoChildren(*child); !s) return s.error();
      auto code = child->attributes.find("code");
      if (code == child->attributes.end() || code->second.empty()) {
        return SchemaError(*child, "<Language> needs a code attribute");
      }
      auto& settings = relay.languages[code->second];
      for (const auto& [key, value] : child->attributes) {
        if (key != "code") settings[key] = value;
      }
    } else {
      return SchemaError(*child, "<ConversationRelay> cannot contain <" + child->name + ">");
    }
  }
  return relay;
}

core::Result<telephony::StreamVerb> ToStream(const Node& node) {
  telephony::StreamVerb stream;
  Attributes a(node);
  a.String("url", &stream.url);
  a.String("name", &stream.name);
  a.String("track", &stream.track);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  if (stream.url.empty()) return SchemaError(node, "<Stream> needs a url attribute");
  for (const auto& child : node.children) {
    if (child->name != "Parameter") {
      return SchemaError(*child, "<Stream> cannot contain <" + child->name + ">");
    }
    if (auto s = ReadParameter(*child, &stream.parameters); !s) return s.error();
  }
  return stream;
}

core::Result<telephony::ConnectVerb> ToConnect(const Node& node) {
  telephony::ConnectVerb connect;
  Attributes a(node);
  a.String("action", &connect.action);
  a.Method(&connect.method);
  if (!a.problem().empty()) return SchemaError(node, a.problem());
  if (node.children.size() != 1) {
    return SchemaError(node, "<Connect> must contain exactly one <ConversationRelay> or <Stream>");
  }
  const Node& child = *node.children.front();
  if (child.name == "ConversationRelay") {
    auto relay = ToConversationRelay(child);
    if (!relay) return relay.error();
    connect.target = std::move(*relay);
  } else if (child.name == "Stream") {
    auto stream = ToStream(child);
    if (!stream) return stream.error();
    connect.target = std::move(*stream);
  } else {
    return SchemaError(child, "<Connect> cannot contain <" + child.name + ">");
  }
  return connect;
}

template <typename T>
core::Status Append(core::Result<T> verb, CallControlDocument* document) {
  if (!verb) return verb.error();
  document->instructions.emplace_back(std::move(verb).value());
  return core::Ok{};
}

core::Status AddVerb(const Node& node, CallControlDocument* document) {
  const std::string& name = node.name;
  if (name == "Say") return Append(ToSay(node), document);
  if (name == "Play") return Append(ToPlay(node), document);
  if (name == "Pause") return Append(ToPause(node), document);
  if (name == "Gather") return Append(ToGather(node), document);
  if (name == "Record") return Append(ToRecord(node), document);
  if (name == "Dial") return Append(ToDial(node), document);
  if (name == "Redirect") return Append(ToRedirect(node), document);
  if (name == "Connect") return Append(ToConnect(node), document);
  if (name == "Hangup") {
    if (auto s = NoChildren(node); !s) return s.error();
    document->instructions.emplace_back(telephony::HangupVerb{});
    return core::Ok{};
  }
  return SchemaError(node, "<" + name + "> is not a TwiML verb");
}

}  // namespace

core::Result<CallControlDocument> ParseTwiml(std::string_view xml) {
  TreeBuilder builder;
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                      &XML_ParserFree);
  if (!parser) return core::MakeError(core::ErrorCode::kInternal, "could not create XML parser");
  builder.parser = parser.get();
  XML_SetUserData(parser.get(), &builder);
  XML_SetElementHandler(parser.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser.get(), OnText);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) ==
      XML_STATUS_ERROR) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) + ": " +
                               XML_ErrorString(XML_GetErrorCode(parser.get())),
                           kTwimlParseFailure);
  }
  if (!builder.root) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "line 1: no root element",
                           kTwimlParseFailure);
  }
  const Node& root = *builder.root;
  if (root.name != "Response") {
    return SchemaError(root, "the root element must be <Response>, not <" + root.name + ">");
  }
  if (!Trim(root.text).empty()) {
    return SchemaError(root, "<Response> cannot contain text outside its verbs");
  }
  CallControlDocument document;
  for (const auto& child : root.children) {
    if (auto s = AddVerb(*child, &document); !s) return s.error();
  }
  return document;
}

}  // namespace vaarta::sim
