#include "conversation/rule_intent_classifier.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "campaigns/script.h"

namespace vaarta::conversation {
namespace {

struct RuleText {
  std::string_view intent;
  std::string_view pattern;
};

// Words that stand for "any phone call" in the rules.
#define CALL "call|calls|calling|phone|phones|fone|fon|kol|ring"
#define PERSON                                                                              \
  "human|humans|person|agent|executive|manager|representative|operator|insaan|insan|aadmi|" \
  "admi|banda|vyakti|someone|somebody|staff|officer|supervisor|ladki|ladka"
#define NEG "not|nahi|nahin|nai|nhi|na|dont|didnt|never|mat"
#define WHEN                                                                                 \
  "later|baad|tomorrow|tmrw|tonight|kal|parso|parson|evening|morning|afternoon|night|shaam|" \
  "sham|subah|subha|dopahar|dophar|raat|week|hafte|monday|tuesday|wednesday|thursday|"       \
  "friday|saturday|sunday|somvar|mangalvar|budhvar|guruvar|shukravar|shanivar|ravivar|"      \
  "itvar|#"

// The rules, highest tier first. See the header for the pattern syntax. Devanagari may be
// written directly: a word is normalised like the callee's words are.
constexpr RuleText kRules[] = {
    // ---- callback_request over opt_out: "not now, tomorrow" is not "never" ----
    {"callback_request!", "abhi|now * " NEG " * " WHEN},
    {"callback_request!", NEG " * now|abhi * " WHEN},

    // ---- opt_out: safety first ----
    {"opt_out", "stop|stopp|band * calling|calls|call|phoning|ringing|fon|phone|kol"},
    {"opt_out", "^ stop $"},
    {"opt_out", "^ stop it $"},
    {"opt_out", "dont|donot|never " CALL "|contact|disturb|message|bother"},
    {"opt_out", "dont|never * ever " CALL "|contact|disturb|message|bother"},
    {"opt_out", "do not " CALL "|contact|disturb|message|bother"},
    {"opt_out", "no * more * calls|call"},
    {"opt_out", "remove|delete|erase|hatao|hata|hataiye * number|nambar|numbar|contact|details"},
    {"opt_out", "remove|delete|take * me * list|lists|database"},
    {"opt_out", "take * off * list|lists"},
    {"opt_out", "unsubscribe~"},
    {"opt_out", "dnd"},
    {"opt_out", "do not disturb"},
    {"opt_out", "block~"},
    {"opt_out", "not " CALL "|contact * again|anymore|ever"},
    {"opt_out", CALL " * mat"},
    {"opt_out", "mat * " CALL},
    {"opt_out", "dobara|dubara|phir|fir|kabhi * mat"},
    {"opt_out", "dobara|dubara|phir|fir|aage * " CALL " * nahi|nahin|na|nai|mat"},
    // "kabhi call nahi karna" (never call) but not "kabhi aise call nahi karte" (never do).
    {"opt_out", "kabhi * " CALL " * mat"},
    {"opt_out",
     "kabhi * " CALL " * nahi|nahin|na|nai * karna|karo|kijiye|kariye|karein|karenge|chahiye|"
     "aana|aaye|aani"},
    {"opt_out", "band * karo|karein|kijiye|kariye|kar|karna|kro|krdo|kardo"},
    {"opt_out", CALL " * band"},
    {"opt_out",
     "number|nambar|numbar * hatao|hata|hataiye|hatayein|hatado|delete|nikal|nikalo|nikaliye|"
     "remove"},
    {"opt_out", "list * se * hatao|hata|nikal|nikalo|hataiye|nikaliye"},
    {"opt_out", "pareshan|tang|disturb * mat|na|nahi|nahin"},

    // ---- the honesty intents ----
    {"wrong_number",
     "wrong|galat|glt|rong|raung|rang|गलत * number|nambar|numbar|no|person|bande|aadmi|insaan|"
     "banda"},
    {"wrong_number", "number|nambar|numbar * galat|wrong|rong|glt"},
    {"wrong_number", "no * one * named|called|by"},
    {"wrong_number", "there * no * here"},
    {"wrong_number", "yahan|yaha|idhar|yahaan * koi * nahi|nahin|nai|nhi"},
    {"wrong_number", "you * have * wrong"},
    {"wrong_number", "not * the * person|one"},
    {"wrong_number", "dont * know * any|anyone|anybody|kisi|named"},
    {"wrong_number", "koi * nahi|nahin * rehta|rehti|rehte"},
    {"human_agent", "talk~|speak~|baat|connect~|transfer~|put|give * to|with|se * " PERSON},
    {"human_agent", "want|need|chahiye|chahta|chahti * talk~|speak~|baat * " PERSON},
    {"human_agent", "real|actual|live|asli * " PERSON},
    {"human_agent",
     PERSON "|kisi * se * baat|connect|milao|milaiye|karao|karvao|karaiye|karvaiye|jodo|jodiye"},
    {"human_agent", "customer * care|support|service"},
    {"human_agent", "call * centre|center"},
    {"is_bot",
     "robot|robots|bot|machine|computer|automated|automatic|recorded|recording|ivr|rikorded|"
     "rikording|robo|रोबोट|मशीन"},
    {"is_bot", "are|r|is * you|this|it * ai|human|real|person|machine|bot|robot|computer|live"},
    {"is_bot", "am * i * talk~|speaking * real|human|person|robot|machine|bot|computer"},
    {"is_bot", "kya * aap|tum|ye|yeh * insaan|insan|human|machine|robot|ai|computer|asli"},
    {"is_bot", "insaan|insan|human|aadmi * ho|hai|hain|hu"},
    {"is_bot", "real * person|human * or|ya"},
    {"how_got_number",
     "how|where|kaise|kahan|kaha|kidhar * get|got|find|found|mila|mili|milla|obtain|"
     "obtained|laye|liya|pata|aya * number|nambar|numbar|contact"},
    {"how_got_number",
     "number|nambar|numbar|details * kahan|kaha|kaise|where|kidhar|how * se|from|mila|mili|"
     "got|get|laye|liya|aya"},
    {"how_got_number", "who|kisne|kaun * gave|give|diya|di|shared * number|nambar|numbar|details"},
    {"how_got_number", "where * number|nambar * from"},
    {"how_got_number", "why * you|company * have * number|nambar|numbar|details"},

    // ---- what the callee wants next ----
    {"who_is_calling", "who * is|are * this|calling|speaking|you"},
    {"who_is_calling", "kaun|kon * bol|hai|ho|hain|baat|company"},
    {"who_is_calling", "which|kaunsi|konsi|kaun|kis * company|bank|business|firm|jagah"},
    {"who_is_calling", "kahan|kaha|where * se|from * bol|calling|call|fon|phone"},
    {"who_is_calling", "where * calling * from"},
    {"who_is_calling", "your * name"},
    {"who_is_calling", "who * on * line"},
    {"who_is_calling", "naam * kya"},
    {"callback_request", CALL " * later|back|tomorrow|tmrw|tonight|kal|parso|parson|baad|" WHEN},
    {"callback_request", "later|tomorrow|tmrw|tonight|parso|parson|kal"},
    {"callback_request", "baad * mein|me|men|main|mai|mei|karna|karo|call|phone|baat"},
    {"callback_request", "busy|vyast|meeting|driving|travelling|traveling|office"},
    {"callback_request", "not * good * time"},
    {"callback_request", "not now"},
    {"callback_request", "abhi nahi|nahin|nai"},
    {"callback_request",
     "# baje|bje|oclock|pm|am|hours|hour|ghante|ghanta|minute|minutes|mins|min"},
    {"callback_request", "# o clock"},
    {"callback_request", "do ghante|ghanta|baje"},
    {"callback_request", "# p|a m"},
    {"callback_request",
     "monday|tuesday|wednesday|thursday|friday|saturday|sunday|somvar|"
     "mangalvar|budhvar|guruvar|shukravar|shanivar|ravivar|itvar|weekend"},
    {"callback_request",
     "evening|morning|afternoon|shaam|sham|subah|dopahar|raat|night ko|mein|me|#"},
    {"callback_request", "in|at the evening|morning|afternoon"},
    {"callback_request", "callback"},
    {"callback_request", "after * lunch|dinner|work|meeting|office|#"},
    {"callback_request", "dobara|dubara|phir|fir * " CALL " * karna|karo|kijiye|karein|kariye"},
    {"callback_request", "free|available|khali * baad|later|after|kal|tomorrow|evening|sham|#"},
    {"language_switch",
     "hindi|angrezi|angreji|english|inglish|हिंदी * mein|me|men|main|mai|please|pls|plz|bolo|"
     "boliye|baat"},
    {"language_switch",
     "speak|talk|bolo|boliye|baat|say * in|mein * hindi|english|angrezi|angreji"},
    {"language_switch", "speak|talk|know * hindi|english|angrezi|angreji"},
    {"language_switch", "^ hindi|english|angrezi|angreji $"},
    {"language_switch", NEG " * understand|samajh|samjh * hindi|english|angrezi|angreji"},
    {"language_switch",
     "hindi|english|angrezi|angreji * nahi|nahin|nai|not * ati|aati|samajh|samjh|aata|ata"},
    {"objection_trust",
     "scam|fraud|frod|fake|spam|cheat~|dhokha|dhoka|thag|thagi|farzi|farji|froud|fishy|suspicious|"
     "genuine|legit|legitimate|trust|bharosa|bharose|vishvas|vishwas|otp|password|pin"},
    {"objection_trust", "how * know * real|genuine|true|sach"},
    {"objection_price",
     "expensive|costly|mehenga|mehnga|mahanga|mahenga|mehngi|mahangi|mehange|overpriced|pricey"},
    {"objection_price", "too|bahut|kafi|kaafi * expensive|costly|mehenga|high|jyada|much"},
    {"objection_price",
     "price|prices|cost|rate|rates|fee|fees|emi|kimat|keemat|daam * jyada|high|adhik|kam"},
    {"objection_price", "cant|cannot|nahi * afford"},
    {"objection_price", "budget * nahi|nahin|not|less|kam|tight|out|no|nai"},
    {"objection_price", "paise|paisa|money|funds * nahi|nahin|no|not|nai|kam"},
    {"objection_existing",
     "already * have|got|using|use|taken|took|bought|has|hai|liya|le|account|loan"},
    {"objection_existing", "pehle|pahle|pehele|phle * se"},
    {"objection_existing",
     "another|other|different|dusre|dusri|doosre|dusra * company|bank|provider|lender|jagah|se"},
    {"objection_existing", "existing"},
    {"objection_existing", "le|liya * rakha|rakhi|rakhe"},
    {"not_interested",
     "not|nahi|nahin|nai|nhi|dont|never * interested|intrested|interest|interesting|inerested"},
    {"not_interested", "no * interest|interested"},
    {"not_interested", "interested|intrested|interest * nahi|nahin|nai|not|nhi"},
    {"not_interested", "nahi|nahin|nai|nhi|na|mat * chahiye|chahie|chaiye|chahiye"},
    {"not_interested", "chahiye|chahie|chaiye * nahi|nahin|nai|nhi"},
    {"not_interested", "no * thanks|thank|thankyou|thanx"},
    {"not_interested", "dont|didnt * want|need|like"},
    {"not_interested", "do not * want|need|like"},
    {"not_interested", "abhi * nahi|nahin|nai * chahiye|chahie|chaiye"},
    {"not_interested", "not * need|needed|required|looking|want"},
    {"not_interested", "jarurat|zarurat|jarurath|dilchaspi * nahi|nahin|nai|nhi"},
    {"not_interested", "not * for * me"},
    {"ask_price",
     "price|prices|pricing|cost|costs|charge|charges|fee|fees|emi|rate|rates|kimat|keemat|"
     "daam|kharcha|kharch|tariff|premium"},
    {"ask_price", "how * much"},
    {"ask_price",
     "kitna|kitne|kitni * ka|ki|ke|lagega|lagegi|lagta|hoga|hogi|paisa|paise|rupees|rupaye|"
     "padega|dena"},
    {"ask_price", "price|kimat|keemat|cost|fee|rate * kya|kitna|kitni|kitne|what|how * hai|is"},
    {"ask_price", "what * price|cost|fee|fees|rate|emi|charges"},
    {"ask_details",
     "details|detail|jankari|jaankari|information|info|explain|samjhao|samjhaiye|"
     "documents|document|kagaz|kaagaz|process|procedure|eligibility|eligible|features"},
    {"ask_details", "what * is * this|it|about|offer|scheme|product|plan"},
    {"ask_details", "what * offer|scheme|product|plan|loan|policy|service|about"},
    {"ask_details", "how * does|do|will * work|works"},
    {"ask_details", "kaise * kaam|work|hota|hoti|milta|milega|milegi|karna"},
    {"ask_details", "kya * hai * ye|yeh|scheme|offer|plan|yojana"},
    {"ask_details", "yojana|yojna|scheme|plan|offer * kya"},
    {"ask_details", "what * offering|selling"},
    {"ask_details", "ye|yeh|is * kya * hai"},
    {"ask_details", "kis * bare|baare|liye|cheez"},
    {"ask_details", "kya * offer|scheme|plan|process|documents|fayda|benefit"},
    {"repeat", "^ sorry|pardon|what|kya|huh $"},
    {"repeat", "^ excuse me $"},
    {"repeat", "repeat|dohrao|dohraiye|dohraaiye|dohraiyega"},
    {"repeat", "say|come * again"},
    {"repeat", "phir|fir|dobara|dubara|ek * se|bolo|boliye|bataiye|batao|kahiye|kaho"},
    {"repeat", "samajh|samjha|samjhi|understand|suna|sunai * nahi|nahin|nai|not|nhi"},
    {"repeat", "dont|didnt|not|cant|cannot|couldnt * understand|catch|hear"},
    {"repeat", "awaaz|avaj|aavaj|awaj|voice * nahi|nahin|not|kat|break|breaking|clear"},
    {"repeat", "what * did * you * say"},
    {"repeat", "kya * bola|kaha|bole|boli"},
    {"repeat", "louder|slowly|dhire|dheere|zor"},
    {"interested", "interested|intrested|interesting|inerested"},
    {"interested", "sounds|sound * good|great|nice|interesting|accha|achha"},
    {"interested", "tell * more"},
    {"interested", "aur * batao|bataiye|boliye|jankari|jaankari|bataye"},
    {"interested", "mujhe|hame|hamein|humko|mujhko|hamko * chahiye|chahie|chaiye|lena"},
    {"interested", "want|need|like * it|this|that|one|loan|offer"},
    {"interested", "sign * up"},
    {"interested", "lets * do|go|proceed|book"},
    {"interested", "book * kar|karo|karein|kardo|it|appointment|visit|demo|karo|kijiye"},
    {"interested", "would * like|love"},
    {"interested", "badhiya|badiya|shandar|shaandaar|perfect|excellent|wonderful|great|awesome"},
    {"interested", "chahiye|chahie|chaiye"},
    {"interested", "lena * hai|chahta|chahti|chahunga|chahenge"},
    {"interested", "janna|jaanna|know * hai|chahta|chahti|chahunga|chahenge|want"},
    {"goodbye", "bye|byee|goodbye|alvida|tata|ttyl"},
    {"goodbye", CALL " * rakh~|kaat~|kat|katta|cut"},
    {"goodbye", "thats * all"},
    {"goodbye", "dhanyavad|dhanyawad|shukriya|thanks"},
    {"goodbye", "thank * you|u"},
    {"goodbye", "see * you"},
    {"goodbye", "have * good * day"},
    {"out_of_scope",
     "weather|mausam|cricket|score|match|movie|film|song|gana|gaana|joke|news|politics|"
     "election|ipl"},
    {"greeting",
     "hello|hi|hey|helo|hallo|halo|hailo|namaste|namaskar|namaskaar|pranam|salaam|salam|adaab|"
     "नमस्ते"},
    {"greeting", "good * morning|afternoon|evening"},
    {"greeting", "boliye|bolie|kahiye|farmaiye|bolo"},
    {"greeting", "haan|han|ha|ji * boliye|bolie|kahiye|bolo"},
    {"greeting", "haan|han|ha * ji * boliye|bolie|kahiye|bolo"},
    {"greeting", "speaking"},
    {"greeting", "how * are * you"},
    {"affirm",
     "yes|yeah|yea|yep|yup|ya|sure|ok|okay|okk|okey|k|fine|alright|right|correct|haan|han|ha|"
     "haa|hanji|haanji|ji|theek|thik|tik|sahi|bilkul|zaroor|jarur|zarur|hmm|hm|haji|achha|"
     "accha|acha|continue|proceed|please|definitely|absolutely|certainly"},
    {"affirm", "go * ahead|on"},
    {"affirm", "of * course"},
    {"affirm", "theek|thik|tik * hai|h"},
    {"affirm", "haan|han|ha * ji"},
    {"affirm", "why * not"},
    {"affirm", "carry * on"},
    {"deny", "no|nope|nah|nahi|nahin|nai|na|naa|nehi|nhi|never|negative|mat"},
    {"deny", "ji * nahi|nahin|nai"},
    {"deny", "nahi|nahin|nai|no ji"},
    {"deny", "not * really"},
};

#undef CALL
#undef PERSON
#undef NEG
#undef WHEN

int TierOf(std::string_view intent) {
  if (intent == "opt_out") return 6;
  if (intent == "wrong_number" || intent == "human_agent" || intent == "is_bot" ||
      intent == "how_got_number")
    return 5;
  if (intent == "who_is_calling" || intent == "callback_request" || intent == "language_switch" ||
      intent == "objection_trust" || intent == "objection_price" ||
      intent == "objection_existing" || intent == "not_interested")
    return 4;
  if (intent == "ask_price" || intent == "ask_details" || intent == "repeat") return 3;
  if (intent == "interested" || intent == "goodbye" || intent == "out_of_scope") return 2;
  return 1;  // greeting, affirm, deny
}

// Among intents of the same tier and rule length, the earlier one here wins.
constexpr std::array<std::string_view, 21> kPrecedence = {
    "opt_out",          "wrong_number",    "human_agent",
    "is_bot",           "how_got_number",  "not_interested",
    "callback_request", "who_is_calling",  "language_switch",
    "objection_trust",  "objection_price", "objection_existing",
    "ask_price",        "ask_details",     "repeat",
    "interested",       "goodbye",         "out_of_scope",
    "greeting",         "affirm",          "deny"};

int IntentIndex(std::string_view intent) {
  for (size_t i = 0; i < campaigns::kIntents.size(); ++i) {
    if (campaigns::kIntents[i] == intent) return static_cast<int>(i);
  }
  throw std::logic_error("rule for unknown intent " + std::string(intent));
}

int PrecedenceOf(int intent_index) {
  auto name = campaigns::kIntents[static_cast<size_t>(intent_index)];
  return static_cast<int>(std::find(kPrecedence.begin(), kPrecedence.end(), name) -
                          kPrecedence.begin());
}

constexpr std::string_view kNumberWords[] = {
    "one",    "two",    "three",  "four", "five", "six",   "seven", "eight", "nine",
    "ten",    "eleven", "twelve", "ek",   "teen", "char",  "chaar", "panch", "paanch",
    "chhe",   "chhah",  "che",    "saat", "sat",  "aath",  "ath",   "nau",   "das",
    "gyarah", "barah",  "dedh",   "dhai", "adha", "aadha", "half"};

bool IsDigits(const std::string& token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || c == ':')) return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

RuleIntentClassifier::RuleIntentClassifier() : RuleIntentClassifier(TextNormalizer()) {}

RuleIntentClassifier::RuleIntentClassifier(const TextNormalizer& normalizer) {
  for (std::string_view word : kNumberWords) number_keys_.insert(SpellingKey(word));
  for (const auto& rule : kRules) AddRule(normalizer, rule.intent, rule.pattern);
}

int RuleIntentClassifier::WordId(const std::string& key) {
  auto [it, inserted] = words_.emplace(key, static_cast<int>(words_.size()));
  return it->second;
}

void RuleIntentClassifier::AddRule(const TextNormalizer& normalizer, std::string_view intent,
                                   std::string_view pattern) {
  Rule rule;
  bool boosted = !intent.empty() && intent.back() == '!';
  if (boosted) intent.remove_suffix(1);
  rule.intent = IntentIndex(intent);
  // "!" puts a rule one tier above opt_out: the few callback phrasings that contain a
  // negation ("not now, call tomorrow") must not read as a refusal of all calls.
  rule.tier = boosted ? 7 : TierOf(intent);
  bool gap = false;
  for (std::string_view part : Split(pattern, ' ')) {
    if (part == "*") {
      gap = true;
      continue;
    }
    if (part == "^") {
      rule.anchored_start = true;
      continue;
    }
    if (part == "$") {
      rule.anchored_end = true;
      continue;
    }
    Element element;
    element.gap_before = gap;
    gap = false;
    for (std::string_view alternative : Split(part, '|')) {
      if (alternative == "#") {
        element.number = true;
        continue;
      }
      bool prefix = alternative.back() == '~';
      if (prefix) alternative.remove_suffix(1);
      NormalizedText normal = normalizer.Normalize(alternative);
      if (normal.keys.size() != 1) {
        throw std::logic_error("rule word '" + std::string(alternative) + "' of '" +
                               std::string(pattern) + "' is not one word");
      }
      if (prefix) {
        element.prefixes.push_back(normal.keys[0]);
      } else {
        element.ids.push_back(WordId(normal.keys[0]));
      }
    }
    std::sort(element.ids.begin(), element.ids.end());
    rule.elements.push_back(std::move(element));
  }
  if (rule.elements.empty()) throw std::logic_error("empty rule " + std::string(pattern));
  rules_.push_back(std::move(rule));
}

bool RuleIntentClassifier::ElementMatches(const Element& element, const Input& input,
                                          size_t at) const {
  if (element.number && input.numbers[at]) return true;
  int id = input.ids[at];
  if (id >= 0 && std::binary_search(element.ids.begin(), element.ids.end(), id)) return true;
  const std::string& key = (*input.keys)[at];
  for (const auto& prefix : element.prefixes) {
    if (key.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

bool RuleIntentClassifier::MatchFrom(const Rule& rule, size_t element, const Input& input,
                                     size_t at) const {
  if (element == rule.elements.size()) return !rule.anchored_end || at == input.ids.size();
  const Element& e = rule.elements[element];
  size_t last = e.gap_before ? std::min(at + 3, input.ids.size() - 1) : at;
  for (size_t i = at; i <= last && i < input.ids.size(); ++i) {
    if (ElementMatches(e, input, i) && MatchFrom(rule, element + 1, input, i + 1)) return true;
  }
  return false;
}

bool RuleIntentClassifier::Matches(const Rule& rule, const Input& input) const {
  size_t starts = rule.anchored_start ? 1 : input.ids.size();
  for (size_t start = 0; start < starts; ++start) {
    if (MatchFrom(rule, 0, input, start)) return true;
  }
  return false;
}

std::string RuleIntentClassifier::TargetLanguage(const NormalizedText& text) const {
  // The first language named without a negation of its own; when every one is negated
  // ("hindi nahi aati"), the other language. English negates before the word ("i don't
  // follow hindi"), Hindi after it ("hindi nahi aati"), so "talk in english, I don't
  // follow hindi" asks for English.
  static const std::unordered_set<std::string> kBefore = {
      SpellingKey("not"), SpellingKey("dont"),  SpellingKey("don"),    SpellingKey("cant"),
      SpellingKey("no"),  SpellingKey("never"), SpellingKey("doesnt"), SpellingKey("didnt")};
  static const std::unordered_set<std::string> kAfter = {SpellingKey("nahi"), SpellingKey("nahin"),
                                                         SpellingKey("nai"),  SpellingKey("nhi"),
                                                         SpellingKey("na"),   SpellingKey("mat")};
  std::string first_negated;
  for (size_t i = 0; i < text.keys.size(); ++i) {
    const std::string& key = text.keys[i];
    std::string language;
    if (key == "hindi" || key == "hindee") language = "hi";
    if (key == "english" || key == "inglish" || key == "angreji" || key == "angrej") {
      language = "en";
    }
    if (language.empty()) continue;
    bool negated = false;
    for (size_t j = i >= 2 ? i - 2 : 0; j < i; ++j) {
      if (kBefore.count(text.keys[j])) negated = true;
    }
    for (size_t j = i + 1; j <= i + 2 && j < text.keys.size(); ++j) {
      if (kAfter.count(text.keys[j])) negated = true;
    }
    if (!negated) return language;
    if (first_negated.empty()) first_negated = language == "hi" ? "en" : "hi";
  }
  return first_negated;
}

IntentResult RuleIntentClassifier::Classify(const NormalizedText& text) const {
  IntentResult result;
  result.language = language_.Identify(text);
  if (text.empty()) return result;
  Input input;
  input.keys = &text.keys;
  input.ids.reserve(text.keys.size());
  input.numbers.reserve(text.keys.size());
  for (const auto& key : text.keys) {
    auto it = words_.find(key);
    input.ids.push_back(it == words_.end() ? -1 : it->second);
    input.numbers.push_back(IsDigits(key) || number_keys_.count(key) > 0);
  }
  // Best score per intent: tier first, then the rule's length.
  int best_intent = -1;
  int best_score = -1;
  int runner_up_score = -1;
  int best_length = 0;
  for (const Rule& rule : rules_) {
    int length = std::min<int>(static_cast<int>(rule.elements.size()), 9);
    int score = rule.tier * 10 + length;
    if (score < runner_up_score) continue;
    if (!Matches(rule, input)) continue;
    if (rule.intent == best_intent) {
      if (score > best_score) {
        best_score = score;
        best_length = length;
      }
      continue;
    }
    bool better = score > best_score ||
                  (score == best_score && PrecedenceOf(rule.intent) < PrecedenceOf(best_intent));
    if (better) {
      runner_up_score = std::max(runner_up_score, best_score);
      best_intent = rule.intent;
      best_score = score;
      best_length = length;
    } else {
      runner_up_score = std::max(runner_up_score, score);
    }
  }
  if (best_intent < 0) {
    result.intent = "out_of_scope";
    result.confidence = kUnmatchedConfidence;
    return result;
  }
  result.intent = std::string(campaigns::kIntents[static_cast<size_t>(best_intent)]);
  result.confidence = best_length >= 3 ? 0.95 : best_length == 2 ? 0.85 : 0.75;
  // Two intents equally supported: act on the precedence, but say it was a close call.
  if (runner_up_score == best_score) result.confidence = 0.55;
  if (result.intent == "language_switch") result.target_language = TargetLanguage(text);
  return result;
}

}  // namespace vaarta::conversation
