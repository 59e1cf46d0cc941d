// The VREC1 format: round trips, every plaintext range read through the chunks it
// needs, and any change to the stored bytes (or the wrong key) is an error, never bytes.
#include "recordings/encrypted_blob.h"

#include <gtest/gtest.h>

#include <map>

#include "core/crypto.h"

namespace vaarta::recordings {
namespace {

const std::string kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

RecordingKey TestKey() { return *ParseRecordingKey(kHexKey); }

std::string Plaintext(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  return s;
}

// An in-memory store that remembers which byte ranges were read.
class MemoryStore final : public BlobStore {
 public:
  core::Status Put(const std::string& key, const std::string& bytes) override {
    blobs_[key] = bytes;
    return core::Ok{};
  }
  core::Result<int64_t> Size(const std::string& key) const override {
    auto it = blobs_.find(key);
    if (it == blobs_.end()) return core::MakeError(core::ErrorCode::kNotFound, "no blob");
    return static_cast<int64_t>(it->second.size());
  }
  core::Result<std::string> Read(const std::string& key, int64_t offset,
                                 int64_t length) const override {
    auto it = blobs_.find(key);
    if (it == blobs_.end()) return core::MakeError(core::ErrorCode::kNotFound, "no blob");
    reads_.push_back({offset, length});
    if (offset >= static_cast<int64_t>(it->second.size())) return std::string();
    return it->second.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
  }
  core::Status Delete(const std::string& key) override {
    blobs_.erase(key);
    return core::Ok{};
  }
  std::map<std::string, std::string> blobs_;
  mutable std::vector<std::pair<int64_t, int64_t>> reads_;
};

TEST(RecordingKeyTest, ParsesHexAndBase64AndExplainsWhatIsWrong) {
  const std::string raw = core::Sha256("the key");  // 32 bytes
  const std::string hex = core::HexEncode(raw);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string b64 = core::Base64Encode(raw);  // standard, padded
  const std::string url = core::Base64UrlEncode(raw);
  for (const std::string& text : {hex, upper, "  " + hex + "\n", b64, url, url + "=", b64 + "\n"}) {
    auto key = ParseRecordingKey(text);
    ASSERT_TRUE(key) << text << ": " << key.error().message;
    EXPECT_EQ(key->raw(), raw) << text;
  }
  struct Bad {
    std::string text;
    std::string says;
  };
  for (const Bad& bad :
       {Bad{"", "is empty"}, Bad{"   \n", "is empty"},
        Bad{hex.substr(0, 63), "63 hexadecimal digits"}, Bad{hex + "00", "66 hexadecimal digits"},
        Bad{core::Base64Encode(raw.substr(0, 16)), "decodes (as base64) to 16"},
        Bad{"correct horse battery staple!", "neither 64 hexadecimal digits"}}) {
    auto key = ParseRecordingKey(bad.text, "recording_key");
    ASSERT_FALSE(key) << bad.text;
    EXPECT_EQ(key.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(key.error().detail_code, "invalid_recording_key");
    EXPECT_NE(key.error().message.find("setting 'recording_key'"), std::string::npos);
    EXPECT_NE(key.error().message.find(bad.says), std::string::npos) << key.error().message;
    if (bad.text.size() > 8) {
      EXPECT_EQ(key.error().message.find(bad.text), std::string::npos) << "echoes the secret";
    }
  }
  EXPECT_NE(TestKey().Id(), (*ParseRecordingKey(hex)).Id());
  EXPECT_EQ(TestKey().Id().size(), 8u);
}

TEST(EncryptedBlobTest, RoundTripsEverySizeAroundChunkBoundaries) {
  const RecordingKey key = TestKey();
  for (uint32_t chunk : {16u, 64u, kDefaultChunkSize}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{63},
                     size_t{64}, size_t{65}, size_t{1000}, size_t{3 * 65536 + 5}}) {
      const std::string plain = Plaintext(n);
      auto blob = EncryptRecording(key, plain, chunk);
      ASSERT_TRUE(blob);
      EncryptedBlobLayout layout{chunk, static_cast<int64_t>(n)};
      EXPECT_EQ(static_cast<int64_t>(blob->size()), layout.blob_size()) << chunk << "/" << n;
      EXPECT_EQ(blob->substr(0, 5), "VREC1");
      // The plaintext does not appear in the blob.
      if (n >= 64) {
        EXPECT_EQ(blob->find(plain.substr(0, 32)), std::string::npos);
      }
      auto back = DecryptRecording(key, *blob);
      ASSERT_TRUE(back) << back.error().message;
      EXPECT_EQ(*back, plain) << chunk << "/" << n;
    }
  }
  // Fresh salt and nonce every time: the same recording never encrypts the same way.
  EXPECT_NE(*EncryptRecording(key, "same"), *EncryptRecording(key, "same"));
  EXPECT_EQ(EncryptRecording(key, "x", 15).error().detail_code, "invalid_chunk_size");
  EXPECT_EQ(EncryptRecording(key, "x", kMaxChunkSize + 1).error().detail_code,
            "invalid_chunk_size");
}

TEST(EncryptedBlobTest, SpansCoverExactlyTheChunksOfARange) {
  EncryptedBlobLayout layout{100, 1050};  // 11 chunks, the last of 50 bytes
  EXPECT_EQ(layout.chunk_count(), 11);
  EXPECT_EQ(layout.blob_size(), 56 + 1050 + 11 * 16);
  CiphertextSpan s = layout.SpanFor(0, 1);
  EXPECT_EQ(s.first_chunk, 0);
  EXPECT_EQ(s.chunk_count, 1);
  EXPECT_EQ(s.offset, 56);
  EXPECT_EQ(s.length, 116);
  s = layout.SpanFor(99, 2);  // straddles chunks 0 and 1
  EXPECT_EQ(s.first_chunk, 0);
  EXPECT_EQ(s.chunk_count, 2);
  EXPECT_EQ(s.length, 232);
  s = layout.SpanFor(1000, 1000);  // the short last chunk, clamped
  EXPECT_EQ(s.first_chunk, 10);
  EXPECT_EQ(s.chunk_count, 1);
  EXPECT_EQ(s.offset, 56 + 10 * 116);
  EXPECT_EQ(s.length, 50 + 16);
  EXPECT_EQ(s.offset + s.length, layout.blob_size());
  EXPECT_EQ(layout.SpanFor(1050, 10).chunk_count, 0);
  EXPECT_EQ(layout.SpanFor(5, 0).chunk_count, 0);
  EXPECT_EQ(layout.SpanFor(-1, 5).chunk_count, 0);
  EncryptedBlobLayout empty{100, 0};
  EXPECT_EQ(empty.chunk_count(), 1);
  EXPECT_EQ(empty.blob_size(), 56 + 16);
}

TEST(EncryptedBlobTest, EveryRangeReadsOnlyTheChunksItNeeds) {
  const RecordingKey key = TestKey();
  const uint32_t chunk = 16;
  const std::string plain = Plaintext(157);  // 10 chunks, the last of 13 bytes
  MemoryStore store;
  ASSERT_TRUE(store.Put("r", *EncryptRecording(key, plain, chunk)));
  auto reader = EncryptedBlobReader::Open(store, key, "r");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->size(), 157);
  const int64_t n = static_cast<int64_t>(plain.size());
  for (int64_t offset = 0; offset <= n + 2; ++offset) {
    for (int64_t length = 0; length <= n + 2 - offset; ++length) {
      store.reads_.clear();
      auto got = reader->Read(offset, length);
      ASSERT_TRUE(got) << offset << "+" << length << ": " << got.error().message;
      const std::string want =
          offset >= n ? "" : plain.substr(static_cast<size_t>(offset), static_cast<size_t>(length));
      ASSERT_EQ(*got, want) << offset << "+" << length;
      if (want.empty()) {
        EXPECT_TRUE(store.reads_.empty());
        continue;
      }
      ASSERT_EQ(store.reads_.size(), 1u);
      const int64_t chunks =
          (offset + static_cast<int64_t>(want.size()) - 1) / chunk - offset / chunk + 1;
      EXPECT_LE(store.reads_[0].second, chunks * (chunk + 16)) << offset << "+" << length;
      EXPECT_EQ(store.reads_[0].first, 56 + offset / chunk * (chunk + 16));
    }
  }
  EXPECT_EQ(reader->Read(-1, 3).error().code, core::ErrorCode::kInvalidArgument);
}

