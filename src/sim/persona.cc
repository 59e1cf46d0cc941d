#include "sim/persona.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace vaarta::sim {
namespace {

core::Error Invalid(std::string message) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, std::move(message));
}

// ASCII case folding is enough: Devanagari has no case.
std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ParseAnswerKind(const std::string& text, AnswerKind* kind) {
  for (AnswerKind k : {AnswerKind::kHuman, AnswerKind::kBusy, AnswerKind::kNoAnswer,
                       AnswerKind::kVoicemail, AnswerKind::kFail}) {
    if (AnswerKindName(k) == text) {
      *kind = k;
      return true;
    }
  }
  return false;
}

core::Result<std::vector<std::string>> StringList(const nlohmann::json& json,
                                                  const std::string& field) {
  if (!json.is_array()) return Invalid(field + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto& item : json) {
    if (!item.is_string()) return Invalid(field + " must be a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

Persona Human(std::string name, std::string language, std::vector<std::string> script,
              std::vector<PersonaRule> replies = {}) {
  Persona p;
  p.name = std::move(name);
  p.language = std::move(language);
  p.script = std::move(script);
  p.replies = std::move(replies);
  return p;
}

Persona Unanswered(std::string name, AnswerKind kind, int ring_seconds) {
  Persona p;
  p.name = std::move(name);
  p.answer = kind;
  p.ring_seconds = ring_seconds;
  return p;
}

uint64_t Fnv1a(std::string_view text) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::string_view AnswerKindName(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::kHuman:
      return "human";
    case AnswerKind::kBusy:
      return "busy";
    case AnswerKind::kNoAnswer:
      return "no_answer";
    case AnswerKind::kVoicemail:
      return "voicemail";
    case AnswerKind::kFail:
      return "fail";
  }
  return "human";
}

core::Result<Persona> Persona::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Invalid("a persona must be a JSON object");
  Persona p;
  if (!json.contains("name") || !json["name"].is_string() ||
      json["name"].get<std::string>().empty()) {
    return Invalid("a persona needs a non-empty name");
  }
  p.name = json["name"].get<std::string>();
  const std::string where = "persona " + p.name + ": ";
  for (const auto& [key, value] : json.items()) {
    if (key == "name") continue;
    if (key == "answer") {
      if (!value.is_string() || !ParseAnswerKind(value.get<std::string>(), &p.answer)) {
        return Invalid(where + "answer must be human, busy, no_answer, voicemail or fail");
      }
    } else if (key == "language") {
      if (!value.is_string() || (value != "en" && value != "hi" && value != "hinglish")) {
        return Invalid(where + "language must be en, hi or hinglish");
      }
      p.language = value.get<std::string>();
    } else if (key == "ring_seconds" || key == "hang_up_after") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 3600) {
        return Invalid(where + key + " must be an integer from 0 to 3600");
      }
      (key == "ring_seconds" ? p.ring_seconds : p.hang_up_after) = value.get<int>();
    } else if (key == "greeting") {
      if (!value.is_string()) return Invalid(where + "greeting must be a string");
      p.greeting = value.get<std::string>();
    } else if (key == "script") {
      auto lines = StringList(value, where + "script");
      if (!lines) return lines.error();
      p.script = std::move(*lines);
    } else if (key == "replies") {
      if (!value.is_array()) return Invalid(where + "replies must be a list of rules");
      for (const auto& rule_json : value) {
        if (!rule_json.is_object()) return Invalid(where + "each reply must be an object");
        PersonaRule rule;
        for (const auto& [rk, rv] : rule_json.items()) {
          if (rk == "when") {
            auto words = StringList(rv, where + "replies.when");
            if (!words) return words.error();
            for (auto& w : *words) rule.when.push_back(Lower(w));
          } else if (rk == "say" || rk == "digits") {
            if (!rv.is_string()) return Invalid(where + "replies." + rk + " must be a string");
            (rk == "say" ? rule.say : rule.digits) = rv.get<std::string>();
          } else {
            return Invalid(where + "replies." + rk + " is not a known field");
          }
        }
        if (rule.when.empty()) return Invalid(where + "each reply needs \"when\" keywords");
        p.replies.push_back(std::move(rule));
      }
    } else {
      return Invalid(where + key + " is not a known field");
    }
  }
  return p;
}

