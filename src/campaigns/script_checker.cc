#include "campaigns/script_checker.h"

#include <unicode/normalizer2.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "campaigns/script.h"

namespace vaarta::campaigns {
namespace {

// ---- Text as the checks see it -------------------------------------------------------

// NFC, case folded, Devanagari spelling variants merged (nukta dropped, candrabindu
// written as anusvara, joiners dropped) and every script's digits as ASCII, so that
// "हूँ"/"हूं", "ज़"/"ज" and "१००"/"100" match the same phrase.
icu::UnicodeString FoldLetters(const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString normal = U_SUCCESS(status) ? nfc->normalize(text, status) : text;
  if (U_FAILURE(status)) normal = text;
  normal.foldCase();
  icu::UnicodeString out;
  for (int32_t i = 0; i < normal.length();) {
    UChar32 c = normal.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0x093C || c == 0x200C || c == 0x200D || c == 0x00AD || c == 0xFEFF) continue;
    if (c == 0x0901) c = 0x0902;
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER && u_charDigitValue(c) >= 0) {
      c = '0' + u_charDigitValue(c);
    }
    out.append(c);
  }
  return out;
}

bool IsWordChar(UChar32 c) {
  int8_t type = u_charType(c);
  return u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || type == U_NON_SPACING_MARK ||
         type == U_COMBINING_SPACING_MARK || type == U_DECIMAL_DIGIT_NUMBER || c == '%';
}

// The text folded, punctuation as spaces, words separated by one space and a space at
// each end: "Risk-free!" and "risk free" read the same, and " word " finds whole words.
icu::UnicodeString MatchForm(const std::string& utf8) {
  icu::UnicodeString folded = FoldLetters(icu::UnicodeString::fromUTF8(utf8));
  icu::UnicodeString out(" ");
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (IsWordChar(c)) {
      out.append(c);
    } else if (out.charAt(out.length() - 1) != ' ') {
      out.append(' ');
    }
  }
  if (out.charAt(out.length() - 1) != ' ') out.append(' ');
  return out;
}

std::string Utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string Trim(std::string text) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

bool IsBlank(const std::string& text) { return Trim(text).empty(); }

bool HasDevanagari(const std::string& text) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    i += U16_LENGTH(c);
    if (c >= 0x0900 && c <= 0x097F) return true;
  }
  return false;
}

// ---- Phrases -------------------------------------------------------------------------

// Patterns run on MatchForm text and match at the start of a word (see Compile). They
// are written folded (lower case, anusvara, no nukta) and use only lower-case escapes,
// because FoldLetters also runs over them.
constexpr const char* kRecordedPattern = "record|रिकॉर्ड|रिकार्ड|रेकॉर्ड|रेकार्ड|रिकोर्ड";

constexpr const char* kAutomatedPattern =
    "\\bautomated\\b|\\bautomatic\\b|\\bai\\b|artificial intelligence|\\bbot\\b|\\brobot|"
    "virtual assistant|digital assistant|voice assistant|\\bmachine\\b|\\bcomputer\\b|"
    "स्वचालित|ऑटोमेटेड|ऑटोमैटिक|एआई|आर्टिफिशियल|रोबोट|\\bबॉट\\b|कंप्यूटर|कम्प्यूटर|मशीन";

constexpr const char* kStopCallsPattern =
    "\\bstop\\b|do not call|don t call|dont call|not call you|opt out|unsubscribe|"
    "remove your number|no more calls|\\bdnd\\b|"
    "कॉल मत|कॉल न |कॉल ना |कॉल नहीं|कॉल बंद|बंद कर|रोक|हटा|"
    "call mat|call na |call nahi|band kar|hata do|hata de|mat karo|mat kijiye";

struct ForbiddenPattern {
  const char* code;
  const char* what;  // for a manager, in the finding's message
  const char* pattern;
};

