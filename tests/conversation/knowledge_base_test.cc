#include "conversation/knowledge_base.h"

#include <gtest/gtest.h>

namespace vaarta::conversation {
namespace {

std::vector<campaigns::KnowledgeEntry> Entries() {
  campaigns::KnowledgeEntry fee{"faq",
                                "",
                                "Is there a processing fee?",
                                "क्या प्रोसेसिंग फीस है?",
                                "There is no processing fee in March.",
                                "मार्च में कोई प्रोसेसिंग फीस नहीं है।"};
  campaigns::KnowledgeEntry documents{"faq",
                                      "",
                                      "Which documents do I need?",
                                      "कौन से कागज़ चाहिए?",
                                      "Bring your Aadhaar card and the jewellery.",
                                      ""};
  campaigns::KnowledgeEntry price{"objection",
                                  "objection_price",
                                  "It is too expensive",
                                  "",
                                  "The interest is charged only for the days you keep the loan.",
                                  "ब्याज सिर्फ उतने दिनों का लगता है जितने दिन लोन रहता है।"};
  return {fee, documents, price};
}

TEST(KnowledgeBase, FindsTheEntryThatAnswersTheQuestion) {
  TextNormalizer normalizer;
  KnowledgeBase kb(Entries(), "Loans against gold jewellery, valued at the branch in 30 minutes.",
                   normalizer);
  auto docs = kb.Answer(normalizer.Normalize("what documents are needed"), "ask_details", "en");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->text, "Bring your Aadhaar card and the jewellery.");
  auto fee = kb.Answer(normalizer.Normalize("processing fee kitni hai"), "ask_price", "hi");
  ASSERT_TRUE(fee);
  EXPECT_EQ(fee->text, "मार्च में कोई प्रोसेसिंग फीस नहीं है।");
  EXPECT_EQ(fee->language, "hi");
}

TEST(KnowledgeBase, AnswersInTheOtherLanguageWhenOnlyThatIsWritten) {
  TextNormalizer normalizer;
  KnowledgeBase kb(Entries(), "", normalizer);
  auto docs = kb.Answer(normalizer.Normalize("कौन से कागज़ चाहिए"), "ask_details", "hi");
  ASSERT_TRUE(docs);
  EXPECT_EQ(docs->language, "en");
}

TEST(KnowledgeBase, ObjectionsUseTheirOwnEntries) {
  TextNormalizer normalizer;
  KnowledgeBase kb(Entries(), "", normalizer);
  auto answer = kb.Answer(normalizer.Normalize("bahut mehenga hai"), "objection_price", "en");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->text, "The interest is charged only for the days you keep the loan.");
}

TEST(KnowledgeBase, QuotesProductFactsAndInventsNothing) {
  TextNormalizer normalizer;
  KnowledgeBase kb({}, "Loans against gold jewellery. Valued at the branch in 30 minutes.",
                   normalizer);
  EXPECT_EQ(kb.size(), 2u);
  auto valued = kb.Answer(normalizer.Normalize("how long does the valuation at the branch take"),
                          "ask_details", "en");
  ASSERT_TRUE(valued);
  EXPECT_EQ(valued->text, "Valued at the branch in 30 minutes.");
  EXPECT_FALSE(kb.Answer(normalizer.Normalize("kitne ka hai"), "ask_price", "en"));
  EXPECT_FALSE(kb.Answer(normalizer.Normalize("what is the weather"), "out_of_scope", "en"));
}

}  // namespace
}  // namespace vaarta::conversation
