#pragma once
// The simulator's stand-in for call audio: a valid 8 kHz 16-bit PCM WAV with a short tone
// per spoken turn (agent and callee at different pitches, on their own channel when the
// recording is dual), so a recording's size grows with the call and is the same every run.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sim/sim_engine.h"

namespace vaarta::sim {

inline constexpr int kWavSampleRate = 8000;

// `channels` is 1 (both speakers mixed) or 2 (agent left, callee right).
std::string RenderCallWav(const std::vector<SimTurn>& turns, int channels);

struct WavInfo {
  int channels = 0;
  int sample_rate = 0;
  int bits_per_sample = 0;
  int64_t frames = 0;
  double seconds() const { return sample_rate > 0 ? static_cast<double>(frames) / sample_rate : 0; }
};

// Reads a canonical PCM WAV header (RIFF/WAVE, fmt, data); errors name what is wrong.
core::Result<WavInfo> ReadWavInfo(std::string_view wav);

}  // namespace vaarta::sim
