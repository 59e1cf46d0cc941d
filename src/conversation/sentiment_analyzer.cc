#include "conversation/sentiment_analyzer.h"

#include <algorithm>
#include <cmath>

namespace vaarta::conversation {
namespace {

struct Entry {
  const char* word;
  double weight;
};

// Words as speech recognisers write them; Devanagari arrives transliterated (see
// text_normalizer.h), so the Hinglish spelling covers both scripts.
constexpr Entry kLexicon[] = {
    // positive
    {"good", 0.5},
    {"great", 0.7},
    {"nice", 0.5},
    {"excellent", 0.8},
    {"perfect", 0.7},
    {"wonderful", 0.8},
    {"awesome", 0.7},
    {"helpful", 0.5},
    {"happy", 0.6},
    {"glad", 0.5},
    {"thanks", 0.4},
    {"thank", 0.4},
    {"thankyou", 0.4},
    {"interesting", 0.5},
    {"interested", 0.4},
    {"love", 0.6},
    {"like", 0.2},
    {"sure", 0.2},
    {"definitely", 0.4},
    {"accha", 0.4},
    {"achha", 0.4},
    {"acha", 0.3},
    {"badhiya", 0.7},
    {"badiya", 0.7},
    {"barhiya", 0.7},
    {"barhia", 0.7},
    {"shukriya", 0.5},
    {"dhanyavad", 0.5},
    {"dhanyavaad", 0.5},
    {"mast", 0.6},
    {"sahi", 0.3},
    {"khush", 0.6},
    {"pasand", 0.5},
    {"zaroor", 0.4},
    {"jarur", 0.4},
    {"behtar", 0.5},
    {"shandar", 0.7},
    // negative
    {"bad", -0.5},
    {"worst", -0.8},
    {"terrible", -0.8},
    {"horrible", -0.8},
    {"useless", -0.7},
    {"waste", -0.6},
    {"annoying", -0.7},
    {"annoyed", -0.7},
    {"irritating", -0.7},
    {"irritate", -0.7},
    {"irritated", -0.7},
    {"angry", -0.7},
    {"disturb", -0.5},
    {"disturbing", -0.6},
    {"harass", -0.9},
    {"harassing", -0.9},
    {"harassment", -0.9},
    {"pathetic", -0.8},
    {"nonsense", -0.8},
    {"stupid", -0.9},
    {"idiot", -0.9},
    {"rubbish", -0.8},
    {"shut", -0.6},
    {"hate", -0.8},
    {"fraud", -0.6},
    {"scam", -0.6},
    {"cheat", -0.7},
    {"cheating", -0.7},
    {"fake", -0.5},
    {"complaint", -0.5},
    {"complain", -0.5},
    {"police", -0.6},
    {"sue", -0.7},
    {"bloody", -0.8},
    {"damn", -0.6},
    {"hell", -0.5},
    {"problem", -0.3},
    {"expensive", -0.3},
    {"costly", -0.3},
    {"bakwas", -0.9},
    {"bekar", -0.6},
    {"bekaar", -0.6},
    {"faltu", -0.7},
    {"ghatiya", -0.8},
    {"pagal", -0.8},
    {"bewakoof", -0.9},
    {"bevkuf", -0.9},
    {"pareshan", -0.6},
    {"pareshaan", -0.6},
    {"gussa", -0.7},
    {"dimag", -0.3},
    {"chor", -0.8},
    {"loot", -0.7},
    {"dhokha", -0.7},
    {"tang", -0.5},
    {"mehenga", -0.3},
    {"mehnga", -0.3},
    {"bura", -0.5},
    {"kharab", -0.6},
    {"jhooth", -0.6},
    {"jhuth", -0.6},
    {"jhootha", -0.6},
    {"badtameez", -0.9},
};

constexpr const char* kNegators[] = {"not", "no", "never", "dont", "nahi",  "nahin", "nai",
                                     "nhi", "na", "mat",   "isnt", "wasnt", "didnt", "doesnt"};
constexpr const char* kIntensifiers[] = {"very",    "so",    "really", "too",   "extremely",
                                         "totally", "bahut", "bohot",  "bohat", "ekdam",
                                         "bilkul",  "itna",  "kitna",  "sach"};

double IntentPrior(std::string_view intent) {
  if (intent == "opt_out") return -0.5;
  if (intent == "objection_trust") return -0.3;
  if (intent == "not_interested" || intent == "objection_price") return -0.2;
  if (intent == "human_agent") return -0.1;
  if (intent == "interested") return 0.4;
  if (intent == "affirm") return 0.1;
  return 0.0;
}

}  // namespace

SentimentAnalyzer::SentimentAnalyzer() {
  for (const auto& entry : kLexicon) weights_[SpellingKey(entry.word)] = entry.weight;
  for (const char* w : kNegators) negators_.insert(SpellingKey(w));
  for (const char* w : kIntensifiers) intensifiers_.insert(SpellingKey(w));
}

Sentiment SentimentAnalyzer::Analyze(const NormalizedText& text, std::string_view intent) const {
  Sentiment out;
  double lexical = 0;
  double strongest_negative = 0;
  const auto& keys = text.keys;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = weights_.find(keys[i]);
    if (it == weights_.end()) continue;
    double weight = it->second;
    // English negates before the word ("not good"), Hindi after it ("accha nahi hai").
    bool negated = false;
    for (size_t j = i >= 2 ? i - 2 : 0; j < std::min(keys.size(), i + 3); ++j) {
      if (j != i && negators_.count(keys[j])) negated = true;
    }
    // A negated negative word ("no problem", "not bad") is mildly positive; a negated
    // positive one ("not good", "accha nahi") is negative.
    if (negated) weight = weight < 0 ? 0.2 : -weight;
    if (i > 0 && intensifiers_.count(keys[i - 1])) weight *= 1.4;
    lexical += weight;
    strongest_negative = std::min(strongest_negative, weight);
  }
  double score = std::clamp(lexical + IntentPrior(intent), -1.0, 1.0);
  out.score = score;
  out.label = SentimentLabel(score);
  // Strong: an abusive or very angry word, or several negative ones together.
  out.strongly_negative = score <= kStronglyNegative && strongest_negative <= -0.6;
  return out;
}

void CallSentiment::Add(const Sentiment& utterance) {
  // The first utterance sets the score; later ones move it halfway.
  score_ = count_ == 0 ? utterance.score : 0.5 * score_ + 0.5 * utterance.score;
  lowest_ = count_ == 0 ? utterance.score : std::min(lowest_, utterance.score);
  ++count_;
}

std::string SentimentLabel(double score) {
  return score >= SentimentAnalyzer::kPositive   ? "positive"
         : score <= SentimentAnalyzer::kNegative ? "negative"
                                                 : "neutral";
}

std::string CallSentiment::label() const { return SentimentLabel(score_); }

}  // namespace vaarta::conversation
