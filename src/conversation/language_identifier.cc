#include "conversation/language_identifier.h"

#include <string_view>

namespace vaarta::conversation {
namespace {

// Words that are Hindi and not also common English ("to", "main", "me", "par" are left
// out for that reason).
constexpr std::string_view kHindiWords[] = {
    "hai",     "hain",   "hoon",   "hun",     "hu",      "nahi",     "nahin",   "nai",
    "kya",     "kyun",   "kyon",   "kaun",    "kaise",   "kahan",    "kab",     "kitna",
    "kitne",   "kitni",  "mujhe",  "mujhko",  "mera",    "meri",     "mere",    "hum",
    "humko",   "hamein", "aap",    "aapko",   "aapka",   "aapki",    "tum",     "tumhe",
    "haan",    "haanji", "ji",     "theek",   "thik",    "accha",    "acha",    "achha",
    "kal",     "parso",  "parson", "aaj",     "abhi",    "baad",     "mein",    "baje",
    "shaam",   "subah",  "raat",   "dopahar", "karo",    "karna",    "karein",  "kijiye",
    "karenge", "kar",    "boliye", "bolo",    "batao",   "bataiye",  "chahiye", "chahie",
    "mat",     "dobara", "phir",   "wala",    "wali",    "iska",     "uska",    "yeh",
    "ye",      "woh",    "wo",     "bhi",     "toh",     "sirf",     "bahut",   "zyada",
    "ka",      "ki",     "ke",     "ko",      "se",      "tha",      "thi",     "raha",
    "rahi",    "rahe",   "hoga",   "wahan",   "yahan",   "koi",      "kuch",    "bilkul",
    "zaroor",  "matlab", "samajh", "paisa",   "paise",   "daam",     "mehenga", "ghante",
    "bhai",    "bhaiya", "madam",  "sahab",   "namaste", "namaskar", "lekin",   "aur",
    "agar",    "lena",   "dena",   "hota",    "hoti",    "sakta",    "sakte",   "sakti"};

}  // namespace

LanguageIdentifier::LanguageIdentifier() {
  for (std::string_view word : kHindiWords) hindi_keys_.insert(SpellingKey(word));
}

int LanguageIdentifier::HindiWords(const NormalizedText& text) const {
  int count = 0;
  for (const auto& key : text.keys) count += hindi_keys_.count(key) ? 1 : 0;
  return count;
}

std::string LanguageIdentifier::Identify(const NormalizedText& text) const {
  if (text.empty()) return "";
  if (text.devanagari_letters > 0 && text.devanagari_letters >= text.latin_letters) return "hi";
  int hindi = HindiWords(text);
  int words = static_cast<int>(text.tokens.size());
  if (hindi >= 2 || (hindi >= 1 && hindi * 4 >= words)) return "hinglish";
  return "en";
}

}  // namespace vaarta::conversation
