#include "compliance/dnd_number_set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <set>

namespace vaarta::compliance {
namespace {

// Indian mobile numbers 6000000000..9999999999, stored as offsets from 6000000000.
constexpr uint64_t kUniverse = 4000000000ULL;

// About n distinct sorted values spread over the universe (random gaps).
std::vector<uint64_t> RandomSorted(size_t n, uint64_t universe, uint64_t seed) {
  std::mt19937_64 rng(seed);
  uint64_t mean_gap = std::max<uint64_t>(1, universe / (n + 1));
  std::vector<uint64_t> values;
  values.reserve(n);
  uint64_t v = rng() % mean_gap;
  while (values.size() < n && v < universe) {
    values.push_back(v);
    v += 1 + rng() % (2 * mean_gap);
  }
  return values;
}

TEST(DndNumberSet, AnswersExactlyLikeASetForMembersAndNonMembers) {
  for (size_t n : {1u, 7u, 1000u, 200000u}) {
    auto values = RandomSorted(n, kUniverse, n);
    auto set = DndNumberSet::Build(values, kUniverse);
    ASSERT_TRUE(set.ok()) << set.error().message;
    n = values.size();
    std::set<uint64_t> reference(values.begin(), values.end());
    for (uint64_t v : values) ASSERT_TRUE(set->Contains(v)) << v;
    std::mt19937_64 rng(99);
    for (int i = 0; i < 200000; ++i) {
      uint64_t probe = rng() % kUniverse;
      ASSERT_EQ(set->Contains(probe), reference.count(probe) > 0) << probe;
      // Neighbours of members are the hardest misses.
      uint64_t near = values[rng() % values.size()] + 1;
      ASSERT_EQ(set->Contains(near), reference.count(near) > 0) << near;
    }
    EXPECT_EQ(set->size(), n);
  }
}

TEST(DndNumberSet, BatchedLookupsAgreeWithSingleOnes) {
  auto values = RandomSorted(100000, kUniverse, 11);
  auto set = DndNumberSet::Build(values, kUniverse);
  std::mt19937_64 rng(5);
  std::vector<uint64_t> probes;
  for (int i = 0; i < 100003; ++i) {  // not a multiple of the group size
    probes.push_back(i % 3 == 0 ? values[rng() % values.size()]
                                : (i % 3 == 1 ? rng() % kUniverse : kUniverse + i));
  }
  std::vector<uint8_t> answers(probes.size());
  set->ContainsMany(probes.data(), probes.size(), answers.data());
  for (size_t i = 0; i < probes.size(); ++i)
    ASSERT_EQ(answers[i] == 1, set->Contains(probes[i])) << probes[i];
  auto empty = DndNumberSet::Build({}, kUniverse);
  uint8_t none = 7;
  empty->ContainsMany(probes.data(), 1, &none);
  EXPECT_EQ(none, 0);
}

TEST(DndNumberSet, HandlesTheEdgesOfTheNumberSpaceAndDenseRuns) {
  std::vector<uint64_t> values = {0, 1, 2, 3, kUniverse / 2, kUniverse - 2, kUniverse - 1};
  for (uint64_t v = 1000; v < 3000; ++v) values.push_back(v);  // a dense run
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  auto set = DndNumberSet::Build(values, kUniverse);
  ASSERT_TRUE(set.ok());
  for (uint64_t v : values) EXPECT_TRUE(set->Contains(v)) << v;
  EXPECT_FALSE(set->Contains(4));
  EXPECT_FALSE(set->Contains(999));
  EXPECT_FALSE(set->Contains(3000));
  EXPECT_FALSE(set->Contains(kUniverse));  // outside
  EXPECT_FALSE(set->Contains(kUniverse - 3));
}

TEST(DndNumberSet, EmptySetContainsNothing) {
  auto set = DndNumberSet::Build({}, kUniverse);
  ASSERT_TRUE(set.ok());
  EXPECT_FALSE(set->Contains(0));
  EXPECT_FALSE(set->Contains(123456789));
}

TEST(DndNumberSet, RefusesUnsortedOrOutOfRangeInput) {
  EXPECT_FALSE(DndNumberSet::Build({5, 3}, kUniverse).ok());
  EXPECT_FALSE(DndNumberSet::Build({5, 5}, kUniverse).ok());
  EXPECT_FALSE(DndNumberSet::Build({kUniverse}, kUniverse).ok());
}

TEST(DndNumberSet, UsesUnderOneAndAHalfBytesPerNumberAtRegistryDensity) {
  // 300M of 4,000M is the real registry's density; 3M of 40M has the same ratio.
  auto values = RandomSorted(3000000, 40000000, 7);
  ASSERT_GT(values.size(), 2900000u);
  auto set = DndNumberSet::Build(values, 40000000);
  ASSERT_TRUE(set.ok());
  EXPECT_LT(static_cast<double>(set->bytes()) / static_cast<double>(values.size()), 1.5);
}

TEST(DndNumberSet, SnapshotRoundTripsAndViewsInPlace) {
  auto values = RandomSorted(50000, kUniverse, 3);
  auto built = DndNumberSet::Build(values, kUniverse);
  std::string bytes = built->Serialize();
  // Copy into 8-byte aligned storage, as an mmap'd file is.
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8);
  std::memcpy(aligned.data(), bytes.data(), bytes.size());
  auto view = DndNumberSet::View(
      std::string_view(reinterpret_cast<const char*>(aligned.data()), bytes.size()));
  ASSERT_TRUE(view.ok()) << view.error().message;
  for (uint64_t v : values) ASSERT_TRUE(view->Contains(v));
  EXPECT_FALSE(view->Contains(values[0] + 1) &&
               !std::binary_search(values.begin(), values.end(), values[0] + 1));
  EXPECT_EQ(view->size(), values.size());
}

TEST(DndNumberSet, DamagedSnapshotsAreRefusedWithTheReason) {
  auto built = DndNumberSet::Build(RandomSorted(1000, kUniverse, 4), kUniverse);
  std::string bytes = built->Serialize();
  std::vector<uint64_t> aligned((bytes.size() + 7) / 8 + 1);
  auto view_of = [&](const std::string& b) {
    std::memcpy(aligned.data(), b.data(), b.size());
    return DndNumberSet::View(
        std::string_view(reinterpret_cast<const char*>(aligned.data()), b.size()));
  };
  auto truncated = view_of(bytes.substr(0, bytes.size() - 8));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("bytes where its header says"), std::string::npos);
  std::string wrong_magic = bytes;
  wrong_magic[0] = 'X';
  EXPECT_NE(view_of(wrong_magic).error().message.find("marker"), std::string::npos);
  EXPECT_FALSE(view_of(bytes.substr(0, 20)).ok());
  std::string bad_sizes = bytes;
  bad_sizes[8 + 2 * 8] = 70;  // low bits > 63
  EXPECT_FALSE(view_of(bad_sizes).ok());
}

TEST(DndNumberSet, DecodesBackToItsMembersInOrder) {
  for (uint64_t universe : {kUniverse, uint64_t{1000}, uint64_t{10'000'000'000}}) {
    auto values = RandomSorted(20000, universe, 11);
    auto set = DndNumberSet::Build(values, universe);
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->Decode(), values) << universe;
  }
  auto empty = DndNumberSet::Build({}, kUniverse);
  EXPECT_TRUE(empty->Decode().empty());
}

}  // namespace
}  // namespace vaarta::compliance
