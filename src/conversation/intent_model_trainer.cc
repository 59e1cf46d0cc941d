#include "conversation/intent_model_trainer.h"

#include <fasttext/fasttext.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "campaigns/script.h"
#include "conversation/fasttext_intent_classifier.h"

namespace vaarta::conversation {
namespace {

// Spelling keys (SpellingKey) of words that must survive the "dropped word" noise.
const std::set<std::string>& ProtectedKeys() {
  static const std::set<std::string> keys = [] {
    std::set<std::string> out;
    for (const char* w :
         {"not",     "no",          "dont",     "don",      "never",  "nahi",   "nahin", "nai",
          "nhi",     "mat",         "na",       "stop",     "remove", "hata",   "hatao", "hatado",
          "delete",  "block",       "dnd",      "again",    "dobara", "dubara", "kabhi", "wrong",
          "galat",   "human",       "insan",    "insaan",   "person", "robot",  "bot",   "machine",
          "number",  "call",        "fon",      "phone",    "later",  "baad",   "bad",   "kal",
          "disturb", "unsubscribe", "complain", "complaint"}) {
      out.insert(SpellingKey(w));
    }
    return out;
  }();
  return keys;
}

constexpr const char* kFillers[] = {"uh", "umm", "hmm",   "haan",    "acha",     "hello",
                                    "ji", "sir", "madam", "dekhiye", "actually", "arre"};

// A deterministic draw in [0, n): mt19937's output is specified by the standard, the
// distributions' mapping of it is not.
size_t Draw(std::mt19937& rng, size_t n) { return static_cast<size_t>(rng() % n); }

std::string Join(const std::vector<std::string>& keys) {
  std::string line;
  for (const auto& k : keys) {
    if (!line.empty()) line += ' ';
    line += k;
  }
  return line;
}

std::vector<std::string> Noisy(const std::vector<std::string>& keys, int variant,
                               std::mt19937& rng) {
  std::vector<std::string> out = keys;
  switch (variant % 3) {
    case 0:  // a filler in front
      out.insert(out.begin(), SpellingKey(kFillers[Draw(rng, std::size(kFillers))]));
      break;
    case 1: {  // a stutter
      size_t at = Draw(rng, out.size());
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), out[at]);
      break;
    }
    default: {  // a dropped word, only from longer lines and never a protected one
      if (out.size() < 5) {
        out.push_back(SpellingKey(kFillers[Draw(rng, std::size(kFillers))]));
        break;
      }
      std::vector<size_t> droppable;
      for (size_t i = 0; i < out.size(); ++i) {
        if (!ProtectedKeys().count(out[i])) droppable.push_back(i);
      }
      if (droppable.empty()) break;
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(droppable[Draw(rng, droppable.size())]));
      break;
    }
  }
  return out;
}

}  // namespace

IntentModelTrainer::IntentModelTrainer(const TextNormalizer& normalizer,
                                       IntentTrainingOptions options)
    : normalizer_(normalizer), options_(options) {}

core::Result<std::vector<std::string>> IntentModelTrainer::TrainingLines(
    const std::vector<LabelledFile>& files) const {
  std::mt19937 rng(static_cast<std::mt19937::result_type>(options_.seed));
  std::vector<std::string> lines;
  for (const auto& file : files) {
    for (const auto& utterance : file.utterances) {
      NormalizedText text = normalizer_.Normalize(utterance.text);
      if (text.empty()) {
        return core::Error{core::ErrorCode::kInvalidArgument,
                           file.path + ":" + std::to_string(utterance.line) +
                               ":2: the text has no words once normalised"};
      }
      std::string label = std::string(FastTextIntentClassifier::kLabelPrefix) + utterance.intent;
      lines.push_back(label + " " + Join(text.keys));
      for (int v = 0; v < options_.noisy_copies; ++v) {
        // The variant kind rotates with the line so that every kind is used evenly.
        int kind = static_cast<int>((lines.size() + static_cast<size_t>(v)) % 3);
        lines.push_back(label + " " + Join(Noisy(text.keys, kind, rng)));
      }
    }
  }
  // SGD learns best from a shuffled stream; Fisher-Yates with the same generator.
  for (size_t i = lines.size(); i > 1; --i) std::swap(lines[i - 1], lines[Draw(rng, i)]);
  return lines;
}

core::Result<IntentTrainingSummary> IntentModelTrainer::Train(const std::string& corpus_dir,
                                                              const std::string& model_path) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(corpus_dir, ec)) {
    return core::Error{core::ErrorCode::kNotFound,
                       "corpus directory '" + corpus_dir + "' does not exist"};
  }
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tsv") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "corpus directory '" + corpus_dir + "' has no .tsv files"};
  }
  IntentTrainingSummary summary;
  summary.model_path = model_path;
  std::vector<LabelledFile> files;
  std::string problems;
  int problem_count = 0;
  for (const auto& path : paths) {
    auto file = ReadLabelledFile(path);
    if (!file) return file.error();
    for (const auto& problem : file->problems) {
      if (++problem_count <= 20) problems += "\n  " + Describe(*file, problem);
    }
    for (const auto& u : file->utterances) ++summary.per_intent[u.intent];
    summary.corpus_lines += static_cast<int>(file->utterances.size());
    files.push_back(std::move(*file));
  }
  summary.files = static_cast<int>(files.size());
  if (problem_count > 0) {
    return core::Error{core::ErrorCode::kInvalidArgument,
                       "the corpus has " + std::to_string(problem_count) +
                           " bad line(s); nothing was trained:" + problems};
  }
  for (auto intent : campaigns::kIntents) {
    if (summary.per_intent[std::string(intent)] == 0) {
      return core::Error{core::ErrorCode::kInvalidArgument,
                         "the corpus has no example of intent '" + std::string(intent) + "'"};
    }
  }
  auto lines = TrainingLines(files);
  if (!lines) return lines.error();
  summary.training_lines = static_cast<int>(lines->size());

  fs::path out(model_path);
  if (out.has_parent_path()) fs::create_directories(out.parent_path(), ec);
  std::string input_path = model_path + ".train." + std::to_string(::getpid()) + ".txt";
  std::string temp_model = model_path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream input(input_path, std::ios::binary | std::ios::trunc);
    for (const auto& line : *lines) input << line << '\n';
    if (!input.flush()) {
      return core::Error{core::ErrorCode::kInternal, "cannot write '" + input_path + "'"};
    }
  }
  fasttext::Args args;
  args.input = input_path;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.dim = options_.dim;
  args.epoch = options_.epoch;
  args.lr = options_.learning_rate;
  args.wordNgrams = options_.word_ngrams;
  args.minn = options_.min_char_ngram;
  args.maxn = options_.max_char_ngram;
  args.bucket = options_.buckets;
  args.minCount = 1;
  args.thread = 1;  // more threads would make the model depend on scheduling
  args.seed = options_.seed;
  args.verbose = 0;
  try {
    fasttext::FastText model;
    model.train(args);
    model.saveModel(temp_model);
  } catch (const std::exception& e) {
    fs::remove(input_path, ec);
    fs::remove(temp_model, ec);
    return core::Error{core::ErrorCode::kInternal,
                       std::string("fastText training failed: ") + e.what()};
  }
  fs::remove(input_path, ec);
  fs::rename(temp_model, model_path, ec);
  if (ec) {
    return core::Error{core::ErrorCode::kInternal,
                       "cannot write '" + model_path + "': " + ec.message()};
  }
  return summary;
}

}  // namespace vaarta::conversation
