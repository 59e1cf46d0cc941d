// Phone normalisation benchmark: PhoneNormalizer::Normalize on one core over COUNT
// generated inputs in each of four mixes, and libphonenumber alone on the typical mix:
//   plain     Indian mobiles in the forms people type (+91 98xxx xxxxx, 098..., 91-...,
//             brackets and dots), prefix table already filled: the fast path
//   cold      the same with a new normalizer, so every five-digit prefix is asked once
//   slow      what the fast path leaves: Devanagari digits, extensions, other countries,
//             landlines written with an area code, and refusals of every kind
//   typical   95% plain, 5% slow (an import file with a few bad rows)
//   phone_bench [COUNT]   (default 1000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "leads/phone/phone_normalizer.h"

using vaarta::leads::PhoneNormalizer;
using vaarta::leads::PhoneParse;
using Clock = std::chrono::steady_clock;

namespace {

std::string Plain(std::mt19937_64& rng) {
  std::string national = std::to_string(6 + rng() % 4);
  for (int i = 0; i < 9; ++i) national.push_back(static_cast<char>('0' + rng() % 10));
  const std::string a = national.substr(0, 5), b = national.substr(5);
  switch (rng() % 6) {
    case 0:
      return national;
    case 1:
      return "+91 " + a + " " + b;
    case 2:
      return "0" + national;
    case 3:
      return "91-" + national;
    case 4:
      return "+91-" + a + "-" + b;
    default:
      return "(+91) " + national.substr(0, 3) + "." + national.substr(3, 3) + "." +
             national.substr(6);
  }
}

std::string Slow(std::mt19937_64& rng) {
  static const char* kSlow[] = {"+91 ९८१२३ ४५६७०",
                                "9812345670 ext. 12",
                                "+44 20 7946 0958",
                                "(022) 2200 1234",
                                "+1 212 736 5000",
                                "98123",
                                "99999OOOOO",
                                "9.12345E+09",
                                "1800 425 1234",
                                "1409876543",
                                "",
                                "+91 981234567",
                                "0091 80 2222 3333",
                                "+971 50 123 4567",
                                "98123456701",
                                "N/A"};
  return kSlow[rng() % (sizeof kSlow / sizeof kSlow[0])];
}

// Nanoseconds per input of `normalize` over `inputs`; `accepted` counts the accepted.
template <typename F>
double NanosPerInput(const std::vector<std::string>& inputs, F normalize, size_t& accepted) {
  accepted = 0;
  const auto start = Clock::now();
  for (const auto& raw : inputs) {
    const PhoneParse parse = normalize(raw);
    accepted += parse.number.has_value() ? 1 : 0;
  }
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count() /
         static_cast<double>(inputs.size());
}

}  // namespace

int main(int argc, char** argv) {
  const size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::mt19937_64 rng(42);
  std::vector<std::string> plain, slow, typical;
  for (size_t i = 0; i < count; ++i) {
    plain.push_back(Plain(rng));
    slow.push_back(Slow(rng));
    typical.push_back(rng() % 20 == 0 ? Slow(rng) : Plain(rng));
  }

  std::printf("%-34s %10s %12s %10s\n", "mix", "ns/input", "inputs/s", "accepted");
  auto report = [&](const char* name, double nanos, size_t accepted) {
    std::printf("%-34s %10.0f %12.0f %9.1f%%\n", name, nanos, 1e9 / nanos,
                100.0 * static_cast<double>(accepted) / static_cast<double>(count));
  };
  PhoneNormalizer phones;
  auto normalize = [&](const std::string& raw) { return phones.Normalize(raw); };
  auto authority = [&](const std::string& raw) { return phones.NormalizeWithLibphonenumber(raw); };
  size_t accepted = 0;
  double nanos = NanosPerInput(plain, normalize, accepted);
  report("cold (prefix table empty)", nanos, accepted);
  nanos = NanosPerInput(plain, normalize, accepted);
  report("plain (fast path)", nanos, accepted);
  nanos = NanosPerInput(slow, normalize, accepted);
  report("slow (libphonenumber)", nanos, accepted);
  nanos = NanosPerInput(typical, normalize, accepted);
  report("typical (95% plain, 5% slow)", nanos, accepted);
  nanos = NanosPerInput(typical, authority, accepted);
  report("typical, libphonenumber alone", nanos, accepted);
  return 0;
}
