// `vaarta leads import` as an operator runs it: the JSON summary on stdout, the report
// file, and an import killed half-way leaving nothing behind so that it can run again.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "storage/database.h"
#include "test_support/process.h"
#include "test_support/test_database.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;
const std::string kSample = std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv";

class LeadImportProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(GetParam());
    dir_ = MakeTempDir("import-cli");
  }
  void TearDown() override {
    database_.reset();
    RemoveTree(dir_);
  }
  std::vector<std::string> Args(std::vector<std::string> extra) {
    std::vector<std::string> args = {kVaarta, "leads", "import"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--db", database_->url(), "--data-dir", dir_ + "/data"});
    return args;
  }
  int64_t LeadCount() {
    auto db = storage::OpenDatabase(database_->url(), 1);
    auto tx = db->Begin(false);
    return tx->Execute("SELECT COUNT(*) FROM leads").rows[0].GetInt(0);
  }
  std::unique_ptr<TestDatabase> database_;
  std::string dir_;
};

TEST_P(LeadImportProcessTest, PrintsTheSummaryAsJsonAndWritesTheReport) {
  auto result = RunProcess(Args({kSample, "--list", "Diwali", "--report", dir_ + "/report.csv"}));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto summary = nlohmann::json::parse(result.out);
  EXPECT_EQ(summary["total"], 15);
  EXPECT_EQ(summary["imported"], 7);
  EXPECT_EQ(summary["duplicates"], 2);
  EXPECT_EQ(summary["invalid"], 6);
  EXPECT_EQ(summary["dnd_blocked"], 0);
  std::ifstream report(dir_ + "/report.csv");
  std::string header, line;
  std::getline(report, header);
  EXPECT_EQ(header, "row,outcome,reason,message,original\r");
  int rows = 0;
  while (std::getline(report, line)) ++rows;
  EXPECT_EQ(rows, 8);
  EXPECT_EQ(LeadCount(), 7);
  auto missing = RunProcess(Args({dir_ + "/nope.csv"}));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_EQ(missing.err.rfind("vaarta: ", 0), 0u) << missing.err;
}

TEST_P(LeadImportProcessTest, AnImportKilledHalfWayLeavesNothingAndRunsAgain) {
  std::string path = dir_ + "/big.csv";
  {
    std::ofstream out(path);
    out << "Name,Mobile\n";
    for (int i = 0; i < 300000; ++i) out << "Lead " << i << ",+91 98" << (10000000 + i) << "\n";
  }
  ChildProcess import(Args({path}));
  // Wait until the import's transaction is under way, then kill it.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  import.Signal(SIGKILL);
  int code = import.Wait(30);
  if (code == 0)
    GTEST_FAIL() << "the import finished before it could be killed; make the file bigger";
  EXPECT_EQ(code, -SIGKILL);
  EXPECT_EQ(LeadCount(), 0);
  auto again = RunProcess(Args({path}), {}, "", 120);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["imported"], 300000);
  EXPECT_EQ(LeadCount(), 300000);
}

INSTANTIATE_TEST_SUITE_P(Dialects, LeadImportProcessTest, BothDialects());

}  // namespace
}  // namespace vaarta::testing
