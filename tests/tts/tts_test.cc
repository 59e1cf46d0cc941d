#include <gtest/gtest.h>

#include <cmath>

#include "tts/espeak_synthesizer.h"
#include "tts/mulaw.h"

namespace vaarta::tts {
namespace {

TEST(MulawTest, MatchesG711) {
  EXPECT_EQ(MulawFromLinear(0), 0xFF);
  EXPECT_EQ(MulawFromLinear(-1), 0x7F);
  EXPECT_EQ(MulawFromLinear(32767), 0x80);
  EXPECT_EQ(MulawFromLinear(-32768), 0x00);
  EXPECT_EQ(LinearFromMulaw(0xFF), 0);
  EXPECT_EQ(LinearFromMulaw(0x80), 32124);
  EXPECT_EQ(LinearFromMulaw(0x00), -32124);
  // Round trip within the quantisation step of each segment (about 3% of the value).
  for (int v = -32000; v <= 32000; v += 97) {
    int back = LinearFromMulaw(MulawFromLinear(static_cast<int16_t>(v)));
    EXPECT_LE(std::abs(back - v), std::max(16, std::abs(v) / 16)) << v;
  }
}

TEST(MulawTest, WavHeaderDescribesEightKilohertzMulaw) {
  std::vector<uint8_t> data(161, 0xFF);
  auto wav = MulawWav(data);
  ASSERT_EQ(wav.size(), 58u + 161u + 1u);
  EXPECT_EQ(std::string(wav.begin(), wav.begin() + 4), "RIFF");
  EXPECT_EQ(std::string(wav.begin() + 8, wav.begin() + 12), "WAVE");
  EXPECT_EQ(wav[20], 7);  // WAVE_FORMAT_MULAW
  EXPECT_EQ(wav[24] | (wav[25] << 8), 8000);
}

double Rms(const TelephoneAudio& audio) {
  double sum = 0;
  for (uint8_t b : audio.mulaw) {
    double v = LinearFromMulaw(b);
    sum += v * v;
  }
  return std::sqrt(sum / static_cast<double>(audio.mulaw.size()));
}

// One synthesizer for the process: espeak-ng is process-wide.
class EspeakTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = EspeakSynthesizer::Create();
    ASSERT_TRUE(s.ok()) << s.error().message;
    synthesizer_ = s->release();
  }
  static void TearDownTestSuite() { delete synthesizer_; }
  static EspeakSynthesizer* synthesizer_;
};
EspeakSynthesizer* EspeakTest::synthesizer_ = nullptr;

TEST_F(EspeakTest, SpeaksEnglishAndHindiAsTelephoneFrames) {
  auto english = synthesizer_->Synthesize(
      "Hello, I am an automated assistant calling from Shubh Gold Loans.", "en");
  ASSERT_TRUE(english.ok()) << english.error().message;
  auto hindi = synthesizer_->Synthesize("नमस्ते, मैं एक स्वचालित सहायक हूँ।", "hi");
  ASSERT_TRUE(hindi.ok()) << hindi.error().message;
  for (const TelephoneAudio* audio : {&*english, &*hindi}) {
    EXPECT_EQ(audio->mulaw.size() % TelephoneAudio::kFrameBytes, 0u);
    EXPECT_GT(audio->seconds(), 1.0);
    EXPECT_LT(audio->seconds(), 10.0);
    EXPECT_GT(Rms(*audio), 500.0);  // speech, not silence
  }
  // A longer text takes longer to say.
  auto longer = synthesizer_->Synthesize(
      "Hello, I am an automated assistant calling from Shubh Gold Loans. This call is "
      "recorded. May I take two minutes of your time?",
      "en");
  ASSERT_TRUE(longer.ok());
  EXPECT_GT(longer->frames(), english->frames() + 50);
}

TEST_F(EspeakTest, RefusesWhatItCannotSay) {
  EXPECT_FALSE(synthesizer_->Synthesize("   ", "en").ok());
  auto tamil = synthesizer_->Synthesize("vanakkam", "ta");
  ASSERT_FALSE(tamil.ok());
  EXPECT_EQ(tamil.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(EspeakTest, ASecondSynthesizerInTheProcessIsRefused) {
  auto second = EspeakSynthesizer::Create();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, core::ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace vaarta::tts
