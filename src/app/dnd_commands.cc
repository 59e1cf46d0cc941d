// `vaarta dnd ...`: load the DND registry, check numbers against it, see its status,
// override a stale one, and generate test registries.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/application.h"
#include "app/command_context.h"
#include "leads/lead_dnd_rescrub.h"

namespace vaarta::app {
namespace {

struct DndArgs {
  std::string file;
  std::string date;
  bool add = false, remove = false, replace = false, allow_invalid = false;
  std::vector<std::string> numbers;
  int category = 0;
  std::string mode = "ai_agent";
  std::string at;
  uint64_t count = 1000;
  uint64_t seed = 42;
  double partial = 0.05;
  std::string out;
  std::string reason;
};

compliance::Actor OperatorActor() {
  return {CommandContext::OperatorActor(), "admin", "local", ""};
}

void Load(CommandContext& ctx, const DndArgs& args) {
  if (int(args.add) + int(args.remove) + int(args.replace) > 1) {
    return ctx.Fail("choose one of --replace, --add and --remove");
  }
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  compliance::DndLoadOptions options;
  options.mode = args.add      ? compliance::DndLoadMode::kAdd
                 : args.remove ? compliance::DndLoadMode::kRemove
                               : compliance::DndLoadMode::kReplace;
  options.registry_date = args.date;
  options.allow_invalid = args.allow_invalid;
  auto report = (*app)->dnd().Load(args.file, options, OperatorActor());
  if (!report) return ctx.Fail(report.error().message);
  // Leads record their DND state for filtering; bring them up to the new registry.
  auto counts = leads::RescrubLeadsDnd((*app)->db(), (*app)->CurrentDndScrub());
  nlohmann::json out = report->ToJson();
  out["leads_checked"] = counts.checked;
  out["leads_changed"] = counts.changed;
  *ctx.out << out.dump() << '\n';
}

void Check(CommandContext& ctx, const DndArgs& args) {
  auto mode = compliance::ParseDndCallMode(args.mode);
  if (!mode) {
    return ctx.Fail("--mode must be ai_agent, voice, auto_recorded, auto_live or robo, got '" +
                    args.mode + "'");
  }
  if (args.category < 0 || args.category > 8) {
    return ctx.Fail("--category must be 1-8 (0: any category), got " +
                    std::to_string(args.category));
  }
  std::optional<int64_t> at;
  if (!args.at.empty()) {
    int64_t ms = 0;
    if (!core::ParseIso8601(args.at, &ms)) {
      return ctx.Fail("--at must be an ISO 8601 time such as 2026-12-01T10:30:00+05:30, got '" +
                      args.at + "'");
    }
    at = ms;
  }
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto status = (*app)->dnd().Status();
  if (!status) return ctx.Fail(status.error().message);
  auto snapshot = (*app)->dnd().Current();
  bool all_ok = true;
  for (const auto& input : args.numbers) {
    nlohmann::json line = {{"input", input}};
    auto parsed = (*app)->phones().Normalize(input);
    if (!parsed.number) {
      line["error"] = parsed.message;
      all_ok = false;
    } else {
      line["phone"] = parsed.number->e164;
      auto verdict = compliance::DndRegistry::Check(snapshot.get(), parsed.number->e164,
                                                    args.category, *mode, at);
      line.update(verdict.ToJson());
      line["may_call"] = compliance::DndRegistry::MayCall(verdict, *status);
    }
    line["registry_date"] = status->loaded ? nlohmann::json(status->registry_date) : nullptr;
    line["stale"] = status->stale;
    *ctx.out << line.dump() << '\n';
  }
  if (!all_ok) ctx.exit_code = 1;
}

void Status(CommandContext& ctx) {
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto status = (*app)->dnd().Status();
  if (!status) return ctx.Fail(status.error().message);
  *ctx.out << status->ToJson().dump() << '\n';
}

void Override(CommandContext& ctx, const DndArgs& args) {
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto made = (*app)->dnd().Override(args.reason, OperatorActor());
  if (!made) return ctx.Fail(made.error().message);
  *ctx.out << made->dump() << '\n';
}

void Generate(CommandContext& ctx, const DndArgs& args) {
  if (args.partial < 0 || args.partial > 1) return ctx.Fail("--partial must be between 0 and 1");
  if (args.out.empty() || args.out == "-") {
    compliance::WriteGeneratedDndRegistry(*ctx.out, args.count, args.seed, args.partial);
    return;
  }
  std::ofstream file(args.out, std::ios::binary);
  if (!file) return ctx.Fail("cannot create " + args.out);
  compliance::WriteGeneratedDndRegistry(file, args.count, args.seed, args.partial);
  file.close();
  if (!file) return ctx.Fail("cannot write " + args.out);
}

}  // namespace

void AddDndCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<DndArgs>();
  auto* dnd = cli.add_subcommand("dnd", "India's DND (NCPR) registry");
  dnd->require_subcommand(1);

  auto* load = dnd->add_subcommand(
      "load", "Load a registry file (docs/dnd-registry.md); prints a JSON report");
  AddCommonOptions(load, ctx);
  load->add_option("FILE", args->file, "the registry file")->required()->check(CLI::ExistingFile);
  load->add_option("--date", args->date,
                   "YYYY-MM-DD: the day the file was produced (default: today in IST)");
  load->add_flag("--replace", args->replace, "the file is the whole registry (the default)");
  load->add_flag("--add", args->add, "add the file's numbers (a daily addition file)");
  load->add_flag("--remove", args->remove, "take the file's numbers off (a daily removal file)");
  load->add_flag("--allow-invalid", args->allow_invalid,
                 "load the valid lines of a file with errors, instead of refusing it");
  load->callback([&ctx, args] { Load(ctx, *args); });

  auto* check = dnd->add_subcommand(
      "check", "Whether calls to numbers are blocked, and why; one JSON object a number");
  AddCommonOptions(check, ctx);
  check->add_option("NUMBER", args->numbers, "numbers as people write them")->required();
  check->add_option("--category", args->category,
                    "the campaign's category 1-8 (default 0: blocked if listed for any)");
  check->add_option("--mode", args->mode,
                    "ai_agent (default), voice, auto_recorded, auto_live or robo");
  check->add_option("--at", args->at,
                    "ISO 8601 time: also check the customer's time bands and days then");
  check->callback([&ctx, args] { Check(ctx, *args); });

  auto* status = dnd->add_subcommand("status", "The loaded registry's date, size and freshness");
  AddCommonOptions(status, ctx);
  status->callback([&ctx] { Status(ctx); });

  auto* override_cmd = dnd->add_subcommand(
      "override", "Accept a stale registry for the rest of today (IST), with a reason; audited");
  AddCommonOptions(override_cmd, ctx);
  override_cmd->add_option("--reason", args->reason, "why calling on it is acceptable today")
      ->required();
  override_cmd->callback([&ctx, args] { Override(ctx, *args); });

  auto* generate =
      dnd->add_subcommand("generate", "Write a test registry file of generated numbers");
  generate->add_option("--count", args->count, "how many numbers (default 1000)");
  generate->add_option("--seed", args->seed, "random seed (default 42)");
  generate->add_option("--partial", args->partial,
                       "share of numbers with a partial preference (default 0.05)");
  generate->add_option("--out", args->out, "file to write (default: standard output)");
  generate->callback([&ctx, args] { Generate(ctx, *args); });
}

}  // namespace vaarta::app
