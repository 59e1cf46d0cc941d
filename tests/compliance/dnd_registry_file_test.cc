#include "compliance/dnd_registry_file.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace vaarta::compliance {
namespace {

std::optional<DndPreference> PartialOf(const DndEntries& e, uint64_t number) {
  for (const auto& [n, packed] : e.partial) {
    if (n == number) return DndPreference::FromPacked(packed);
  }
  return std::nullopt;
}

TEST(DndRegistryFile, ReadsNumbersWithAndWithoutPreferencesInAnyLineFormat) {
  std::string text =
      "\xEF\xBB\xBF# registry of 2026-12-01\r\n"
      "9812345670\r\n"
      "\n"
      "   \n"
      "+919812345671\n"
      "919812345672 cat=1,3 modes=robo   # comment after a preference\n"
      "09812345673\tcat=2\n"
      "7012345674,cat=4 modes=voice\n"
      "6012345675";  // no final newline
  auto read = ParseDndRegistryText(text);
  EXPECT_EQ(read.lines, 9);
  EXPECT_EQ(read.invalid, 0) << (read.errors.empty() ? "" : read.errors[0].message);
  EXPECT_EQ(read.listed, 6);
  EXPECT_EQ(read.entries.all, (std::vector<uint64_t>{6012345675, 7012345674, 9812345670, 9812345671,
                                                     9812345672, 9812345673}));
  ASSERT_EQ(read.entries.partial.size(), 3u);
  EXPECT_TRUE(PartialOf(read.entries, 9812345672)->BlocksCategory(3));
  EXPECT_FALSE(PartialOf(read.entries, 9812345672)->BlocksMode(DndMode::kVoice));
  EXPECT_TRUE(PartialOf(read.entries, 9812345673)->BlocksCategory(2));
  EXPECT_TRUE(PartialOf(read.entries, 7012345674)->BlocksMode(DndMode::kVoice));
  // "cat=2" alone blocks every mode but is still partial (only category 2).
  EXPECT_FALSE(PartialOf(read.entries, 9812345673)->FullyBlocked());
}

TEST(DndRegistryFile, AHeaderLineIsSkippedWithAWarning) {
  auto read = ParseDndRegistryText("Mobile Number\n9812345670\n");
  EXPECT_EQ(read.invalid, 0);
  EXPECT_EQ(read.entries.all.size(), 1u);
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_NE(read.warnings[0].find("line 1"), std::string::npos) << read.warnings[0];
  // Only before the first number: later, a line without digits is an error.
  auto later = ParseDndRegistryText("9812345670\nMobile Number\n");
  EXPECT_EQ(later.invalid, 1);
}

TEST(DndRegistryFile, EveryBadLineIsReportedWithLineAndColumnAndTheRestIsKept) {
  std::string text =
      "9812345670\n"
      "98123 45671\n"             // 2: spaces inside the number
      "981234567\n"               // 3: nine digits
      "0812345672\n"              // 4: starts with 0
      "+449812345673\n"           // 5: not Indian
      "9812345674 cat=9\n"        // 6: bad category: kept as full block
      "  9812345675 modes=fax\n"  // 7: bad mode, indented
      "98123456x6\n"              // 8: a letter
      "9812345677\n";
  auto read = ParseDndRegistryText(text);
  EXPECT_EQ(read.invalid, 7);
  ASSERT_EQ(read.errors.size(), 7u);
  auto at = [&](size_t i) {
    return std::to_string(read.errors[i].line) + ":" + std::to_string(read.errors[i].column);
  };
  EXPECT_EQ(at(0), "2:1");
  EXPECT_EQ(read.errors[0].message, "expected a 10-digit number, found 5 digits");
  EXPECT_EQ(at(1), "3:1");
  EXPECT_EQ(read.errors[1].message, "expected a 10-digit number, found 9 digits");
  EXPECT_EQ(at(2), "4:1");
  EXPECT_EQ(at(3), "5:1");
  EXPECT_NE(read.errors[3].message.find("only Indian numbers"), std::string::npos);
  EXPECT_EQ(at(4), "6:16");
  EXPECT_TRUE(read.errors[4].kept_as_full_block);
  EXPECT_EQ(at(5), "7:20");
  EXPECT_NE(read.errors[5].message.find("unknown mode 'fax'"), std::string::npos);
  EXPECT_EQ(at(6), "8:1");
  EXPECT_NE(read.errors[6].message.find("unexpected 'x'"), std::string::npos);
  // Lines 1 and 9, and the two numbers with a bad preference, fully blocked (fail closed).
  EXPECT_EQ(read.entries.all,
            (std::vector<uint64_t>{9812345670, 9812345674, 9812345675, 9812345677}));
  EXPECT_TRUE(read.entries.partial.empty());
}

TEST(DndRegistryFile, ErrorsBeyondTheLimitAreCountedNotKept) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "bad1\n";  // a digit: not read as a header
  auto read = ParseDndRegistryText(text, 10);
  EXPECT_EQ(read.invalid, 50);
  EXPECT_EQ(read.errors.size(), 10u);
}