constexpr ForbiddenPattern kForbiddenPatterns[] = {
    {"forbidden_guarantee", "guaranteed or risk-free returns",
     // English
     "\\bguarantee[ds]? (?:[^ ]+ ){0,3}(?:returns?|profits?|income|gains?|earnings)\\b|"
     "\\b(?:returns?|profits?|income|gains?|earnings) (?:are |is |will be |remain )"
     "(?:guaranteed|assured)\\b|"
     "\\b(?:guaranteed|assured) (?:[^ ]+ ){0,2}(?:returns?|profits?|income|gains?|earnings)\\b|"
     "\\b100 ?(?:%|percent|pratishat|प्रतिशत) ?(?:guarantee|sure|safe|pakka|assured|गारंटी|"
     "पक्का|सुरक्षित|श्योर)|"
     "\\brisk ?free\\b|\\b(?:no|zero|nil) risk\\b|\\bwithout (?:any )?risk\\b|"
     "double your money|money (?:will )?doubles?\\b|"
     // Hinglish
     "\\b(?:return|returns|munafa|munafe|labh|kamai) (?:ki|ka|ke) guarantee|"
     "\\b(?:return|returns|munafa|munafe|labh|kamai) (?:ki |ka |ke )?(?:pakka|pakki)\\b|"
     "\\b(?:pakka|pakki|guaranteed) (?:return|returns|munafa|munafe|kamai)\\b|"
     "\\bkoi risk (?:nahi|nahin|nai|nhi)\\b|\\bbina (?:kisi )?risk\\b|\\bpaisa double\\b|"
     "\\bpaise double\\b|"
     // Hindi
     "(?:रिटर्न|मुनाफ[^ ]*|लाभ|कमाई|फायद[^ ]*) (?:[^ ]+ ){0,2}(?:गारंटी|पक्का|पक्की|निश्चित|"
     "सुनिश्चित)|"
     "(?:गारंटीड|गारंटी वाला|गारंटी वाले|पक्का|पक्की|निश्चित|सुनिश्चित) (?:[^ ]+ ){0,2}"
     "(?:रिटर्न|मुनाफ|लाभ|कमाई)|"
     "जोखिम ?मुक्त|बिना (?:किसी )?(?:जोखिम|रिस्क)|(?:कोई|जीरो|शून्य) (?:भी )?(?:जोखिम|रिस्क) नहीं|"
     "रिस्क ?फ्री|जीरो रिस्क|पैसा डबल|पैसे डबल"},
    {"forbidden_urgency", "false urgency",
     "\\boffer ends (?:today|tonight|now|soon)\\b|\\bends today\\b|\\bexpires (?:today|tonight)\\b|"
     "(?<!not )\\b(?:only|just) (?:for )?today\\b|\\btoday only\\b|\\b(?:last|final) chance\\b|"
     "(?<!no )(?<!not )\\bhurry\\b|\\bact (?:now|fast)\\b|before it s too late|"
     "\\blimited time only\\b|\\bonly [0-9]+ (?:left|remaining)\\b|"
     "\\b(?:sirf|keval|kewal|bas) aaj\\b|\\baaj hi (?:last|aakhri|akhri|antim)\\b|"
     "\\b(?:aakhri|akhri|last|antim) (?:mauka|moka)\\b|\\bjaldi "
     "(?:karo|kijiye|kariye|karein|karen)\\b|"
     "सिर्फ आज|केवल आज|आज ही (?:आखिरी|अंतिम)|आज (?:आखिरी|अंतिम) (?:दिन|मौका)|"
     "(?:आखिरी|अंतिम|लास्ट) मौका|जल्दी (?:करें|कीजिए|करो|कीजिये)"},
    {"forbidden_impersonation", "pretending to be a person",
     "\\bi (?:am|m) (?:a |an )?(?:real |actual )?(?:human|person)\\b|"
     "\\bi (?:am|m) not (?:a |an )?(?:bot|robot|machine|computer|ai|automated)\\b|"
     "\\bnot an? automated call\\b|"
     "\\b(?:main|mai|mein|me) (?:ek )?(?:asli )?(?:insaan|insan|aadmi|admi|human|vyakti) "
     "(?:hoon|hun|hu|hoo)\\b|"
     "\\b(?:main|mai|mein|me) (?:koi )?(?:robot|bot|machine|ai) (?:nahi|nahin|nai|nhi) "
     "(?:hoon|hun|hu)\\b|"
     "मैं (?:एक )?(?:असली )?(?:इंसान|इन्सान|आदमी|मनुष्य|व्यक्ति|मानव|ह्यूमन) (?:हूं|हू)|"
     "मैं (?:कोई )?(?:रोबोट|बॉट|मशीन|एआई|ai|कंप्यूटर) नहीं"},
};

