// `vaarta nlu train|eval|classify`: the intent model's one-command training, its
// evaluation on a labelled file, and classification of utterances from stdin.
#include <iostream>
#include <string>

#include "app/command_context.h"
#include "app/intent_model_path.h"
#include "conversation/intent_model_trainer.h"
#include "conversation/labelled_utterances.h"
#include "conversation/nlu_evaluation.h"
#include "conversation/utterance_understanding.h"
#include "core/clock.h"

namespace vaarta::app {
namespace {

struct NluArgs {
  std::string corpus;
  std::string out;
  std::string file;
  std::string model;
  std::string now;
  std::string tz = "Asia/Kolkata";
  bool json = false;
  bool rules_only = false;
  bool model_only = false;
  int max_misses = 50;
  conversation::IntentTrainingOptions training;
};

core::Result<std::unique_ptr<conversation::UtteranceUnderstanding>> OpenUnderstanding(
    CommandContext& ctx, const NluArgs& args) {
  if (args.rules_only) return conversation::UtteranceUnderstanding::RulesOnly();
  std::string path = args.model;
  if (path.empty()) {
    auto config = ctx.LoadConfig();
    if (!config) return config.error();
    path = IntentModelPath(*config);
  }
  return conversation::UtteranceUnderstanding::WithModel(path);
}

void Train(CommandContext& ctx, const NluArgs& args) {
  conversation::TextNormalizer normalizer;
  conversation::IntentModelTrainer trainer(normalizer, args.training);
  auto summary = trainer.Train(args.corpus, args.out);
  if (!summary) return ctx.Fail(summary.error().message);
  *ctx.out << "trained " << summary->model_path << " from " << summary->corpus_lines
           << " utterances in " << summary->files << " file(s) (" << summary->training_lines
           << " training lines with recogniser noise)\n";
}

void Eval(CommandContext& ctx, const NluArgs& args) {
  auto file = conversation::ReadLabelledFile(args.file);
  if (!file) return ctx.Fail(file.error().message);
  for (const auto& problem : file->problems) {
    *ctx.err << "vaarta: skipped " << conversation::Describe(*file, problem) << "\n";
  }
  if (file->utterances.empty()) return ctx.Fail(args.file + ": no labelled utterances to evaluate");
  auto understanding = OpenUnderstanding(ctx, args);
  if (!understanding) return ctx.Fail(understanding.error().message);
  const conversation::IntentClassifier* classifier = &(*understanding)->classifier();
  if (args.model_only) classifier = (*understanding)->model_alone();
  auto evaluation =
      conversation::Evaluate(*classifier, (*understanding)->normalizer(), file->utterances);
  if (static_cast<int>(evaluation.misses.size()) > args.max_misses) {
    evaluation.misses.resize(static_cast<size_t>(args.max_misses));
  }
  if (args.json) {
    auto j = evaluation.ToJson();
    j["file"] = args.file;
    j["model"] = args.model_only                 ? "fasttext"
                 : (*understanding)->has_model() ? "fasttext+rules"
                                                 : "rules";
    j["skipped_lines"] = file->problems.size();
    *ctx.out << j.dump() << "\n";
  } else {
    const char* what = args.model_only                 ? " (fastText model alone)"
                       : (*understanding)->has_model() ? " (fastText model + rules)"
                                                       : " (rules only)";
    *ctx.out << evaluation.Report(args.file + what);
  }
}

void Classify(CommandContext& ctx, const NluArgs& args) {
  int64_t now = core::SystemClock().NowMillis();
  if (!args.now.empty() && !core::ParseIso8601(args.now, &now)) {
    return ctx.Fail("--now: not an ISO 8601 instant: " + args.now);
  }
  auto zone = campaigns::ZoneRules::Load(args.tz);
  if (!zone) return ctx.Fail("--tz: unknown time zone '" + args.tz + "'");
  auto understanding = OpenUnderstanding(ctx, args);
  if (!understanding) return ctx.Fail(understanding.error().message);
  std::string line;
  while (std::getline(*ctx.in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto understood = (*understanding)->Understand(line, now, *zone);
    *ctx.out << understood.ToJson(*zone).dump() << "\n";
  }
}

}  // namespace

void AddNluCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<NluArgs>();
  auto* nlu = cli.add_subcommand("nlu", "The intent model: train, evaluate, classify");
  nlu->require_subcommand(1);

  auto* train = nlu->add_subcommand("train", "Train the fastText intent model from a corpus");
  train->add_option("--corpus", args->corpus, "directory of labelled TSV files (intent, text)")
      ->required();
  train->add_option("--out", args->out, "the model file to write")->required();
  // The defaults are the shipped model's settings; the flags are for experiments.
  train->add_option("--dim", args->training.dim, "vector dimension");
  train->add_option("--epoch", args->training.epoch, "passes over the data");
  train->add_option("--lr", args->training.learning_rate, "learning rate");
  train->add_option("--word-ngrams", args->training.word_ngrams, "word n-gram length");
  train->add_option("--minn", args->training.min_char_ngram, "shortest character n-gram");
  train->add_option("--maxn", args->training.max_char_ngram, "longest character n-gram");
  train->add_option("--buckets", args->training.buckets, "hash buckets for n-grams");
  train->add_option("--noisy-copies", args->training.noisy_copies, "noisy variants per line");
  train->callback([&ctx, args] { Train(ctx, *args); });

  auto* eval = nlu->add_subcommand(
      "eval", "Accuracy overall, per intent and per script, and the confusion matrix");
  AddCommonOptions(eval, ctx);
  eval->add_option("FILE", args->file, "labelled TSV (columns intent, text)")->required();
  eval->add_option("--model", args->model, "the model file (default: nlu_model_path)");
  eval->add_flag("--rules-only", args->rules_only, "evaluate the rule layer alone");
  eval->add_flag("--model-only", args->model_only, "evaluate the fastText model alone");
  eval->add_flag("--json", args->json, "print the figures as one JSON object");
  eval->add_option("--max-misses", args->max_misses, "misclassified lines to list");
  eval->callback([&ctx, args] { Eval(ctx, *args); });

  auto* classify = nlu->add_subcommand(
      "classify", "Read utterances from stdin, one a line; write one JSON object a line");
  AddCommonOptions(classify, ctx);
  classify->add_option("--now", args->now, "the current instant for callback times (ISO 8601)");
  classify->add_option("--tz", args->tz, "the callee's IANA time zone (default Asia/Kolkata)");
  classify->add_option("--model", args->model, "the model file (default: nlu_model_path)");
  classify->add_flag("--rules-only", args->rules_only, "use the rule layer alone");
  classify->callback([&ctx, args] { Classify(ctx, *args); });
}

}  // namespace vaarta::app
