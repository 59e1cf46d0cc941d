#pragma once
// Files compiled into the binary (migrations, the OpenAPI document), by path relative
// to src/.
#include <optional>
#include <span>
#include <string_view>

namespace vaarta::core {

struct EmbeddedFile {
  std::string_view path;
  std::string_view content;
};

std::span<const EmbeddedFile> EmbeddedFiles();

inline std::optional<std::string_view> FindEmbeddedFile(std::string_view path) {
  for (const auto& f : EmbeddedFiles()) {
    if (f.path == path) return f.content;
  }
  return std::nullopt;
}

}  // namespace vaarta::core
