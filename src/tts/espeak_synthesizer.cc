#include "tts/espeak_synthesizer.h"

#include <espeak-ng/speak_lib.h>
#include <samplerate.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "tts/mulaw.h"

namespace vaarta::tts {
namespace {

// espeak-ng is process-wide; this records whether a synthesizer owns it.
std::atomic<bool> g_espeak_owned{false};

int OnSamples(short* samples, int count, espeak_EVENT* events) {
  if (samples == nullptr || count <= 0 || events == nullptr) return 0;
  auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
  if (out) out->insert(out->end(), samples, samples + count);
  return 0;  // continue
}

}  // namespace

core::Result<std::unique_ptr<EspeakSynthesizer>> EspeakSynthesizer::Create(EspeakOptions options) {
  bool expected = false;
  if (!g_espeak_owned.compare_exchange_strong(expected, true)) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "espeak-ng is already in use by another synthesizer in this process");
  }
  int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) {
    g_espeak_owned = false;
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "espeak-ng did not start (is the espeak-ng-data package installed?)");
  }
  espeak_SetSynthCallback(OnSamples);
  for (const std::string& voice : {options.english_voice, options.hindi_voice}) {
    if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
      espeak_Terminate();
      g_espeak_owned = false;
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "espeak-ng has no voice '" + voice + "'");
    }
  }
  return std::unique_ptr<EspeakSynthesizer>(new EspeakSynthesizer(std::move(options), rate));
}

EspeakSynthesizer::EspeakSynthesizer(EspeakOptions options, int sample_rate)
    : options_(std::move(options)), sample_rate_(sample_rate) {}

EspeakSynthesizer::~EspeakSynthesizer() {
  espeak_Terminate();
  g_espeak_owned = false;
}

core::Result<TelephoneAudio> EspeakSynthesizer::Synthesize(const std::string& text,
                                                           const std::string& language) {
  if (language != "en" && language != "hi") {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "speech synthesis speaks en or hi, not '" + language + "'");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "nothing to say: the text is empty");
  }
  std::vector<int16_t> pcm;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string& voice = language == "hi" ? options_.hindi_voice : options_.english_voice;
    if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "espeak-ng has no voice '" + voice + "'");
    }
    espeak_SetParameter(espeakRATE, options_.words_per_minute, 0);
    espeak_ERROR result = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                       espeakCHARS_UTF8, nullptr, &pcm);
    if (result != EE_OK) {
      return core::MakeError(core::ErrorCode::kInternal, "espeak-ng could not synthesise the text");
    }
    espeak_Synchronize();
  }
  if (pcm.empty()) {
    return core::MakeError(core::ErrorCode::kInternal, "espeak-ng produced no audio");
  }
  // 22,050 Hz -> 8,000 Hz. The sinc converter low-passes below 4 kHz first, so the
  // sibilants espeak makes do not fold back as hiss.
  std::vector<float> in(pcm.size());
  src_short_to_float_array(pcm.data(), in.data(), static_cast<int>(pcm.size()));
  const double ratio = static_cast<double>(TelephoneAudio::kSampleRate) / sample_rate_;
  std::vector<float> out(static_cast<size_t>(std::ceil(pcm.size() * ratio)) + 64);
  SRC_DATA data{};
  data.data_in = in.data();
  data.input_frames = static_cast<long>(in.size());
  data.data_out = out.data();
  data.output_frames = static_cast<long>(out.size());
  data.src_ratio = ratio;
  if (int error = src_simple(&data, SRC_SINC_MEDIUM_QUALITY, 1); error != 0) {
    return core::MakeError(core::ErrorCode::kInternal,
                           std::string("resampling failed: ") + src_strerror(error));
  }
  std::vector<int16_t> narrow(static_cast<size_t>(data.output_frames_gen));
  src_float_to_short_array(out.data(), narrow.data(), static_cast<int>(narrow.size()));
  TelephoneAudio audio;
  audio.mulaw = EncodeMulaw(narrow);
  // Whole frames: pad the last with mu-law silence (0xFF is linear zero).
  size_t remainder = audio.mulaw.size() % TelephoneAudio::kFrameBytes;
  if (remainder)
    audio.mulaw.insert(audio.mulaw.end(), TelephoneAudio::kFrameBytes - remainder, 0xFF);
  return audio;
}

}  // namespace vaarta::tts
