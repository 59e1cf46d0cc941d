// The fast path decides most rows of a big import without libphonenumber; it must give
// exactly libphonenumber's answer for every input. This compares Normalize() (fast path
// first) with NormalizeWithLibphonenumber() (the authority) on over a million generated
// inputs: every six-digit Indian prefix 600000-999999 in a form the fast path takes (so
// the claim that five digits decide the type is checked exhaustively one digit deeper),
// then random numbers in those forms and near-misses around them.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "leads/phone/phone_normalizer.h"

#if defined(__SANITIZE_ADDRESS__)
#define VAARTA_PHONE_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VAARTA_PHONE_TEST_SANITIZED 1
#endif
#endif

namespace vaarta::leads {
namespace {

#ifdef VAARTA_PHONE_TEST_SANITIZED
// Sanitized builds run the same generator on fewer inputs: every five-digit prefix
// instead of every six-digit one, and fewer variants.
constexpr int kPrefixStep = 10;
constexpr int kVariants = 60000;
#else
constexpr int kPrefixStep = 1;
constexpr int kVariants = 600000;
#endif

class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  int Below(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
  bool OneIn(int n) { return Below(n) == 0; }

  std::string Digits(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + Below(10)));
    return out;
  }

  char Separator() {
    static constexpr std::array<char, 5> kSeparators = {' ', '-', '.', '(', ')'};
    return kSeparators[static_cast<size_t>(Below(5))];
  }

  // Separators the fast path takes, sprinkled between digits (sometimes several).
  std::string Sprinkle(const std::string& digits) {
    std::string out;
    for (char c : digits) {
      out.push_back(c);
      if (OneIn(4)) out.push_back(Separator());
      if (OneIn(40)) out.push_back(Separator());
    }
    return out;
  }

  // A 10-digit national number in one of the forms people type and the fast path takes.
  // `form` selects the form; the forms are counted so the test can check each is decided.
  std::string AcceptedForm(const std::string& national, int form) {
    const std::string a = national.substr(0, 5), b = national.substr(5);
    switch (form) {
      case 0:
        return national;
      case 1:
        return "+91" + national;
      case 2:
        return "+91 " + a + " " + b;
      case 3:
        return "0091 " + a + " " + b;
      case 4:
        return "91" + national;
      case 5:
        return "91-" + national;
      case 6:
        return "0" + national;
      case 7:
        return "(+91) " + national.substr(0, 3) + "." + national.substr(3, 3) + "." +
               national.substr(6);
      case 8:
        return "(0" + national.substr(0, 3) + ") " + national.substr(3);
      case 9:
        return "+91-" + a + "-" + b;
      default: {
        static constexpr std::array<const char*, 5> kPrefixes = {"", "+91", "0091", "91", "0"};
        std::string prefix = kPrefixes[static_cast<size_t>(Below(5))];
        std::string out =
            Sprinkle(prefix.starts_with("+") ? prefix.substr(1) + national : prefix + national);
        if (prefix.starts_with("+")) out.insert(0, "+");
        if (OneIn(8)) out.insert(0, 1, Separator());
        if (OneIn(8)) out.push_back(Separator());
        return out;
      }
    }
  }
  static constexpr int kForms = 11;

  // Three times in five an accepted form of a random number starting 6-9; otherwise such a
  // form with one thing wrong: a digit missing or extra, another first digit, another
  // prefix or country code, a service-number prefix, a character the fast path does not
  // take, an extension, padding, scientific notation.
  std::string Variant() {
    std::string national = Digits(10);
    national[0] = static_cast<char>('6' + Below(4));
    std::string raw = AcceptedForm(national, Below(kForms));
    if (Below(5) < 3) return raw;
    auto somewhere = [&] { return static_cast<size_t>(Below(static_cast<int>(raw.size()) + 1)); };
    auto digit_at = [&] {
      size_t i = static_cast<size_t>(Below(static_cast<int>(raw.size())));
      while (i < raw.size() && (raw[i] < '0' || raw[i] > '9')) ++i;
      return i < raw.size() ? i : raw.find_last_of("0123456789");
    };
    static constexpr std::array<const char*, 16> kPrefixes = {
        "+92 ", "+1 ", "+44 ", "++91 ", "+0091 ", "091 ",  "9191",   "+910",
        "00 ",  "+",   "0 0",  "+ 91 ", "(0)",    "+91 0", "0091 0", "+9 "};
    static constexpr std::array<const char*, 6> kService = {"140",  "1600", "1601",
                                                            "1800", "1860", "5"};
    switch (Below(14)) {
      case 0:
        raw.erase(digit_at(), 1);
        break;
      case 1:
        raw.insert(digit_at(), 1, static_cast<char>('0' + Below(10)));
        break;
      case 2:
        national[0] = static_cast<char>('0' + Below(6));
        raw = AcceptedForm(national, Below(kForms));
        break;
      case 3:
        raw = kPrefixes[static_cast<size_t>(Below(static_cast<int>(kPrefixes.size())))] +
              Sprinkle(national);
        break;
      case 4: {
        const std::string series =
            kService[static_cast<size_t>(Below(static_cast<int>(kService.size())))];
        raw = AcceptedForm(series + national.substr(series.size()), Below(kForms));
        break;
      }
      case 5:
        raw.insert(somewhere(), 1, "/\t_*,;#+xO"[Below(10)]);
        break;
      case 6:
        raw += " ext. " + Digits(1 + Below(4));
        break;
      case 7:
        raw += std::string(static_cast<size_t>(20 + Below(20)), ' ');
        break;
      case 8:  // a Devanagari nine
        raw.insert(somewhere(), "\xE0\xA5\xAF");
        break;
      case 9:
        raw = national.substr(0, 1) + "." + national.substr(1, 5) + "E+09";
        break;
      case 10:
        raw = national.substr(0, static_cast<size_t>(2 + Below(8)));
        break;
      case 11:
        raw += Digits(1 + Below(6));
        break;
      case 12:
        raw = Digits(6 + Below(9));
        break;
      default:
        raw = Sprinkle(Digits(10 + Below(5)));
        break;
    }
    return raw;
  }

