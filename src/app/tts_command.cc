// `vaarta tts`: speaks a line with the built-in synthesizer (espeak-ng) into a mu-law WAV
// file, as the callee's telephone would hear it: for previewing a script's lines.
#include <fstream>

#include "app/command_context.h"
#include "tts/espeak_synthesizer.h"
#include "tts/mulaw.h"

namespace vaarta::app {
namespace {

struct TtsArgs {
  std::string text;
  std::string language = "en";
  std::string out;
};

void Speak(CommandContext& ctx, const TtsArgs& args) {
  auto synthesizer = tts::EspeakSynthesizer::Create();
  if (!synthesizer) return ctx.Fail(synthesizer.error().message);
  auto audio = (*synthesizer)->Synthesize(args.text, args.language);
  if (!audio) return ctx.Fail(audio.error().message);
  auto wav = tts::MulawWav(audio->mulaw);
  std::ofstream file(args.out, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
  if (!file.flush()) return ctx.Fail("cannot write '" + args.out + "'");
  *ctx.out << "wrote " << args.out << ": " << audio->frames() << " frames of 20 ms ("
           << audio->seconds() << " s, 8 kHz mu-law)\n";
}

}  // namespace

void AddTtsCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<TtsArgs>();
  auto* tts = cli.add_subcommand("tts", "Speak a line as a telephone hears it (mu-law WAV)");
  tts->add_option("--text", args->text, "what to say")->required();
  tts->add_option("--language", args->language, "en or hi")->check(CLI::IsMember({"en", "hi"}));
  tts->add_option("--out", args->out, "the WAV file to write")->required();
  tts->callback([&ctx, args] { Speak(ctx, *args); });
}

}  // namespace vaarta::app
