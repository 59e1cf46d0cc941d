#include "campaigns/script_generator.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "campaigns/script.h"

namespace vaarta::campaigns {
namespace {

// ---- The template --------------------------------------------------------------------

// How much of the product facts the pitch quotes; the rest is for the knowledge base.
constexpr size_t kPitchFactsBytes = 320;

using Transitions = std::map<std::string, std::string>;

ScriptStep Step(std::string id, std::string kind, std::string en, std::string hi,
                Transitions transitions = {}, std::string default_step = "",
                std::string action = "") {
  ScriptStep step;
  step.id = std::move(id);
  step.kind = std::move(kind);
  step.lines = {{"en", std::move(en)}, {"hi", std::move(hi)}};
  step.transitions = std::move(transitions);
  step.default_step = std::move(default_step);
  step.action = std::move(action);
  step.end = step.transitions.empty() && step.default_step.empty();
  return step;
}

// Campaign text quoted in a line: one line of plain text without braces (which would
// read as placeholders), spaces collapsed.
std::string PlainText(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = static_cast<unsigned char>(c) < 0x20 || c == ' ' || c == '{' || c == '}';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The opening sentences of the product facts for the pitch, without any sentence that
// makes a forbidden promise (those stay out of the script whatever the facts say).
std::string PitchFacts(const std::string& facts) {
  std::string out;
  for (const auto& sentence : FactSentences(facts)) {
    if (!FindForbiddenPromises(sentence).empty()) continue;
    if (!out.empty() && out.size() + 1 + sentence.size() > kPitchFactsBytes) break;
    if (sentence.size() > kPitchFactsBytes) {
      if (!out.empty()) break;
      size_t cut = sentence.rfind(' ', kPitchFactsBytes);
      out = sentence.substr(0, cut == std::string::npos ? kPitchFactsBytes : cut) + " ...";
      break;
    }
    out += (out.empty() ? "" : " ") + sentence;
  }
  return out;
}

bool EndsWithStop(const std::string& text) {
  if (text.empty()) return false;
  char last = text.back();
  return last == '.' || last == '!' || last == '?' ||
         (text.size() >= 3 && text.compare(text.size() - 3, 3, "।") == 0);
}

Script BuildTemplate(const Campaign& campaign) {
  const std::string facts = PitchFacts(campaign.product_facts);
  const bool offer =
      !PlainText(campaign.offer).empty() && FindForbiddenPromises(campaign.offer).empty();
  std::string pitch_en, pitch_hi;
  if (facts.empty()) {
    pitch_en = "I can tell you what {business} offers and answer your questions. ";
    pitch_hi =
        "आपको {business} की पेशकश के बारे में बताया जा सकता है और आपके सवालों के जवाब दिए "
        "जा सकते हैं। ";
  } else {
    pitch_en = "Here is what {business} offers: " + facts + (EndsWithStop(facts) ? " " : ". ");
    pitch_hi = "{business} की ओर से जानकारी: " + facts + (EndsWithStop(facts) ? " " : "। ");
  }
  if (offer) {
    pitch_en += "The current offer: {offer}. ";
    pitch_hi += "अभी का ऑफ़र: {offer}। ";
  }
  pitch_en += "Would you like to go ahead with this: {goal}?";
  pitch_hi += "क्या आप इसके लिए आगे बढ़ना चाहेंगे: {goal}?";

  const Transitions go_on = {{"affirm", "pitch"}, {"interested", "pitch"}, {"deny", "goodbye"}};
  const Transitions decide = {{"affirm", "close"}, {"interested", "close"}, {"deny", "goodbye"}};

  Script script;
  script.start = "greeting";
  script.global_transitions = {
      {"opt_out", "opt_out"},
      {"wrong_number", "wrong_number"},
      {"is_bot", "answer_is_bot"},
      {"how_got_number", "answer_source"},
      {"who_is_calling", "answer_identity"},
      {"human_agent", "transfer"},
      {"callback_request", "callback"},
      {"goodbye", "goodbye"},
      {"not_interested", "goodbye"},
      {"ask_price", "answer_question"},
      {"ask_details", "answer_question"},
      {"objection_price", "objection_price"},
      {"objection_existing", "objection_existing"},
      {"objection_trust", "objection_trust"},
      {"out_of_scope", "out_of_scope"},
  };
  script.steps = {
      Step("greeting", "greeting",
           "Hello, this is {agent}, an automated AI assistant calling on behalf of {business}. "
           "The reason for my call: {goal}. This call is recorded. If you do not want calls "
           "from us, say \"stop calling\" at any time and we will not call you again. Do you "
           "have a minute?",
           "नमस्ते, मैं {agent} हूँ, {business} की ओर से एक स्वचालित AI सहायक। मेरे कॉल का "
           "कारण: {goal}। यह कॉल रिकॉर्ड की जा रही है। अगर आप हमसे कॉल नहीं चाहते, तो कभी भी "
           "\"कॉल मत करो\" कहिए, हम आपको फिर कॉल नहीं करेंगे। क्या आपके पास एक मिनट है?",
           {{"affirm", "qualify"},
            {"greeting", "qualify"},
            {"interested", "pitch"},
            {"deny", "ask_callback"}},
           "qualify"),
      Step("qualify", "qualify",
           "Thank you. May I ask one quick question, so that I only tell you what is useful: "
           "is this something you are looking for at the moment?",
           "धन्यवाद। क्या मैं आपसे एक छोटा सा सवाल पूछूँ, ताकि आपको सिर्फ काम की बात बताई जाए: "
           "क्या आप अभी ऐसा कुछ ढूँढ रहे हैं?",
           go_on, "pitch"),
      Step("pitch", "pitch", pitch_en, pitch_hi, decide, "close"),
      Step("objection_price", "objection",
           "I understand that price matters. {answer} Would "
           "you like to hear more before you decide?",
           "समझ में आता है कि कीमत मायने रखती है। {answer} क्या फ़ैसला करने से पहले आप थोड़ा "
           "और सुनना चाहेंगे?",
           go_on, "pitch"),
      Step("objection_existing", "objection",
           "It is good that you already have something in place. {answer} Would you like to "
           "hear how {business} compares?",
           "अच्छी बात है कि आपके पास पहले से कुछ है। {answer} क्या आप जानना चाहेंगे कि "
           "{business} में क्या अलग है?",
           go_on, "pitch"),
      Step("objection_trust", "objection",
           "That is a fair question. I am an automated assistant calling on behalf of "
           "{business}, and this call is recorded. We will never ask for an OTP, PIN or "
           "password on this call. {answer} Shall I continue?",
           "यह सही सवाल है। मैं {business} की ओर से एक स्वचालित सहायक हूँ, और यह कॉल रिकॉर्ड "
           "की जा रही है। इस कॉल पर आपसे कभी OTP, PIN या पासवर्ड नहीं माँगा जाएगा। {answer} "
           "क्या मैं आगे बताऊँ?",
           go_on, "pitch"),
      Step("answer_question", "answer",
           "From {business}'s own information: {answer} Would you like to go ahead, or is "
           "there anything else you would like to know?",
           "{business} की अपनी जानकारी के अनुसार: {answer} क्या आप आगे बढ़ना चाहेंगे, या कुछ "
           "और जानना चाहेंगे?",
           decide, "pitch"),
      Step("answer_is_bot", "answer",
           "Yes, I am an automated AI assistant calling on behalf of {business}, not a person, "
           "and this call is recorded. If you prefer, I can connect you to a person. Shall I "
           "continue?",
           "जी, मैं {business} की ओर से एक स्वचालित AI सहायक हूँ, कोई इंसान नहीं, और यह कॉल "
           "रिकॉर्ड की जा रही है। आप चाहें तो आपकी बात किसी व्यक्ति से करवाई जा सकती है। क्या "
           "मैं आगे बताऊँ?",
           go_on, "pitch"),
      Step("answer_source", "answer",
           "We have your number from {lead_source}. If you do not want calls from {business}, "
           "say \"stop calling\" and your number will be removed right away. Shall I continue?",
           "आपका नंबर हमें {lead_source} से मिला है। अगर आप {business} से कॉल नहीं चाहते, तो "
           "\"कॉल मत करो\" कहिए, आपका नंबर तुरंत हटा दिया जाएगा। क्या मैं आगे बताऊँ?",
           go_on, "pitch"),
      Step("answer_identity", "answer",
           "I am {agent}, an automated assistant calling on behalf of {business}. The reason "
           "for my call: {goal}. Shall I continue?",
           "मैं {agent} हूँ, {business} की ओर से एक स्वचालित सहायक। मेरे कॉल का कारण: {goal}। "
           "क्या मैं आगे बताऊँ?",
           go_on, "pitch"),
      Step("out_of_scope", "answer",
           "Sorry, on this call I can only help with what {business} offers. Would you like to "
           "hear more about it?",
           "माफ़ कीजिए, इस कॉल पर सिर्फ {business} से जुड़ी बात हो सकती है। क्या आप इसके बारे में "
           "और सुनना चाहेंगे?",
           go_on, "goodbye"),
      Step("close", "close",
           "Shall we go ahead with this: {goal}? A colleague from {business} will confirm the "
           "details with you.",
           "क्या हम इसके लिए आगे बढ़ें: {goal}? {business} से हमारे सहयोगी आपके साथ सारी "
           "जानकारी की पुष्टि करेंगे।",
           {{"affirm", "close_confirmed"}, {"interested", "close_confirmed"}, {"deny", "goodbye"}},
           "pitch"),
      Step("ask_callback", "callback",
           "No problem. When would be a better time for us to call you back?",
           "कोई बात नहीं। आपको वापस कॉल करने के लिए कौन सा समय ठीक रहेगा?",
           {{"affirm", "callback"}, {"deny", "goodbye"}}, "goodbye"),
      Step("callback", "callback",
           "Thank you. We will call you back at the time you asked for, within permitted "
           "calling hours. Goodbye.",
           "धन्यवाद। हम आपके बताए समय पर, कॉल करने के अनुमत समय के भीतर, आपको वापस कॉल "
           "करेंगे। नमस्ते।",
           {}, "", "book_callback"),
      Step("transfer", "transfer",
           "Sure. I am connecting you to a person from {business} now; please stay on the line.",
           "ज़रूर। अभी आपकी बात {business} के किसी व्यक्ति से करवाई जा रही है; कृपया लाइन पर "
           "बने रहिए।",
           {}, "", "transfer"),
      Step("goodbye", "goodbye", "Thank you for your time. Goodbye.", "आपके समय के लिए धन्यवाद। नमस्ते।",
           {}, "", "end_call"),
      Step("close_confirmed", "goodbye",
           "Thank you. A colleague from {business} will contact you to complete this. Goodbye.",
           "धन्यवाद। {business} से हमारे सहयोगी इसे पूरा करने के लिए आपसे संपर्क करेंगे। "
           "नमस्ते।",
           {}, "", "end_call"),
      Step("opt_out", "opt_out",
           "Understood. Your number has been removed, and {business} will not call you again. "
           "Sorry for the disturbance. Goodbye.",
           "समझ गए। आपका नंबर हटा दिया गया है, और {business} आपको फिर कॉल नहीं करेगा। परेशानी "
           "के लिए माफ़ी। नमस्ते।",
           {}, "", "add_do_not_call"),
      Step("wrong_number", "goodbye",
           "Sorry for the trouble. We will correct our records so that this number is not "
           "called about this again. Goodbye.",
           "परेशानी के लिए माफ़ी। हम अपने रिकॉर्ड ठीक कर देंगे ताकि इस बारे में इस नंबर पर फिर "
           "कॉल न हो। नमस्ते।",
           {}, "", "mark_wrong_number"),
  };
  return script;
}

// ---- Repairing an LLM draft ----------------------------------------------------------

std::string CodesOf(const std::vector<ScriptFinding>& findings) {
  std::set<std::string> codes;
  for (const auto& f : findings) {
    if (f.severity == "error") codes.insert(f.code);
  }
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
  return out;
}

bool EndsCall(std::string_view action) {
  return action == "end_call" || action == "add_do_not_call" || action == "transfer" ||
         action == "mark_wrong_number";
}

// Mechanical repairs of a draft, each with a note for the manager. Lines that break a
// rule are replaced by the template's lines for the same kind of step, missing routes
// by the template's steps, and what cannot be used is left out.
class Repairer {
 public:
  Repairer(const Campaign& campaign, const Script& tmpl, std::vector<std::string>* notes)
      : campaign_(campaign), tmpl_(tmpl), notes_(notes) {}

  std::optional<Script> Run(const nlohmann::json& draft) {
    if (!draft.is_object()) {
      Note("The LLM's reply is JSON but not a script (an object with steps).");
      return std::nullopt;
    }
    std::vector<ScriptSchemaProblem> problems;
    script_ = ReadScript(draft, &problems);
    if (!problems.empty()) {
      std::string text =
          "Left out what does not match the script format: " + problems.front().message;
      if (problems.size() > 1) {
        text += " (and " + std::to_string(problems.size() - 1) + " more)";
      }
      Note(text);
    }
    script_.version = kScriptVersion;
    Sanitize();
    if (script_.steps.empty()) {
      Note("The draft has no usable steps.");
      return std::nullopt;
    }
    // Without a greeting to start from and a pitch the draft is not a campaign's
    // conversation, however well the rest could be patched.
    auto of_kind = [&](const char* kind) {
      return std::find_if(script_.steps.begin(), script_.steps.end(),
                          [&](const ScriptStep& s) { return s.kind == kind; });
    };
    if (of_kind("greeting") == script_.steps.end() || of_kind("pitch") == script_.steps.end()) {
      Note("The draft has no greeting or no pitch step.");
      return std::nullopt;
    }
    const ScriptStep* start = script_.Find(script_.start);
    if (!start || start->kind != "greeting") {
      script_.start = of_kind("greeting")->id;
      Note("The script now starts at its greeting step '" + script_.start + "'.");
    }
    for (auto& step : script_.steps) {
      if (EndsCall(step.action) && !step.end) {
        step.end = true;
        Note("Step '" + step.id + "' (action " + step.action + ") now ends the call.");
      }
      if (step.end) {
        step.transitions.clear();
        step.default_step.clear();
      }
    }
    EnsureRouted("opt_out", "add_do_not_call", "opt_out");
    EnsureRouted("wrong_number", "mark_wrong_number", "wrong_number");
    EnsureRouted("is_bot", "", "answer_is_bot");
    EnsureRouted("how_got_number", "", "answer_source");
    RepairLines();
    EnsureWayOn();
    DropUnreachable();
    return std::move(script_);
  }

 private:
  void Note(std::string text) { notes_->push_back(std::move(text)); }

  void Sanitize() {
    std::set<std::string> seen;
    std::vector<ScriptStep> kept;
    for (auto& step : script_.steps) {
      if (!IsValidStepId(step.id) || !seen.insert(step.id).second) {
        Note("Left out a step with an unusable or repeated id ('" + step.id.substr(0, 40) + "').");
        continue;
      }
      if (!IsStepKind(step.kind)) {
        const ScriptStep* same = tmpl_.Find(step.id);
        step.kind = same ? same->kind : "answer";
        Note("Step '" + step.id + "' had no known kind; it is now of kind '" + step.kind + "'.");
      }
      if (!step.action.empty() && !IsStepAction(step.action)) {
        Note("Step '" + step.id + "' had an unknown action, which was removed.");
        step.action.clear();
      }
      std::erase_if(step.transitions, [](const auto& t) { return !IsIntent(t.first); });
      std::erase_if(step.lines, [](const auto& line) {
        return !IsScriptLanguage(line.first) || CodePoints(line.second) > kMaxLineChars;
      });
      kept.push_back(std::move(step));
    }
    script_.steps = std::move(kept);
    std::erase_if(script_.global_transitions, [](const auto& t) { return !IsIntent(t.first); });
    bool dropped = false;
    auto known = [&](const std::string& id) { return script_.Find(id) != nullptr; };
    dropped |= std::erase_if(script_.global_transitions,
                             [&](const auto& t) { return !known(t.second); }) > 0;
    for (auto& step : script_.steps) {
      dropped |=
          std::erase_if(step.transitions, [&](const auto& t) { return !known(t.second); }) > 0;
      if (!step.default_step.empty() && !known(step.default_step)) {
        step.default_step.clear();
        dropped = true;
      }
    }
    if (dropped) Note("Removed transitions that led to steps the draft does not have.");
  }

  static size_t CodePoints(const std::string& text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }

  bool Serves(const std::string& id, const std::string& action) const {
    const ScriptStep* step = script_.Find(id);
    return step && (action.empty() || (step->action == action && step->end));
  }

  std::string FreeId(const std::string& wanted) const {
    if (!script_.Find(wanted)) return wanted;
    for (int n = 2;; ++n) {
      std::string id = wanted + "_" + std::to_string(n);
      if (!script_.Find(id)) return id;
    }
  }

  // Adds the template's step `template_id`, its routes pointed at the draft's steps of
  // the same kind (or at copies of the template's ending steps); returns its id.
  std::string Import(const std::string& template_id) {
    ScriptStep step = *tmpl_.Find(template_id);
    step.id = FreeId(template_id);
    script_.steps.push_back(step);  // first, so that retargeting sees the id taken
    Transitions routes;
    for (const auto& [intent, target] : step.transitions) {
      std::string mine = Retarget(target);
      if (!mine.empty()) routes[intent] = mine;
    }
    std::string fallback = step.default_step.empty() ? "" : Retarget(step.default_step);
    if (!step.end && fallback.empty()) fallback = Goodbye();
    ScriptStep* added = script_.Find(step.id);
    added->transitions = std::move(routes);
    added->default_step = fallback;
    return added->id;
  }

  std::string Retarget(const std::string& template_id) {
    const ScriptStep* wanted = tmpl_.Find(template_id);
    for (const auto& step : script_.steps) {
      if (step.id == template_id && step.kind == wanted->kind && step.action == wanted->action)
        return step.id;
    }
    for (const auto& step : script_.steps) {
      if (step.kind == wanted->kind && step.action == wanted->action && step.end == wanted->end)
        return step.id;
    }
    return wanted->end ? Import(template_id) : "";
  }

  // A step that thanks the callee and hangs up.
  std::string Goodbye() {
    for (const auto& step : script_.steps) {
      if (step.kind == "goodbye" && step.action == "end_call" && step.end) return step.id;
    }
    Note("Added the template's goodbye step.");
    return Import("goodbye");
  }

  // Makes `intent` routed in every step that does not end, to a step that serves it.
  void EnsureRouted(const std::string& intent, const std::string& action,
                    const std::string& template_id) {
    for (auto& step : script_.steps) {
      auto own = step.transitions.find(intent);
      if (own != step.transitions.end() && !Serves(own->second, action)) {
        Note("Step '" + step.id + "' sent '" + intent + "' to '" + own->second +
             "', which does not " + (action.empty() ? "exist" : "perform " + action) +
             "; it now uses the global route.");
        step.transitions.erase(own);
      }
    }
    auto global = script_.global_transitions.find(intent);
    bool global_ok = global != script_.global_transitions.end() && Serves(global->second, action);
    bool all_routed = std::all_of(script_.steps.begin(), script_.steps.end(), [&](const auto& s) {
      return s.end || !script_.RoutedNext(s, intent).empty();
    });
    if (global_ok || (global == script_.global_transitions.end() && all_routed)) return;
    std::string target;
    for (const auto& step : script_.steps) {
      if (!action.empty() && Serves(step.id, action)) {
        target = step.id;
        break;
      }
    }
    if (target.empty()) {
      target = Import(template_id);
      Note("Added the template's '" + template_id + "' step for '" + intent + "'.");
    }
    script_.global_transitions[intent] = target;
    Note("'" + intent + "' now goes to step '" + target + "' from every step.");
  }

  // The template step whose lines stand in for `step`'s: the same id and kind, else
  // the same kind and action reached by the same intents, else the same kind.
  const ScriptStep* Counterpart(const ScriptStep& step) const {
    const ScriptStep* same = tmpl_.Find(step.id);
    if (same && same->kind == step.kind && same->action == step.action) return same;
    std::vector<const ScriptStep*> candidates;
    for (const auto& t : tmpl_.steps) {
      if (t.kind == step.kind && t.action == step.action) candidates.push_back(&t);
    }
    for (std::string_view intent : kIntents) {
      bool routes_here = false;
      for (const auto& s : script_.steps) {
        if (!s.end && script_.RoutedNext(s, intent) == step.id) routes_here = true;
      }
      if (!routes_here) continue;
      auto t = tmpl_.global_transitions.find(std::string(intent));
      if (t == tmpl_.global_transitions.end()) continue;
      for (const ScriptStep* c : candidates) {
        if (c->id == t->second) return c;
      }
    }
    if (!candidates.empty()) return candidates.front();
    for (const auto& t : tmpl_.steps) {
      if (t.kind == step.kind) return &t;
    }
    return nullptr;
  }

  void RepairLines() {
    std::vector<ScriptFinding> findings = CheckScript(ScriptToJson(script_), campaign_);
    std::map<std::string, std::vector<const ScriptFinding*>> by_step;
    static constexpr std::string_view kLineCodes[] = {"missing_disclosure_business",
                                                      "missing_disclosure_purpose",
                                                      "missing_disclosure_recorded",
                                                      "missing_disclosure_automated",
                                                      "missing_disclosure_opt_out",
                                                      "forbidden_guarantee",
                                                      "forbidden_urgency",
                                                      "forbidden_impersonation",
                                                      "unknown_placeholder",
                                                      "misplaced_placeholder",
                                                      "missing_line",
                                                      "is_bot_answer_not_honest"};
    for (const auto& f : findings) {
      if (f.step.empty()) continue;
      if (std::find(std::begin(kLineCodes), std::end(kLineCodes), f.code) != std::end(kLineCodes))
        by_step[f.step].push_back(&f);
    }
    for (const auto& [id, problems] : by_step) {
      ScriptStep* step = script_.Find(id);
      if (!step) continue;
      const ScriptStep* standard = id == script_.start ? tmpl_.Find(tmpl_.start)
                                   : problems.front()->code == "is_bot_answer_not_honest"
                                       ? tmpl_.Find("answer_is_bot")
                                       : Counterpart(*step);
      if (!standard) continue;
      std::set<std::string> said;
      std::string why;
      for (const ScriptFinding* p : problems) {
        std::string text = p->code + (p->language.empty() ? "" : " (" + p->language + ")");
        if (said.insert(text).second) why += (why.empty() ? "" : ", ") + text;
      }
      step->lines = standard->lines;
      Note("Replaced the lines of step '" + id + "' with the template's '" + standard->id +
           "' lines because of " + why + ".");
    }
  }

  // Every step that does not end gets a default, so no intent is left without a way on.
  void EnsureWayOn() {
    for (size_t i = 0; i < script_.steps.size(); ++i) {
      if (script_.steps[i].end || !script_.steps[i].default_step.empty()) continue;
      std::string id = script_.steps[i].id;
      std::string goodbye = Goodbye();  // may add a step: index again below
      script_.steps[i].default_step = goodbye;
      Note("Step '" + id + "' had no default; other answers now go to '" + goodbye + "'.");
    }
  }

  void DropUnreachable() {
    std::set<std::string> reached = {script_.start};
    std::vector<std::string> queue = {script_.start};
    while (!queue.empty()) {
      const ScriptStep* step = script_.Find(queue.back());
      queue.pop_back();
      if (!step || step->end) continue;
      std::vector<std::string> next = {step->default_step};
      for (const auto& [intent, target] : step->transitions) next.push_back(target);
      for (const auto& [intent, target] : script_.global_transitions) next.push_back(target);
      for (const auto& id : next) {
        if (!id.empty() && reached.insert(id).second) queue.push_back(id);
      }
    }
    std::erase_if(script_.steps, [&](const ScriptStep& step) {
      if (reached.count(step.id)) return false;
      Note("Left out step '" + step.id + "', which no conversation reaches.");
      return true;
    });
  }

  const Campaign& campaign_;
  const Script& tmpl_;
  std::vector<std::string>* notes_;
  Script script_;
};

// ---- Asking the LLM ------------------------------------------------------------------

std::string Join(auto names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string SystemPrompt(const Campaign& campaign) {
  std::string languages;
  for (const auto& l : RequiredLanguages(campaign.languages)) {
    languages += (languages.empty() ? "" : ", ") + l;
  }
  return "You write conversation scripts for Vaarta, an automated phone assistant that calls "
         "leads in India on behalf of a business. Reply with one JSON object only, the "
         "script: no prose, no code fences.\n\n"
         "Format (version 1):\n"
         "{\"version\": 1, \"start\": \"<id of the greeting step>\", \"global_transitions\": "
         "{\"<intent>\": \"<step id>\"}, \"steps\": [{\"id\": \"<lower_snake_case>\", \"kind\": "
         "\"<kind>\", \"lines\": {\"en\": \"...\", \"hi\": \"...\"}, \"transitions\": "
         "{\"<intent>\": \"<step id>\"}, \"default\": \"<step id>\", \"action\": \"<action>\", "
         "\"end\": false}]}\n"
         "kind: " +
         Join(kStepKinds) +
         ".\n"
         "action (optional; runs before the step's line): " +
         Join(kStepActions) +
         ".\n"
         "intents: " +
         Join(kIntents) +
         ".\n"
         "In a step, the callee's intent goes to the step's own transition, else to "
         "global_transitions, else to the step's default. The engine handles repeat and "
         "language_switch itself.\n"
         "Placeholders (no other braces): {business}, {agent} (the assistant's name), {goal}, "
         "{offer}, {lead_name}, {lead_source} (where the number came from), {answer} (only in "
         "steps of kind answer or objection: the knowledge base's answer to the question).\n\n"
         "Rules:\n"
         "1. The start step has kind greeting and, in every language: names the business "
         "({business}), says the purpose ({goal}), says the call is recorded, says the speaker "
         "is an automated AI assistant, and says how to stop calls (\"say 'stop calling'\").\n"
         "2. global_transitions sends opt_out to a step with action add_do_not_call and end "
         "true; wrong_number to a step with action mark_wrong_number and end true; is_bot to a "
         "step that says plainly it is an automated assistant; how_got_number to a step that "
         "uses {lead_source}.\n"
         "3. Every step that does not end has a default. Steps with action end_call, "
         "add_do_not_call, transfer or mark_wrong_number have end true. Every step is "
         "reachable from the start.\n"
         "4. Never promise guaranteed or risk-free returns, never create urgency (\"offer ends "
         "today\", \"last chance\"), never claim to be a human. Never invent prices, terms or "
         "facts: use only the product facts given, or {answer}.\n"
         "5. Every step has lines in: " +
         languages + ". Hindi lines are in Devanagari script. Short, polite, spoken sentences.\n";
}

std::string UserPrompt(const Campaign& campaign, const Script& tmpl) {
  nlohmann::json facts = {{"business_name", campaign.business_name},
                          {"goal", campaign.goal},
                          {"product_facts", campaign.product_facts},
                          {"offer", campaign.offer},
                          {"languages", RequiredLanguages(campaign.languages)}};
  nlohmann::json questions = nlohmann::json::array();
  for (const auto& entry : campaign.knowledge) {
    questions.push_back({{"kind", entry.kind},
                         {"intent", entry.intent},
                         {"question", entry.question_en},
                         {"answer", entry.answer_en}});
  }
  facts["knowledge_base"] = std::move(questions);
  return "The campaign:\n" + facts.dump(2) +
         "\n\nA valid script for it follows. Rewrite its lines so they suit this business and "
         "sound natural on the phone (keep the step ids, kinds, actions and transitions unless "
         "you have a reason), and return the whole script as JSON:\n" +
         ScriptToJson(tmpl).dump();
}

// The JSON in an LLM reply: the whole text, or inside a ``` fence, or from its first
// '{' to its last '}'. Discarded when there is none.
nlohmann::json ExtractJson(const std::string& content) {
  nlohmann::json json = nlohmann::json::parse(content, nullptr, false);
  if (!json.is_discarded()) return json;
  size_t open = content.find('{');
  size_t close = content.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return json;
  return nlohmann::json::parse(content.substr(open, close - open + 1), nullptr, false);
}

GeneratedScript FromTemplate(const Script& tmpl, const Campaign& campaign, std::string source,
                             std::vector<std::string> notes) {
  nlohmann::json script = ScriptToJson(tmpl);
  std::vector<ScriptFinding> findings = CheckScript(script, campaign);
  return {std::move(script), std::move(source), std::move(findings), std::move(notes)};
}

}  // namespace

std::vector<std::string> FactSentences(const std::string& facts) {
  const std::string text = PlainText(facts);
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    bool danda = text.compare(i, 3, "।") == 0;
    bool stop = text[i] == '.' || text[i] == '!' || text[i] == '?' || danda;
    size_t after = i + (danda ? 3 : 1);
    if (stop && (after >= text.size() || text[after] == ' ')) {
      out.push_back(text.substr(start, after - start));
      start = after;
      i = after - 1;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  for (auto& s : out) s = PlainText(s);
  out.erase(std::remove(out.begin(), out.end(), ""), out.end());
  return out;
}

nlohmann::json GenerateTemplateScript(const Campaign& campaign) {
  return ScriptToJson(BuildTemplate(campaign));
}

GeneratedScript GenerateScriptWith(const Campaign& campaign, const LlmClient& llm) {
  const Script tmpl = BuildTemplate(campaign);
  ChatRequest request;
  request.messages = {{"system", SystemPrompt(campaign)}, {"user", UserPrompt(campaign, tmpl)}};
  request.temperature = 0.2;
  request.json_object = true;
  auto reply = llm.Complete(request);
  if (!reply) {
    return FromTemplate(tmpl, campaign, "template_fallback",
                        {"The LLM draft could not be fetched, so the template script was used: " +
                         reply.error().message});
  }
  nlohmann::json draft = ExtractJson(reply->content);
  if (draft.is_discarded()) {
    std::string why =
        reply->finish_reason == "length" ? " (the model stopped at its length limit)" : "";
    return FromTemplate(
        tmpl, campaign, "template_fallback",
        {"The LLM's reply is not JSON" + why + ", so the template script was used."});
  }
  if (draft.is_object() && !draft.contains("steps") && draft.contains("script")) {
    draft = nlohmann::json(draft["script"]);
  }
  std::vector<ScriptFinding> findings = CheckScript(draft, campaign);
  if (!HasErrors(findings)) {
    nlohmann::json script = ScriptToJson(ReadScript(draft, nullptr));
    std::vector<ScriptFinding> checked = CheckScript(script, campaign);
    return {std::move(script), "llm", std::move(checked), {}};
  }
  std::vector<std::string> notes = {"The LLM draft had errors (" + CodesOf(findings) +
                                    "); repairing it."};
  std::optional<Script> repaired = Repairer(campaign, tmpl, &notes).Run(draft);
  if (!repaired) {
    notes.push_back("The draft could not be repaired, so the template script was used.");
    return FromTemplate(tmpl, campaign, "template_fallback", std::move(notes));
  }
  nlohmann::json script = ScriptToJson(*repaired);
  std::vector<ScriptFinding> after = CheckScript(script, campaign);
  if (HasErrors(after)) {
    notes.push_back("After repair the draft still had errors (" + CodesOf(after) +
                    "), so the template script was used.");
    return FromTemplate(tmpl, campaign, "template_fallback", std::move(notes));
  }
  return {std::move(script), "llm_repaired", std::move(after), std::move(notes)};
}

GeneratedScript GenerateScript(const Campaign& campaign, const std::optional<LlmEndpoint>& llm) {
  if (!llm || llm->base_url.empty()) {
    return FromTemplate(BuildTemplate(campaign), campaign, "template", {});
  }
  GeneratedScript generated = GenerateScriptWith(campaign, LlmChatClient(*llm));
  // The client keeps the key out of its errors; this keeps it out of whatever else a
  // note quotes.
  if (llm->api_key.size() >= 4) {
    for (auto& note : generated.notes) {
      for (size_t at = note.find(llm->api_key); at != std::string::npos;
           at = note.find(llm->api_key, at)) {
        note.replace(at, llm->api_key.size(), "[redacted]");
      }
    }
  }
  return generated;
}

}  // namespace vaarta::campaigns
