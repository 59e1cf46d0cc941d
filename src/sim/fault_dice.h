#pragma once
// FaultDice: the simulator's one seeded source of randomness for injected faults, shared
// by whoever draws (the REST front, callback delivery), so that a run with the same seed
// and the same sequence of requests injects the same faults. Thread-safe.
#include <cstdint>
#include <mutex>
#include <random>

namespace vaarta::sim {

class FaultDice {
 public:
  explicit FaultDice(uint64_t seed) : rng_(seed) {}

  // Uniform in [0, 1).
  double Uniform() {
    std::lock_guard lock(mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  }
  // True with probability `p`; draws nothing when p <= 0, so a disabled fault does not
  // shift the sequence the other faults see.
  bool Chance(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return Uniform() < p;
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 rng_;
};

}  // namespace vaarta::sim
