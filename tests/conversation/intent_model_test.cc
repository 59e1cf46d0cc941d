// The trained intent model (the build artefact) against held-out data: the repository's
// test set (corpus/nlu/test, written apart from the training corpus) and the shared
// development set. Neither was trained on. The bars are the issue's: 90% overall, 85%
// in each script, every opt_out found, no other intent taken for an opt_out more than
// 2% of the time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "campaigns/script.h"
#include "conversation/fasttext_intent_classifier.h"
#include "conversation/intent_model_trainer.h"
#include "conversation/labelled_utterances.h"
#include "conversation/layered_intent_classifier.h"
#include "conversation/nlu_evaluation.h"
#include "conversation/rule_intent_classifier.h"
#include "test_support/test_database.h"

namespace vaarta::conversation {
namespace {

struct TempDir {
  std::string root = vaarta::testing::MakeTempDir("nlu");
  ~TempDir() { vaarta::testing::RemoveTree(root); }
  const std::string& path() const { return root; }
};

std::vector<LabelledUtterance> ReadAll(const std::vector<std::string>& paths) {
  std::vector<LabelledUtterance> out;
  for (const auto& path : paths) {
    auto file = ReadLabelledFile(path);
    EXPECT_TRUE(file.ok()) << path;
    if (!file) continue;
    EXPECT_TRUE(file->problems.empty()) << Describe(*file, file->problems.front());
    out.insert(out.end(), file->utterances.begin(), file->utterances.end());
  }
  return out;
}

class IntentModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = FastTextIntentClassifier::Load(VAARTA_INTENT_MODEL);
    ASSERT_TRUE(model.ok()) << model.error().message;
    model_ = model->release();
    normalizer_ = new TextNormalizer();
    rules_ = new RuleIntentClassifier(*normalizer_);
    layered_ = new LayeredIntentClassifier(*model_, *rules_);
  }
  static void TearDownTestSuite() {
    delete layered_;
    delete rules_;
    delete normalizer_;
    delete model_;
  }

  static void ExpectMeetsTheBar(const NluEvaluation& e, const std::string& what) {
    SCOPED_TRACE(e.Report(what));
    EXPECT_GE(e.overall.Accuracy(), 0.90) << what;
    for (const char* script : {"english", "devanagari", "hinglish"}) {
      auto it = e.per_script.find(script);
      ASSERT_NE(it, e.per_script.end()) << script;
      EXPECT_GE(it->second.Accuracy(), 0.85) << what << " " << script;
    }
    EXPECT_DOUBLE_EQ(e.per_intent.at("opt_out").Accuracy(), 1.0) << what;
    EXPECT_LE(e.WorstFalseOptOut().second, 0.02) << what << " " << e.WorstFalseOptOut().first;
  }

  static FastTextIntentClassifier* model_;
  static TextNormalizer* normalizer_;
  static RuleIntentClassifier* rules_;
  static LayeredIntentClassifier* layered_;
};

FastTextIntentClassifier* IntentModelTest::model_ = nullptr;
TextNormalizer* IntentModelTest::normalizer_ = nullptr;
RuleIntentClassifier* IntentModelTest::rules_ = nullptr;
LayeredIntentClassifier* IntentModelTest::layered_ = nullptr;

TEST_F(IntentModelTest, HeldOutTestSetMeetsTheBar) {
  const std::string dir = std::string(VAARTA_NLU_DATA_DIR) + "/test/";
  auto utterances = ReadAll({dir + "en.tsv", dir + "hi.tsv", dir + "hinglish.tsv"});
  ASSERT_GE(utterances.size(), 900u);
  ExpectMeetsTheBar(Evaluate(*layered_, *normalizer_, utterances), "corpus/nlu/test");
}

TEST_F(IntentModelTest, SharedDevelopmentSetMeetsTheBar) {
  auto utterances = ReadAll({std::string(VAARTA_SHARED_DIR) + "/data/nlu_dev.tsv"});
  ASSERT_GE(utterances.size(), 60u);
  ExpectMeetsTheBar(Evaluate(*layered_, *normalizer_, utterances), "nlu_dev.tsv");
}

TEST_F(IntentModelTest, LayeringBeatsTheRulesAlone) {
  const std::string dir = std::string(VAARTA_NLU_DATA_DIR) + "/test/";
  auto utterances = ReadAll({dir + "en.tsv", dir + "hi.tsv", dir + "hinglish.tsv"});
  double layered = Evaluate(*layered_, *normalizer_, utterances).overall.Accuracy();
  double rules = Evaluate(*rules_, *normalizer_, utterances).overall.Accuracy();
  EXPECT_GT(layered, rules + 0.05) << "layered " << layered << " rules " << rules;
}

TEST_F(IntentModelTest, ScriptsMeetInOneFeatureSpace) {
  // The same request in three scripts reads the same.
  for (const char* text : {"mera number hata do", "मेरा नंबर हटा दो", "remove my number"}) {
    EXPECT_EQ(layered_->Classify(normalizer_->Normalize(text)).intent, "opt_out") << text;
  }
  for (const char* text : {"kitne ka hai", "कितने का है", "how much does it cost"}) {
    EXPECT_EQ(layered_->Classify(normalizer_->Normalize(text)).intent, "ask_price") << text;
  }
}

