#pragma once
// Where the fastText intent model is: the nlu_model_path setting, or vaarta-intents.bin
// in the directory of the running binary (where the build puts it, see
// src/CMakeLists.txt, and where a package installs it).
#include <string>

#include "core/config.h"

namespace vaarta::app {

std::string IntentModelPath(const core::Config& config);

}  // namespace vaarta::app
