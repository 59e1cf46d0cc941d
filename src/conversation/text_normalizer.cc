#include "conversation/text_normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <utility>

namespace vaarta::conversation {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool IsDevanagari(UChar32 c) {
  return (c >= 0x0900 && c <= 0x097F) || (c >= 0xA8E0 && c <= 0xA8FF);
}
bool IsCombining(UChar32 c) { return (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_MC_MASK)) != 0; }

// ---- Hinglish spelling of ICU's Devanagari-Latin (ISO 15919) output ------------------

enum class UnitKind { kVowel, kInherent, kConsonant, kOther };
struct Unit {
  std::u32string text;
  UnitKind kind = UnitKind::kOther;
  bool IsVowel() const { return kind == UnitKind::kVowel || kind == UnitKind::kInherent; }
};

bool IsIsoVowel(UChar32 c) {
  switch (c) {
    case U'a':
    case U'ā':
    case U'i':
    case U'ī':
    case U'u':
    case U'ū':
    case U'e':
    case U'ē':
    case U'o':
    case U'ō':
    case U'ĕ':
    case U'ŏ':
    case U'ê':
    case U'ô':
    case U'æ':
      return true;
    default:
      return false;
  }
}

// Consonants whose aspirated form ISO 15919 writes with a following 'h'.
bool IsAspirable(UChar32 c) {
  switch (c) {
    case U'k':
    case U'g':
    case U'c':
    case U'j':
    case U'ṭ':
    case U'ḍ':
    case U't':
    case U'd':
    case U'p':
    case U'b':
    case U'ṛ':
    case U'ḵ':
      return true;
    default:
      return false;
  }
}

std::vector<Unit> SplitUnits(const icu::UnicodeString& word) {
  std::vector<Unit> units;
  bool after_separator = false;
  for (int32_t i = 0; i < word.length();) {
    UChar32 c = word.char32At(i);
    i += U16_LENGTH(c);
    UChar32 next = i < word.length() ? word.char32At(i) : 0;
    if (c == U'\'') {  // ISO 15919 separates vowels in hiatus with an apostrophe
      after_separator = true;
      continue;
    }
    if (IsCombining(c) && !units.empty()) {
      Unit& last = units.back();
      last.text += static_cast<char32_t>(c);
      if (c == 0x0325) last.kind = UnitKind::kVowel;  // r̥, l̥: vocalic r and l
      continue;
    }
    if (c == U'ṁ' && !units.empty() && units.back().IsVowel()) {
      units.back().text += static_cast<char32_t>(c);  // anusvara nasalises its vowel
      continue;
    }
    Unit unit;
    unit.text = static_cast<char32_t>(c);
    if (IsIsoVowel(c)) {
      if (c == U'a' && (next == U'i' || next == U'u')) {
        unit.text += static_cast<char32_t>(next);  // ai, au: one vowel
        i += U16_LENGTH(next);
        unit.kind = UnitKind::kVowel;
      } else if (c == U'a' && !after_separator && !units.empty() &&
                 units.back().kind == UnitKind::kConsonant) {
        unit.kind = UnitKind::kInherent;
      } else {
        unit.kind = UnitKind::kVowel;
      }
    } else if (u_isalpha(c)) {
      unit.kind = UnitKind::kConsonant;
      if (IsAspirable(c) && (next == U'h' || next == U'ẖ')) {
        unit.text += static_cast<char32_t>(next);
        i += U16_LENGTH(next);
      }
    }
    after_separator = false;
    units.push_back(std::move(unit));
  }
  return units;
}

