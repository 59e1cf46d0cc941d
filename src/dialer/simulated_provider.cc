#include "dialer/simulated_provider.h"

#include <array>
#include <utility>

namespace vaarta::dialer {
namespace {

// SplitMix64: a small, well-mixed hash so that one lead's draws do not depend on the
// order in which calls were placed.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Draws {
 public:
  explicit Draws(uint64_t state) : state_(state) {}
  double Uniform() {  // [0, 1)
    state_ = Mix(state_);
    return static_cast<double>(state_ >> 11) * 0x1.0p-53;
  }
  int64_t Between(int64_t lo, int64_t hi) {  // [lo, hi]
    return lo + static_cast<int64_t>(Uniform() * static_cast<double>(hi - lo + 1));
  }

 private:
  uint64_t state_;
};

struct RateField {
  const char* name;
  double SimulatedRates::*field;
};
constexpr std::array<RateField, 12> kFields = {{
    {"failed", &SimulatedRates::failed},
    {"busy", &SimulatedRates::busy},
    {"no_answer", &SimulatedRates::no_answer},
    {"voicemail", &SimulatedRates::voicemail},
    {"interested", &SimulatedRates::interested},
    {"not_interested", &SimulatedRates::not_interested},
    {"callback", &SimulatedRates::callback},
    {"opted_out", &SimulatedRates::opted_out},
    {"wrong_number", &SimulatedRates::wrong_number},
    {"transferred", &SimulatedRates::transferred},
    {"incomplete", &SimulatedRates::incomplete},
    {"calls_per_second", &SimulatedRates::calls_per_second},
}};

constexpr int64_t kSecond = 1000;
constexpr int64_t kHour = 3'600'000;

}  // namespace

core::Result<SimulatedRates> SimulatedRates::FromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return core::Error{core::ErrorCode::kInvalidArgument, "rates: must be a JSON object"};
  }
  SimulatedRates rates;
  for (const auto& [key, value] : json.items()) {
    const RateField* found = nullptr;
    for (const auto& field : kFields) {
      if (key == field.name) found = &field;
    }
    if (found == nullptr) {
      return core::Error{core::ErrorCode::kInvalidArgument, "rates." + key + ": unknown field"};
    }
    if (!value.is_number()) {
      return core::Error{core::ErrorCode::kInvalidArgument, "rates." + key + ": must be a number"};
    }
    const double v = value.get<double>();
    const bool is_cps = key == "calls_per_second";
    if (is_cps ? !(v > 0 && v <= 10000) : !(v >= 0 && v <= 1)) {
      return core::Error{
          core::ErrorCode::kInvalidArgument,
          "rates." + key + (is_cps ? ": must be > 0 and <= 10000" : ": must be between 0 and 1")};
    }
    rates.*(found->field) = v;
  }
  if (rates.failed + rates.busy + rates.no_answer + rates.voicemail > 1.0 + 1e-9) {
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "rates: failed + busy + no_answer + voicemail must not exceed 1"};
  }
  return rates;
}

nlohmann::json SimulatedRates::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& field : kFields) out[field.name] = this->*(field.field);
  return out;
}

CallEnded SimulatedProvider::Draw(const PlaceCallRequest& request) const {
  Draws draws(Mix(seed_ ^ Mix(static_cast<uint64_t>(request.lead_id) * 1315423911ULL +
                              static_cast<uint64_t>(request.attempt_number))));
  CallEnded ended;
  ended.attempt_id = request.attempt_id;
  ended.provider_call_id = "SIM" + std::to_string(request.attempt_id);
  const int64_t start = request.placed_at_ms;
  double u = draws.Uniform();
  auto take = [&u](double p) {
    if (u < p) return true;
    u -= p;
    return false;
  };
  if (take(rates_.failed)) {
    ended.disposition = Disposition::kFailed;
    ended.ended_at_ms = start + 1 * kSecond;
  } else if (take(rates_.busy)) {
    ended.disposition = Disposition::kBusy;
    ended.ended_at_ms = start + draws.Between(3, 8) * kSecond;
  } else if (take(rates_.no_answer)) {
    ended.disposition = Disposition::kNoAnswer;
    ended.ended_at_ms = start + 30 * kSecond;
  } else if (take(rates_.voicemail)) {
    ended.disposition = Disposition::kVoicemail;
    ended.answered_at_ms = start + draws.Between(10, 25) * kSecond;
    ended.ended_at_ms = *ended.answered_at_ms + draws.Between(5, 20) * kSecond;
  } else {
    ended.answered_at_ms = start + draws.Between(5, 20) * kSecond;
    const std::array<std::pair<double, Disposition>, 7> outcomes = {{
        {rates_.interested, Disposition::kInterested},
        {rates_.not_interested, Disposition::kNotInterested},
        {rates_.callback, Disposition::kCallbackBooked},
        {rates_.opted_out, Disposition::kOptedOut},
        {rates_.wrong_number, Disposition::kWrongNumber},
        {rates_.transferred, Disposition::kTransferred},
        {rates_.incomplete, Disposition::kIncomplete},
    }};
    double total = 0;
    for (const auto& [p, d] : outcomes) total += p;
    double v = draws.Uniform() * total;
    ended.disposition = Disposition::kIncomplete;
    for (const auto& [p, d] : outcomes) {
      if (v < p) {
        ended.disposition = d;
        break;
      }
      v -= p;
    }
    ended.ended_at_ms = *ended.answered_at_ms + draws.Between(20, 240) * kSecond;
    if (ended.disposition == Disposition::kCallbackBooked) {
      // People ask for all sorts of times, many outside the legal window (late evening,
      // early morning): the dialer has to clamp them.
      static constexpr std::array<int64_t, 9> kAfterHours = {1, 2, 3, 5, 8, 12, 16, 24, 40};
      ended.callback_requested_at_ms =
          ended.ended_at_ms + kAfterHours[draws.Between(0, kAfterHours.size() - 1)] * kHour +
          draws.Between(0, 59) * 60 * kSecond;
    }
  }
  ended.detail = {{"simulated", true}};
  return ended;
}

core::Result<std::string> SimulatedProvider::PlaceCall(const PlaceCallRequest& request) {
  CallEnded ended = Draw(request);
  std::string id = ended.provider_call_id;
  std::lock_guard lock(mutex_);
  pending_.emplace(ended.ended_at_ms, std::move(ended));
  return id;
}

std::vector<CallEnded> SimulatedProvider::TakeEnded(int64_t now_ms) {
  std::vector<CallEnded> out;
  std::lock_guard lock(mutex_);
  auto end = pending_.upper_bound(now_ms);
  for (auto it = pending_.begin(); it != end; ++it) out.push_back(std::move(it->second));
  pending_.erase(pending_.begin(), end);
  return out;
}

size_t SimulatedProvider::live_calls() const {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

}  // namespace vaarta::dialer
