#include "recordings/encrypted_blob.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "core/crypto.h"

namespace vaarta::recordings {
namespace {

constexpr std::string_view kMagic = "VREC1";
constexpr uint8_t kVersion = 1;
constexpr size_t kKeyIdSize = 8;
constexpr size_t kSaltSize = 16;
constexpr size_t kNonceSize = 12;
constexpr size_t kChunkSizeAt = 8;
constexpr size_t kPlaintextSizeAt = 12;
constexpr size_t kKeyIdAt = 20;
constexpr size_t kSaltAt = 28;
constexpr size_t kNonceAt = 44;
static_assert(kNonceAt + kNonceSize == kEncryptedHeaderSize);

constexpr std::string_view kKeyIdLabel = "vaarta recording key id v1";
constexpr std::string_view kFileKeyInfo = "vaarta recording file key v1";

void PutBigEndian(std::string& out, size_t at, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) {
    out[at + i] = static_cast<char>((value >> (8 * (bytes - 1 - i))) & 0xff);
  }
}

uint64_t GetBigEndian(std::string_view in, size_t at, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(in[at + i]);
  return value;
}

core::Error Corrupt(const std::string& what) {
  return core::MakeError(
      core::ErrorCode::kInternal,
      "recording failed its integrity check: " + what + "; the stored file was altered or damaged",
      std::string(kRecordingCorrupt));
}

// OpenSSL failing on valid arguments is a bug or an exhausted allocator, not bad input.
[[noreturn]] void OpenSslFailure(const char* what) {
  throw std::runtime_error(std::string("OpenSSL failure: ") + what);
}

std::string DeriveFileKey(const RecordingKey& key, std::string_view salt) {
  return core::HkdfSha256(key.raw(), salt, kFileKeyInfo, 32);
}

std::string ChunkNonce(std::string_view base_nonce, int64_t index) {
  std::string nonce(base_nonce);
  for (size_t i = 0; i < 8; ++i) {
    nonce[kNonceSize - 1 - i] =
        static_cast<char>(static_cast<uint8_t>(nonce[kNonceSize - 1 - i]) ^
                          static_cast<uint8_t>((static_cast<uint64_t>(index) >> (8 * i)) & 0xff));
  }
  return nonce;
}

std::string ChunkAad(std::string_view header, int64_t index) {
  std::string aad(header);
  aad.resize(header.size() + 8);
  PutBigEndian(aad, header.size(), static_cast<uint64_t>(index), 8);
  return aad;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx NewGcm(std::string_view file_key, bool encrypt) {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) OpenSslFailure("cipher context");
  auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  if (init(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceSize, nullptr) != 1 ||
      init(ctx.get(), nullptr, nullptr, reinterpret_cast<const unsigned char*>(file_key.data()),
           nullptr) != 1) {
    OpenSslFailure("AES-256-GCM init");
  }
  return ctx;
}

// Appends chunk `index`'s ciphertext and tag to `out`.
void SealChunk(EVP_CIPHER_CTX* ctx, std::string_view header, std::string_view base_nonce,
               int64_t index, std::string_view plain, std::string& out) {
  const std::string nonce = ChunkNonce(base_nonce, index);
  const std::string aad = ChunkAad(header, index);
  int len = 0;
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr,
                         reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
      EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                        static_cast<int>(aad.size())) != 1) {
    OpenSslFailure("AES-256-GCM seal");
  }
  const size_t at = out.size();
  out.resize(at + plain.size() + kChunkTagSize);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
  if (!plain.empty() &&
      EVP_EncryptUpdate(ctx, dst, &len, reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1) {
    OpenSslFailure("AES-256-GCM seal");
  }
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx, dst + plain.size(), &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kChunkTagSize, dst + plain.size()) != 1) {
    OpenSslFailure("AES-256-GCM tag");
  }
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

}  // namespace

