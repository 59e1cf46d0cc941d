#include "conversation/text_normalizer.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace vaarta::conversation {
namespace {

TEST(TextNormalizer, FoldsCaseAndDropsPunctuation) {
  TextNormalizer normalizer;
  NormalizedText text = normalizer.Normalize("Don't CALL me — I'm NOT interested!!");
  EXPECT_EQ(text.latin, "dont call me im not interested");
  EXPECT_EQ(text.tokens.size(), 6u);
  EXPECT_EQ(text.devanagari_letters, 0);
  EXPECT_GT(text.latin_letters, 20);
}

TEST(TextNormalizer, TransliteratesDevanagariTheWayHinglishIsWritten) {
  TextNormalizer normalizer;
  EXPECT_EQ(normalizer.Normalize("मुझे दोबारा फ़ोन मत करना").latin, "mujhe dobara fon mat karna");
  EXPECT_EQ(normalizer.Normalize("कल शाम 6 बजे").latin, "kal sham 6 baje");
  EXPECT_EQ(normalizer.Normalize("मेरा नंबर हटा दो").latin, "mera nambar hata do");
  EXPECT_EQ(normalizer.Normalize("समझ नहीं आया").latin, "samajh nahin aya");
  EXPECT_EQ(normalizer.Normalize("कितने का है?").latin, "kitne ka hai");
  NormalizedText hindi = normalizer.Normalize("हाँ ठीक है");
  EXPECT_EQ(hindi.latin, "han thik hai");
  EXPECT_GT(hindi.devanagari_letters, 0);
  EXPECT_EQ(hindi.folded, "हाँ ठीक है");
}

TEST(TextNormalizer, HindiAndHinglishMeetInOneSpellingKey) {
  TextNormalizer normalizer;
  EXPECT_EQ(normalizer.Normalize("ठीक है").keys, normalizer.Normalize("theek hai").keys);
  EXPECT_EQ(normalizer.Normalize("शाम").keys, normalizer.Normalize("shaam").keys);
  EXPECT_EQ(normalizer.Normalize("चाहिए").keys, normalizer.Normalize("chahiye").keys);
  EXPECT_EQ(normalizer.Normalize("बात करवाओ").keys, normalizer.Normalize("baat karwao").keys);
}

TEST(TextNormalizer, MapsUnicodeDigitsAndSplitsTimes) {
  TextNormalizer normalizer;
  EXPECT_EQ(normalizer.Normalize("परसों सुबह १० बजे").latin, "parson subah 10 baje");
  EXPECT_EQ(normalizer.Normalize("call at 5pm or 5:30 p.m.").latin, "call at 5 pm or 5:30 p m");
  EXPECT_EQ(normalizer.Normalize("Ｆｕｌｌ １２３ café").latin, "full 123 cafe");
}

TEST(TextNormalizer, EmptyAndPunctuationOnlyTextHasNoTokens) {
  TextNormalizer normalizer;
  EXPECT_TRUE(normalizer.Normalize("").empty());
  EXPECT_TRUE(normalizer.Normalize("  ...?! ").empty());
}

TEST(SpellingKey, FoldsCommonVariants) {
  EXPECT_EQ(SpellingKey("theek"), SpellingKey("thik"));
  EXPECT_EQ(SpellingKey("phone"), SpellingKey("fone"));
  EXPECT_EQ(SpellingKey("karwao"), SpellingKey("karvao"));
  EXPECT_EQ(SpellingKey("zaroor"), SpellingKey("jarur"));
  EXPECT_EQ(SpellingKey("chahiye"), SpellingKey("chahie"));
  EXPECT_NE(SpellingKey("nahi"), SpellingKey("haan"));
}

TEST(TextNormalizer, IsSafeToShareBetweenThreads) {
  TextNormalizer normalizer;
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) results[t] = normalizer.Normalize("दोबारा कॉल मत करना").latin;
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& r : results) EXPECT_EQ(r, "dobara kol mat karna");
}

}  // namespace
}  // namespace vaarta::conversation
