// TranscriptWriter: relay transcript lines stored off the reply path, in order, and a
// line the database refuses for good does not hold back the others.
#include "calls/transcript_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/logger.h"
#include "recordings/recording_test_data.h"
#include "test_support/test_database.h"

namespace vaarta::calls {
namespace {

class TranscriptWriterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = std::make_unique<testing::TestDatabase>(GetParam()); }
  storage::Database& db() { return db_->db(); }

  std::vector<std::string> Lines(int64_t attempt_id) {
    auto tx = db().Begin(false);
    auto rows = tx->Execute("SELECT text FROM call_turns WHERE attempt_id = $1 ORDER BY seq",
                            {storage::Int(attempt_id)});
    std::vector<std::string> out;
    for (const auto& r : rows.rows) out.push_back(r.GetText(0));
    return out;
  }

  static CallTurn Line(int64_t attempt_id, const std::string& text) {
    CallTurn t;
    t.attempt_id = attempt_id;
    t.speaker = "agent";
    t.text = text;
    t.at = 1;
    return t;
  }

  std::unique_ptr<testing::TestDatabase> db_;
  std::ostringstream log_stream_;
  core::SystemClock clock_;
  core::Logger logger_{log_stream_, core::LogLevel::kWarn, clock_};
};

TEST_P(TranscriptWriterTest, LinesOfManyCallsAreStoredEachCallInOrder) {
  std::vector<int64_t> attempts;
  for (int i = 0; i < 8; ++i) {
    attempts.push_back(
        recordings::testdata::SeedCall(db(), "+9198765432" + std::to_string(10 + i)).attempt_id);
  }
  TranscriptWriter writer(db(), logger_);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int n = 0; n < 50; ++n) {
        EXPECT_TRUE(writer.Add(Line(attempts[static_cast<size_t>(i)], std::to_string(n))));
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(writer.Flush(30000));
  for (int64_t attempt : attempts) {
    auto lines = Lines(attempt);
    ASSERT_EQ(lines.size(), 50u);
    for (int n = 0; n < 50; ++n) EXPECT_EQ(lines[static_cast<size_t>(n)], std::to_string(n));
  }
  EXPECT_EQ(writer.dropped(), 0u);
}

TEST_P(TranscriptWriterTest, ALineRefusedForGoodIsDroppedAndTheOthersAreStored) {
  const int64_t attempt = recordings::testdata::SeedCall(db(), "+919876543210").attempt_id;
  TranscriptWriter writer(db(), logger_);
  writer.Add(Line(attempt, "before"));
  writer.Add(Line(attempt + 1000, "no such call"));  // foreign key: refused for good
  writer.Add(Line(attempt, "after"));
  ASSERT_TRUE(writer.Flush(30000));
  EXPECT_EQ(Lines(attempt), (std::vector<std::string>{"before", "after"}));
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_NE(log_stream_.str().find("transcript line refused"), std::string::npos);
}

TEST_P(TranscriptWriterTest, WhatIsQueuedAtShutdownIsWritten) {
  const int64_t attempt = recordings::testdata::SeedCall(db(), "+919876543210").attempt_id;
  {
    TranscriptWriter writer(db(), logger_);
    for (int n = 0; n < 200; ++n) writer.Add(Line(attempt, std::to_string(n)));
  }
  EXPECT_EQ(Lines(attempt).size(), 200u);
}

TEST_P(TranscriptWriterTest, AFullQueueRefusesNewLinesAndSaysSo) {
  TranscriptWriterOptions options;
  options.max_queued = 0;
  TranscriptWriter writer(db(), logger_, options);
  EXPECT_FALSE(writer.Add(Line(1, "x")));
  EXPECT_EQ(writer.dropped(), 1u);
  EXPECT_NE(log_stream_.str().find("transcript lines dropped"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, TranscriptWriterTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::calls
