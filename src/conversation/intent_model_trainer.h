#pragma once
// IntentModelTrainer: trains the fastText intent model from the labelled corpus in the
// repository (corpus/nlu/train/*.tsv). One command (`vaarta nlu train`), deterministic:
// the files are read in name order, the speech-recogniser noise added to the training
// lines comes from a fixed-seed generator, and fastText trains on one thread with a
// fixed seed, so the same corpus gives the same model byte for byte.
//
// The noise: the corpus is written with the recogniser's habits already (no punctuation,
// spelling variants, fillers); each line is also seen again with a filler in front, with
// a word stuttered, and (for longer lines) with one word the recogniser dropped. Words
// that carry a negation or the safety intents' meaning are never dropped, so that
// "dont call me again" never becomes a training line "call me again" labelled opt_out.
#include <map>
#include <string>
#include <vector>

#include "conversation/labelled_utterances.h"
#include "conversation/text_normalizer.h"
#include "core/result.h"

namespace vaarta::conversation {

struct IntentTrainingOptions {
  int dim = 40;
  int epoch = 40;
  double learning_rate = 0.4;
  int word_ngrams = 2;
  int min_char_ngram = 2;
  int max_char_ngram = 4;
  int buckets = 60000;
  int noisy_copies = 2;  // noisy variants per corpus line
  int seed = 20261202;
};

struct IntentTrainingSummary {
  int files = 0;
  int corpus_lines = 0;                   // labelled utterances read
  int training_lines = 0;                 // with the noisy variants
  std::map<std::string, int> per_intent;  // corpus lines per intent
  std::string model_path;
};

class IntentModelTrainer {
 public:
  explicit IntentModelTrainer(const TextNormalizer& normalizer, IntentTrainingOptions options = {});

  // Trains on every *.tsv of `corpus_dir` and writes the model to `model_path` (through
  // a temporary file, so a failed run leaves no half model). Fails on any bad corpus
  // line, naming each (file:line:column), and when an intent has no examples.
  core::Result<IntentTrainingSummary> Train(const std::string& corpus_dir,
                                            const std::string& model_path) const;

  // The training lines ("__label__intent key key ...") for the corpus, noise included,
  // in training order. Exposed for tests of determinism and of the noise.
  core::Result<std::vector<std::string>> TrainingLines(
      const std::vector<LabelledFile>& files) const;

 private:
  const TextNormalizer& normalizer_;
  IntentTrainingOptions options_;
};

}  // namespace vaarta::conversation