std::string Persona::SpeechLanguage() const { return language == "en" ? "en-IN" : "hi-IN"; }

PersonaReply PersonaConversation::Reply(std::string_view agent_said) {
  PersonaReply reply;
  const std::string heard = Lower(agent_said);
  bool matched = false;
  for (const auto& rule : persona_.replies) {
    const bool hit = std::any_of(rule.when.begin(), rule.when.end(), [&](const std::string& w) {
      return !w.empty() && heard.find(w) != std::string::npos;
    });
    if (hit) {
      reply.say = rule.say;
      reply.digits = rule.digits;
      matched = true;
      break;
    }
  }
  if (!matched && script_position_ < persona_.script.size()) {
    reply.say = persona_.script[script_position_++];
  }
  ++turns_;
  reply.hang_up = persona_.hang_up_after > 0 && turns_ >= persona_.hang_up_after;
  return reply;
}

PersonaCatalog PersonaCatalog::BuiltIn() {
  PersonaCatalog c;
  c.Put(Human("interested_en", "en", {"Yes, I am interested, tell me more", "Yes please go ahead"},
              {{{"press 1", "press one"}, "", "1"}}));
  c.Put(Human("not_interested_en", "en", {"No thanks, I am not interested"}));
  c.Put(Human("callback_hinglish", "hinglish", {"Abhi busy hoon, kal shaam 6 baje call karna"}));
  c.Put(Human("callback_en", "en", {"Can you call me tomorrow at 5 pm"}));
  c.Put(Human("opt_out_hi", "hi", {"मुझे दोबारा फ़ोन मत करना"}));
  c.Put(Human("opt_out_hinglish", "hinglish", {"mujhe dobara call mat karna"}));
  c.Put(Human("opt_out_en", "en", {"Stop calling me, remove my number"}));
  c.Put(Human("wrong_number_en", "en", {"Wrong number, there is no Rahul here"}));
  c.Put(Human("is_bot_en", "en", {"Am I talking to a robot?", "ok fine, not interested"}));
  c.Put(Human("price_hinglish", "hinglish", {"Iska price kya hai?", "theek hai interested hoon"}));
  c.Put(Human("human_en", "en", {"I want to talk to a real person"}));
  c.Put(Human("silent", "en", {}));
  c.Put(Unanswered("busy", AnswerKind::kBusy, 2));
  c.Put(Unanswered("no_answer", AnswerKind::kNoAnswer, 600));
  c.Put(Unanswered("failed", AnswerKind::kFail, 0));
  Persona voicemail = Unanswered("voicemail", AnswerKind::kVoicemail, 5);
  voicemail.greeting = "Hi, you have reached Priya. Please leave a message after the beep.";
  voicemail.hang_up_after = 2;
  c.Put(std::move(voicemail));
  return c;
}

void PersonaCatalog::Put(Persona persona) {
  std::string name = persona.name;
  personas_[name] = std::move(persona);
}

const Persona* PersonaCatalog::Find(const std::string& name) const {
  auto it = personas_.find(name);
  return it == personas_.end() ? nullptr : &it->second;
}

std::vector<std::string> PersonaCatalog::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, persona] : personas_) names.push_back(name);
  return names;
}

