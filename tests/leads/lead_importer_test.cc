// Lead import end to end on real files: the shared sample with its expected outcome
// for every row, duplicates against stored leads, update mode, list scope, atomicity.
#include "leads/lead_importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "leads/import/record_reader.h"
#include "leads/lead_service.h"
#include "leads/phone/phone_normalizer.h"
#include "test_support/test_database.h"

namespace vaarta::leads {
namespace {

const std::string kSample = std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.csv";
const std::string kExpected = std::string(VAARTA_SHARED_DIR) + "/data/leads_sample.expected.json";

class LeadImporterTest : public ::testing::TestWithParam<std::string> {
 protected:
  LeadImporterTest()
      : tdb_(GetParam()),
        clock_(1795500000000),
        importer_(tdb_.db(), clock_, phones_, Checks()),
        dir_(testing::MakeTempDir("import")) {}
  ~LeadImporterTest() override { testing::RemoveTree(dir_); }

  ImportChecks Checks() {
    ImportChecks checks;
    checks.dnd = [this] {
      return DndScrub{
          [this](const std::string& e164) { return dnd_.count(e164) ? "blocked" : "clear"; },
          "2026-11-24"};
    };
    checks.suppressed = [this](const std::vector<std::string>& numbers) {
      std::unordered_set<std::string> out;
      for (const auto& n : numbers) {
        if (dnc_.count(n)) out.insert(n);
      }
      return out;
    };
    return checks;
  }
  int64_t NewJob() {
    return storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      ImportJob job;
      job.file_name = "test";
      job.status = "running";
      job.created_by = "test";
      job.created_at = clock_.NowMillis();
      return jobs_.Create(tx, job);
    });
  }
  core::Result<ImportResult> Import(const std::string& path, ImportOptions options = {}) {
    auto reader = import::OpenRecordReader(path);
    if (!reader) return reader.error();
    if (options.actor.empty()) options.actor = "user:1:test@example.in";
    if (options.file_name.empty()) options.file_name = std::filesystem::path(path).filename();
    ImportProgress progress;
    return importer_.Run(**reader, options, NewJob(), &progress);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  int64_t LeadCount() {
    auto tx = tdb_.db().Begin(false);
    return tx->Execute("SELECT COUNT(*) FROM leads").rows[0].GetInt(0);
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  PhoneNormalizer phones_;
  std::unordered_set<std::string> dnd_, dnc_;
  LeadImporter importer_;
  ImportJobRepository jobs_;
  std::string dir_;
};

TEST_P(LeadImporterTest, SampleFileGetsTheExpectedOutcomeForEveryRow) {
  dnd_ = {"+918888800001"};
  dnc_ = {"+919123400001"};
  auto result = Import(kSample);
  ASSERT_TRUE(result.ok()) << result.error().message;
  std::ifstream in(kExpected);
  nlohmann::json expected = nlohmann::json::parse(in);
  std::map<int64_t, RowOutcome> rejects;
  for (const auto& r : result->rejects) rejects[r.row] = r;
  auto tx = tdb_.db().Begin(false);
  LeadRepository repo;
  int valid = 0, duplicates = 0, invalid = 0;
  for (const auto& row : expected["rows"]) {
    int64_t n = row["row"];
    std::string outcome = row["outcome"];
    SCOPED_TRACE("row " + std::to_string(n) + " " + outcome);
    if (outcome == "valid") {
      ++valid;
      EXPECT_EQ(rejects.count(n), 0u) << rejects[n].message;
      auto lead = repo.FindByPhone(*tx, row["e164"]);
      ASSERT_TRUE(lead.has_value());
      EXPECT_EQ(lead->name, row["name"]);
    } else if (outcome == "duplicate") {
      ++duplicates;
      ASSERT_EQ(rejects.count(n), 1u);
      EXPECT_EQ(rejects[n].outcome, "duplicate");
      EXPECT_NE(rejects[n].message.find("same number as row"), std::string::npos);
    } else {
      ++invalid;
      ASSERT_EQ(rejects.count(n), 1u);
      EXPECT_EQ(rejects[n].outcome, "invalid");
      EXPECT_EQ("invalid:" + rejects[n].reason, outcome) << rejects[n].message;
      EXPECT_NE(rejects[n].message.find("row " + std::to_string(n)), std::string::npos);
      EXPECT_FALSE(rejects[n].original.empty() && outcome != "invalid:missing");
    }
  }
  const ImportSummary& s = result->job.summary;
  EXPECT_EQ(s.total, 15);
  EXPECT_EQ(s.imported, valid);
  EXPECT_EQ(s.duplicates, duplicates);
  EXPECT_EQ(s.invalid, invalid);
  EXPECT_EQ(s.dnd_blocked, 1);
  EXPECT_EQ(s.do_not_call, 1);
  EXPECT_EQ(LeadCount(), valid);
  auto hindi = repo.FindByPhone(*tx, "+919415000001");
  EXPECT_EQ(hindi->name, "चंदन मिश्रा");
  EXPECT_EQ(hindi->language, "hi");
  EXPECT_EQ(hindi->time_zone, "Asia/Kolkata");
  EXPECT_EQ(hindi->source_kind, "file");
  EXPECT_NE(hindi->source_detail.find("leads_sample.csv"), std::string::npos);
  EXPECT_EQ(repo.FindByPhone(*tx, "+918888800001")->dnd_state, "blocked");
  EXPECT_EQ(repo.FindByPhone(*tx, "+919123400001")->status, "do_not_call");
  EXPECT_EQ(repo.FindByPhone(*tx, "+442079460958")->time_zone, "Europe/London");
  // The job and its refused rows are stored for the downloadable report.
  auto stored = jobs_.Rejects(*tx, result->job.id, 0, 100);
  EXPECT_EQ(static_cast<int>(stored.size()), duplicates + invalid);
}

TEST_P(LeadImporterTest, ASecondImportReportsStoredNumbersOrUpdatesThem) {
  ASSERT_TRUE(Import(kSample).ok());
  auto again = Import(kSample);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->job.summary.imported, 0);
  EXPECT_EQ(again->job.summary.duplicates, 9);  // 7 stored + 2 repeated in the file
  auto path = Write("update.csv", "Phone,Name,City\n9812345670,Anil K.,Chandigarh\n");
  ImportOptions update;
  update.update_existing = true;
  auto updated = Import(path, update);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->job.summary.updated, 1);
  auto tx = tdb_.db().Begin(false);
  auto lead = LeadRepository().FindByPhone(*tx, "+919812345670");
  EXPECT_EQ(lead->name, "Anil K.");
  EXPECT_EQ(lead->city, "Chandigarh");
}

