#include <iostream>

#include "app/application.h"
#include "app/command_context.h"
#include "audit/audit_log.h"
#include "storage/migrator.h"

namespace vaarta::app {
namespace {

void MigrateCommand(CommandContext& ctx) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error().message);
  std::unique_ptr<storage::Database> db;
  try {
    db = storage::OpenDatabase(cfg->db, 1);
  } catch (const storage::DatabaseError& e) {
    return ctx.Fail(e.what());
  }
  auto report = storage::Migrate(*db);
  if (!report) return ctx.Fail(report.error().message);
  *ctx.out << "database " << db->Describe() << " is at version " << report->current_version;
  if (report->applied.empty()) {
    *ctx.out << " (nothing to apply)\n";
  } else {
    *ctx.out << " (applied";
    for (int v : report->applied) *ctx.out << ' ' << v;
    *ctx.out << ")\n";
  }
}

void ConfigShowCommand(CommandContext& ctx) {
  auto sources = ctx.LoadSources();
  if (!sources) return ctx.Fail(sources.error().message);
  if (auto cfg = sources->Resolve(); !cfg) return ctx.Fail(cfg.error().message);
  *ctx.out << core::RenderConfig(sources->Effective());
}

void AuditVerifyCommand(CommandContext& ctx) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error().message);
  auto db = OpenMigratedDatabase(*cfg);
  if (!db) return ctx.Fail(db.error().message);
  core::SystemClock clock;
  audit::AuditLog log(**db, clock);
  audit::VerifyReport report = log.Verify();
  if (!report.ok) {
    return ctx.Fail("audit trail broken at record " + std::to_string(report.first_bad_seq) + ": " +
                    report.problem);
  }
  *ctx.out << "audit trail intact: " << report.records << " records, head hash " << report.head_hash
           << '\n';
}

}  // namespace

void AddAdminCommands(CLI::App& cli, CommandContext& ctx) {
  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  AddCommonOptions(migrate, ctx);
  migrate->callback([&ctx] { MigrateCommand(ctx); });

  auto* version = cli.add_subcommand("version", "Print the version");
  version->callback([&ctx] { *ctx.out << "vaarta " << VAARTA_VERSION << '\n'; });

  auto* config = cli.add_subcommand("config", "Inspect configuration");
  config->require_subcommand(1);
  auto* show = config->add_subcommand("show", "Print the effective configuration, secrets masked");
  AddCommonOptions(show, ctx);
  show->callback([&ctx] { ConfigShowCommand(ctx); });

  auto* audit_cmd = cli.add_subcommand("audit", "Audit trail tools");
  audit_cmd->require_subcommand(1);
  auto* verify = audit_cmd->add_subcommand("verify", "Check the audit hash chain");
  AddCommonOptions(verify, ctx);
  verify->callback([&ctx] { AuditVerifyCommand(ctx); });
}

}  // namespace vaarta::app
