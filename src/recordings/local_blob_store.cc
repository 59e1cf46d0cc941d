#include "recordings/local_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/crypto.h"

namespace vaarta::recordings {
namespace {

constexpr size_t kMaxKeyLength = 512;

core::Error IoError(const std::string& what, const std::string& path, int err) {
  return core::MakeError(core::ErrorCode::kUnavailable,
                         what + " " + path + ": " + std::strerror(err), "blob_io");
}

bool SegmentCharOk(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// mkdir -p with mode 0700: recordings are personal data, the folder is ours alone.
core::Status MakeDirectories(const std::string& path) {
  std::string partial;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    partial = path.substr(0, next);
    pos = next + 1;
    if (partial.empty()) continue;  // leading '/' of an absolute root
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return IoError("cannot create folder", partial, errno);
    }
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return core::MakeError(core::ErrorCode::kUnavailable, path + " is not a folder", "blob_io");
  }
  return core::Ok{};
}

// Makes the rename itself durable: the new directory entry must reach the disk too.
void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

core::Status CheckBlobKey(const std::string& key) {
  auto invalid = [&key](const std::string& why) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "blob key '" + key + "' " + why +
                               "; use '/'-separated segments of letters, digits, '_', '-' and '.'",
                           "invalid_blob_key");
  };
  if (key.empty()) return invalid("is empty");
  if (key.size() > kMaxKeyLength) return invalid("is longer than 512 characters");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string::npos) end = key.size();
    std::string segment = key.substr(start, end - start);
    if (segment.empty()) return invalid("has an empty segment (or starts or ends with '/')");
    if (segment[0] == '.') return invalid("has a segment starting with '.'");
    for (char c : segment) {
      if (!SegmentCharOk(c)) return invalid("has a character outside the allowed set");
    }
    start = end + 1;
  }
  return core::Ok{};
}

LocalBlobStore::LocalBlobStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

core::Status LocalBlobStore::Put(const std::string& key, const std::string& bytes) {
  if (auto ok = CheckBlobKey(key); !ok) return ok;
  const std::string path = PathOf(key);
  const std::string dir = path.substr(0, path.rfind('/'));
  if (auto made = MakeDirectories(dir); !made) return made;
  // A name no key can have (keys never start with '.'), unique per writer.
  const std::string temp =
      dir + "/.tmp-" + core::HexEncode(core::RandomBytes(8)) + "-" + path.substr(dir.size() + 1);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", temp, errno);
  bool written = WriteAll(fd, bytes);
  int err = errno;
  if (written && ::fsync(fd) != 0) {
    written = false;
    err = errno;
  }
  if (::close(fd) != 0 && written) {
    written = false;
    err = errno;
  }
  if (!written) {
    ::unlink(temp.c_str());
    return IoError("cannot write", temp, err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(temp.c_str());
    return IoError("cannot move into place", path, err);
  }
  SyncDirectory(dir);
  return core::Ok{};
}

core::Result<int64_t> LocalBlobStore::Size(const std::string& key) const {
  if (auto ok = CheckBlobKey(key); !ok) return ok.error();
  const std::string path = PathOf(key);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return core::MakeError(core::ErrorCode::kNotFound, "no blob " + key, "blob_not_found");
    }
    return IoError("cannot stat", path, errno);
  }
  if (!S_ISREG(st.st_mode)) {
    return core::MakeError(core::ErrorCode::kNotFound, "no blob " + key + " (not a regular file)",
                           "blob_not_found");
  }
  return static_cast<int64_t>(st.st_size);
}

core::Result<std::string> LocalBlobStore::Read(const std::string& key, int64_t offset,
                                               int64_t length) const {
  if (auto ok = CheckBlobKey(key); !ok) return ok.error();
  if (offset < 0 || length < 0) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "blob read needs a non-negative offset and length", "invalid_range");
  }
  const std::string path = PathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) {
      return core::MakeError(core::ErrorCode::kNotFound, "no blob " + key, "blob_not_found");
    }
    return IoError("cannot open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::MakeError(core::ErrorCode::kNotFound, "no blob " + key + " (not a regular file)",
                           "blob_not_found");
  }
  const int64_t available = std::max<int64_t>(0, static_cast<int64_t>(st.st_size) - offset);
  std::string out(static_cast<size_t>(std::min(length, available)), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done,
                        static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return IoError("cannot read", path, err);
    }
    if (n == 0) break;  // the file shrank under us: return what is there
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(done);
  return out;
}

core::Status LocalBlobStore::Delete(const std::string& key) {
  if (auto ok = CheckBlobKey(key); !ok) return ok;
  const std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
    return IoError("cannot delete", path, errno);
  }
  return core::Ok{};
}

}  // namespace vaarta::recordings