// Every phrase starts a word: the pattern is anchored at the space MatchForm puts before
// every word, so ICU tries the alternatives only there. (Groups in the patterns are
// non-capturing because ICU saves every capture group at each backtracking point; with
// capturing groups a line took over a millisecond, now about a quarter of one.)
std::unique_ptr<icu::RegexPattern> Compile(const char* pattern) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  icu::UnicodeString anchored = icu::UnicodeString::fromUTF8(std::string(" (?:") + pattern + ")");
  std::unique_ptr<icu::RegexPattern> compiled(
      icu::RegexPattern::compile(FoldLetters(anchored), 0, parse_error, status));
  if (U_FAILURE(status)) {
    throw std::logic_error(std::string("script phrase pattern does not compile: ") +
                           u_errorName(status) + " at offset " +
                           std::to_string(parse_error.offset));
  }
  return compiled;
}

// The compiled phrase patterns. Built once and never changed afterwards (ICU patterns
// are immutable and safe to share between threads); compiling them on every check
// would cost more than the check.
struct Phrases {
  std::unique_ptr<icu::RegexPattern> recorded = Compile(kRecordedPattern);
  std::unique_ptr<icu::RegexPattern> automated = Compile(kAutomatedPattern);
  std::unique_ptr<icu::RegexPattern> stop_calls = Compile(kStopCallsPattern);
  std::vector<std::unique_ptr<icu::RegexPattern>> forbidden = [] {
    std::vector<std::unique_ptr<icu::RegexPattern>> out;
    for (const auto& f : kForbiddenPatterns) out.push_back(Compile(f.pattern));
    return out;
  }();
};

const Phrases& GetPhrases() {
  static const Phrases phrases;
  return phrases;
}

// The first match of `pattern` in `text` (a MatchForm), trimmed; nullopt when none.
std::optional<std::string> FirstMatch(const icu::RegexPattern& pattern,
                                      const icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(pattern.matcher(text, status));
  if (U_FAILURE(status) || !matcher->find(status) || U_FAILURE(status)) return std::nullopt;
  return Trim(Utf8(matcher->group(status)));
}

struct ForbiddenMatch {
  const ForbiddenPattern* rule;
  std::string text;
};

std::vector<ForbiddenMatch> MatchForbidden(const std::string& text) {
  icu::UnicodeString form = MatchForm(text);
  const Phrases& phrases = GetPhrases();
  std::vector<ForbiddenMatch> out;
  for (size_t i = 0; i < std::size(kForbiddenPatterns); ++i) {
    if (auto match = FirstMatch(*phrases.forbidden[i], form)) {
      out.push_back({&kForbiddenPatterns[i], *match});
    }
  }
  return out;
}

// ---- Lines ---------------------------------------------------------------------------

std::string LanguageName(const std::string& language) {
  if (language == "en") return "English";
  if (language == "hi") return "Hindi";
  return "'" + language + "'";
}

struct PlaceholderUse {
  std::vector<std::string> names;      // well-formed {name}s, known or not
  std::vector<std::string> malformed;  // stray braces
};

PlaceholderUse ScanPlaceholders(const std::string& line) {
  PlaceholderUse use;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == '}') {
      use.malformed.push_back("}");
      ++i;
      continue;
    }
    if (line[i] != '{') {
      ++i;
      continue;
    }
    size_t close = line.find_first_of("{}", i + 1);
    if (close == std::string::npos || line[close] == '{') {
      use.malformed.push_back(line.substr(i, std::min<size_t>(20, line.size() - i)));
      ++i;
      continue;
    }
    use.names.push_back(line.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return use;
}

// The line as the callee would hear it as far as the campaign decides: its business,
// goal and offer put in, so a promise made through {offer} is seen as well.
std::string Expand(std::string line, const Campaign& campaign) {
  const std::pair<const char*, const std::string*> values[] = {
      {"{business}", &campaign.business_name},
      {"{goal}", &campaign.goal},
      {"{offer}", &campaign.offer}};
  for (const auto& [name, value] : values) {
    std::string key(name);
    for (size_t at = line.find(key); at != std::string::npos;
         at = line.find(key, at + value->size())) {
      line.replace(at, key.size(), *value);
    }
  }
  return line;
}

