#pragma once
// Personas: the scripted people the telephony simulator calls. A persona decides whether
// the phone is answered (and by whom: a person or a voicemail) and what the callee says
// in reply to what the agent just said, so whole conversations can be replayed in tests.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace vaarta::sim {

enum class AnswerKind { kHuman, kBusy, kNoAnswer, kVoicemail, kFail };

// "human", "busy", "no_answer", "voicemail", "fail".
std::string_view AnswerKindName(AnswerKind kind);

// Said when any keyword occurs (case-insensitively) in what the agent just said.
struct PersonaRule {
  std::vector<std::string> when;
  std::string say;
  std::string digits;  // keyed in instead of (or with) speech
};

struct Persona {
  std::string name;
  AnswerKind answer = AnswerKind::kHuman;
  std::string language = "en";  // "en", "hi", "hinglish"
  int ring_seconds = 4;
  std::string greeting;  // said on answer before the agent speaks (a voicemail's greeting)
  std::vector<PersonaRule> replies;
  std::vector<std::string> script;  // said in order when no rule matches
  int hang_up_after = 0;            // the callee hangs up after this many turns; 0: never

  // Fields as above; an unknown field or a bad value is an error naming it.
  static core::Result<Persona> FromJson(const nlohmann::json& json);
  // Speech-recognition language tag for this persona's words: "en-IN" or "hi-IN".
  std::string SpeechLanguage() const;
};

// What the callee does on one turn.
struct PersonaReply {
  std::string say;       // "" : silence
  std::string digits;    // "" : none
  bool hang_up = false;  // the callee hangs up after this reply
};

// One call's conversation with a persona (each call has its own position in the script).
class PersonaConversation {
 public:
  explicit PersonaConversation(const Persona& persona) : persona_(persona) {}
  PersonaReply Reply(std::string_view agent_said);
  int turns() const { return turns_; }

 private:
  const Persona& persona_;
  size_t script_position_ = 0;
  int turns_ = 0;
};

class PersonaCatalog {
 public:
  // The built-in personas (interested_en, not_interested_en, callback_hinglish, ...).
  static PersonaCatalog BuiltIn();
  // Adds or replaces a persona.
  void Put(Persona persona);
  const Persona* Find(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, Persona> personas_;
};

// Which persona answers a dialled number: exact numbers from a file first, otherwise a
// stable hash of the number over a weighted mix, so the same number always behaves the
// same way across runs.
class PersonaDirectory {
 public:
  // The built-in catalog and default mix, no fixed numbers.
  PersonaDirectory();
  PersonaDirectory(PersonaCatalog catalog, std::map<std::string, std::string> numbers,
                   std::vector<std::pair<std::string, double>> mix);

  // {"personas": [persona...], "numbers": {"+9198...": "name"}, "mix": {"name": weight}};
  // every field optional; personas extend the built-in catalog; an unknown persona name
  // is an error.
  static core::Result<PersonaDirectory> FromJson(const nlohmann::json& json);
  static core::Result<PersonaDirectory> FromFile(const std::string& path);

  const Persona& ForNumber(const std::string& e164) const;
  const PersonaCatalog& catalog() const { return catalog_; }

 private:
  PersonaCatalog catalog_;
  std::map<std::string, std::string> numbers_;
  std::vector<std::pair<std::string, double>> mix_;
  double mix_total_ = 0;
};

}  // namespace vaarta::sim