 private:
  std::mt19937_64 rng_;
};

// Empty when the two answers are the same in every field, else what differs.
std::string Difference(const PhoneParse& fast, const PhoneParse& authority) {
  auto show = [](const PhoneParse& p) {
    if (!p.number) return "refused " + std::string(PhoneRefusalCode(p.refusal)) + ": " + p.message;
    const PhoneNumber& n = *p.number;
    return n.e164 + " ext '" + n.extension + "' " + n.region + " " + n.type + " '" + n.time_zone +
           "'";
  };
  const bool same = fast.refusal == authority.refusal && fast.message == authority.message &&
                    fast.number.has_value() == authority.number.has_value() &&
                    (!fast.number || (fast.number->e164 == authority.number->e164 &&
                                      fast.number->extension == authority.number->extension &&
                                      fast.number->region == authority.number->region &&
                                      fast.number->type == authority.number->type &&
                                      fast.number->time_zone == authority.number->time_zone));
  return same ? "" : "Normalize: " + show(fast) + "\nlibphonenumber: " + show(authority);
}

// What one worker saw of its share of the corpus.
struct Tally {
  int inputs = 0;
  int prefix_inputs = 0;
  int prefix_decided = 0;
  int variants_decided = 0;
  std::array<int, Generator::kForms> decided_by_form{};
  std::string first_difference;  // the first disagreement, with its input
};

// Worker `worker` of `workers` takes every six-digit prefix with that remainder and its
// share of the variants, from its own seeded generator.
Tally CompareShare(const PhoneNormalizer& phones, int worker, int workers) {
  Generator gen(20261124 + static_cast<uint64_t>(worker));
  Tally tally;
  auto compare = [&](const std::string& raw) {
    ++tally.inputs;
    const bool fast = phones.FastPathE164(raw).has_value();
    std::string difference =
        Difference(phones.Normalize(raw), phones.NormalizeWithLibphonenumber(raw));
    if (!difference.empty()) tally.first_difference = "input '" + raw + "'\n" + difference;
    return fast;
  };
  // Every six-digit prefix of a 10-digit number starting 6-9, in a form the fast path takes.
  for (int prefix = 600000 + worker * kPrefixStep; prefix < 1000000;
       prefix += workers * kPrefixStep) {
    const int six = prefix + gen.Below(kPrefixStep);
    const int form = gen.Below(Generator::kForms);
    ++tally.prefix_inputs;
    if (compare(gen.AcceptedForm(std::to_string(six) + gen.Digits(4), form))) {
      ++tally.prefix_decided;
      ++tally.decided_by_form[static_cast<size_t>(form)];
    }
    if (!tally.first_difference.empty()) return tally;
  }
  for (int i = worker; i < kVariants; i += workers) {
    if (compare(gen.Variant())) ++tally.variants_decided;
    if (!tally.first_difference.empty()) return tally;
  }
  return tally;
}

TEST(PhoneFastPath, AgreesWithLibphonenumberOnEverySixDigitPrefixAndAMillionInputs) {
  // libphonenumber takes ~15 microseconds a number, so the million inputs are shared by
  // two threads (which also fill the shared prefix table concurrently).
  constexpr int kWorkers = 2;
  const PhoneNormalizer phones("IN");
  std::vector<Tally> tallies(kWorkers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWorkers; ++w) {
    threads.emplace_back(
        [&, w] { tallies[static_cast<size_t>(w)] = CompareShare(phones, w, kWorkers); });
  }
  for (auto& thread : threads) thread.join();

  Tally total;
  for (const Tally& t : tallies) {
    EXPECT_EQ(t.first_difference, "");
    total.inputs += t.inputs;
    total.prefix_inputs += t.prefix_inputs;
    total.prefix_decided += t.prefix_decided;
    total.variants_decided += t.variants_decided;
    for (size_t f = 0; f < t.decided_by_form.size(); ++f) {
      total.decided_by_form[f] += t.decided_by_form[f];
    }
  }
#ifndef VAARTA_PHONE_TEST_SANITIZED
  EXPECT_GE(total.inputs, 1000000);
#else
  EXPECT_GE(total.inputs, 100000);
#endif
  // libphonenumber 8.12 knows a type for every number starting 6-9, so the fast path
  // decides all of them; much less would mean it stopped saving the time it is there for.
  EXPECT_GT(total.prefix_decided, total.prefix_inputs * 9 / 10);
  for (size_t form = 0; form < total.decided_by_form.size(); ++form) {
    EXPECT_GT(total.decided_by_form[form], 0) << "form " << form << " never decided";
  }
  // Most variants are accepted forms; the checks must reach the fast path and its edges.
  EXPECT_GT(total.variants_decided, kVariants / 4);
  RecordProperty("inputs", total.inputs);
  RecordProperty("decided_by_fast_path", total.prefix_decided + total.variants_decided);
}

}  // namespace
}  // namespace vaarta::leads