// Whether `line` (a MatchForm) states the goal: every significant word of it starts a
// word of the line, so "to book a free demo" states "book a demo".
bool StatesGoal(const icu::UnicodeString& line, const std::string& goal) {
  static constexpr std::string_view kStopWords[] = {"the",  "and", "for",  "with", "our",
                                                    "your", "you", "from", "this", "that"};
  icu::UnicodeString form = MatchForm(goal);
  std::vector<icu::UnicodeString> words;
  int32_t start = 1;
  for (int32_t i = 1; i < form.length(); ++i) {
    if (form.charAt(i) != ' ') continue;
    icu::UnicodeString word(form, start, i - start);
    std::string utf8 = Utf8(word);
    bool stop =
        std::find(std::begin(kStopWords), std::end(kStopWords), utf8) != std::end(kStopWords);
    if (word.length() >= 3 && !stop) words.push_back(word);
    start = i + 1;
  }
  if (words.empty()) return form.length() > 1 && line.indexOf(form) >= 0;
  return std::all_of(words.begin(), words.end(), [&](const icu::UnicodeString& word) {
    return line.indexOf(icu::UnicodeString(" ") + word) >= 0;
  });
}

bool ContainsWords(const icu::UnicodeString& line, const std::string& phrase) {
  icu::UnicodeString form = MatchForm(phrase);
  return form.length() > 1 && line.indexOf(form) >= 0;
}

// ---- The checker ---------------------------------------------------------------------

class Checker {
 public:
  Checker(const nlohmann::json& json, const std::string& languages)
      : json_(json), languages_(RequiredLanguages(languages)) {}

  std::vector<ScriptFinding> Structure() {
    CheckStructure();
    return std::move(findings_);
  }

  std::vector<ScriptFinding> All(const Campaign& campaign) {
    if (CheckStructure()) {
      CheckGreeting(campaign);
      CheckPromises(campaign);
      CheckHonestAnswers();
      CheckOffer(campaign);
    }
    return std::move(findings_);
  }

 private:
  // False when there is nothing further to check (no object or no steps).
  bool CheckStructure() {
    std::vector<ScriptSchemaProblem> problems;
    script_ = ReadScript(json_, &problems);
    for (auto& p : problems) Add("error", p.code, p.step, p.language, p.message);
    if (!json_.is_object() || script_.steps.empty()) return false;
    CheckIds();
    CheckReferences();
    CheckReachability();
    CheckSteps();
    CheckRouted("opt_out", "opt_out_not_handled", "opt_out_target_invalid",
                "say it wants no more calls", "add_do_not_call");
    CheckRouted("wrong_number", "wrong_number_not_handled", "wrong_number_target_invalid",
                "say it is the wrong number", "mark_wrong_number");
    CheckRouted("is_bot", "is_bot_not_handled", "", "ask whether it is talking to a machine", "");
    CheckRouted("how_got_number", "how_got_number_not_handled", "",
                "ask where its number came from", "");
    return true;
  }

  void Add(std::string severity, std::string code, std::string step, std::string language,
           std::string message) {
    findings_.push_back({std::move(severity), std::move(code), std::move(step), std::move(language),
                         std::move(message)});
  }

  void CheckIds() {
    std::set<std::string> seen;
    for (const auto& step : script_.steps) {
      if (!seen.insert(step.id).second) {
        Add("error", "duplicate_step_id", step.id, "",
            "Two steps are called '" + step.id +
                "'; rename one (transitions reach only the "
                "first).");
      }
    }
    const ScriptStep* start = script_.Find(script_.start);
    auto it = json_.find("start");
    if (!start && it != json_.end() && it->is_string()) {
      Add("error", "start_not_found", "", "",
          "The script starts at '" + script_.start +
              "', but no step has that id; set start to the greeting step's id.");
    }
    if (start && start->kind != "greeting") {
      Add("warning", "start_not_greeting", start->id, "",
          "The script starts at '" + start->id + "', a step of kind '" + start->kind +
              "'; the first step is the greeting, so give it kind 'greeting'.");
    }
  }

  void CheckTarget(const std::string& target, const std::string& step, const std::string& how) {
    if (!target.empty() && !script_.Find(target)) {
      Add("error", "unknown_step", step, "",
          how + " leads to '" + target +
              "', but no step has that id; point it at an "
              "existing step.");
    }
  }

  void CheckReferences() {
    for (const auto& [intent, target] : script_.global_transitions) {
      CheckTarget(target, "", "The global transition for '" + intent + "'");
    }
    for (const auto& step : script_.steps) {
      for (const auto& [intent, target] : step.transitions) {
        CheckTarget(target, step.id, "Step '" + step.id + "' on '" + intent + "'");
      }
      CheckTarget(step.default_step, step.id, "The default of step '" + step.id + "'");
    }
  }

