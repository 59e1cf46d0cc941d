#include "app/command_context.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/application.h"

namespace vaarta::app {

core::Result<core::ConfigSources> CommandContext::LoadSources() const {
  core::ConfigSources sources;
  std::string file = config_file;
  if (file.empty()) {
    if (const char* env = std::getenv("VAARTA_CONFIG")) file = env;
  }
  if (!file.empty()) {
    if (access(file.c_str(), R_OK) != 0) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "cannot read config file '" + file + "'");
    }
    if (auto s = sources.LoadFile(file); !s) return s.error();
  }
  if (auto s = sources.LoadEnvironment(environ); !s) return s.error();
  for (const auto& [k, v] : flags) sources.SetFlag(k, v);
  return sources;
}

core::Result<core::Config> CommandContext::LoadConfig() const {
  auto sources = LoadSources();
  if (!sources) return sources.error();
  return sources->Resolve();
}

core::Result<std::unique_ptr<Application>> OpenApplication(CommandContext& ctx,
                                                           std::ostream& log_sink,
                                                           const core::Clock* clock) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return cfg.error();
  return Application::Create(*cfg, log_sink, clock);
}

void CommandContext::Fail(const std::string& message) {
  *err << "vaarta: " << message << '\n';
  exit_code = 1;
}

std::string CommandContext::OperatorActor() {
  const char* user = std::getenv("USER");
  return std::string("cli:") + (user ? user : "unknown");
}

void AddConfigFlag(CLI::App* command, CommandContext& ctx, const std::string& key,
                   const std::string& option, const std::string& help) {
  command->add_option_function<std::string>(
      option, [&ctx, key](const std::string& v) { ctx.flags[key] = v; }, help);
}

void AddCommonOptions(CLI::App* command, CommandContext& ctx) {
  command->add_option("--config", ctx.config_file, "TOML configuration file (also VAARTA_CONFIG)");
  AddConfigFlag(command, ctx, "db", "--db",
                "database URL: sqlite:PATH or postgresql://... (also VAARTA_DB)");
  AddConfigFlag(command, ctx, "data_dir", "--data-dir", "data folder (also VAARTA_DATA_DIR)");
  AddConfigFlag(command, ctx, "log_level", "--log-level", "debug, info, warn or error");
}

}  // namespace vaarta::app
