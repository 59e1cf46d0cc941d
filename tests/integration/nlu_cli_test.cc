// `vaarta nlu classify|eval` and `vaarta tts` as an operator runs them: the shipped model
// found beside the binary, one JSON object per input line, the evaluation report, and
// one-line errors for bad input.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;

class NluCliTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("nlu-cli"); }
  void TearDown() override { RemoveTree(dir_); }
  ProcessResult Run(std::vector<std::string> args, const std::string& in = "") {
    args.insert(args.begin(), kVaarta);
    return RunProcess(args, {{"VAARTA_DATA_DIR", dir_}, {"VAARTA_CONFIG", ""}}, in);
  }
  std::string dir_;
};

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST_F(NluCliTest, ClassifyWritesOneObjectPerLine) {
  auto r = Run({"nlu", "classify", "--now", "2026-03-10T11:00:00+05:30", "--tz", "Asia/Kolkata"},
               "kal shaam 5 baje call karna\nमेरा नंबर हटा दो\nhow much is the premium\n\n"
               "mail it to rahul dot k at gmail dot com\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = JsonLines(r.out);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["text"], "kal shaam 5 baje call karna");
  EXPECT_EQ(lines[0]["intent"], "callback_request");
  EXPECT_EQ(lines[0]["language"], "hinglish");
  EXPECT_EQ(lines[0]["entities"]["callback_at"], "2026-03-11T17:00:00+05:30");
  EXPECT_EQ(lines[1]["intent"], "opt_out");
  EXPECT_EQ(lines[1]["language"], "hi");
  EXPECT_EQ(lines[1]["sentiment"], "negative");
  EXPECT_EQ(lines[2]["intent"], "ask_price");
  EXPECT_FALSE(lines[2]["entities"].contains("callback_at"));
  EXPECT_EQ(lines[3]["intent"], "");  // an empty line is silence
  EXPECT_EQ(lines[4]["entities"]["emails"][0], "rahul.k@gmail.com");
  for (const auto& j : lines) {
    double c = j["confidence"].get<double>();
    EXPECT_GE(c, 0.0);
    EXPECT_LE(c, 1.0);
  }
}

TEST_F(NluCliTest, ClassifyHonoursTheTimeZone) {
  auto r = Run({"nlu", "classify", "--now", "2026-03-10T11:00:00Z", "--tz", "America/New_York"},
               "call me tomorrow at 9 am\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonLines(r.out).at(0)["entities"]["callback_at"], "2026-03-11T09:00:00-04:00");
}

TEST_F(NluCliTest, EvalPrintsAccuracyPerScriptAndTheConfusionMatrix) {
  auto r = Run({"nlu", "eval", std::string(VAARTA_SHARED_DIR) + "/data/nlu_dev.tsv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part : {"accuracy overall", "english", "devanagari", "hinglish",
                           "opt_out recall", "confusion matrix", "opt_out", "precision"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
  }
  auto json = Run({"nlu", "eval", std::string(VAARTA_SHARED_DIR) + "/data/nlu_dev.tsv", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["model"], "fasttext+rules");
  EXPECT_GE(j["accuracy"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(j["opt_out_recall"].get<double>(), 1.0);
}

TEST_F(NluCliTest, EvalSkipsBadLinesAndNamesThem) {
  std::string file = dir_ + "/eval.tsv";
  std::ofstream(file) << "intent\ttext\ngreeting\thello\nnonsense\thi\nopt_out\tstop calling me\n";
  auto r = Run({"nlu", "eval", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(file + ":3:1: 'nonsense' is not an intent"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("2 utterances"), std::string::npos) << r.out;
}

TEST_F(NluCliTest, BadInputIsAOneLineError) {
  auto missing = Run({"nlu", "eval", dir_ + "/none.tsv"});
  EXPECT_NE(missing.exit_code, 0);
  auto no_model = Run({"nlu", "classify", "--model", dir_ + "/none.bin"}, "hello\n");
  EXPECT_EQ(no_model.exit_code, 1);
  EXPECT_NE(no_model.err.find("not found"), std::string::npos) << no_model.err;
  auto bad_tz = Run({"nlu", "classify", "--tz", "Mars/Olympus"}, "hello\n");
  EXPECT_EQ(bad_tz.exit_code, 1);
  EXPECT_NE(bad_tz.err.find("unknown time zone"), std::string::npos) << bad_tz.err;
}

TEST_F(NluCliTest, TtsWritesAMulawWav) {
  std::string wav = dir_ + "/hello.wav";
  auto r =
      Run({"tts", "--language", "hi", "--text", "नमस्ते, यह कॉल रिकॉर्ड की जा रही है।", "--out", wav});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(wav, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  ASSERT_GT(bytes.size(), 8000u);  // over a second of 8 kHz audio
  EXPECT_EQ(bytes.substr(0, 4), "RIFF");
  EXPECT_EQ(static_cast<unsigned char>(bytes[20]), 7);  // mu-law
}

}  // namespace
}  // namespace vaarta::testing
