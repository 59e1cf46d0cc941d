#include "auth/password_hasher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace vaarta::auth {
namespace {

// Cheap parameters keep the suite fast; DefaultParamsHashAndVerify covers the real ones.
constexpr Argon2Params kTestParams{.time_cost = 1, .memory_kib = 1024, .parallelism = 1};

TEST(PasswordHasherTest, VerifiesRightPasswordAndRejectsWrongOne) {
  PasswordHasher hasher(kTestParams);
  std::string hash = hasher.Hash("correct horse battery");
  EXPECT_TRUE(hasher.Verify("correct horse battery", hash));
  EXPECT_FALSE(hasher.Verify("correct horse battery ", hash));
  EXPECT_FALSE(hasher.Verify("", hash));
}

TEST(PasswordHasherTest, ProducesEncodedArgon2idWithItsParameters) {
  PasswordHasher hasher(kTestParams);
  std::string hash = hasher.Hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << hash;
  EXPECT_EQ(hash.find('\0'), std::string::npos);
}

TEST(PasswordHasherTest, SaltsEachHash) {
  PasswordHasher hasher(kTestParams);
  EXPECT_NE(hasher.Hash("correct horse battery"), hasher.Hash("correct horse battery"));
}

TEST(PasswordHasherTest, MalformedStoredHashIsRejected) {
  PasswordHasher hasher(kTestParams);
  std::string good = hasher.Hash("correct horse battery");
  EXPECT_FALSE(hasher.Verify("correct horse battery", ""));
  EXPECT_FALSE(hasher.Verify("correct horse battery", "not a hash"));
  EXPECT_FALSE(hasher.Verify("correct horse battery", good.substr(0, good.size() - 5)));
  std::string argon2i = good;
  argon2i.replace(0, 9, "$argon2i$");
  EXPECT_FALSE(hasher.Verify("correct horse battery", argon2i));
}

TEST(PasswordHasherTest, StoredHashAskingForHugeMemoryIsRejectedWithoutRunning) {
  PasswordHasher hasher(kTestParams);
  std::string good = hasher.Hash("correct horse battery");
  std::string greedy = good;
  greedy.replace(greedy.find("m=1024"), 6, "m=4194304");
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(hasher.Verify("correct horse battery", greedy));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(PasswordHasherTest, DefaultParamsHashAndVerify) {
  PasswordHasher hasher;
  std::string hash = hasher.Hash("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  EXPECT_TRUE(hasher.Verify("correct horse battery", hash));
  EXPECT_FALSE(hasher.Verify("wrong horse battery", hash));
}

TEST(PasswordHasherTest, DummyHashIsComputedOnceAcrossThreads) {
  PasswordHasher hasher(kTestParams);
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] { seen[i] = hasher.DummyHash(); });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : seen) EXPECT_EQ(s, seen[0]);
  EXPECT_EQ(seen[0].rfind("$argon2id$", 0), 0u);
  EXPECT_FALSE(hasher.Verify("", seen[0]));
}

TEST(PasswordHasherTest, CopyGetsItsOwnWorkingDummyHash) {
  PasswordHasher original(kTestParams);
  std::string first = original.DummyHash();
  PasswordHasher copy = original;
  EXPECT_EQ(copy.DummyHash().rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(original.DummyHash(), first);
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersDiffer) {
  PasswordHasher cheap(kTestParams);
  PasswordHasher stronger(Argon2Params{.time_cost = 2, .memory_kib = 1024, .parallelism = 1});
  std::string hash = cheap.Hash("correct horse battery");
  EXPECT_FALSE(cheap.NeedsRehash(hash));
  EXPECT_TRUE(stronger.NeedsRehash(hash));
  EXPECT_TRUE(cheap.NeedsRehash("garbage"));
}

TEST(PasswordPolicyTest, AcceptsReasonablePasswords) {
  EXPECT_TRUE(CheckPasswordPolicy("correct horse").ok());
  EXPECT_TRUE(CheckPasswordPolicy(std::string(256, 'a').replace(0, 1, "b")).ok());
}

TEST(PasswordPolicyTest, RejectsTooShortTooLongAndRepeatedCharacter) {
  auto short_one = CheckPasswordPolicy("abcdefghi");
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(short_one.error().detail_code, "weak_password");
  EXPECT_FALSE(CheckPasswordPolicy(std::string(257, 'a').replace(0, 1, "b")).ok());
  EXPECT_FALSE(CheckPasswordPolicy("aaaaaaaaaaaa").ok());
}

TEST(PasswordPolicyTest, CountsCharactersNotBytes) {
  // Five two-byte characters are ten bytes but only five characters.
  EXPECT_FALSE(CheckPasswordPolicy("\u00e9\u00e9\u00e9\u00e9\u00e9").ok());
  EXPECT_TRUE(
      CheckPasswordPolicy("\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f").ok());
  EXPECT_FALSE(CheckPasswordPolicy("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
                                   "\u00e9")
                   .ok());
}

}  // namespace
}  // namespace vaarta::auth
