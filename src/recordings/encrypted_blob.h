#pragma once
// Recordings at rest: AES-256-GCM in independent chunks, so that a range request
// decrypts only the chunks it touches. The format ("VREC1"):
//
//   header (56 bytes, big-endian integers)
//     0  magic "VREC1"        5  version (1)       6  reserved (0, 2 bytes)
//     8  chunk size (u32)     12 plaintext size (u64)
//     20 key id (8)           28 salt (16)          44 base nonce (12)
//   chunks: each chunk's ciphertext followed by its 16-byte tag; every chunk is
//     chunk-size long except the last (an empty recording still has one empty chunk).
//
// Each file has its own AES key, derived with HKDF-SHA256 from the configured key and
// the file's random salt. Chunk i is sealed with nonce = base nonce XOR i and with the
// whole header plus i as associated data: a reordered, dropped, swapped or altered
// chunk, a changed header, or a truncated or extended file fails authentication, and
// the reader returns an error, never bytes. The key id (from the configured key, not the
// file key) tells "encrypted with another key" apart from tampering.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "recordings/blob_store.h"

namespace vaarta::recordings {

inline constexpr size_t kEncryptedHeaderSize = 56;
inline constexpr size_t kChunkTagSize = 16;
inline constexpr uint32_t kDefaultChunkSize = 64 * 1024;
inline constexpr uint32_t kMinChunkSize = 16;
inline constexpr uint32_t kMaxChunkSize = 16 * 1024 * 1024;

// Detail codes of the errors below. Stable.
inline constexpr std::string_view kRecordingCorrupt = "recording_corrupt";
inline constexpr std::string_view kRecordingKeyMismatch = "recording_key_mismatch";
inline constexpr std::string_view kInvalidRecordingKey = "invalid_recording_key";

// The configured 32-byte key. Its bytes are wiped when it is destroyed.
class RecordingKey {
 public:
  // Exactly 32 raw bytes (throws std::invalid_argument otherwise: a bug, not input).
  explicit RecordingKey(std::string_view raw);
  RecordingKey(const RecordingKey& other) : RecordingKey(other.raw()) {}
  RecordingKey& operator=(const RecordingKey& other);
  ~RecordingKey();

  std::string_view raw() const { return {bytes_, sizeof bytes_}; }
  // 8 bytes naming the key without revealing it (HMAC-SHA256 of a fixed label).
  std::string Id() const;

 private:
  char bytes_[32];
};

// Reads the configured secret: 64 hexadecimal digits, or base64 (standard or URL
// alphabet, padding optional) of exactly 32 bytes; surrounding whitespace is ignored.
// kInvalidArgument ("invalid_recording_key") says what was wrong without echoing it.
// `setting` names the configuration key in the message.
core::Result<RecordingKey> ParseRecordingKey(std::string_view text,
                                             std::string_view setting = "recording_key");

// The bytes of the blob that hold a plaintext range: whole chunks, from `offset` for
// `length` bytes of the blob.
struct CiphertextSpan {
  int64_t first_chunk = 0;
  int64_t chunk_count = 0;
  int64_t offset = 0;
  int64_t length = 0;
};

// Sizes and positions in an encrypted blob of a given plaintext size.
struct EncryptedBlobLayout {
  uint32_t chunk_size = kDefaultChunkSize;
  int64_t plaintext_size = 0;

  int64_t chunk_count() const;  // at least 1
  int64_t blob_size() const;    // header + ciphertext + tags
  // Plaintext bytes in chunk `index`.
  int64_t ChunkPlaintextSize(int64_t index) const;
  // Chunks covering plaintext [offset, offset + length), clamped to the plaintext; an
  // empty range (or one past the end) gives chunk_count 0.
  CiphertextSpan SpanFor(int64_t offset, int64_t length) const;
};

// Encrypts a whole recording with a fresh salt and base nonce.
// kInvalidArgument when chunk_size is outside [kMinChunkSize, kMaxChunkSize].
core::Result<std::string> EncryptRecording(const RecordingKey& key, std::string_view plaintext,
                                           uint32_t chunk_size = kDefaultChunkSize);

// A blob's header, checked against the key and the blob's total size, ready to decrypt
// its chunks.
class EncryptedBlobDecoder {
 public:
  // `header` is the blob's first kEncryptedHeaderSize bytes (or more; the rest is
  // ignored); `blob_size` its total size, which must be what the header announces.
  static core::Result<EncryptedBlobDecoder> Open(const RecordingKey& key, std::string_view header,
                                                 int64_t blob_size);

  const EncryptedBlobLayout& layout() const { return layout_; }
  // Decrypts `span.chunk_count` chunks starting at `span.first_chunk`, given exactly
  // the blob bytes `SpanFor` named. kInternal "recording_corrupt" on any mismatch.
  core::Result<std::string> DecryptChunks(const CiphertextSpan& span,
                                          std::string_view ciphertext) const;
  // The plaintext [offset, offset + length) (clamped to the plaintext), given a
  // function that reads blob bytes.
  template <typename ReadFn>
  core::Result<std::string> ReadRange(int64_t offset, int64_t length, ReadFn&& read_blob) const {
    CiphertextSpan span = layout_.SpanFor(offset, length);
    if (span.chunk_count == 0) return std::string();
    core::Result<std::string> bytes = read_blob(span.offset, span.length);
    if (!bytes) return bytes.error();
    auto plain = DecryptChunks(span, *bytes);
    if (!plain) return plain;
    const int64_t skip = offset - span.first_chunk * layout_.chunk_size;
    const int64_t take = std::min<int64_t>(length, layout_.plaintext_size - offset);
    return plain->substr(static_cast<size_t>(skip), static_cast<size_t>(take));
  }

 private:
  EncryptedBlobDecoder() = default;

  std::string header_;    // exactly kEncryptedHeaderSize bytes: each chunk's associated data
  std::string file_key_;  // derived per file
  std::string base_nonce_;
  EncryptedBlobLayout layout_;
};

// Decrypts a whole blob held in memory.
core::Result<std::string> DecryptRecording(const RecordingKey& key, std::string_view blob);

// Plaintext ranges of one encrypted blob in a BlobStore.
class EncryptedBlobReader {
 public:
  // Reads and checks the header. kNotFound when there is no such blob.
  static core::Result<EncryptedBlobReader> Open(const BlobStore& store, const RecordingKey& key,
                                                const std::string& blob_key);

  int64_t size() const { return decoder_.layout().plaintext_size; }
  // Up to `length` plaintext bytes from `offset` (fewer at the end).
  core::Result<std::string> Read(int64_t offset, int64_t length) const;

 private:
  EncryptedBlobReader(const BlobStore& store, std::string blob_key, EncryptedBlobDecoder decoder)
      : store_(&store), blob_key_(std::move(blob_key)), decoder_(std::move(decoder)) {}

  const BlobStore* store_;
  std::string blob_key_;
  EncryptedBlobDecoder decoder_;
};

}  // namespace vaarta::recordings
