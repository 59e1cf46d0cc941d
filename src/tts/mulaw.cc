#include "tts/mulaw.h"

#include <cstring>
#include <string>

namespace vaarta::tts {
namespace {

constexpr int kBias = 0x84;  // 132: the segment bias of G.711
constexpr int kClip = 32635;

void Put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void Put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void PutTag(std::vector<uint8_t>& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(tag[i]));
}

}  // namespace

uint8_t MulawFromLinear(int16_t sample) {
  int value = sample;
  int sign = value < 0 ? 0x80 : 0x00;
  if (value < 0) value = -value;
  if (value > kClip) value = kClip;
  value += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1) --exponent;
  int mantissa = (value >> (exponent + 3)) & 0x0F;
  return static_cast<uint8_t>(~(sign | (exponent << 4) | mantissa));
}

int16_t LinearFromMulaw(uint8_t code) {
  int u = ~code & 0xFF;
  int sign = u & 0x80;
  int exponent = (u >> 4) & 0x07;
  int mantissa = u & 0x0F;
  int value = (((mantissa << 3) + kBias) << exponent) - kBias;
  return static_cast<int16_t>(sign ? -value : value);
}

std::vector<uint8_t> EncodeMulaw(std::span<const int16_t> samples) {
  std::vector<uint8_t> out;
  out.reserve(samples.size());
  for (int16_t s : samples) out.push_back(MulawFromLinear(s));
  return out;
}

std::vector<uint8_t> MulawWav(std::span<const uint8_t> mulaw) {
  std::vector<uint8_t> out;
  out.reserve(58 + mulaw.size() + 1);
  const uint32_t data = static_cast<uint32_t>(mulaw.size());
  PutTag(out, "RIFF");
  Put32(out, 4 + (8 + 18) + (8 + 4) + (8 + data));
  PutTag(out, "WAVE");
  PutTag(out, "fmt ");
  Put32(out, 18);
  Put16(out, 7);  // WAVE_FORMAT_MULAW
  Put16(out, 1);  // mono
  Put32(out, 8000);
  Put32(out, 8000);  // bytes per second
  Put16(out, 1);     // block align
  Put16(out, 8);     // bits per sample
  Put16(out, 0);     // no extension
  PutTag(out, "fact");
  Put32(out, 4);
  Put32(out, data);  // samples
  PutTag(out, "data");
  Put32(out, data);
  for (uint8_t b : mulaw) out.push_back(b);
  if (data % 2) out.push_back(0);  // RIFF chunks are word-aligned
  return out;
}

}  // namespace vaarta::tts
