#include "compliance/dnd_preference.h"

#include <gtest/gtest.h>

namespace vaarta::compliance {
namespace {

DndPreference Parse(std::string_view tokens) {
  auto pref = ParseDndPreference(tokens, 12);
  EXPECT_TRUE(pref.ok()) << tokens << ": " << (pref.ok() ? "" : pref.error().message);
  return pref.ok() ? *pref : DndPreference::FullBlock();
}

std::string ErrorOf(std::string_view tokens) {
  auto pref = ParseDndPreference(tokens, 12);
  EXPECT_FALSE(pref.ok()) << tokens;
  return pref.ok() ? "" : pref.error().message;
}

TEST(DndPreference, AFullBlockBlocksEveryCategoryAndModeWithTheDefaultBands) {
  auto full = DndPreference::FullBlock();
  EXPECT_TRUE(full.FullyBlocked());
  for (int c = 0; c <= 8; ++c) EXPECT_TRUE(full.BlocksCategory(c)) << c;
  for (int m = 0; m < kDndModeCount; ++m) EXPECT_TRUE(full.BlocksMode(static_cast<DndMode>(m)));
  // 00-06, 06-08, 08-10 and 21-24 are off unless switched on.
  EXPECT_FALSE(full.AllowsBand(DndBandOfHour(9)));
  EXPECT_TRUE(full.AllowsBand(DndBandOfHour(10)));
  EXPECT_TRUE(full.AllowsBand(DndBandOfHour(20)));
  EXPECT_FALSE(full.AllowsBand(DndBandOfHour(21)));
  EXPECT_EQ(full.ToText(), "");
}

TEST(DndPreference, BandsCoverTheDayAtTheirBoundaries) {
  EXPECT_EQ(DndBandOfHour(0), 0);
  EXPECT_EQ(DndBandOfHour(5), 0);
  EXPECT_EQ(DndBandOfHour(6), 1);
  EXPECT_EQ(DndBandOfHour(9), 2);
  EXPECT_EQ(DndBandOfHour(10), 3);
  EXPECT_EQ(DndBandOfHour(18), 7);
  EXPECT_EQ(DndBandOfHour(20), 7);
  EXPECT_EQ(DndBandOfHour(21), 8);
  EXPECT_EQ(DndBandOfHour(23), 8);
  EXPECT_EQ(DndBandName(7), "18-21");
  EXPECT_EQ(DndBandName(0), "00-06");
}

TEST(DndPreference, PartialPreferencesBlockOnlyWhatTheyList) {
  auto p = Parse("cat=1,3 modes=robo,auto_live bands=10-12,18-21 days=mon-fri,hol");
  EXPECT_FALSE(p.FullyBlocked());
  EXPECT_TRUE(p.BlocksCategory(1));
  EXPECT_TRUE(p.BlocksCategory(3));
  EXPECT_FALSE(p.BlocksCategory(2));
  EXPECT_FALSE(p.BlocksCategory(8));
  EXPECT_TRUE(p.BlocksMode(DndMode::kRobo));
  EXPECT_TRUE(p.BlocksMode(DndMode::kAutoLive));
  EXPECT_FALSE(p.BlocksMode(DndMode::kVoice));
  EXPECT_TRUE(p.AllowsBand(DndBandOfHour(11)));
  EXPECT_FALSE(p.AllowsBand(DndBandOfHour(13)));
  EXPECT_TRUE(p.AllowsBand(DndBandOfHour(19)));
  EXPECT_TRUE(p.AllowsDay(0));
  EXPECT_TRUE(p.AllowsDay(4));
  EXPECT_FALSE(p.AllowsDay(5));
  EXPECT_FALSE(p.AllowsDay(6));
  EXPECT_TRUE(p.AllowsDay(7));
  // The text form reads back to the same preference.
  EXPECT_EQ(Parse(p.ToText()), p);
  EXPECT_EQ(p.ToText(),
            "cat=1,3 modes=auto_live,robo bands=10-12,18-21 days=mon,tue,wed,thu,fri,hol");
}

TEST(DndPreference, MissingPartsTakeTheStrictestReading) {
  // Categories without modes: every mode. Category 0 with every mode: a full block.
  auto p = Parse("cat=2");
  EXPECT_TRUE(p.BlocksMode(DndMode::kVoice));
  EXPECT_TRUE(p.BlocksMode(DndMode::kRobo));
  EXPECT_TRUE(Parse("cat=0").FullyBlocked());
  EXPECT_TRUE(Parse("modes=all").FullyBlocked());
  // Category 0 for some modes blocks every category for those modes only.
  auto robo_only = Parse("cat=0,4 modes=robo");
  EXPECT_FALSE(robo_only.FullyBlocked());
  EXPECT_TRUE(robo_only.BlocksCategory(7));
  EXPECT_EQ(robo_only.categories(), 1u);  // canonical: 0 stands for all
  EXPECT_EQ(Parse("  cat=5\tmodes=voice  "), Parse("cat=5 modes=voice"));
  EXPECT_EQ(Parse("category=5 mode=voice"), Parse("cat=5 modes=voice"));
}

TEST(DndPreference, ErrorsNameTheColumnAndWhatIsAllowed) {
  // Tokens start at column 12 of their line.
  EXPECT_EQ(ErrorOf("cat=9"), "column 16: unknown category '9' (categories are 0-8)");
  EXPECT_EQ(ErrorOf("cat=1,x"), "column 18: unknown category 'x' (categories are 0-8)");
  EXPECT_EQ(ErrorOf("cat=1 modes=fax").rfind("column 24: unknown mode 'fax'", 0), 0u);
  EXPECT_EQ(ErrorOf("bands=10-13").rfind("column 18: unknown time band '10-13'", 0), 0u);
  EXPECT_EQ(ErrorOf("days=fri-mon").rfind("column 17: unknown day 'fri-mon'", 0), 0u);
  EXPECT_EQ(ErrorOf("colour=red").rfind("column 12: unknown key 'colour'", 0), 0u);
  EXPECT_EQ(ErrorOf("cat=1 cat=2"), "column 18: 'cat' is given twice");
  EXPECT_EQ(ErrorOf("cat="), "column 16: 'cat=' has no value");
  EXPECT_EQ(ErrorOf("cat=1,,2"), "column 18: empty item in 'cat=1,,2'");
  EXPECT_EQ(ErrorOf("robo").rfind("column 12: expected key=value", 0), 0u);
}

TEST(DndPreference, TheStricterOfTwoAddsBlocksAndNarrowsAllowances) {
  auto a = Parse("cat=1 modes=robo bands=10-12,12-14 days=mon-fri");
  auto b = Parse("cat=2 modes=voice bands=12-14,14-16 days=fri-sun");
  auto s = a.Stricter(b);
  EXPECT_TRUE(s.BlocksCategory(1));
  EXPECT_TRUE(s.BlocksCategory(2));
  EXPECT_TRUE(s.BlocksMode(DndMode::kRobo));
  EXPECT_TRUE(s.BlocksMode(DndMode::kVoice));
  EXPECT_FALSE(s.AllowsBand(DndBandOfHour(10)));
  EXPECT_TRUE(s.AllowsBand(DndBandOfHour(12)));
  EXPECT_FALSE(s.AllowsBand(DndBandOfHour(14)));
  EXPECT_TRUE(s.AllowsDay(4));
  EXPECT_FALSE(s.AllowsDay(0));
  EXPECT_FALSE(s.AllowsDay(6));
  EXPECT_TRUE(a.Stricter(DndPreference::FullBlock()).FullyBlocked());
}

TEST(DndPreference, CallModesParseAndTheAgentIsNamed) {
  EXPECT_EQ(ParseDndCallMode("ai_agent"), DndCallMode::kAiAgent);
  EXPECT_EQ(ParseDndCallMode("robo"), DndCallMode::kRobo);
  EXPECT_EQ(ParseDndCallMode("auto_recorded"), DndCallMode::kAutoRecorded);
  EXPECT_FALSE(ParseDndCallMode("fax").has_value());
  EXPECT_EQ(DndCallModeName(DndCallMode::kAutoLive), "auto_live");
}

}  // namespace
}  // namespace vaarta::compliance