TEST_P(LeadImporterTest, ListScopeAddsKnownNumbersToTheNewList) {
  ImportOptions first;
  first.list_name = "Diwali";
  ASSERT_TRUE(Import(kSample, first).ok());
  ImportOptions second;
  second.list_name = "Holi";
  second.scope = DedupeScope::kList;
  auto result = Import(kSample, second);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->job.summary.imported, 7);  // linked, not duplicated
  EXPECT_EQ(LeadCount(), 7);
  auto tx = tdb_.db().Begin(false);
  auto lead = LeadRepository().FindByPhone(*tx, "+919812345670");
  EXPECT_EQ(lead->list_ids.size(), 2u);
}

TEST_P(LeadImporterTest, DryRunAndCancellationStoreNothing) {
  ImportOptions dry;
  dry.dry_run = true;
  auto result = Import(kSample, dry);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->job.summary.imported, 7);
  EXPECT_EQ(LeadCount(), 0);
  std::string big = "Phone,Name\n";
  for (int i = 0; i < 5000; ++i)
    big += "98" + std::to_string(10000000 + i) + ",Lead " + std::to_string(i) + "\n";
  auto path = Write("big.csv", big);
  auto reader = import::OpenRecordReader(path);
  ImportProgress progress;
  progress.cancel = true;
  ImportOptions options;
  options.actor = "test";
  auto cancelled = importer_.Run(**reader, options, NewJob(), &progress);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().detail_code, "import_cancelled");
  EXPECT_EQ(LeadCount(), 0);
}

TEST_P(LeadImporterTest, FilesWithoutAPhoneColumnAreRefusedWithTheHeadersFound) {
  auto path = Write("nophone.csv", "Name,City\nAnil,Ambala\n");
  auto result = Import(path);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("City"), std::string::npos) << result.error().message;
  ImportOptions mapped;
  mapped.column_maps = {"phone=City"};
  auto forced = Import(path, mapped);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->job.summary.invalid, 1);  // "Ambala" is no number, and says so
}

INSTANTIATE_TEST_SUITE_P(Dialects, LeadImporterTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::leads