TEST(DndRegistryFile, ANumberListedTwiceTakesTheStricterPreference) {
  auto read = ParseDndRegistryText(
      "9812345670 cat=1 modes=robo\n"
      "9812345670 cat=2 modes=voice\n"
      "9812345671 cat=1\n"
      "9812345671\n"  // a bare line is a full block: it wins
      "9812345672\n"
      "9812345672\n"
      // Every category for robo calls, and the other modes too: together a full block.
      "9812345673 cat=0 modes=robo\n"
      "9812345673 cat=4 modes=voice,auto_recorded,auto_live\n");
  EXPECT_EQ(read.duplicates, 4);
  EXPECT_EQ(read.entries.all,
            (std::vector<uint64_t>{9812345670, 9812345671, 9812345672, 9812345673}));
  ASSERT_EQ(read.entries.partial.size(), 1u);
  auto merged = PartialOf(read.entries, 9812345670);
  EXPECT_TRUE(merged->BlocksCategory(1) && merged->BlocksCategory(2));
  EXPECT_TRUE(merged->BlocksMode(DndMode::kRobo) && merged->BlocksMode(DndMode::kVoice));
}

TEST(DndRegistryFile, UnsortedInputComesOutSorted) {
  auto read = ParseDndRegistryText("9000000003\n7000000001\n9000000003 cat=1\n8000000002\n");
  EXPECT_EQ(read.entries.all, (std::vector<uint64_t>{7000000001, 8000000002, 9000000003}));
  EXPECT_TRUE(read.entries.partial.empty());  // the bare line of 9000000003 wins
}

TEST(DndRegistryFile, AddingAndRemovingChangeOnlyTheNamedNumbers) {
  auto base = ParseDndRegistryText("7000000001\n8000000002 cat=1\n9000000003 cat=2\n").entries;
  auto update = ParseDndRegistryText("8000000002\n9000000003 cat=5\n9500000000 cat=3\n").entries;
  auto added = MergeDndEntries(base, update, DndLoadMode::kAdd);
  EXPECT_EQ(added.all, (std::vector<uint64_t>{7000000001, 8000000002, 9000000003, 9500000000}));
  // 8000000002 is now a full block; 9000000003 takes the update's preference.
  EXPECT_FALSE(PartialOf(added, 8000000002).has_value());
  EXPECT_TRUE(PartialOf(added, 9000000003)->BlocksCategory(5));
  EXPECT_FALSE(PartialOf(added, 9000000003)->BlocksCategory(2));
  EXPECT_TRUE(PartialOf(added, 9500000000)->BlocksCategory(3));

  auto removal = ParseDndRegistryText("8000000002\n9000000003 cat=7\n6000000000\n").entries;
  auto removed = MergeDndEntries(added, removal, DndLoadMode::kRemove);
  EXPECT_EQ(removed.all, (std::vector<uint64_t>{7000000001, 9500000000}));
  ASSERT_EQ(removed.partial.size(), 1u);
  EXPECT_EQ(removed.partial[0].first, 9500000000u);

  auto replaced = MergeDndEntries(added, removal, DndLoadMode::kReplace);
  EXPECT_EQ(replaced.all, removal.all);
}

TEST(DndRegistryFile, GeneratedRegistriesAreValidSortedAndDeterministic) {
  std::ostringstream a, b, c;
  WriteGeneratedDndRegistry(a, 20000, 7, 0.1);
  WriteGeneratedDndRegistry(b, 20000, 7, 0.1);
  WriteGeneratedDndRegistry(c, 20000, 8, 0.1);
  EXPECT_EQ(a.str(), b.str());
  EXPECT_NE(a.str(), c.str());
  auto read = ParseDndRegistryText(a.str());
  EXPECT_EQ(read.invalid, 0);
  EXPECT_EQ(read.duplicates, 0);
  EXPECT_EQ(read.entries.all.size(), 20000u);
  EXPECT_GE(read.entries.all.front(), 6000000000u);
  EXPECT_LE(read.entries.all.back(), 9999999999u);
  // About a tenth partial.
  EXPECT_GT(read.entries.partial.size(), 1600u);
  EXPECT_LT(read.entries.partial.size(), 2400u);
}

}  // namespace
}  // namespace vaarta::compliance