// Every way of changing the stored bytes is caught.
TEST(EncryptedBlobTest, AnyChangeToTheBlobIsAnErrorNeverGarbage) {
  const RecordingKey key = TestKey();
  const std::string plain = Plaintext(100);
  const std::string blob = *EncryptRecording(key, plain, 32);  // 4 chunks: 32 32 32 4
  // Each single bit flipped anywhere: header, ciphertext, tags.
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto got = DecryptRecording(key, bad);
    ASSERT_FALSE(got) << "byte " << i << " changed unnoticed";
    EXPECT_TRUE(got.error().detail_code == kRecordingCorrupt ||
                (got.error().detail_code == kRecordingKeyMismatch && i >= 20 && i < 28))
        << i << ": " << got.error().detail_code;
  }
  const size_t stride = 32 + 16;
  auto chunk_at = [&](const std::string& b, size_t i, size_t len) {
    return b.substr(56 + i * stride, len);
  };
  // Two chunks swapped.
  std::string swapped = blob.substr(0, 56) + chunk_at(blob, 1, stride) + chunk_at(blob, 0, stride) +
                        blob.substr(56 + 2 * stride);
  EXPECT_EQ(DecryptRecording(key, swapped).error().detail_code, kRecordingCorrupt);
  // Truncated at the end, or a whole chunk dropped, or bytes appended.
  EXPECT_EQ(DecryptRecording(key, blob.substr(0, blob.size() - 1)).error().detail_code,
            kRecordingCorrupt);
  EXPECT_EQ(DecryptRecording(key, blob.substr(0, 56 + 3 * stride)).error().detail_code,
            kRecordingCorrupt);
  EXPECT_EQ(DecryptRecording(key, blob + "x").error().detail_code, kRecordingCorrupt);
  EXPECT_EQ(DecryptRecording(key, blob.substr(0, 20)).error().detail_code, kRecordingCorrupt);
  EXPECT_EQ(DecryptRecording(key, "").error().detail_code, kRecordingCorrupt);
  // A header that claims fewer bytes (with the file cut to match) is refused too: the
  // header is part of every chunk's associated data.
  std::string shorter = blob.substr(0, 56 + 3 * stride);
  shorter[12 + 7] = 96;  // plaintext size 100 -> 96 = exactly 3 chunks
  EXPECT_EQ(DecryptRecording(key, shorter).error().detail_code, kRecordingCorrupt);
  // A chunk from another file (same key, same position) does not fit.
  const std::string other = *EncryptRecording(key, plain, 32);
  std::string spliced =
      blob.substr(0, 56 + stride) + chunk_at(other, 1, stride) + blob.substr(56 + 2 * stride);
  EXPECT_EQ(DecryptRecording(key, spliced).error().detail_code, kRecordingCorrupt);
  // Even an empty recording's single chunk is authenticated.
  std::string empty = *EncryptRecording(key, "", 32);
  empty.back() = static_cast<char>(empty.back() ^ 0x80);
  EXPECT_EQ(DecryptRecording(key, empty).error().detail_code, kRecordingCorrupt);
}

