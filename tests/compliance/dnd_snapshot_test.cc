#include "compliance/dnd_snapshot.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "compliance/dnd_registry_file.h"
#include "test_support/test_database.h"

namespace vaarta::compliance {
namespace {

class DndSnapshotTest : public ::testing::Test {
 protected:
  DndSnapshotTest() : dir_(testing::MakeTempDir("dnd-snapshot")), path_(dir_ + "/registry.snap") {}
  ~DndSnapshotTest() override { testing::RemoveTree(dir_); }

  std::shared_ptr<const DndSnapshot> WriteAndOpen(const DndEntries& entries) {
    auto written = DndSnapshot::Write(path_, entries, "2026-12-01", 1796000000000);
    EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().message);
    auto opened = DndSnapshot::Open(path_);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
    return opened.ok() ? *opened : nullptr;
  }
  std::string Corrupt(const std::function<void(std::string&)>& change) {
    std::ifstream in(path_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    change(bytes);
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;
    auto opened = DndSnapshot::Open(path_);
    EXPECT_FALSE(opened.ok());
    return opened.ok() ? "" : opened.error().message;
  }

  std::string dir_, path_;
};

TEST_F(DndSnapshotTest, LooksUpEveryNumberAsTheRegistrySaysAfterAWriteAndAMap) {
  std::mt19937_64 rng(3);
  std::set<uint64_t> numbers;
  while (numbers.size() < 50000) numbers.insert(6000000000 + rng() % 4000000000);
  DndEntries entries;
  entries.all.assign(numbers.begin(), numbers.end());
  auto partial = ParseDndPreference("cat=2 modes=robo", 1)->packed();
  for (size_t i = 0; i < entries.all.size(); i += 7)
    entries.partial.emplace_back(entries.all[i], partial);
  auto snapshot = WriteAndOpen(entries);
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->info().registry_date, "2026-12-01");
  EXPECT_EQ(snapshot->info().created_at_ms, 1796000000000);
  EXPECT_EQ(snapshot->info().numbers, 50000u);
  EXPECT_EQ(snapshot->info().partial, entries.partial.size());
  for (size_t i = 0; i < entries.all.size(); ++i) {
    auto pref = snapshot->Lookup(entries.all[i]);
    ASSERT_TRUE(pref.has_value()) << entries.all[i];
    EXPECT_EQ(pref->FullyBlocked(), i % 7 != 0) << entries.all[i];
  }
  for (int i = 0; i < 50000; ++i) {
    uint64_t n = 6000000000 + rng() % 4000000000;
    EXPECT_EQ(snapshot->Lookup(n).has_value(), numbers.count(n) == 1) << n;
  }
  EXPECT_FALSE(snapshot->Lookup(0).has_value());
  EXPECT_FALSE(snapshot->Lookup(kDndUniverse + 5).has_value());
  auto back = snapshot->Entries();
  EXPECT_EQ(back.all, entries.all);
  EXPECT_EQ(back.partial, entries.partial);
  // No temporary file is left behind.
  EXPECT_FALSE(std::filesystem::exists(path_ + ".tmp"));
}

TEST_F(DndSnapshotTest, AnEmptyRegistryIsASnapshotToo) {
  auto snapshot = WriteAndOpen({});
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->info().numbers, 0u);
  EXPECT_FALSE(snapshot->Lookup(9812345670).has_value());
}

TEST_F(DndSnapshotTest, AMissingOrDamagedFileIsRefusedWithWhatIsWrong) {
  auto missing = DndSnapshot::Open(dir_ + "/none.snap");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().detail_code, "dnd_not_loaded");

  DndEntries entries;
  entries.all = {7000000000, 8000000000, 9000000000};
  ASSERT_TRUE(WriteAndOpen(entries));
  EXPECT_NE(Corrupt([](std::string& b) { b.resize(b.size() - 8); }).find("bytes where its header"),
            std::string::npos);
  ASSERT_TRUE(WriteAndOpen(entries));
  EXPECT_NE(Corrupt([](std::string& b) { b[0] = 'X'; }).find("snapshot marker"), std::string::npos);
  ASSERT_TRUE(WriteAndOpen(entries));
  EXPECT_NE(Corrupt([](std::string& b) { b.resize(40); }).find("shorter than its header"),
            std::string::npos);
  ASSERT_TRUE(WriteAndOpen(entries));
  // The number set's own header, just after the snapshot's (offset 128).
  EXPECT_NE(Corrupt([](std::string& b) { b[128] = 'X'; }).find("damaged"), std::string::npos);
}

TEST_F(DndSnapshotTest, AMappedSnapshotOutlivesTheFileBeingReplaced) {
  DndEntries first;
  first.all = {7000000000};
  auto old_snapshot = WriteAndOpen(first);
  DndEntries second;
  second.all = {8000000000, 9000000000};
  auto new_snapshot = WriteAndOpen(second);
  ASSERT_TRUE(old_snapshot && new_snapshot);
  EXPECT_TRUE(old_snapshot->Lookup(7000000000).has_value());
  EXPECT_FALSE(new_snapshot->Lookup(7000000000).has_value());
  EXPECT_TRUE(new_snapshot->Lookup(9000000000).has_value());
}

}  // namespace
}  // namespace vaarta::compliance
