#pragma once
// SpeechSynthesizer: text to telephone audio, 8 kHz G.711 mu-law in 20 ms frames (what
// Twilio Media Streams and most SIP trunks carry). espeak-ng is the first, local
// implementation (previews, the later own-audio path); a cloud TTS plugs in behind the
// same interface.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace vaarta::tts {

struct TelephoneAudio {
  static constexpr int kSampleRate = 8000;
  static constexpr size_t kFrameBytes = 160;  // 20 ms of 8 kHz mu-law
  std::vector<uint8_t> mulaw;                 // whole frames: the last padded with silence

  size_t frames() const { return mulaw.size() / kFrameBytes; }
  double seconds() const { return static_cast<double>(mulaw.size()) / kSampleRate; }
  // Frame i's bytes (i < frames()).
  const uint8_t* frame(size_t i) const { return mulaw.data() + i * kFrameBytes; }
};

class SpeechSynthesizer {
 public:
  virtual ~SpeechSynthesizer() = default;
  // `language`: "en" or "hi". kInvalidArgument for another language or empty text.
  virtual core::Result<TelephoneAudio> Synthesize(const std::string& text,
                                                  const std::string& language) = 0;
};

}  // namespace vaarta::tts