PersonaDirectory::PersonaDirectory()
    : PersonaDirectory(PersonaCatalog::BuiltIn(), {},
                       {{"interested_en", 20},
                        {"not_interested_en", 15},
                        {"callback_hinglish", 8},
                        {"callback_en", 5},
                        {"opt_out_hi", 3},
                        {"opt_out_en", 4},
                        {"wrong_number_en", 4},
                        {"is_bot_en", 4},
                        {"price_hinglish", 5},
                        {"human_en", 4},
                        {"silent", 3},
                        {"busy", 8},
                        {"no_answer", 10},
                        {"voicemail", 6},
                        {"failed", 2}}) {}

PersonaDirectory::PersonaDirectory(PersonaCatalog catalog,
                                   std::map<std::string, std::string> numbers,
                                   std::vector<std::pair<std::string, double>> mix)
    : catalog_(std::move(catalog)), numbers_(std::move(numbers)), mix_(std::move(mix)) {
  for (const auto& [name, weight] : mix_) mix_total_ += weight;
}

core::Result<PersonaDirectory> PersonaDirectory::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) return Invalid("the persona file must hold a JSON object");
  PersonaCatalog catalog = PersonaCatalog::BuiltIn();
  std::map<std::string, std::string> numbers;
  std::vector<std::pair<std::string, double>> mix;
  bool has_mix = false;
  for (const auto& [key, value] : json.items()) {
    if (key == "personas") {
      if (!value.is_array()) return Invalid("personas must be a list");
      for (const auto& item : value) {
        auto persona = Persona::FromJson(item);
        if (!persona) return persona.error();
        catalog.Put(std::move(*persona));
      }
    } else if (key != "numbers" && key != "mix") {
      return Invalid(key + " is not a known field of the persona file");
    }
  }
  if (json.contains("numbers")) {
    const auto& value = json["numbers"];
    if (!value.is_object()) return Invalid("numbers must map E.164 numbers to persona names");
    for (const auto& [number, name] : value.items()) {
      if (!name.is_string() || catalog.Find(name.get<std::string>()) == nullptr) {
        return Invalid("numbers." + number + " names no known persona");
      }
      numbers[number] = name.get<std::string>();
    }
  }
  if (json.contains("mix")) {
    has_mix = true;
    const auto& value = json["mix"];
    if (!value.is_object()) return Invalid("mix must map persona names to weights");
    for (const auto& [name, weight] : value.items()) {
      if (catalog.Find(name) == nullptr) return Invalid("mix." + name + " is no known persona");
      if (!weight.is_number() || weight.get<double>() < 0) {
        return Invalid("mix." + name + " must be a non-negative number");
      }
      mix.emplace_back(name, weight.get<double>());
    }
  }
  if (!has_mix) {
    PersonaDirectory defaults;
    mix = defaults.mix_;
  }
  double total = 0;
  for (const auto& [name, weight] : mix) total += weight;
  if (total <= 0) return Invalid("mix must give some persona a positive weight");
  return PersonaDirectory(std::move(catalog), std::move(numbers), std::move(mix));
}

core::Result<PersonaDirectory> PersonaDirectory::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Invalid("cannot read the persona file " + path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json json = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Invalid("the persona file " + path + " is not valid JSON");
  auto directory = FromJson(json);
  if (!directory) return Invalid(path + ": " + directory.error().message);
  return directory;
}

const Persona& PersonaDirectory::ForNumber(const std::string& e164) const {
  if (auto it = numbers_.find(e164); it != numbers_.end()) {
    if (const Persona* p = catalog_.Find(it->second)) return *p;
  }
  // Position in [0, total) from the hash; weights decide the slice.
  const double position = static_cast<double>(Fnv1a(e164) % 1000000ULL) / 1000000.0 * mix_total_;
  double cumulative = 0;
  for (const auto& [name, weight] : mix_) {
    cumulative += weight;
    if (position < cumulative) {
      if (const Persona* p = catalog_.Find(name)) return *p;
    }
  }
  if (!mix_.empty()) {
    if (const Persona* p = catalog_.Find(mix_.back().first)) return *p;
  }
  return *catalog_.Find(catalog_.Names().front());
}

}  // namespace vaarta::sim
