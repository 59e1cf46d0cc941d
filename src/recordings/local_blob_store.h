#pragma once
// LocalBlobStore: blobs as files under one folder. Keys are relative paths made of
// plain segments ("rec/2026/11/42.vrec"); anything that could leave the folder or name
// a hidden file is refused. Writes go to a temporary file that is flushed to disk and
// renamed over the target, so a reader sees the old blob or the new one, never half.
#include <string>

#include "recordings/blob_store.h"

namespace vaarta::recordings {

// kInvalidArgument (detail "invalid_blob_key") unless `key` is 1..512 characters of
// '/'-separated segments, each of [A-Za-z0-9_.-], not starting with '.'.
core::Status CheckBlobKey(const std::string& key);

class LocalBlobStore final : public BlobStore {
 public:
  // The folder is created (with its parents, mode 0700) on the first Put.
  explicit LocalBlobStore(std::string root);

  core::Status Put(const std::string& key, const std::string& bytes) override;
  core::Result<int64_t> Size(const std::string& key) const override;
  core::Result<std::string> Read(const std::string& key, int64_t offset,
                                 int64_t length) const override;
  core::Status Delete(const std::string& key) override;

  const std::string& root() const { return root_; }

 private:
  std::string PathOf(const std::string& key) const { return root_ + "/" + key; }

  std::string root_;
};

}  // namespace vaarta::recordings