RecordingKey::RecordingKey(std::string_view raw) {
  if (raw.size() != sizeof bytes_) {
    throw std::invalid_argument("a recording key is exactly 32 bytes");
  }
  std::memcpy(bytes_, raw.data(), sizeof bytes_);
}

RecordingKey& RecordingKey::operator=(const RecordingKey& other) {
  std::memmove(bytes_, other.bytes_, sizeof bytes_);
  return *this;
}

RecordingKey::~RecordingKey() { OPENSSL_cleanse(bytes_, sizeof bytes_); }

std::string RecordingKey::Id() const {
  return core::HmacSha256(raw(), kKeyIdLabel).substr(0, kKeyIdSize);
}

core::Result<RecordingKey> ParseRecordingKey(std::string_view text, std::string_view setting) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  const std::string name = "setting '" + std::string(setting) + "'";
  const std::string how = "; generate one with 'openssl rand -hex 32'";
  auto invalid = [&](const std::string& why) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, name + " " + why + how,
                           std::string(kInvalidRecordingKey));
  };
  if (text.empty()) return invalid("is empty: recordings need a 32-byte key");
  if (std::all_of(text.begin(), text.end(), IsHexDigit)) {
    if (text.size() == 64) {
      std::string raw(32, '\0');
      for (size_t i = 0; i < 32; ++i) {
        raw[i] = static_cast<char>(HexValue(text[2 * i]) * 16 + HexValue(text[2 * i + 1]));
      }
      RecordingKey key(raw);
      OPENSSL_cleanse(raw.data(), raw.size());
      return key;
    }
    // Digits only could still be base64 of the right length (44 or 43 characters).
    if (text.size() != 43 && text.size() != 44) {
      return invalid("has " + std::to_string(text.size()) +
                     " hexadecimal digits; a 32-byte key is 64 hexadecimal digits");
    }
  }
  std::string url(text);
  for (char& c : url) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  std::string raw;
  if (!core::Base64UrlDecode(url, &raw)) {
    return invalid("is neither 64 hexadecimal digits nor base64");
  }
  if (raw.size() != 32) {
    size_t n = raw.size();
    OPENSSL_cleanse(raw.data(), raw.size());
    return invalid("decodes (as base64) to " + std::to_string(n) +
                   " bytes; AES-256 needs exactly 32");
  }
  RecordingKey key(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return key;
}

int64_t EncryptedBlobLayout::chunk_count() const {
  if (plaintext_size <= 0) return 1;
  return (plaintext_size + chunk_size - 1) / chunk_size;
}

int64_t EncryptedBlobLayout::blob_size() const {
  return static_cast<int64_t>(kEncryptedHeaderSize) + plaintext_size +
         chunk_count() * static_cast<int64_t>(kChunkTagSize);
}

int64_t EncryptedBlobLayout::ChunkPlaintextSize(int64_t index) const {
  const int64_t start = index * chunk_size;
  return std::clamp<int64_t>(plaintext_size - start, 0, chunk_size);
}

CiphertextSpan EncryptedBlobLayout::SpanFor(int64_t offset, int64_t length) const {
  CiphertextSpan span;
  if (offset < 0 || length <= 0 || offset >= plaintext_size) return span;
  const int64_t last_byte = std::min(plaintext_size, offset + length) - 1;
  span.first_chunk = offset / chunk_size;
  const int64_t last_chunk = last_byte / chunk_size;
  span.chunk_count = last_chunk - span.first_chunk + 1;
  const int64_t stride = static_cast<int64_t>(chunk_size) + static_cast<int64_t>(kChunkTagSize);
  span.offset = static_cast<int64_t>(kEncryptedHeaderSize) + span.first_chunk * stride;
  span.length = (span.chunk_count - 1) * stride + ChunkPlaintextSize(last_chunk) +
                static_cast<int64_t>(kChunkTagSize);
  return span;
}

