#include "sim/wav.h"

#include <cmath>

namespace vaarta::sim {
namespace {

constexpr int kToneMillis = 300;
constexpr int kGapMillis = 100;
constexpr double kPi = 3.14159265358979323846;

void PutLe(std::string* out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint32_t GetLe(std::string_view in, size_t at, int bytes) {
  uint32_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  }
  return value;
}

}  // namespace

std::string RenderCallWav(const std::vector<SimTurn>& turns, int channels) {
  if (channels != 2) channels = 1;
  const int tone_frames = kWavSampleRate * kToneMillis / 1000;
  const int gap_frames = kWavSampleRate * kGapMillis / 1000;
  // At least one gap, so even an empty call is a playable file.
  const int64_t frames =
      static_cast<int64_t>(turns.size()) * (tone_frames + gap_frames) + gap_frames;
  const uint32_t data_bytes = static_cast<uint32_t>(frames * channels * 2);

  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  PutLe(&out, 36 + data_bytes, 4);
  out += "WAVEfmt ";
  PutLe(&out, 16, 4);
  PutLe(&out, 1, 2);  // PCM
  PutLe(&out, static_cast<uint32_t>(channels), 2);
  PutLe(&out, kWavSampleRate, 4);
  PutLe(&out, static_cast<uint32_t>(kWavSampleRate * channels * 2), 4);
  PutLe(&out, static_cast<uint32_t>(channels * 2), 2);
  PutLe(&out, 16, 2);
  out += "data";
  PutLe(&out, data_bytes, 4);

  auto put_frame = [&](int16_t agent, int16_t callee) {
    if (channels == 2) {
      PutLe(&out, static_cast<uint16_t>(agent), 2);
      PutLe(&out, static_cast<uint16_t>(callee), 2);
    } else {
      PutLe(&out, static_cast<uint16_t>(static_cast<int16_t>(agent + callee)), 2);
    }
  };
  for (const SimTurn& turn : turns) {
    const bool agent = turn.speaker == "agent";
    const double hz = agent ? 440.0 : 660.0;
    for (int i = 0; i < tone_frames; ++i) {
      const auto sample =
          static_cast<int16_t>(std::lround(8000.0 * std::sin(2 * kPi * hz * i / kWavSampleRate)));
      put_frame(agent ? sample : 0, agent ? 0 : sample);
    }
    for (int i = 0; i < gap_frames; ++i) put_frame(0, 0);
  }
  for (int i = 0; i < gap_frames; ++i) put_frame(0, 0);
  return out;
}

core::Result<WavInfo> ReadWavInfo(std::string_view wav) {
  auto bad = [](const std::string& why) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "not a PCM WAV: " + why);
  };
  if (wav.size() < 44) return bad("shorter than a WAV header");
  if (wav.substr(0, 4) != "RIFF" || wav.substr(8, 4) != "WAVE") return bad("no RIFF/WAVE tag");
  if (GetLe(wav, 4, 4) + 8 != wav.size()) return bad("RIFF size does not match the file size");
  if (wav.substr(12, 4) != "fmt " || GetLe(wav, 20, 2) != 1) return bad("no PCM fmt chunk");
  WavInfo info;
  info.channels = static_cast<int>(GetLe(wav, 22, 2));
  info.sample_rate = static_cast<int>(GetLe(wav, 24, 4));
  info.bits_per_sample = static_cast<int>(GetLe(wav, 34, 2));
  const uint32_t block_align = GetLe(wav, 32, 2);
  if (info.channels < 1 || info.bits_per_sample != 16 ||
      block_align != static_cast<uint32_t>(info.channels * 2) ||
      GetLe(wav, 28, 4) != static_cast<uint32_t>(info.sample_rate) * block_align) {
    return bad("inconsistent fmt chunk");
  }
  if (wav.substr(36, 4) != "data") return bad("no data chunk after fmt");
  const uint32_t data_bytes = GetLe(wav, 40, 4);
  if (data_bytes + 44 != wav.size() || data_bytes % block_align != 0) {
    return bad("data size does not match the file");
  }
  info.frames = data_bytes / block_align;
  return info;
}

}  // namespace vaarta::sim
