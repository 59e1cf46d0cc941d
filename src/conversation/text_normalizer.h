#pragma once
// TextNormalizer: one form of what a callee said for every component that reads it, so
// that English, Hindi in Devanagari and Hinglish (Hindi in Latin letters) meet. The text
// is put in Unicode NFC and case-folded, Unicode digits become ASCII, punctuation goes,
// and Devanagari words are transliterated with ICU's Devanagari-Latin and written the way
// Hinglish spells them ("मुझे दोबारा फ़ोन मत करना" -> "mujhe dobara fon mat karna"):
// the inherent vowel that Hindi does not pronounce is dropped and the diacritics of
// ISO 15919 become plain letters. SpellingKey then folds the common spelling variants
// of speech-recogniser output ("theek"/"thik", "phone"/"fone", "karwa"/"karva").
//
// Thread-safe: ICU transliterators are kept in a small pool, one per concurrent caller.
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class Transliterator;
U_NAMESPACE_END

namespace vaarta::conversation {

struct NormalizedText {
  // NFC, case-folded, punctuation replaced by spaces, in the original script.
  std::string folded;
  // `folded` in ASCII Latin letters and digits, words separated by one space. Time
  // separators between digits stay ("5:30").
  std::string latin;
  std::vector<std::string> tokens;  // the words of `latin`
  std::vector<std::string> keys;    // SpellingKey of each token
  int devanagari_letters = 0;       // letters of the input in Devanagari script
  int latin_letters = 0;            // letters of the input in Latin script

  bool empty() const { return tokens.empty(); }
};

// A token's spelling-variant key: lower-case ASCII with "ee" -> "i", "oo" -> "u",
// "ph" -> "f", "w" -> "v", "z" -> "j", "q" -> "k", "y" after "i" and before a vowel
// dropped ("chahiye" -> "chahie") and doubled letters made single. Rules and inputs are compared
// by key.
std::string SpellingKey(std::string_view token);

class TextNormalizer {
 public:
  TextNormalizer();
  ~TextNormalizer();
  TextNormalizer(const TextNormalizer&) = delete;
  TextNormalizer& operator=(const TextNormalizer&) = delete;

  NormalizedText Normalize(std::string_view utf8) const;

 private:
  class Lease;
  std::unique_ptr<icu::Transliterator> Acquire() const;
  void Release(std::unique_ptr<icu::Transliterator> transliterator) const;

  std::unique_ptr<icu::Transliterator> prototype_;  // null when ICU lacks the rules
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<icu::Transliterator>> pool_;
};

}  // namespace vaarta::conversation