TEST(EncryptedBlobTest, ARangeFailsOnlyWhereTheDamageIs) {
  const RecordingKey key = TestKey();
  const std::string plain = Plaintext(100);
  MemoryStore store;
  std::string blob = *EncryptRecording(key, plain, 32);
  blob[56 + 48 * 2 + 5] ^= 0x40;  // inside chunk 2 (plaintext 64..95)
  ASSERT_TRUE(store.Put("r", blob));
  auto reader = EncryptedBlobReader::Open(store, key, "r");
  ASSERT_TRUE(reader);
  EXPECT_EQ(*reader->Read(0, 64), plain.substr(0, 64));
  EXPECT_EQ(*reader->Read(96, 4), plain.substr(96));
  for (auto [offset, length] : {std::pair<int64_t, int64_t>{64, 1}, {60, 10}, {95, 5}, {0, 100}}) {
    auto got = reader->Read(offset, length);
    ASSERT_FALSE(got) << offset;
    EXPECT_EQ(got.error().detail_code, kRecordingCorrupt);
    EXPECT_NE(got.error().message.find("chunk 2"), std::string::npos) << got.error().message;
  }
}

TEST(EncryptedBlobTest, TheWrongKeyIsNamedAsSuch) {
  const std::string blob = *EncryptRecording(TestKey(), Plaintext(10));
  auto other = ParseRecordingKey(std::string(64, 'f'));
  ASSERT_TRUE(other);
  auto got = DecryptRecording(*other, blob);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().detail_code, kRecordingKeyMismatch);
  EXPECT_NE(got.error().message.find("different key"), std::string::npos);
  MemoryStore store;
  ASSERT_TRUE(store.Put("r", blob));
  EXPECT_EQ(EncryptedBlobReader::Open(store, *other, "r").error().detail_code,
            kRecordingKeyMismatch);
  EXPECT_EQ(EncryptedBlobReader::Open(store, TestKey(), "missing").error().code,
            core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vaarta::recordings
