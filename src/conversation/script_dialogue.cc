#include "conversation/script_dialogue.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "campaigns/script.h"
#include "conversation/answer_phraser.h"
#include "conversation/callback_slot.h"
#include "conversation/knowledge_base.h"

namespace vaarta::conversation {

struct ScriptConversationEngine::Parts {
  Parts(const IntentClassifier& c, const core::Clock* k, ScriptEngineOptions o)
      : classifier(c), clock(k ? *k : system_clock), options(std::move(o)) {}
  TextNormalizer normalizer;
  const IntentClassifier& classifier;
  core::SystemClock system_clock;
  const core::Clock& clock;
  ScriptEngineOptions options;
  CallbackTimeParser callback_parser;
  SentimentAnalyzer sentiment;
  campaigns::HolidayCalendar holidays;
  campaigns::ZoneOffsetCache zones;
};

struct ScriptConversationEngine::Compiled {
  campaigns::Script script;
  KnowledgeBase knowledge;
};

namespace {

using Parts = ScriptConversationEngine::Parts;
using Compiled = ScriptConversationEngine::Compiled;

constexpr int kStateVersion = 1;
constexpr size_t kMaxCachedScripts = 256;

// Everything a Compiled is made of, so equal content shares one.
std::string Fingerprint(const campaigns::Campaign& campaign) {
  std::string out = campaign.script.dump();
  auto add = [&out](const std::string& text) {
    out += '\0';
    out += text;
  };
  add(campaign.product_facts);
  for (const auto& k : campaign.knowledge) {
    for (const std::string* text :
         {&k.kind, &k.intent, &k.question_en, &k.question_hi, &k.answer_en, &k.answer_hi}) {
      add(*text);
    }
  }
  return out;
}

// The engine's own lines, for what the script cannot say.
struct Phrase {
  const char* en;
  const char* hi;
  const char* In(const std::string& language) const { return language == "hi" ? hi : en; }
};
constexpr Phrase kRecorded = {"This call is recorded.", "यह कॉल रिकॉर्ड की जा रही है।"};
constexpr Phrase kAutomated = {"I am an automated assistant.", "मैं एक स्वचालित सहायक हूँ।"};
constexpr Phrase kNotCaught = {"Sorry, I did not catch that.",
                               "माफ़ कीजिए, आपकी बात ठीक से समझ नहीं आई।"};
constexpr Phrase kNotHeard = {"Sorry, I could not hear you.", "माफ़ कीजिए, आपकी आवाज़ नहीं आई।"};
constexpr Phrase kEndUnheard = {"I am unable to hear you clearly, so I will end the call now.",
                                "आपकी बात ठीक से सुनाई नहीं दे रही है, इसलिए अब कॉल समाप्त की "
                                "जा रही है।"};
constexpr Phrase kEndLong = {"I will not take more of your time.",
                             "अब आपका और समय नहीं लिया जाएगा।"};
constexpr Phrase kGoodbye = {"Thank you for your time. Goodbye.", "आपके समय के लिए धन्यवाद। नमस्ते।"};
constexpr Phrase kNoInformation = {
    "I do not have that information with me right now; a colleague from {business} can "
    "confirm it for you.",
    "यह जानकारी अभी मेरे पास नहीं है; {business} से हमारे सहयोगी आपको इसकी पुष्टि कर सकते "
    "हैं।"};
constexpr Phrase kNoTransfer = {
    "I cannot connect you to a person on this call, so a person from {business} will call you "
    "back. Goodbye.",
    "इस कॉल पर किसी व्यक्ति से बात नहीं करवाई जा सकती, इसलिए {business} से कोई व्यक्ति आपको "
    "वापस कॉल करेगा। नमस्ते।"};
constexpr Phrase kUnknownSource = {"{business}'s customer records", "{business} के ग्राहक रिकॉर्ड"};

bool EndsCall(std::string_view action) {
  return action == "end_call" || action == "add_do_not_call" || action == "transfer" ||
         action == "mark_wrong_number";
}

bool ContainsAsciiCaseless(const std::string& text, std::string_view word) {
  auto it = std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
  return it != text.end();
}

// Spaces collapsed, none before a stop, none at the ends: an empty placeholder leaves
// no hole in the spoken line.
std::string Tidy(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    bool stop = c == '.' || c == ',' || c == '?' || c == '!' || c == ';';
    if (stop && !out.empty() && out.back() == ' ') out.pop_back();
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct State {
  bool opened = false;
  bool ended = false;
  std::string step;
  std::string language = "en";
  bool language_locked = false;
  int turns = 0;
  int reprompts = 0;
  std::optional<dialer::Disposition> disposition;
  std::optional<int64_t> callback_at_ms;
  std::string question;         // what led into the current step (for {answer})
  std::string question_intent;  // its intent
  CallSentiment sentiment;
  std::vector<std::string> topics;  // notable intents, in the order first heard (summary)
  std::string callee_language;      // the language the callee spoke last

  nlohmann::json ToJson() const {
    nlohmann::json j = {{"version", kStateVersion}, {"opened", opened},
                        {"ended", ended},           {"step", step},
                        {"language", language},     {"language_locked", language_locked},
                        {"turns", turns},           {"reprompts", reprompts},
                        {"question", question},     {"question_intent", question_intent}};
    j["disposition"] = disposition
                           ? nlohmann::json(std::string(dialer::DispositionName(*disposition)))
                           : nlohmann::json(nullptr);
    j["callback_at_ms"] =
        callback_at_ms ? nlohmann::json(*callback_at_ms) : nlohmann::json(nullptr);
    j["sentiment"] = {sentiment.score(), sentiment.lowest(), sentiment.utterances()};
    j["topics"] = topics;
    j["callee_language"] = callee_language;
    return j;
  }

  static core::Result<State> FromJson(const nlohmann::json& j) {
    auto bad = [](const std::string& what) {
      return core::MakeError(
          core::ErrorCode::kInvalidArgument,
          "The conversation state is not usable: " + what + ". Start a new session instead.",
          "conversation_state_invalid");
    };
    if (!j.is_object() || j.value("version", 0) != kStateVersion) return bad("unknown version");
    State s;
    try {
      s.opened = j.at("opened").get<bool>();
      s.ended = j.at("ended").get<bool>();
      s.step = j.at("step").get<std::string>();
      s.language = j.at("language").get<std::string>();
      s.language_locked = j.at("language_locked").get<bool>();
      s.turns = j.at("turns").get<int>();
      s.reprompts = j.at("reprompts").get<int>();
      s.question = j.at("question").get<std::string>();
      s.question_intent = j.at("question_intent").get<std::string>();
      const auto& d = j.at("disposition");
      if (!d.is_null()) {
        s.disposition = dialer::ParseDisposition(d.get<std::string>());
        if (!s.disposition) return bad("unknown disposition");
      }
      const auto& c = j.at("callback_at_ms");
      if (!c.is_null()) s.callback_at_ms = c.get<int64_t>();
      // Added after version 1 was first written: optional, so saved calls still resume.
      if (j.contains("sentiment")) {
        const auto& m = j.at("sentiment");
        s.sentiment.Restore(m.at(0).get<double>(), m.at(1).get<double>(), m.at(2).get<int>());
      }
      if (j.contains("topics")) s.topics = j.at("topics").get<std::vector<std::string>>();
      s.callee_language = j.value("callee_language", std::string());
    } catch (const nlohmann::json::exception& e) {
      return bad(e.what());
    }
    if (s.language != "en" && s.language != "hi") return bad("unknown language");
    return s;
  }
};

class ScriptSession final : public ConversationSession {
 public:
  ScriptSession(const Parts& parts, std::shared_ptr<const Compiled> compiled, CallContext context,
                State state)
      : parts_(parts),
        compiled_(std::move(compiled)),
        script_(compiled_->script),
        context_(std::move(context)),
        state_(std::move(state)) {
    std::string zone =
        context_.time_zone.empty() ? parts_.options.default_time_zone : context_.time_zone;
    zone_ = parts_.zones.Find(zone);
    if (!zone_) zone_ = parts_.zones.Find(parts_.options.default_time_zone);
  }

  AgentTurn Open() override {
    AgentTurn turn;
    if (state_.opened) {
      SayCurrent(&turn);
      return turn;
    }
    state_.opened = true;
    const campaigns::ScriptStep* start = script_.Find(script_.start);
    Enter(*start, &turn);
    // The disclosures the opening must carry, whatever the script's line says.
    const std::string& greeting = turn.lines.empty() ? std::string() : turn.lines.back();
    std::vector<std::string> before;
    bool automated = ContainsAsciiCaseless(greeting, "automated") ||
                     ContainsAsciiCaseless(greeting, " AI ") ||
                     greeting.find("स्वचालित") != std::string::npos;
    bool recorded =
        ContainsAsciiCaseless(greeting, "record") || greeting.find("रिकॉर्ड") != std::string::npos;
    if (!automated) before.push_back(kAutomated.In(turn.language));
    if (!recorded) before.push_back(kRecorded.In(turn.language));
    turn.lines.insert(turn.lines.begin(), before.begin(), before.end());
    return turn;
  }

  AgentTurn Hear(const Utterance& utterance) override {
    if (!state_.opened) return Open();
    AgentTurn turn;
    if (state_.ended) {
      Describe(&turn);
      turn.end_call = true;
      return turn;
    }
    ++state_.turns;
    const std::string& said = utterance.text.empty() ? utterance.digits : utterance.text;
    NormalizedText text = parts_.normalizer.Normalize(said);
    if (text.empty()) {
      Reprompt(/*silence=*/true, &turn);
      return turn;
    }
    IntentResult result = parts_.classifier.Classify(text);
    turn.intent = result.intent;
    turn.intent_confidence = result.confidence;
    turn.callee_language = result.language;
    Sentiment sentiment = parts_.sentiment.Analyze(text, result.intent);
    state_.sentiment.Add(sentiment);
    turn.sentiment = sentiment.label;
    turn.sentiment_score = sentiment.score;
    turn.call_sentiment = state_.sentiment.score();
    state_.callee_language = result.language;
    Remember(result.intent);
    // An angry callee who has not ended the call themselves is offered a person, as if
    // they had asked for one (the script's human_agent route: a transfer, or a callback
    // from a person when the campaign has no one to transfer to), however unsure the
    // reading of their words: "sorry, I did not catch that" would make it worse.
    if (sentiment.strongly_negative && !EndsByItself(result.intent) &&
        !script_.Next(*script_.Find(state_.step), "human_agent").empty()) {
      result.intent = "human_agent";
      result.confidence = std::max(result.confidence, parts_.options.min_confidence);
      Remember("angry");
    }
    const double min = parts_.options.min_confidence;
    // A missed opt-out breaks the law; a false one costs a lead: act on it regardless.
    bool opt_out = result.intent == "opt_out";
    if (!opt_out &&
        (result.intent.empty() || result.confidence < min || utterance.confidence < min)) {
      Reprompt(/*silence=*/false, &turn);
      return turn;
    }
    if (!opt_out && state_.turns > parts_.options.max_turns) {
      EndPolitely(kEndLong.In(state_.language), &turn);
      return turn;
    }
    state_.reprompts = 0;
    FollowLanguage(result, text);
    const campaigns::ScriptStep* current = script_.Find(state_.step);
    if (result.intent == "callback_request" || current->kind == "callback") {
      int64_t now = utterance.at_ms > 0 ? utterance.at_ms : parts_.clock.NowMillis();
      if (zone_) {
        if (auto at = parts_.callback_parser.Parse(text, now, *zone_)) state_.callback_at_ms = at;
      }
    }
    if (campaigns::IsInPlaceIntent(result.intent) &&
        script_.RoutedNext(*current, result.intent).empty()) {
      SayCurrent(&turn);
      return turn;
    }
    std::string next = script_.Next(*current, result.intent);
    const campaigns::ScriptStep* step = next.empty() ? nullptr : script_.Find(next);
    if (!step) {
      Reprompt(/*silence=*/false, &turn);
      return turn;
    }
    Decide(*current, result.intent);
    state_.question = said;
    state_.question_intent = result.intent;
    Enter(*step, &turn);
    return turn;
  }

  nlohmann::json SaveState() const override { return state_.ToJson(); }

 private:
  bool HasLanguage(const std::string& language) const {
    const campaigns::ScriptStep* start = script_.Find(script_.start);
    auto it = start->lines.find(language);
    return it != start->lines.end() && !it->second.empty();
  }

  void FollowLanguage(const IntentResult& result, const NormalizedText& text) {
    if (result.intent == "language_switch") {
      std::string target = result.target_language;
      if (target.empty()) target = state_.language == "hi" ? "en" : "hi";
      if (HasLanguage(target)) {
        state_.language = target;
        state_.language_locked = true;
      }
      return;
    }
    if (state_.language_locked || text.tokens.size() < 3) return;
    bool hindi = result.language == "hi" || result.language == "hinglish";
    if (hindi && state_.language == "en" && HasLanguage("hi")) state_.language = "hi";
    if (result.language == "en" && state_.language == "hi" && HasLanguage("en")) {
      state_.language = "en";
    }
  }

  // The outcome as the callee's answer in `from` leaves it (an action overrides it).
  void Decide(const campaigns::ScriptStep& from, const std::string& intent) {
    bool deciding = from.kind == "pitch" || from.kind == "close";
    if (intent == "not_interested" || (intent == "deny" && deciding)) {
      state_.disposition = dialer::Disposition::kNotInterested;
    } else if (intent == "interested" || (intent == "affirm" && deciding)) {
      state_.disposition = dialer::Disposition::kInterested;
    }
  }

  std::pair<std::string, std::string> LineOf(const campaigns::ScriptStep& step) const {
    for (const std::string& language : {state_.language, std::string("en"), std::string("hi")}) {
      auto it = step.lines.find(language);
      if (it != step.lines.end() && !it->second.empty()) return {it->second, language};
    }
    return {"", state_.language};
  }

  std::string Answer(const campaigns::ScriptStep& step, const std::string& language) const {
    NormalizedText question = parts_.normalizer.Normalize(state_.question);
    auto answer = compiled_->knowledge.Answer(question, state_.question_intent, language);
    if (answer && parts_.options.phraser) {
      PhraseRequest request;
      request.question = state_.question;
      request.intent = state_.question_intent;
      request.facts = {answer->text};
      request.script_line = answer->text;
      request.language = language;
      request.business = context_.campaign->business_name;
      request.agent_name = parts_.options.agent_name;
      if (auto phrased = parts_.options.phraser->Phrase(request)) return *phrased;
    }
    if (answer) return answer->text;
    if (step.kind == "objection") return "";
    return Fill(kNoInformation.In(language), step, language);
  }

  std::string Fill(const std::string& line, const campaigns::ScriptStep& step,
                   const std::string& language) const {
    const campaigns::Campaign& campaign = *context_.campaign;
    std::string out;
    out.reserve(line.size() + 64);
    for (size_t i = 0; i < line.size(); ++i) {
      size_t close = line[i] == '{' ? line.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        out += line[i];
        continue;
      }
      std::string_view name(line.data() + i + 1, close - i - 1);
      if (name == "business") {
        out += campaign.business_name;
      } else if (name == "agent") {
        out += parts_.options.agent_name;
      } else if (name == "goal") {
        out += campaign.goal;
      } else if (name == "offer") {
        out += campaign.offer;
      } else if (name == "lead_name") {
        out += context_.lead_name;
      } else if (name == "lead_source") {
        out += context_.lead_source.empty() ? Fill(kUnknownSource.In(language), step, language)
                                            : context_.lead_source;
      } else if (name == "answer") {
        out += Answer(step, language);
      }  // an unknown placeholder is left unsaid rather than read out
      i = close;
    }
    return Tidy(out);
  }

  // The current step's line again, in the call's language, with no action.
  void SayCurrent(AgentTurn* turn) {
    const campaigns::ScriptStep* step = script_.Find(state_.step);
    auto [line, language] = LineOf(*step);
    turn->lines.push_back(Fill(line, *step, language));
    turn->language = language;
    Describe(turn);
  }

  void Describe(AgentTurn* turn) const {
    turn->step = state_.step;
    turn->disposition = state_.disposition;
    if (turn->language.empty()) turn->language = state_.language;
    turn->call_sentiment = state_.sentiment.score();
    if (state_.ended) turn->summary = Summary();
  }

  static bool EndsByItself(const std::string& intent) {
    return intent == "opt_out" || intent == "not_interested" || intent == "wrong_number" ||
           intent == "goodbye" || intent == "human_agent" || intent == "callback_request";
  }

  // The intents a call's summary mentions, and how it says them.
  struct Topic {
    std::string_view intent;
    const char* said;
  };
  static constexpr std::array<Topic, 12> kTopics = {{
      {"ask_price", "asked about the price"},
      {"ask_details", "asked for details"},
      {"objection_price", "objected to the price"},
      {"objection_existing", "already has a similar product"},
      {"objection_trust", "doubted the call was genuine"},
      {"is_bot", "asked whether the agent is automated"},
      {"how_got_number", "asked how we got the number"},
      {"who_is_calling", "asked who was calling"},
      {"human_agent", "asked for a person"},
      {"language_switch", "asked for another language"},
      {"angry", "was angry and was offered a person"},
      {"interested", "showed interest"},
  }};
  static const Topic* TopicOf(std::string_view intent) {
    for (const Topic& t : kTopics) {
      if (t.intent == intent) return &t;
    }
    return nullptr;
  }

  void Remember(const std::string& intent) {
    if (!TopicOf(intent)) return;
    if (std::find(state_.topics.begin(), state_.topics.end(), intent) == state_.topics.end()) {
      state_.topics.push_back(intent);
    }
  }

  // "Spoke Hinglish (agent answered in Hindi). Asked about the price; objected to the
  // price. Sentiment negative. Outcome: callback booked."
  std::string Summary() const {
    auto spoken = [](const std::string& l) {
      return l == "hi" ? "Hindi" : l == "hinglish" ? "Hinglish" : l == "en" ? "English" : "";
    };
    std::string out;
    if (!state_.callee_language.empty()) {
      out += std::string("Spoke ") + spoken(state_.callee_language) + " (agent answered in " +
             spoken(state_.language) + "). ";
    }
    std::vector<std::string> parts;
    for (const auto& t : state_.topics) {
      if (const Topic* topic = TopicOf(t)) parts.push_back(topic->said);
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string p = parts[i];
      if (i == 0) p[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0])));
      out += p + (i + 1 < parts.size() ? "; " : ". ");
    }
    if (state_.sentiment.utterances() > 0) out += "Sentiment " + state_.sentiment.label() + ". ";
    out += "Outcome: ";
    out += state_.disposition ? std::string(dialer::DispositionName(*state_.disposition))
                              : std::string("no decision");
    out += ".";
    return out;
  }

  void Enter(const campaigns::ScriptStep& step, AgentTurn* turn) {
    state_.step = step.id;
    std::string action = step.action;
    auto [line, language] = LineOf(step);
    turn->language = language;
    if (action == "transfer" && context_.transfer_to.empty()) {
      action = "book_callback";
      turn->lines.push_back(Fill(kNoTransfer.In(language), step, language));
      turn->end_call = true;
    } else {
      // A booked time is said back, moved into the calling window when it was outside.
      if (action == "book_callback" && state_.callback_at_ms && zone_) {
        const auto& window = context_.campaign->window;
        if (auto slot =
                LegalCallbackSlot(*state_.callback_at_ms, window, *zone_, parts_.holidays)) {
          turn->lines.push_back(SayCallbackSlot(*slot, window, *zone_, language));
        }
      }
      turn->lines.push_back(Fill(line, step, language));
      turn->end_call = step.end || EndsCall(action);
    }
    turn->action = action;
    if (action == "add_do_not_call") state_.disposition = dialer::Disposition::kOptedOut;
    if (action == "mark_wrong_number") state_.disposition = dialer::Disposition::kWrongNumber;
    if (action == "book_callback") {
      state_.disposition = dialer::Disposition::kCallbackBooked;
      turn->callback_at_ms = state_.callback_at_ms;
    }
    if (action == "transfer") {
      state_.disposition = dialer::Disposition::kTransferred;
      turn->transfer_to = context_.transfer_to;
    }
    if (turn->end_call) state_.ended = true;
    Describe(turn);
  }

  void Reprompt(bool silence, AgentTurn* turn) {
    const std::string& language = state_.language;
    if (state_.reprompts >= parts_.options.max_reprompts) {
      EndPolitely(kEndUnheard.In(language), turn);
      return;
    }
    ++state_.reprompts;
    turn->lines.push_back((silence ? kNotHeard : kNotCaught).In(language));
    SayCurrent(turn);
  }

  // Ends with the script's goodbye line when it has a plain one, else the engine's.
  void EndPolitely(const std::string& reason, AgentTurn* turn) {
    const campaigns::ScriptStep* current = script_.Find(state_.step);
    const campaigns::ScriptStep* goodbye = script_.Find(script_.RoutedNext(*current, "goodbye"));
    turn->lines.push_back(reason);
    if (goodbye && goodbye->action == "end_call") {
      state_.step = goodbye->id;
      auto [line, language] = LineOf(*goodbye);
      turn->lines.push_back(Fill(line, *goodbye, language));
    } else {
      turn->lines.push_back(kGoodbye.In(state_.language));
    }
    turn->language = state_.language;
    turn->action = "end_call";
    turn->end_call = true;
    state_.ended = true;
    Describe(turn);
  }

  const Parts& parts_;
  std::shared_ptr<const Compiled> compiled_;
  const campaigns::Script& script_;
  CallContext context_;
  State state_;
  const campaigns::ZoneRules* zone_ = nullptr;
};

}  // namespace