// Hindi does not pronounce the inherent vowel at the end of a word ("kala" -> "kal")
// nor, mostly, between a vowel-consonant and a consonant-vowel ("karanā" -> "karnā").
void DeleteSchwas(std::vector<Unit>* units) {
  std::vector<Unit>& u = *units;
  int vowels = 0;
  for (const auto& unit : u) vowels += unit.IsVowel() ? 1 : 0;
  const size_t n = u.size();
  if (n >= 2 && vowels > 1 && u[n - 1].kind == UnitKind::kInherent) {
    // Kept after a conjunct ending in r, y or v ("mitra", "kārya"), which Hindi sounds.
    bool conjunct =
        n >= 3 && u[n - 2].kind == UnitKind::kConsonant && u[n - 3].kind == UnitKind::kConsonant &&
        (u[n - 2].text[0] == U'r' || u[n - 2].text[0] == U'y' || u[n - 2].text[0] == U'v');
    if (!conjunct) u.pop_back();
  }
  for (size_t i = u.size() >= 3 ? u.size() - 3 : 0; i >= 2; --i) {
    if (u[i].kind == UnitKind::kInherent && u[i - 1].kind == UnitKind::kConsonant &&
        u[i - 2].IsVowel() && u[i + 1].kind == UnitKind::kConsonant && i + 2 < u.size() &&
        u[i + 2].IsVowel()) {
      u.erase(u.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
}

// ISO 15919 letters as Hinglish writes them.
void AppendHinglish(char32_t c, char32_t next, std::string* out) {
  switch (c) {
    case U'ā':
      *out += 'a';
      return;
    case U'ī':
      *out += 'i';
      return;
    case U'ū':
      *out += 'u';
      return;
    case U'ē':
    case U'ĕ':
    case U'ê':
      *out += 'e';
      return;
    case U'ō':
    case U'ŏ':
    case U'ô':
      *out += 'o';
      return;
    case U'æ':
      *out += "ae";
      return;
    case U'ṭ':
      *out += 't';
      return;
    case U'ḍ':
      *out += 'd';
      return;
    case U'ṛ':
      *out += 'r';
      return;
    case U'ṇ':
    case U'ṅ':
    case U'ñ':
    case U'ṁ':
      *out += 'n';
      return;
    case U'ḥ':
    case U'ẖ':
      *out += 'h';
      return;
    case U'ś':
    case U'ṣ':
      *out += "sh";
      return;
    case U'c':
      *out += "ch";
      return;
    case U'ẏ':
      *out += 'y';
      return;
    case U'ġ':
      *out += 'g';
      return;
    case U'ḵ':
      *out += 'k';
      return;
    case U'm':
      *out += next == 0x0310 ? 'n' : 'm';
      return;  // m̐: candrabindu
    case 0x0325:
      *out += 'i';
      return;  // r̥ -> ri
    default:
      break;
  }
  if (c < 0x80) {
    *out += static_cast<char>(c);
  } else if (!IsCombining(static_cast<UChar32>(c))) {
    icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(*out);
  }
}

std::string HinglishFromIso(const icu::UnicodeString& word) {
  std::vector<Unit> units = SplitUnits(word);
  DeleteSchwas(&units);
  std::u32string flat;
  for (const auto& unit : units) flat += unit.text;
  std::string out;
  for (size_t i = 0; i < flat.size(); ++i) {
    AppendHinglish(flat[i], i + 1 < flat.size() ? flat[i + 1] : 0, &out);
  }
  return out;
}

// Accented Latin letters without their marks ("café" -> "cafe").
std::string StripMarks(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(word, status) : word;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (!IsCombining(c)) kept.append(c);
  }
  std::string out;
  kept.toUTF8String(out);
  return out;
}

// Appends `word` to `tokens`, split where ASCII letters meet digits ("5pm" -> "5", "pm").
void AppendTokens(const std::string& word, std::vector<std::string>* tokens) {
  std::string current;
  auto kind = [](char c) { return IsAsciiLetter(c) ? 1 : (IsAsciiDigit(c) ? 2 : 0); };
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (!current.empty()) {
      int a = kind(current.back());
      int b = kind(c);
      bool time_separator = (c == ':' || c == '.');
      if (a != 0 && b != 0 && a != b) {
        tokens->push_back(std::move(current));
        current.clear();
      } else if (time_separator) {
        bool digits_around =
            IsAsciiDigit(current.back()) && i + 1 < word.size() && IsAsciiDigit(word[i + 1]);
        if (!digits_around) {
          tokens->push_back(std::move(current));
          current.clear();
          continue;
        }
      }
    } else if (c == ':' || c == '.') {
      continue;
    }
    current += c;
  }
  if (!current.empty()) tokens->push_back(std::move(current));
}

}  // namespace

std::string SpellingKey(std::string_view token) {
  std::string s;
  s.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    char next = i + 1 < token.size() ? token[i + 1] : 0;
    if (c == 'p' && (next == 'h' || next == 'H')) {
      s += 'f';
      ++i;
    } else if (c == 'w') {
      s += 'v';
    } else if (c == 'z') {
      s += 'j';
    } else if (c == 'q') {
      s += 'k';
    } else {
      s += c;
    }
  }
  std::string t;
  t.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : 0;
    if (c == 'e' && next == 'e') {
      t += 'i';
      ++i;
    } else if (c == 'o' && next == 'o') {
      t += 'u';
      ++i;
    } else if (c == 'y' && !t.empty() && t.back() == 'i' && IsAsciiVowel(next)) {
      continue;  // "chahiye" and "chahie", "kiya" and "kia" are one word
    } else {
      t += c;
    }
  }
  std::string out;
  out.reserve(t.size());
  for (char c : t) {
    if (!out.empty() && out.back() == c && IsAsciiLetter(c)) continue;
    out += c;
  }
  return out;
}

