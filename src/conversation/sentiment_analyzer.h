#pragma once
// SentimentAnalyzer: positive, neutral or negative for one utterance, from a small
// bilingual lexicon over spelling keys (so "bakwas", "बकवास" and "bakvas" are one word)
// with negation ("not good", "accha nahi"), plus what the intent itself says (an opt-out
// is not a happy utterance). A lexicon rather than a model: the decision it drives (hand
// an angry caller to a person, end politely) must be explainable to a manager, and the
// words that make Indian callers angry on the phone are few and well known.
//
// CallSentiment keeps the running score of a call.
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

// "positive", "neutral" or "negative" for a score (the thresholds of SentimentAnalyzer).
std::string SentimentLabel(double score);

struct Sentiment {
  std::string label;  // "positive", "neutral", "negative"
  double score = 0;   // -1 (angry) .. 1 (delighted)
  // Strong enough to offer the callee a person (abuse, anger, harassment complaints).
  bool strongly_negative = false;
};

class SentimentAnalyzer {
 public:
  SentimentAnalyzer();
  // `intent` may be "" (unknown).
  Sentiment Analyze(const NormalizedText& text, std::string_view intent) const;

  static constexpr double kPositive = 0.25;
  static constexpr double kNegative = -0.25;
  static constexpr double kStronglyNegative = -0.6;

 private:
  std::unordered_map<std::string, double> weights_;  // by spelling key
  std::unordered_set<std::string> negators_;
  std::unordered_set<std::string> intensifiers_;
};

// The call's running sentiment: an exponentially weighted mean of its utterances (recent
// ones count more), with the lowest seen.
class CallSentiment {
 public:
  void Add(const Sentiment& utterance);
  double score() const { return score_; }
  double lowest() const { return lowest_; }
  int utterances() const { return count_; }
  std::string label() const;
  void Restore(double score, double lowest, int count) {
    score_ = score;
    lowest_ = lowest;
    count_ = count;
  }

 private:
  double score_ = 0;
  double lowest_ = 0;
  int count_ = 0;
};

}  // namespace vaarta::conversation
