#pragma once
// EspeakSynthesizer: espeak-ng (English and Hindi voices) behind SpeechSynthesizer.
// espeak-ng synthesises at 22,050 Hz into a process-wide callback; the result is
// resampled to 8 kHz with libsamplerate and encoded as mu-law.
//
// espeak-ng keeps its state in the library (one voice, one callback per process), so
// there is at most one EspeakSynthesizer per process (Create refuses a second) and it
// synthesises one text at a time.
#include <memory>
#include <mutex>
#include <string>

#include "tts/speech_synthesizer.h"

namespace vaarta::tts {

struct EspeakOptions {
  std::string english_voice = "en-us";
  std::string hindi_voice = "hi";
  int words_per_minute = 150;  // slower than espeak's 175: telephone listeners
};

class EspeakSynthesizer final : public SpeechSynthesizer {
 public:
  // kUnavailable when espeak-ng cannot start (no voice data) or one already exists.
  static core::Result<std::unique_ptr<EspeakSynthesizer>> Create(EspeakOptions options = {});
  ~EspeakSynthesizer() override;

  core::Result<TelephoneAudio> Synthesize(const std::string& text,
                                          const std::string& language) override;

 private:
  EspeakSynthesizer(EspeakOptions options, int sample_rate);

  EspeakOptions options_;
  int sample_rate_;  // espeak-ng's output rate
  std::mutex mutex_;
};

}  // namespace vaarta::tts
