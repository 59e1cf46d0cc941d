// `vaarta dnc import FILE`: load the business's existing do-not-call list.
#include <fstream>
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
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error().message);
  std::ostringstream sink;  // the product's JSON log stays out of the operator's terminal
  auto app = Application::Create(*cfg, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto summary = leads::ImportDoNotCallFile(
      (*app)->db(), (*app)->do_not_call(), (*app)->phones(), args.file, args.reason,
      {CommandContext::OperatorActor(), "admin", "local", ""});
  if (!summary) return ctx.Fail(summary.error().message);
  if (!args.report.empty()) {
    std::ofstream report(args.report, std::ios::binary);
    report << leads::ImportReportHeader();
    for (const auto& r : summary->rejects) report << leads::ImportReportLine(r);
    if (!report) return ctx.Fail("cannot write the report to " + args.report);
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