core::Result<std::string> EncryptRecording(const RecordingKey& key, std::string_view plaintext,
                                           uint32_t chunk_size) {
  if (chunk_size < kMinChunkSize || chunk_size > kMaxChunkSize) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "recording chunk size " + std::to_string(chunk_size) + " is outside 16 bytes .. 16 MiB",
        "invalid_chunk_size");
  }
  EncryptedBlobLayout layout{chunk_size, static_cast<int64_t>(plaintext.size())};
  std::string header(kEncryptedHeaderSize, '\0');
  std::memcpy(header.data(), kMagic.data(), kMagic.size());
  header[kMagic.size()] = static_cast<char>(kVersion);
  PutBigEndian(header, kChunkSizeAt, chunk_size, 4);
  PutBigEndian(header, kPlaintextSizeAt, plaintext.size(), 8);
  const std::string key_id = key.Id();
  const std::string salt = core::RandomBytes(kSaltSize);
  const std::string base_nonce = core::RandomBytes(kNonceSize);
  std::memcpy(header.data() + kKeyIdAt, key_id.data(), kKeyIdSize);
  std::memcpy(header.data() + kSaltAt, salt.data(), kSaltSize);
  std::memcpy(header.data() + kNonceAt, base_nonce.data(), kNonceSize);

  std::string file_key = DeriveFileKey(key, salt);
  CipherCtx ctx = NewGcm(file_key, true);
  OPENSSL_cleanse(file_key.data(), file_key.size());
  std::string out;
  out.reserve(static_cast<size_t>(layout.blob_size()));
  out += header;
  for (int64_t i = 0; i < layout.chunk_count(); ++i) {
    std::string_view chunk = plaintext.substr(static_cast<size_t>(i) * chunk_size,
                                              static_cast<size_t>(layout.ChunkPlaintextSize(i)));
    SealChunk(ctx.get(), header, base_nonce, i, chunk, out);
  }
  return out;
}

core::Result<EncryptedBlobDecoder> EncryptedBlobDecoder::Open(const RecordingKey& key,
                                                              std::string_view header,
                                                              int64_t blob_size) {
  if (header.size() < kEncryptedHeaderSize || blob_size < int64_t{kEncryptedHeaderSize}) {
    return Corrupt("shorter than its header");
  }
  header = header.substr(0, kEncryptedHeaderSize);
  if (header.substr(0, kMagic.size()) != kMagic) return Corrupt("not a VREC1 recording");
  if (static_cast<uint8_t>(header[kMagic.size()]) != kVersion) {
    return Corrupt("unknown format version " +
                   std::to_string(static_cast<uint8_t>(header[kMagic.size()])));
  }
  EncryptedBlobDecoder d;
  const uint64_t chunk_size = GetBigEndian(header, kChunkSizeAt, 4);
  const uint64_t plaintext_size = GetBigEndian(header, kPlaintextSizeAt, 8);
  if (chunk_size < kMinChunkSize || chunk_size > kMaxChunkSize ||
      plaintext_size > (uint64_t{1} << 48)) {
    return Corrupt("impossible sizes in the header");
  }
  d.layout_ = {static_cast<uint32_t>(chunk_size), static_cast<int64_t>(plaintext_size)};
  if (!core::ConstantTimeEquals(header.substr(kKeyIdAt, kKeyIdSize), key.Id())) {
    return core::MakeError(core::ErrorCode::kInternal,
                           "the recording was encrypted with a different key (key id " +
                               core::HexEncode(header.substr(kKeyIdAt, kKeyIdSize)) +
                               ", configured key id " + core::HexEncode(key.Id()) +
                               "); configure the key it was written with",
                           std::string(kRecordingKeyMismatch));
  }
  if (blob_size != d.layout_.blob_size()) {
    return Corrupt("the file is " + std::to_string(blob_size) + " bytes where its header says " +
                   std::to_string(d.layout_.blob_size()) + " (truncated or extended)");
  }
  d.header_ = std::string(header);
  d.file_key_ = DeriveFileKey(key, header.substr(kSaltAt, kSaltSize));
  d.base_nonce_ = std::string(header.substr(kNonceAt, kNonceSize));
  return d;
}

