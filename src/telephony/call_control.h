#pragma once
// CallControlDocument: what a live call should do next (speak, listen, record, transfer,
// hang up, hand the audio to a WebSocket), in words that belong to no provider. Each
// provider renders it in its own markup (Twilio: TwiML, telephony/twilio/twiml_builder.h);
// the conversation transports and the voicemail policy only ever build these documents,
// so a new provider (Exotel, Plivo) needs a renderer, not changes to them.
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace vaarta::telephony {

struct SayVerb {
  std::string text;
  std::string language;  // BCP-47 as the provider takes it: "en-IN", "hi-IN"
  std::string voice;     // provider voice name; "" for the provider's default
  int loop = 1;
};

struct PlayVerb {
  std::string url;
  int loop = 1;
  std::string digits;  // DTMF to play instead of a URL ("" when url is set)
};

struct PauseVerb {
  int seconds = 1;
};

// What Gather may say or play while it listens.
using GatherPrompt = std::variant<SayVerb, PlayVerb, PauseVerb>;

struct GatherVerb {
  std::string input = "speech dtmf";
  std::string action;  // absolute URL the result is posted to
  std::string method = "POST";
  std::string language;               // speech recognition language, "en-IN"
  std::string speech_timeout = "auto";  // "auto" or seconds
  int timeout_seconds = 5;
  std::string hints;  // comma-separated words or phrases
  bool action_on_empty_result = true;
  int num_digits = 0;  // 0: not set
  std::string finish_on_key;  // "" : not set
  std::string speech_model;   // "" : provider default
  std::vector<GatherPrompt> prompts;
};

struct RecordVerb {
  std::string action;
  std::string method = "POST";
  int max_length_seconds = 0;  // 0: not set
  int timeout_seconds = 0;     // 0: not set
  bool play_beep = true;
  std::string finish_on_key;
  std::string recording_status_callback;
  std::string trim;  // "trim-silence", "do-not-trim" or ""
};

struct DialVerb {
  std::string number;     // E.164 of the person who takes over
  std::string caller_id;  // E.164 shown to them
  std::string action;     // "" : none
  std::string method = "POST";
  int timeout_seconds = 30;
  int time_limit_seconds = 0;  // 0: not set
  std::string record;          // "" or "record-from-answer-dual" and the like
};

struct HangupVerb {};

struct RedirectVerb {
  std::string url;
  std::string method = "POST";
};

// Bidirectional text over a WebSocket: the provider does speech recognition and synthesis
// (Twilio ConversationRelay).
struct ConversationRelayVerb {
  std::string url;  // wss:// (or ws:// towards a simulator)
  std::string welcome_greeting;
  std::string language = "en-IN";
  std::string tts_provider;
  std::string voice;
  std::string transcription_provider;
  std::string speech_model;
  std::string interruptible = "any";  // "none", "dtmf", "speech", "any"
  bool dtmf_detection = true;
  std::string hints;
  // Per-language voice settings: code -> {"ttsProvider", "voice", "transcriptionProvider"}.
  std::map<std::string, std::map<std::string, std::string>> languages;
  std::map<std::string, std::string> parameters;  // custom <Parameter>s sent in setup
};

// Raw audio over a WebSocket (Twilio Media Streams), for the later speech path.
struct StreamVerb {
  std::string url;
  std::string name;
  std::string track;  // "inbound_track", "both_tracks", ...; "" : provider default
  std::map<std::string, std::string> parameters;
};

// <Connect action=...> around a relay or a stream.
struct ConnectVerb {
  std::string action;  // "" : none
  std::string method = "POST";
  std::variant<ConversationRelayVerb, StreamVerb> target;
};

using Instruction = std::variant<SayVerb, PlayVerb, PauseVerb, GatherVerb, RecordVerb, DialVerb,
                                 HangupVerb, RedirectVerb, ConnectVerb>;

struct CallControlDocument {
  std::vector<Instruction> instructions;

  CallControlDocument& Add(Instruction instruction) {
    instructions.push_back(std::move(instruction));
    return *this;
  }
};

}  // namespace vaarta::telephony
