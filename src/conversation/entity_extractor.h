#pragma once
// EntityExtractor: the numbers and e-mail addresses in what a callee said. Numbers in
// digits or words, English or Hindi, with Indian scales ("2 lakh", "paanch hazaar",
// "dedh lakh", "five thousand", "do sau"). E-mail addresses typed into the text
// ("a.b@x.com") or spelled out the way people say them on the phone ("rahul dot sharma
// at gmail dot com", "priya underscore 12 at the rate yahoo dot co dot in"). Callback
// times and the target language have their own readers (callback_time_parser.h, the
// rule classifier).
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "conversation/text_normalizer.h"

namespace vaarta::conversation {

struct Entities {
  std::vector<double> numbers;      // in the order said
  std::vector<std::string> emails;  // lower case
};

class EntityExtractor {
 public:
  EntityExtractor();
  // `original` is the text as heard (for typed addresses); `text` its normal form.
  Entities Extract(std::string_view original, const NormalizedText& text) const;

 private:
  std::vector<double> Numbers(const NormalizedText& text) const;
  std::vector<std::string> SpokenEmails(const NormalizedText& text) const;

  std::unordered_map<std::string, double> units_;   // by spelling key: 0..99, dedh, dhai
  std::unordered_map<std::string, double> scales_;  // hundred, thousand, lakh, crore, ...
};

}  // namespace vaarta::conversation
