#pragma once
// What every CLI command needs: the shared options (--config, --db, ...), the merged
// configuration, the process's streams, and one way to fail. Each command group lives
// in its own file and registers its subcommands with AddXCommands(cli, ctx).
#include <CLI/CLI.hpp>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"

namespace vaarta::app {

class Application;

struct CommandContext {
  char** environ = nullptr;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  std::string config_file;
  std::map<std::string, std::string> flags;  // only the flags given, by config key
  int exit_code = 0;

  core::Result<core::ConfigSources> LoadSources() const;
  // Flags, then VAARTA_* environment, then the TOML file, then defaults.
  core::Result<core::Config> LoadConfig() const;
  // Prints "vaarta: <message>" on stderr and records exit code 1.
  void Fail(const std::string& message);
  // The actor named in audit records for commands run by an operator.
  static std::string OperatorActor();
};

// Loads the configuration and opens the application for a command that serves nothing;
// the product's JSON log goes to `log_sink`, out of the operator's terminal. `clock`
// (null: the system clock) must outlive the application.
core::Result<std::unique_ptr<Application>> OpenApplication(CommandContext& ctx,
                                                           std::ostream& log_sink,
                                                           const core::Clock* clock = nullptr);

// --config, --db, --data-dir, --log-level: every subcommand that touches data has them.
void AddCommonOptions(CLI::App* command, CommandContext& ctx);
// A string option stored under a config key only when given (so that it outranks the
// environment and the file, and is absent otherwise).
void AddConfigFlag(CLI::App* command, CommandContext& ctx, const std::string& key,
                   const std::string& option, const std::string& help);

// Command groups, one file each.
void AddServeCommands(CLI::App& cli, CommandContext& ctx);
void AddAdminCommands(CLI::App& cli, CommandContext& ctx);  // migrate, config, audit, version
void AddUserCommands(CLI::App& cli, CommandContext& ctx);
void AddLeadCommands(CLI::App& cli, CommandContext& ctx);
void AddDndCommands(CLI::App& cli, CommandContext& ctx);
void AddDncCommands(CLI::App& cli, CommandContext& ctx);
void AddSimulateCommands(CLI::App& cli, CommandContext& ctx);
void AddTelephonySimCommands(CLI::App& cli, CommandContext& ctx);
void AddNluCommands(CLI::App& cli, CommandContext& ctx);
void AddTtsCommands(CLI::App& cli, CommandContext& ctx);

}  // namespace vaarta::app