core::Result<std::string> EncryptedBlobDecoder::DecryptChunks(const CiphertextSpan& span,
                                                              std::string_view ciphertext) const {
  if (span.first_chunk < 0 || span.chunk_count < 0 ||
      span.first_chunk + span.chunk_count > layout_.chunk_count()) {
    return Corrupt("chunk range outside the file");
  }
  CipherCtx ctx = NewGcm(file_key_, false);
  std::string out;
  size_t pos = 0;
  for (int64_t i = span.first_chunk; i < span.first_chunk + span.chunk_count; ++i) {
    const size_t plain_size = static_cast<size_t>(layout_.ChunkPlaintextSize(i));
    if (ciphertext.size() - pos < plain_size + kChunkTagSize || pos > ciphertext.size()) {
      return Corrupt("chunk " + std::to_string(i) + " is cut short");
    }
    const std::string nonce = ChunkNonce(base_nonce_, i);
    const std::string aad = ChunkAad(header_, i);
    int len = 0;
    if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr,
                           reinterpret_cast<const unsigned char*>(nonce.data())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                          reinterpret_cast<const unsigned char*>(aad.data()),
                          static_cast<int>(aad.size())) != 1) {
      OpenSslFailure("AES-256-GCM open");
    }
    const size_t at = out.size();
    out.resize(at + plain_size);
    const auto* src = reinterpret_cast<const unsigned char*>(ciphertext.data() + pos);
    if (plain_size > 0 &&
        EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + at), &len, src,
                          static_cast<int>(plain_size)) != 1) {
      OpenSslFailure("AES-256-GCM open");
    }
    unsigned char tag[kChunkTagSize];
    std::memcpy(tag, src + plain_size, kChunkTagSize);
    int tail = 0;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kChunkTagSize, tag) != 1) {
      OpenSslFailure("AES-256-GCM tag");
    }
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data() + at), &tail) !=
        1) {
      // Never hand out what failed authentication.
      OPENSSL_cleanse(out.data(), out.size());
      return Corrupt("chunk " + std::to_string(i) + " failed authentication");
    }
    pos += plain_size + kChunkTagSize;
  }
  if (pos != ciphertext.size()) return Corrupt("unexpected bytes after the chunks");
  return out;
}

core::Result<std::string> DecryptRecording(const RecordingKey& key, std::string_view blob) {
  auto decoder = EncryptedBlobDecoder::Open(key, blob, static_cast<int64_t>(blob.size()));
  if (!decoder) return decoder.error();
  const EncryptedBlobLayout& layout = decoder->layout();
  CiphertextSpan all{0, layout.chunk_count(), static_cast<int64_t>(kEncryptedHeaderSize),
                     layout.blob_size() - static_cast<int64_t>(kEncryptedHeaderSize)};
  return decoder->DecryptChunks(all, blob.substr(kEncryptedHeaderSize));
}

core::Result<EncryptedBlobReader> EncryptedBlobReader::Open(const BlobStore& store,
                                                            const RecordingKey& key,
                                                            const std::string& blob_key) {
  auto size = store.Size(blob_key);
  if (!size) return size.error();
  auto header = store.Read(blob_key, 0, kEncryptedHeaderSize);
  if (!header) return header.error();
  auto decoder = EncryptedBlobDecoder::Open(key, *header, *size);
  if (!decoder) return decoder.error();
  return EncryptedBlobReader(store, blob_key, std::move(*decoder));
}

core::Result<std::string> EncryptedBlobReader::Read(int64_t offset, int64_t length) const {
  if (offset < 0 || length < 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "a recording range needs a non-negative offset and length",
                           "invalid_range");
  }
  return decoder_.ReadRange(
      offset, length, [this](int64_t at, int64_t n) { return store_->Read(blob_key_, at, n); });
}

}  // namespace vaarta::recordings