  void CheckReachability() {
    const ScriptStep* start = script_.Find(script_.start);
    if (!start) return;
    std::set<std::string> reached = {start->id};
    std::deque<const ScriptStep*> queue = {start};
    auto visit = [&](const std::string& id) {
      const ScriptStep* next = script_.Find(id);
      if (next && reached.insert(id).second) queue.push_back(next);
    };
    while (!queue.empty()) {
      const ScriptStep* step = queue.front();
      queue.pop_front();
      if (step->end) continue;
      for (const auto& [intent, target] : step->transitions) visit(target);
      for (const auto& [intent, target] : script_.global_transitions) visit(target);
      visit(step->default_step);
    }
    for (const auto& step : script_.steps) {
      if (!reached.count(step.id)) {
        Add("error", "unreachable_step", step.id, "",
            "No conversation from the start reaches step '" + step.id +
                "'; lead a transition or a default to it, or delete it.");
      }
    }
  }

  void CheckSteps() {
    bool any_end = false;
    for (const auto& step : script_.steps) {
      any_end = any_end || step.end;
      if (step.end) {
        if (!step.transitions.empty() || !step.default_step.empty()) {
          Add("warning", "end_step_has_transitions", step.id, "",
              "Step '" + step.id +
                  "' ends the call, so its transitions and default are never "
                  "used; remove them or set end to false.");
        }
      } else if (step.transitions.empty() && step.default_step.empty()) {
        Add("error", "dead_end_step", step.id, "",
            "Step '" + step.id +
                "' neither ends the call nor leads anywhere on the callee's "
                "answer; give it transitions and a default, or set end to true.");
      } else if (step.default_step.empty()) {
        std::vector<std::string> missing;
        for (std::string_view intent : kIntents) {
          if (!IsInPlaceIntent(intent) && script_.RoutedNext(step, intent).empty()) {
            missing.emplace_back(intent);
          }
        }
        if (!missing.empty()) {
          std::string list;
          for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
          Add("error", "intent_not_handled", step.id, "",
              "Step '" + step.id + "' has no way on for " + list +
                  "; add transitions for them or a default step.");
        }
      }
      static constexpr std::string_view kEndingActions[] = {"end_call", "add_do_not_call",
                                                            "transfer", "mark_wrong_number"};
      if (!step.end && std::find(std::begin(kEndingActions), std::end(kEndingActions),
                                 step.action) != std::end(kEndingActions)) {
        Add("error", "action_must_end", step.id, "",
            "Step '" + step.id + "' has action '" + step.action +
                "', after which the conversation cannot go on; set end to true.");
      }
      CheckLines(step);
    }
    if (!any_end) {
      Add("error", "no_terminal_step", "", "",
          "No step ends the call; mark the goodbye step (and the opt-out step) with end: true.");
    }
  }

  void CheckLines(const ScriptStep& step) {
    for (const auto& language : languages_) {
      auto it = step.lines.find(language);
      if (it == step.lines.end() || IsBlank(it->second)) {
        Add("error", "missing_line", step.id, language,
            "Step '" + step.id + "' has no " + LanguageName(language) +
                " line, and the campaign speaks " + LanguageName(language) + "; write it.");
      }
    }
    for (const auto& [language, line] : step.lines) {
      PlaceholderUse use = ScanPlaceholders(line);
      for (const auto& name : use.names) {
        if (!IsPlaceholder(name)) {
          Add("error", "unknown_placeholder", step.id, language,
              "The " + LanguageName(language) + " line of step '" + step.id + "' uses {" + name +
                  "}, which the engine cannot fill; use {business}, {agent}, {goal}, "
                  "{offer}, {lead_name}, {lead_source} or {answer}.");
        } else if (name == "answer" && step.kind != "answer" && step.kind != "objection") {
          Add("error", "misplaced_placeholder", step.id, language,
              "The " + LanguageName(language) + " line of step '" + step.id +
                  "' uses {answer}, which is only filled in steps of kind answer or "
                  "objection; move it there or remove it.");
        }
      }
      for (const auto& text : use.malformed) {
        Add("error", "unknown_placeholder", step.id, language,
            "The " + LanguageName(language) + " line of step '" + step.id +
                "' has a stray brace near '" + text +
                "'; write placeholders as {business}, or remove the brace.");
      }
      if (language == "hi" && !IsBlank(line) && !HasDevanagari(line)) {
        Add("warning", "hindi_not_devanagari", step.id, language,
            "The Hindi line of step '" + step.id +
                "' has no Devanagari; the speech "
                "synthesiser reads Hindi from Devanagari, so write it in Devanagari.");
      }
    }
  }

