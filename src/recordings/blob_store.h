#pragma once
// BlobStore: where recording media lives, by key. A local folder is the first
// implementation (recordings/local_blob_store.h); S3-compatible storage fits later.
// Stores hold bytes as given: encryption at rest is the RecordingStore's business.
#include <cstdint>
#include <string>

#include "core/result.h"

namespace vaarta::recordings {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Writes the whole blob atomically (readers never see half of it); replaces any old one.
  virtual core::Status Put(const std::string& key, const std::string& bytes) = 0;
  // kNotFound when there is no such blob.
  virtual core::Result<int64_t> Size(const std::string& key) const = 0;
  // `length` bytes from `offset` (fewer at the end).
  virtual core::Result<std::string> Read(const std::string& key, int64_t offset,
                                         int64_t length) const = 0;
  // Deleting a blob that is not there is not an error.
  virtual core::Status Delete(const std::string& key) = 0;
};

}  // namespace vaarta::recordings
