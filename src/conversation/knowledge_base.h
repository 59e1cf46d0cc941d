#pragma once
// KnowledgeBase: the campaign's own facts, retrieved by BM25 over normalised words
// (English and Hindi entries meet in one Latin spelling), so that the agent answers
// ask_price, ask_details and objections only with what the business wrote. Nothing
// matching means no answer: the dialogue then says honestly that it does not know.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "campaigns/campaign.h"
#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

struct KnowledgeAnswer {
  std::string text;      // in the asked-for language when the entry has it
  std::string language;  // "en" or "hi": the language of `text`
  double score = 0;
};

class KnowledgeBase {
 public:
  // Entries of the campaign's knowledge base, plus each sentence of its product facts
  // as a fact the agent may quote.
  KnowledgeBase(const std::vector<campaigns::KnowledgeEntry>& entries,
                std::string_view product_facts, const TextNormalizer& normalizer);

  // The best answer to `question` (what the callee said) for `intent`; objections
  // prefer entries written for that objection. `language` is "en" or "hi".
  std::optional<KnowledgeAnswer> Answer(const NormalizedText& question, std::string_view intent,
                                        std::string_view language) const;

  size_t size() const { return docs_.size(); }

 private:
  struct Doc {
    std::string kind;    // "faq", "objection", "fact"
    std::string intent;  // objections: which one
    std::string answer_en, answer_hi;
    std::unordered_map<int, int> terms;  // term id -> count
    int length = 0;
  };
  double Score(const Doc& doc, const std::vector<int>& query) const;

  std::vector<Doc> docs_;
  std::unordered_map<std::string, int> term_ids_;
  std::vector<int> doc_frequency_;
  double average_length_ = 0;
  std::vector<int> price_terms_;
};

}  // namespace vaarta::conversation
