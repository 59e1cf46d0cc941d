#include "leads/parsed_row_stream.h"

#include <gtest/gtest.h>

#include "leads/import/column_mapping.h"
#include "leads/phone/phone_normalizer.h"

namespace vaarta::leads {
namespace {

class ParsedRowStreamTest : public ::testing::Test {
 protected:
  // A CSV of `rows` numbered leads; every tenth row has no phone number.
  std::unique_ptr<import::RecordReader> Reader(int rows) {
    std::string csv = "Phone,Name\n";
    for (int i = 0; i < rows; ++i) {
      csv += (i % 10 == 9 ? std::string() : "98" + std::to_string(10000000 + i)) + ",Lead " +
             std::to_string(i) + "\n";
      if (i % 100 == 50) csv += ",\n";  // a blank record, left out
    }
    auto reader = import::OpenRecordReaderFromBuffer(csv, "leads.csv");
    EXPECT_TRUE(reader.ok());
    auto header = import::RawRecord{};
    EXPECT_TRUE(*(*reader)->Next(&header));
    headers_ = header.cells;
    return std::move(*reader);
  }
  LeadRowParser Parser() {
    auto mapping = import::MapColumns(headers_, {});
    EXPECT_TRUE(mapping.ok());
    return LeadRowParser(phones_, *mapping, headers_, "test");
  }

  PhoneNormalizer phones_;
  std::vector<std::string> headers_;
};

TEST_F(ParsedRowStreamTest, GivesEveryRowInFileOrderAcrossChunks) {
  auto reader = Reader(9000);
  auto parser = Parser();
  ImportProgress progress;
  ParsedRowStream stream(*reader, parser, &progress);
  std::vector<ParsedRecord> all;
  size_t chunks = 0;
  while (true) {
    auto chunk = stream.Next();
    ASSERT_TRUE(chunk.ok());
    if (chunk->empty()) break;
    ++chunks;
    for (auto& r : *chunk) all.push_back(std::move(r));
  }
  EXPECT_GT(chunks, 2u);
  ASSERT_EQ(all.size(), 9000u);
  for (size_t i = 0; i < all.size(); ++i) {
    if (i % 10 == 9) {
      ASSERT_TRUE(all[i].parsed.refusal.has_value()) << i;
    } else {
      ASSERT_TRUE(all[i].parsed.lead.has_value()) << i;
      EXPECT_EQ(all[i].parsed.lead->name, "Lead " + std::to_string(i));
    }
    if (i > 0) {
      EXPECT_GT(all[i].row, all[i - 1].row);
    }
  }
  EXPECT_EQ(all[0].row, 2);
  EXPECT_EQ(all[0].original, "9810000000,Lead 0");
  EXPECT_EQ(progress.bytes_read.load(), progress.bytes_total.load());
  // After the end, the end again.
  auto again = stream.Next();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(ParsedRowStreamTest, StoppingEarlyEndsTheReadingThread) {
  auto reader = Reader(50000);
  auto parser = Parser();
  {
    ParsedRowStream stream(*reader, parser, nullptr);
    auto first = stream.Next();
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(first->empty());
  }  // the reader is blocked on a full queue here; the destructor must release it
  // The reader stopped well before the end of the file.
  import::RawRecord record;
  int left = 0;
  while (*reader->Next(&record)) ++left;
  EXPECT_GT(left, 30000);
}

}  // namespace
}  // namespace vaarta::leads
