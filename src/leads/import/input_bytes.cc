#include "leads/import/input_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vaarta::leads::import {
namespace {

core::Error Unreadable(const std::string& path, const char* what) {
  return core::MakeError(core::ErrorCode::kInvalidArgument,
                         "cannot read '" + path + "': " + what + " (" + std::strerror(errno) + ")",
                         "file_unreadable");
}

}  // namespace

core::Result<std::shared_ptr<const InputBytes>> InputBytes::MapFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Unreadable(path, "open failed");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    auto error = Unreadable(path, "stat failed");
    ::close(fd);
    return error;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "cannot read '" + path + "': not a regular file", "file_unreadable");
  }
  std::shared_ptr<InputBytes> bytes(new InputBytes());
  bytes->name_ = path;
  if (st.st_size > 0) {
    void* mapping = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED) {
      auto error = Unreadable(path, "mmap failed");
      ::close(fd);
      return error;
    }
    ::madvise(mapping, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
    bytes->mapping_ = mapping;
    bytes->data_ = static_cast<const char*>(mapping);
    bytes->size_ = static_cast<size_t>(st.st_size);
  }
  ::close(fd);  // the mapping stays valid without the descriptor
  return std::shared_ptr<const InputBytes>(std::move(bytes));
}

std::shared_ptr<const InputBytes> InputBytes::FromString(std::string data, std::string name) {
  std::shared_ptr<InputBytes> bytes(new InputBytes());
  bytes->owned_ = std::move(data);
  bytes->data_ = bytes->owned_.data();
  bytes->size_ = bytes->owned_.size();
  bytes->name_ = std::move(name);
  return bytes;
}

InputBytes::~InputBytes() {
  if (mapping_ != nullptr) ::munmap(mapping_, size_);
}

}  // namespace vaarta::leads::import
