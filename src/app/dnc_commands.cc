// `vaarta dnc import FILE`: load the business's existing do-not-call list.
#include <sstream>

#include "app/application.h"
#include "app/command_context.h"
#include "leads/do_not_call_import.h"
#include "leads/import_report.h"

namespace vaarta::app {
namespace {

struct DncArgs {
  std::string file;
  std::string reason;
  std::string report;
};

void Import(CommandContext& ctx, const DncArgs& args) {
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto summary = leads::ImportDoNotCallFile(
      (*app)->db(), (*app)->do_not_call(), (*app)->phones(), args.file, args.reason,
      {CommandContext::OperatorActor(), "admin", "local", ""});
  if (!summary) return ctx.Fail(summary.error().message);
  if (!args.report.empty()) {
    if (auto written = leads::WriteImportReport(args.report, summary->rejects); !written) {
      return ctx.Fail(written.error().message);
    }
  }
  *ctx.out << summary->ToJson(20).dump() << '\n';
}

}  // namespace

void AddDncCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<DncArgs>();
  auto* dnc = cli.add_subcommand("dnc", "The business's own do-not-call list");
  dnc->require_subcommand(1);
  auto* import = dnc->add_subcommand(
      "import", "Add every number of a CSV, TSV or XLSX file to the do-not-call list");
  AddCommonOptions(import, ctx);
  import->add_option("FILE", args->file, "numbers, one a row (a header is optional)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--reason", args->reason, "recorded on every entry, e.g. 'old CRM list'");
  import->add_option("--report", args->report,
                     "write every refused row, with its reason, to this CSV file");
  import->callback([&ctx, args] { Import(ctx, *args);
});
}  // namespace vaarta::app

}  // namespace vaarta::app