class TextNormalizer::Lease {
 public:
  explicit Lease(const TextNormalizer& owner) : owner_(owner), item_(owner.Acquire()) {}
  ~Lease() { owner_.Release(std::move(item_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  icu::Transliterator* get() const { return item_.get(); }

 private:
  const TextNormalizer& owner_;
  std::unique_ptr<icu::Transliterator> item_;
};

TextNormalizer::TextNormalizer() {
  UErrorCode status = U_ZERO_ERROR;
  prototype_.reset(icu::Transliterator::createInstance("Devanagari-Latin", UTRANS_FORWARD, status));
  if (U_FAILURE(status)) prototype_.reset();
}

TextNormalizer::~TextNormalizer() = default;

std::unique_ptr<icu::Transliterator> TextNormalizer::Acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto item = std::move(pool_.back());
      pool_.pop_back();
      return item;
    }
  }
  if (!prototype_) return nullptr;
  return std::unique_ptr<icu::Transliterator>(prototype_->clone());
}

void TextNormalizer::Release(std::unique_ptr<icu::Transliterator> transliterator) const {
  if (!transliterator) return;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(transliterator));
}

NormalizedText TextNormalizer::Normalize(std::string_view utf8) const {
  NormalizedText out;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString input = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  // NFKC with case folding: NFC plus the compatibility forms speech recognisers and
  // keyboards produce (full-width digits, ligatures), and no zero-width joiners.
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString folded = U_SUCCESS(status) ? fold->normalize(input, status) : input;
  if (U_FAILURE(status)) folded = input;

  // Words of the folded text: letters, marks and digits; ':' and '.' between digits.
  std::vector<icu::UnicodeString> words;
  icu::UnicodeString word;
  bool word_devanagari = false;
  std::vector<bool> devanagari;
  auto flush = [&] {
    if (word.isEmpty()) return;
    words.push_back(word);
    devanagari.push_back(word_devanagari);
    word.remove();
    word_devanagari = false;
  };
  const int32_t length = folded.length();
  for (int32_t i = 0; i < length;) {
    UChar32 c = folded.char32At(i);
    int32_t next_index = i + U16_LENGTH(c);
    UChar32 next = next_index < length ? folded.char32At(next_index) : 0;
    if (u_isalpha(c) || IsCombining(c)) {
      if (u_isalpha(c)) {
        UErrorCode script_status = U_ZERO_ERROR;
        UScriptCode script = uscript_getScript(c, &script_status);
        if (script == USCRIPT_DEVANAGARI) ++out.devanagari_letters;
        if (script == USCRIPT_LATIN) ++out.latin_letters;
      }
      if (IsDevanagari(c)) word_devanagari = true;
      word.append(c);
    } else if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      word.append(static_cast<UChar32>('0' + u_charDigitValue(c)));
    } else if ((c == ':' || c == '.') && !word.isEmpty() &&
               u_charType(word.char32At(word.length() - 1)) == U_DECIMAL_DIGIT_NUMBER &&
               u_charType(next) == U_DECIMAL_DIGIT_NUMBER) {
      word.append(static_cast<UChar32>(':'));
    } else if ((c == '\'' || c == 0x2019) && !word.isEmpty() && u_isalpha(next)) {
      // "don't" -> "dont": an apostrophe inside a word joins it
    } else {
      flush();
    }
    i = next_index;
  }
  flush();

  std::unique_ptr<Lease> lease;
  for (size_t w = 0; w < words.size(); ++w) {
    std::string folded_word;
    words[w].toUTF8String(folded_word);
    out.folded += (out.folded.empty() ? "" : " ") + folded_word;
    std::string latin;
    if (devanagari[w]) {
      if (!lease) lease = std::make_unique<Lease>(*this);
      if (lease->get()) {
        icu::UnicodeString iso = words[w];
        lease->get()->transliterate(iso);
        latin = HinglishFromIso(iso);
      } else {
        latin = folded_word;
      }
    } else {
      latin = folded_word;
    }
    bool ascii = true;
    for (char c : latin) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii) latin = StripMarks(icu::UnicodeString::fromUTF8(latin));
    AppendTokens(latin, &out.tokens);
  }
  out.keys.reserve(out.tokens.size());
  for (const auto& token : out.tokens) {
    out.latin += (out.latin.empty() ? "" : " ") + token;
    out.keys.push_back(SpellingKey(token));
  }
  return out;
}

}  // namespace vaarta::conversation