  // `intent` must be routed (by the step or globally, not by a default) in every step
  // that does not end; when `action` is given, to a step with that action which ends.
  void CheckRouted(const std::string& intent, const std::string& not_handled,
                   const std::string& target_invalid, const std::string& callee_does,
                   const std::string& action) {
    auto check_target = [&](const std::string& target, const std::string& where_step,
                            const std::string& where) {
      const ScriptStep* step = script_.Find(target);
      if (action.empty() || !step || (step->action == action && step->end)) return;
      Add("error", target_invalid, where_step, "",
          where + " sends '" + intent + "' to step '" + target + "', which must have action '" +
              action +
              "' and end the call (the action runs before its line); fix that step "
              "or point " +
              intent + " at one that does.");
    };
    auto global = script_.global_transitions.find(intent);
    bool has_global = global != script_.global_transitions.end();
    if (has_global) check_target(global->second, "", "The global transition");
    std::vector<std::string> unrouted;
    size_t open_steps = 0;
    for (const auto& step : script_.steps) {
      if (step.end) continue;
      ++open_steps;
      auto own = step.transitions.find(intent);
      if (own != step.transitions.end()) {
        check_target(own->second, step.id, "Step '" + step.id + "'");
      } else if (!has_global) {
        unrouted.push_back(step.id);
      }
    }
    if (unrouted.empty()) return;
    if (unrouted.size() == open_steps) {
      Add("error", not_handled, "", "",
          "Nothing handles '" + intent + "': the callee may " + callee_does +
              " at any moment; add \"" + intent +
              "\" to global_transitions (a default "
              "does not count).");
      return;
    }
    for (const auto& id : unrouted) {
      Add("error", not_handled, id, "",
          "Step '" + id + "' does not handle '" + intent +
              "' (a default does not count); add "
              "a transition for it, or one in global_transitions.");
    }
  }

  // The distinct steps `intent` is routed to from the steps that do not end.
  std::vector<const ScriptStep*> RoutedTargets(const std::string& intent) {
    std::vector<const ScriptStep*> out;
    for (const auto& step : script_.steps) {
      if (step.end) continue;
      const ScriptStep* target = script_.Find(script_.RoutedNext(step, intent));
      if (target && std::find(out.begin(), out.end(), target) == out.end()) {
        out.push_back(target);
      }
    }
    return out;
  }

  void CheckGreeting(const Campaign& campaign) {
    const ScriptStep* greeting = script_.Find(script_.start);
    if (!greeting) return;
    const Phrases& phrases = GetPhrases();
    for (const auto& language : languages_) {
      auto it = greeting->lines.find(language);
      if (it == greeting->lines.end() || IsBlank(it->second)) continue;
      icu::UnicodeString line = MatchForm(Expand(it->second, campaign));
      const std::string where =
          "The " + LanguageName(language) + " greeting ('" + greeting->id + "')";
      const bool hindi = language == "hi";
      if (IsBlank(campaign.business_name)) {
        Add("error", "missing_disclosure_business", greeting->id, language,
            "The campaign has no business name, so the greeting cannot say who is calling; "
            "set the campaign's business name.");
      } else if (!ContainsWords(line, campaign.business_name)) {
        Add("error", "missing_disclosure_business", greeting->id, language,
            where + " does not name the business; say who is calling with {business} (\"" +
                campaign.business_name + "\").");
      }
      if (IsBlank(campaign.goal)) {
        Add("error", "missing_disclosure_purpose", greeting->id, language,
            "The campaign has no goal, so the greeting cannot say why it calls; set the "
            "campaign's goal.");
      } else if (!StatesGoal(line, campaign.goal)) {
        Add("error", "missing_disclosure_purpose", greeting->id, language,
            where + " does not say why you are calling; state the purpose with {goal} (\"" +
                campaign.goal + "\").");
      }
      if (!FirstMatch(*phrases.recorded, line)) {
        Add("error", "missing_disclosure_recorded", greeting->id, language,
            where + " does not say the call is recorded; add " +
                (hindi ? "\"यह कॉल रिकॉर्ड की जा रही है।\"" : "\"This call is recorded.\""));
      }
      if (!FirstMatch(*phrases.automated, line)) {
        Add("error", "missing_disclosure_automated", greeting->id, language,
            where + " does not say this is an automated assistant; add " +
                (hindi ? "\"मैं एक स्वचालित AI सहायक हूँ।\"" : "\"I am an automated assistant.\""));
      }
      if (!FirstMatch(*phrases.stop_calls, line)) {
        Add("error", "missing_disclosure_opt_out", greeting->id, language,
            where + " does not say how to stop our calls; add " +
                (hindi ? "\"कॉल बंद करवाने के लिए कभी भी 'कॉल मत करो' कहिए।\""
                       : "\"Say 'stop calling' at any time and we will not call again.\""));
      }
    }
  }

