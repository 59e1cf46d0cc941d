#include "app/cli.h"

#include <CLI/CLI.hpp>

#include "app/command_context.h"

namespace vaarta::app {

int RunCli(int argc, char** argv, char** environ, std::istream& in, std::ostream& out,
           std::ostream& err) {
  CLI::App cli{"Vaarta: an AI calling agent with its own CRM"};
  cli.require_subcommand(1);
  CommandContext ctx;
  ctx.environ = environ;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;

  AddServeCommands(cli, ctx);
  AddAdminCommands(cli, ctx);
  AddUserCommands(cli, ctx);
  AddLeadCommands(cli, ctx);
  AddDndCommands(cli, ctx);
  AddDncCommands(cli, ctx);
  AddSimulateCommands(cli, ctx);
  AddTelephonySimCommands(cli, ctx);
  AddNluCommands(cli, ctx);
  AddTtsCommands(cli, ctx);

  try {
    cli.parse(argc, argv);  // runs the chosen command's callback
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e, out, out);  // --help
    err << "vaarta: " << e.what() << " (see --help)\n";
    return e.get_exit_code();
  }
  return ctx.exit_code;
}

}  // namespace vaarta::app
