#include "app/intent_model_path.h"

#include <filesystem>

namespace vaarta::app {

std::string IntentModelPath(const core::Config& config) {
  if (!config.nlu_model_path.empty()) return config.nlu_model_path;
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "vaarta-intents.bin";
  return (exe.parent_path() / "vaarta-intents.bin").string();
}

}  // namespace vaarta::app
