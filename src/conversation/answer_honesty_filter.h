#pragma once
// AnswerHonestyFilter: what no generated answer may do, whoever generated it (compliance
// section 7 and conversation.md): state a number (price, rate, amount, duration,
// percentage) that the campaign's facts do not contain; promise guarantees or certain
// returns the facts do not make; claim to be a person or deny being automated; press the
// callee with false urgency; run long. An answer that fails is not spoken; the script
// line is.
#include <string>
#include <vector>

namespace vaarta::conversation {

struct HonestyVerdict {
  bool ok = true;
  std::string reason;  // why not, for the log ("number 4999 is not in the facts")
};

class AnswerHonestyFilter {
 public:
  static constexpr int kMaxWords = 70;

  HonestyVerdict Check(const std::string& answer, const std::vector<std::string>& facts) const;
};

}  // namespace vaarta::conversation