  void CheckPromises(const Campaign& campaign) {
    for (const auto& step : script_.steps) {
      for (const auto& [language, line] : step.lines) {
        std::vector<ForbiddenMatch> spoken = MatchForbidden(Expand(line, campaign));
        if (spoken.empty()) continue;
        std::vector<ForbiddenMatch> written = MatchForbidden(line);
        for (const auto& match : spoken) {
          bool from_campaign = std::none_of(written.begin(), written.end(),
                                            [&](const auto& w) { return w.rule == match.rule; });
          std::string message = "The " + LanguageName(language) + " line of step '" + step.id +
                                "' makes a promise the rules forbid (" + match.rule->what + ": \"" +
                                match.text + "\")";
          message += from_campaign
                         ? " through a placeholder; reword the campaign's business name, goal "
                           "or offer."
                         : "; remove or reword it.";
          Add("error", match.rule->code, step.id, language, message);
        }
      }
    }
  }

  void CheckHonestAnswers() {
    const Phrases& phrases = GetPhrases();
    for (const ScriptStep* target : RoutedTargets("is_bot")) {
      for (const auto& language : languages_) {
        auto it = target->lines.find(language);
        if (it == target->lines.end() || IsBlank(it->second)) continue;
        if (!FirstMatch(*phrases.automated, MatchForm(it->second))) {
          Add("error", "is_bot_answer_not_honest", target->id, language,
              "Callees who ask whether this is a machine get step '" + target->id + "', whose " +
                  LanguageName(language) +
                  " line does not say it is an automated assistant; say so plainly.");
        }
      }
    }
    for (const ScriptStep* target : RoutedTargets("how_got_number")) {
      for (const auto& language : languages_) {
        auto it = target->lines.find(language);
        if (it == target->lines.end() || IsBlank(it->second)) continue;
        if (it->second.find("{lead_source}") == std::string::npos) {
          Add("warning", "source_answer_without_lead_source", target->id, language,
              "Callees who ask where we got their number get step '" + target->id + "', whose " +
                  LanguageName(language) +
                  " line does not use {lead_source}; the lead's recorded source is the "
                  "truthful answer.");
        }
      }
    }
  }

  void CheckOffer(const Campaign& campaign) {
    if (!IsBlank(campaign.offer)) return;
    for (const auto& step : script_.steps) {
      for (const auto& [language, line] : step.lines) {
        if (line.find("{offer}") != std::string::npos) {
          Add("warning", "empty_offer_placeholder", step.id, language,
              "The " + LanguageName(language) + " line of step '" + step.id +
                  "' uses {offer}, but the campaign has no offer; set one or reword the line.");
        }
      }
    }
  }

  const nlohmann::json& json_;
  std::vector<std::string> languages_;
  Script script_;
  std::vector<ScriptFinding> findings_;
};

}  // namespace

nlohmann::json ScriptFinding::ToJson() const {
  return {{"severity", severity},
          {"code", code},
          {"step", step},
          {"language", language},
          {"message", message}};
}

std::vector<ScriptFinding> CheckScriptStructure(const nlohmann::json& script,
                                                const std::string& languages) {
  return Checker(script, languages).Structure();
}

std::vector<ScriptFinding> CheckScript(const nlohmann::json& script, const Campaign& campaign) {
  return Checker(script, campaign.languages).All(campaign);
}

bool HasErrors(const std::vector<ScriptFinding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const ScriptFinding& f) { return f.severity == "error"; });
}

std::vector<std::string> FindForbiddenPromises(const std::string& text) {
  std::vector<std::string> codes;
  for (const auto& match : MatchForbidden(text)) codes.emplace_back(match.rule->code);
  return codes;
}

}  // namespace vaarta::campaigns
