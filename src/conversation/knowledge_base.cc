#include "conversation/knowledge_base.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "campaigns/script_generator.h"

namespace vaarta::conversation {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// Words that say nothing about the topic, in English and Hinglish (spelling keys).
const std::unordered_set<std::string>& StopKeys() {
  static const std::unordered_set<std::string> keys = [] {
    std::unordered_set<std::string> out;
    for (std::string_view w :
         {"a",     "an",    "the",   "is",     "are",   "was",   "be",    "to",      "of",
          "in",    "on",    "for",   "and",    "or",    "it",    "this",  "that",    "what",
          "how",   "do",    "does",  "you",    "your",  "i",     "me",    "my",      "we",
          "our",   "can",   "will",  "with",   "at",    "by",    "from",  "there",   "any",
          "about", "much",  "tell",  "please", "hai",   "hain",  "ka",    "ki",      "ke",
          "ko",    "se",    "kya",   "me",     "mein",  "men",   "ye",    "yeh",     "woh",
          "vo",    "aap",   "aapka", "aapki",  "mujhe", "hum",   "to",    "bhi",     "ho",
          "hota",  "hoti",  "kaise", "kitna",  "kitne", "kitni", "batao", "bataiye", "kar",
          "karo",  "karna", "iska",  "uska",   "is",    "us",    "par",   "ji",      "haan",
          "nahi",  "nahin", "na",    "no",     "yes",   "ok",    "okay",  "sir",     "madam"}) {
      out.insert(SpellingKey(w));
    }
    return out;
  }();
  return keys;
}

std::vector<std::string> TopicKeys(const NormalizedText& text) {
  std::vector<std::string> out;
  for (const auto& key : text.keys) {
    if (!StopKeys().count(key)) out.push_back(key);
  }
  return out;
}

}  // namespace

KnowledgeBase::KnowledgeBase(const std::vector<campaigns::KnowledgeEntry>& entries,
                             std::string_view product_facts, const TextNormalizer& normalizer) {
  auto add = [&](Doc doc, const std::vector<std::string>& texts) {
    for (const auto& text : texts) {
      for (const auto& key : TopicKeys(normalizer.Normalize(text))) {
        auto [it, inserted] = term_ids_.emplace(key, static_cast<int>(term_ids_.size()));
        if (inserted) doc_frequency_.push_back(0);
        if (doc.terms[it->second]++ == 0) ++doc_frequency_[static_cast<size_t>(it->second)];
        ++doc.length;
      }
    }
    docs_.push_back(std::move(doc));
  };
  for (const auto& entry : entries) {
    if (entry.answer_en.empty() && entry.answer_hi.empty()) continue;
    Doc doc{entry.kind, entry.intent, entry.answer_en, entry.answer_hi, {}, 0};
    // The question twice: what the callee asks resembles the question more than the answer.
    add(std::move(doc), {entry.question_en, entry.question_en, entry.question_hi, entry.question_hi,
                         entry.answer_en, entry.answer_hi});
  }
  for (const auto& sentence : campaigns::FactSentences(std::string(product_facts))) {
    add(Doc{"fact", "", sentence, "", {}, 0}, {sentence});
  }
  double total = 0;
  for (const auto& doc : docs_) total += doc.length;
  average_length_ = docs_.empty() ? 1 : std::max(1.0, total / static_cast<double>(docs_.size()));
  for (std::string_view w : {"price", "cost", "fee", "fees", "charge", "charges", "rate", "emi",
                             "interest", "kimat", "daam", "rupees", "rs"}) {
    auto it = term_ids_.find(SpellingKey(w));
    if (it != term_ids_.end()) price_terms_.push_back(it->second);
  }
}

double KnowledgeBase::Score(const Doc& doc, const std::vector<int>& query) const {
  double score = 0;
  const double n = static_cast<double>(docs_.size());
  for (int term : query) {
    auto it = doc.terms.find(term);
    if (it == doc.terms.end()) continue;
    double df = doc_frequency_[static_cast<size_t>(term)];
    double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
    double tf = it->second;
    score += idf * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * doc.length / average_length_));
  }
  return score;
}

std::optional<KnowledgeAnswer> KnowledgeBase::Answer(const NormalizedText& question,
                                                     std::string_view intent,
                                                     std::string_view language) const {
  std::vector<int> query;
  for (const auto& key : TopicKeys(question)) {
    auto it = term_ids_.find(key);
    if (it != term_ids_.end()) query.push_back(it->second);
  }
  // "kitne ka hai" names no topic word of the entries: a price question asks for them.
  if (intent == "ask_price" || intent == "objection_price") {
    query.insert(query.end(), price_terms_.begin(), price_terms_.end());
  }
  const bool objection = intent.rfind("objection_", 0) == 0;
  const Doc* best = nullptr;
  double best_score = 0;
  // An objection's own entries first, however few words they share with the callee's.
  if (objection) {
    for (const auto& doc : docs_) {
      if (doc.kind != "objection" || doc.intent != intent) continue;
      double score = Score(doc, query) + 1;  // > 0 even without shared words
      if (score > best_score) {
        best = &doc;
        best_score = score;
      }
    }
  }
  if (!best) {
    for (const auto& doc : docs_) {
      double score = Score(doc, query);
      if (score > best_score) {
        best = &doc;
        best_score = score;
      }
    }
  }
  if (!best) return std::nullopt;
  KnowledgeAnswer answer;
  answer.score = best_score;
  bool hindi = language == "hi";
  const std::string& wanted = hindi ? best->answer_hi : best->answer_en;
  const std::string& other = hindi ? best->answer_en : best->answer_hi;
  answer.text = wanted.empty() ? other : wanted;
  answer.language = wanted.empty() ? (hindi ? "en" : "hi") : std::string(language);
  return answer;
}

}  // namespace vaarta::conversation
