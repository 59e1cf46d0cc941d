#include <iostream>
#include <sstream>

#include "app/application.h"
#include "app/command_context.h"
#include "leads/import_report.h"

namespace vaarta::app {
namespace {

struct ImportArgs {
  std::string file;
  std::string list;
  std::vector<std::string> maps;
  std::string scope = "all";
  bool update = false;
  bool dry_run = false;
  std::string report;
};

void ImportCommand(CommandContext& ctx, const ImportArgs& args) {
  if (args.scope != "all" && args.scope != "list")
    return ctx.Fail("--dedupe-scope must be all or list");
  if (args.scope == "list" && args.list.empty())
    return ctx.Fail("--dedupe-scope list needs --list NAME");
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  leads::ImportOptions options;
  options.list_name = args.list;
  options.column_maps = args.maps;
  options.scope = args.scope == "list" ? leads::DedupeScope::kList : leads::DedupeScope::kAll;
  options.update_existing = args.update;
  options.dry_run = args.dry_run;
  options.actor = CommandContext::OperatorActor();
  options.file_name = args.file.substr(args.file.find_last_of('/') + 1);
  auto result = (*app)->imports().RunNow(args.file, options);
  if (!result) return ctx.Fail(result.error().message);
  if (!args.report.empty()) {
    if (auto written = leads::WriteImportReport(args.report, result->rejects); !written) {
      return ctx.Fail(written.error().message);
    }
  }
  nlohmann::json summary = result->job.summary.ToJson();
  if (!args.dry_run) summary["job_id"] = result->job.id;
  summary["dry_run"] = args.dry_run;
  summary["format"] = result->job.format;
  summary["encoding"] = result->job.encoding;
  summary["warnings"] = result->job.warnings;
  *ctx.out << summary.dump() << '\n';
}

}  // namespace

void AddLeadCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<ImportArgs>();
  auto* leads_cmd = cli.add_subcommand("leads", "Lead tools");
  leads_cmd->require_subcommand(1);
  auto* import = leads_cmd->add_subcommand(
      "import", "Import leads from a CSV, TSV or XLSX file; prints a JSON summary");
  AddCommonOptions(import, ctx);
  import->add_option("FILE", args->file, "the file to import")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--list", args->list, "add the leads to this list (created if needed)");
  import->add_option("--map", args->maps,
                     "field=column: take a field from a column by header or #N (repeatable)");
  import->add_option(
      "--dedupe-scope", args->scope,
      "all (default): a number stored anywhere is a duplicate; list: only in --list");
  import->add_flag("--update", args->update,
                   "update stored leads instead of reporting them as duplicates");
  import->add_flag("--dry-run", args->dry_run, "check everything, store nothing");
  import->add_option("--report", args->report,
                     "write every refused or duplicate row, with its reason, to this CSV file");
  import->callback([&ctx, args] { ImportCommand(ctx, *args);
});
}  // namespace vaarta::app

}  // namespace vaarta::app
