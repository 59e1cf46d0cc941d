#pragma once
// G.711 mu-law, the telephone network's 8-bit audio. Written out because it is twenty
// lines of arithmetic fixed by the ITU-T standard; no Debian library offers it on its own.
#include <cstdint>
#include <span>
#include <vector>

namespace vaarta::tts {

uint8_t MulawFromLinear(int16_t sample);
int16_t LinearFromMulaw(uint8_t code);
std::vector<uint8_t> EncodeMulaw(std::span<const int16_t> samples);
// A WAV file (format 7, mu-law, 8 kHz, mono) around `mulaw`, for previews in a browser
// or a media player.
std::vector<uint8_t> MulawWav(std::span<const uint8_t> mulaw);

}  // namespace vaarta::tts