TEST_F(IntentModelTest, ScoresAreAProbabilityDistribution) {
  auto scores = model_->Scores(normalizer_->Normalize("baad mein call karna"), 21);
  ASSERT_EQ(scores.size(), 21u);
  double sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    sum += scores[i].probability;
    if (i > 0) {
      EXPECT_LE(scores[i].probability, scores[i - 1].probability);
    }
  }
  EXPECT_NEAR(sum, 1.0, 0.01);
  EXPECT_EQ(scores[0].intent, "callback_request");
  EXPECT_TRUE(model_->Scores(normalizer_->Normalize(""), 3).empty());
}

TEST(IntentModelLoad, MissingAndForeignFilesAreClearErrors) {
  auto missing = FastTextIntentClassifier::Load("/nonexistent/model.bin");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("vaarta nlu train"), std::string::npos);
  TempDir dir;
  std::string junk = dir.path() + "/junk.bin";
  std::ofstream(junk) << "not a model";
  auto foreign = FastTextIntentClassifier::Load(junk);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, core::ErrorCode::kInvalidArgument);
}

// A small corpus: five lines per intent, enough to train in a fraction of a second.
void WriteSmallCorpus(const std::string& dir) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir + "/small.tsv");
  out << "intent\ttext\n";
  for (auto intent : campaigns::kIntents) {
    for (int i = 0; i < 5; ++i) out << intent << "\t" << intent << " example " << i << " words\n";
  }
}

TEST(IntentModelTrainerTest, TrainingIsDeterministic) {
  TempDir dir;
  WriteSmallCorpus(dir.path() + "/corpus");
  TextNormalizer normalizer;
  IntentTrainingOptions options;
  options.epoch = 5;
  options.buckets = 2000;
  IntentModelTrainer trainer(normalizer, options);
  auto a = trainer.Train(dir.path() + "/corpus", dir.path() + "/a.bin");
  auto b = trainer.Train(dir.path() + "/corpus", dir.path() + "/b.bin");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(a->corpus_lines, 21 * 5);
  EXPECT_EQ(a->training_lines, 21 * 5 * 3);
  auto bytes = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  std::string first = bytes(dir.path() + "/a.bin");
  EXPECT_GT(first.size(), 1000u);
  EXPECT_EQ(first, bytes(dir.path() + "/b.bin"));
  // No temporary files are left beside the model.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 3);  // corpus/, a.bin, b.bin
}

TEST(IntentModelTrainerTest, NoiseNeverDropsTheWordsThatCarryAnOptOut) {
  TextNormalizer normalizer;
  IntentTrainingOptions options;
  options.noisy_copies = 30;
  IntentModelTrainer trainer(normalizer, options);
  LabelledFile file;
  file.path = "x.tsv";
  file.utterances = {{"opt_out", "please do not call this number again ever madam", 2}};
  auto lines = trainer.TrainingLines({file});
  ASSERT_TRUE(lines.ok());
  ASSERT_EQ(lines->size(), 31u);
  for (const auto& line : *lines) {
    EXPECT_EQ(line.rfind("__label__opt_out ", 0), 0u) << line;
    for (const char* word : {"not", "call", "number", "again"}) {
      EXPECT_NE(line.find(" " + SpellingKey(word) + " "), std::string::npos) << line;
    }
  }
}

TEST(IntentModelTrainerTest, BadCorpusLinesAreNamedAndNothingIsTrained) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/corpus");
  {
    std::ofstream out(dir.path() + "/corpus/bad.tsv");
    out << "intent\ttext\ngreeting\thello\nhappy\tyes\nopt_out\t \naffirm\n";
  }
  TextNormalizer normalizer;
  IntentModelTrainer trainer(normalizer);
  auto trained = trainer.Train(dir.path() + "/corpus", dir.path() + "/m.bin");
  ASSERT_FALSE(trained.ok());
  const std::string& message = trained.error().message;
  EXPECT_NE(message.find("bad.tsv:3:1: 'happy' is not an intent"), std::string::npos) << message;
  EXPECT_NE(message.find("bad.tsv:4:2: the text is empty"), std::string::npos) << message;
  EXPECT_NE(message.find("bad.tsv:5: expected two tab-separated columns"), std::string::npos)
      << message;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/m.bin"));
}

TEST(IntentModelTrainerTest, AnIntentWithoutExamplesIsRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/corpus");
  std::ofstream(dir.path() + "/corpus/one.tsv") << "intent\ttext\ngreeting\thello\n";
  TextNormalizer normalizer;
  auto trained = IntentModelTrainer(normalizer).Train(dir.path() + "/corpus", dir.path() + "/m");
  ASSERT_FALSE(trained.ok());
  EXPECT_NE(trained.error().message.find("no example of intent 'affirm'"), std::string::npos);
}

TEST(LabelledFileTest, KeepsTheGoodLinesAndNamesTheBadOnes) {
  TempDir dir;
  std::string path = dir.path() + "/x.tsv";
  std::ofstream(path) << "\xEF\xBB\xBFintent\ttext\r\ngreeting\thello\r\n\nbogus\thi\n"
                      << "affirm\tyes\textra\ndeny\tno\n";
  auto file = ReadLabelledFile(path);
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->utterances.size(), 2u);
  EXPECT_EQ(file->utterances[0].text, "hello");
  EXPECT_EQ(file->utterances[1].line, 6);
  ASSERT_EQ(file->problems.size(), 2u);
  EXPECT_EQ(Describe(*file, file->problems[0]), path + ":4:1: 'bogus' is not an intent");
  EXPECT_EQ(file->problems[1].line, 5);
  std::ofstream(path) << "label,text\n";
  EXPECT_FALSE(ReadLabelledFile(path).ok());
}

}  // namespace
}  // namespace vaarta::conversation