ScriptConversationEngine::ScriptConversationEngine(const IntentClassifier& classifier,
                                                   ScriptEngineOptions options)
    : parts_(std::make_unique<Parts>(classifier, nullptr, std::move(options))) {}

ScriptConversationEngine::ScriptConversationEngine(const IntentClassifier& classifier,
                                                   const core::Clock& clock,
                                                   ScriptEngineOptions options)
    : parts_(std::make_unique<Parts>(classifier, &clock, std::move(options))) {}

ScriptConversationEngine::~ScriptConversationEngine() = default;

core::Result<std::shared_ptr<const ScriptConversationEngine::Compiled>>
ScriptConversationEngine::CompiledFor(const CallContext& context) {
  if (!context.campaign) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "The call has no campaign; a conversation needs its script.");
  }
  const std::string key = Fingerprint(*context.campaign);
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  auto script = campaigns::ParseScript(context.campaign->script);
  if (!script) return script.error();
  const campaigns::ScriptStep* start = script->Find(script->start);
  if (!start) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "The campaign's script has no start step '" + script->start +
                               "'; fix the script before calling.",
                           "script_invalid");
  }
  auto compiled = std::make_shared<const Compiled>(Compiled{
      std::move(*script), KnowledgeBase(context.campaign->knowledge,
                                        context.campaign->product_facts, parts_->normalizer)});
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (cache_.size() >= kMaxCachedScripts) cache_.clear();  // campaigns edited many times
  cache_.emplace(key, compiled);
  return std::shared_ptr<const Compiled>(compiled);
}

core::Result<std::unique_ptr<ConversationSession>> ScriptConversationEngine::Start(
    const CallContext& context) {
  auto compiled = CompiledFor(context);
  if (!compiled) return compiled.error();
  State state;
  std::string language = context.language;
  if (language != "en" && language != "hi") {
    language = context.campaign->languages == "hi" ? "hi" : "en";
  }
  state.language = language;
  return std::unique_ptr<ConversationSession>(
      new ScriptSession(*parts_, std::move(*compiled), context, std::move(state)));
}

core::Result<std::unique_ptr<ConversationSession>> ScriptConversationEngine::Resume(
    const CallContext& context, const nlohmann::json& json) {
  auto compiled = CompiledFor(context);
  if (!compiled) return compiled.error();
  auto state = State::FromJson(json);
  if (!state) return state.error();
  if (state->opened && !(*compiled)->script.Find(state->step)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "The conversation state names step '" + state->step +
                               "', which the campaign's script does not have.",
                           "conversation_state_invalid");
  }
  return std::unique_ptr<ConversationSession>(
      new ScriptSession(*parts_, std::move(*compiled), context, std::move(*state)));
}

}  // namespace vaarta::conversation
