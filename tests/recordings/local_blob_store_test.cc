// LocalBlobStore: keys stay inside the folder, writes replace blobs whole, reads take
// ranges, deletes are idempotent.
#include "recordings/local_blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_support/test_database.h"

namespace vaarta::recordings {
namespace {

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir("blob-store");
    root_ = dir_ + "/blobs";
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string dir_, root_;
};

TEST_F(LocalBlobStoreTest, PutsReadsRangesSizesAndReplacesWhole) {
  LocalBlobStore store(root_);
  ASSERT_TRUE(store.Put("rec/2026/11/1.vrec", "hello, recording"));
  EXPECT_EQ(*store.Size("rec/2026/11/1.vrec"), 16);
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 0, 100), "hello, recording");
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 7, 9), "recording");
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 7, 3), "rec");
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 15, 10), "g");  // fewer at the end
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 16, 10), "");
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 99, 10), "");

  ASSERT_TRUE(store.Put("rec/2026/11/1.vrec", "short"));
  EXPECT_EQ(*store.Read("rec/2026/11/1.vrec", 0, 100), "short");
  EXPECT_EQ(*store.Size("rec/2026/11/1.vrec"), 5);

  // Binary content, empty blobs.
  std::string binary("\0\1\2\xff", 4);
  ASSERT_TRUE(store.Put("b", binary));
  EXPECT_EQ(*store.Read("b", 0, 4), binary);
  ASSERT_TRUE(store.Put("empty", ""));
  EXPECT_EQ(*store.Size("empty"), 0);

  // No temporary files are left beside the blobs, and the files are private.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".tmp", 0), std::string::npos) << entry.path();
  }
  struct stat st {};
  ASSERT_EQ(::stat((root_ + "/rec/2026/11/1.vrec").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((root_ + "/rec").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(LocalBlobStoreTest, MissingBlobsAreNotFoundAndDeleteIsIdempotent) {
  LocalBlobStore store(root_);
  EXPECT_EQ(store.Size("nope").error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(store.Read("nope", 0, 1).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(store.Read("a/b/c", 0, 1).error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(store.Delete("nope"));
  EXPECT_TRUE(store.Delete("a/b/c"));

  ASSERT_TRUE(store.Put("x/y", "data"));
  EXPECT_TRUE(store.Delete("x/y"));
  EXPECT_EQ(store.Size("x/y").error().code, core::ErrorCode::kNotFound);
  EXPECT_TRUE(store.Delete("x/y"));
  EXPECT_FALSE(std::filesystem::exists(root_ + "/x/y"));
}

TEST_F(LocalBlobStoreTest, RefusesKeysThatCouldLeaveTheFolder) {
  LocalBlobStore store(root_);
  // Something outside the store that a bad key would reach.
  std::ofstream(dir_ + "/secret") << "outside";
  for (const std::string& key : std::vector<std::string>{"",
                                                         "/etc/passwd",
                                                         "../secret",
                                                         "a/../../secret",
                                                         "a/./b",
                                                         "..",
                                                         ".",
                                                         "a//b",
                                                         "a/",
                                                         "/a",
                                                         ".hidden",
                                                         "a/.tmp-x",
                                                         "a\\b",
                                                         "a b",
                                                         "a\nb",
                                                         std::string("a\0b", 3),
                                                         "caf\xc3\xa9",
                                                         "a:b",
                                                         "a*b",
                                                         "~/x",
                                                         std::string(513, 'a')}) {
    auto checked = CheckBlobKey(key);
    ASSERT_FALSE(checked) << "accepted '" << key << "'";
    EXPECT_EQ(checked.error().detail_code, "invalid_blob_key");
    EXPECT_FALSE(store.Put(key, "x")) << key;
    EXPECT_FALSE(store.Read(key, 0, 10)) << key;
    EXPECT_FALSE(store.Size(key)) << key;
    EXPECT_FALSE(store.Delete(key)) << key;
  }
  std::ifstream in(dir_ + "/secret");
  std::string content;
  in >> content;
  EXPECT_EQ(content, "outside");
  for (const std::string& key :
       std::vector<std::string>{"a", "rec/2026/11/42.vrec", "A-b_c.d/e", std::string(512, 'a')}) {
    EXPECT_TRUE(CheckBlobKey(key)) << key;
  }
}

TEST_F(LocalBlobStoreTest, RefusesNegativeRangesAndSymlinks) {
  LocalBlobStore store(root_);
  ASSERT_TRUE(store.Put("k", "abc"));
  EXPECT_EQ(store.Read("k", -1, 2).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.Read("k", 0, -2).error().code, core::ErrorCode::kInvalidArgument);
  // A symlink planted in the folder is not followed to what it points at.
  std::ofstream(dir_ + "/target") << "outside";
  std::filesystem::create_symlink(dir_ + "/target", root_ + "/link");
  EXPECT_EQ(store.Read("link", 0, 10).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(store.Size("link").error().code, core::ErrorCode::kNotFound);
}

TEST_F(LocalBlobStoreTest, ConcurrentReadersSeeTheOldBlobOrTheNewOneNeverHalf) {
  LocalBlobStore store(root_);
  const std::string a(200000, 'a');
  const std::string b(300000, 'b');
  ASSERT_TRUE(store.Put("k", a));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; i < 40; ++i) ASSERT_TRUE(store.Put("k", i % 2 ? a : b));
    stop = true;
  });
  int reads = 0;
  while (!stop || reads == 0) {
    auto got = store.Read("k", 0, 1 << 20);
    ASSERT_TRUE(got);
    ASSERT_TRUE(*got == a || *got == b) << "read " << got->size() << " bytes";
    ++reads;
  }
  writer.join();
}

}  // namespace
}  // namespace vaarta::recordings
