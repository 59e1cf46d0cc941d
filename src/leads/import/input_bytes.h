#pragma once
// InputBytes: the whole input file as one read-only byte range, either memory-mapped
// (files of several hundred MB are read without copying them into the heap) or an
// owned buffer (an upload already in memory).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vaarta::leads::import {

class InputBytes {
 public:
  static core::Result<std::shared_ptr<const InputBytes>> MapFile(const std::string& path);
  static std::shared_ptr<const InputBytes> FromString(std::string bytes, std::string name);
  ~InputBytes();
  InputBytes(const InputBytes&) = delete;
  InputBytes& operator=(const InputBytes&) = delete;

  std::string_view view() const { return {data_, size_}; }
  const std::string& name() const { return name_; }  // file name, for hints and messages

 private:
  InputBytes() = default;
  const char* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;  // munmap'ed on destruction when set
  std::string owned_;
  std::string name_;
};

}  // namespace vaarta::leads::import
