#include "app/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "app/application.h"
#include "app/demo_data.h"
#include "app/jwt_secret.h"
#include "audit/audit_log.h"
#include "core/config.h"
#include "core/crypto.h"
#include "storage/migrator.h"

namespace vaarta::app {
namespace {

// Options every data-touching subcommand shares. Values land in `flags` only when given,
// so that environment and file values keep their precedence below flags.
struct CommonOptions {
  std::string config_file;
  std::map<std::string, std::string> flags;
};

void AddFlag(CLI::App* cmd, CommonOptions& common, const std::string& name,
             const std::string& option, const std::string& help) {
  cmd->add_option_function<std::string>(
      option, [&common, name](const std::string& v) { common.flags[name] = v; }, help);
}

void AddCommonOptions(CLI::App* cmd, CommonOptions& common) {
  cmd->add_option("--config", common.config_file, "TOML configuration file (also VAARTA_CONFIG)");
  AddFlag(cmd, common, "db", "--db",
          "database URL: sqlite:PATH or postgresql://... (also VAARTA_DB)");
  AddFlag(cmd, common, "data_dir", "--data-dir", "data folder (also VAARTA_DATA_DIR)");
  AddFlag(cmd, common, "log_level", "--log-level", "debug, info, warn or error");
}

core::Result<core::ConfigSources> LoadSources(const CommonOptions& common, char** environ) {
  core::ConfigSources sources;
  std::string file = common.config_file;
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
  for (const auto& [k, v] : common.flags) sources.SetFlag(k, v);
  return sources;
}

int Fail(std::ostream& err, const std::string& message) {
  err << "vaarta: " << message << '\n';
  return 1;
}

}  // namespace

int RunCli(int argc, char** argv, char** environ, std::istream& in, std::ostream& out,
           std::ostream& err) {
  CLI::App cli{"Vaarta: an AI calling agent with its own CRM"};
  cli.require_subcommand(1);
  CommonOptions common;

  auto* serve = cli.add_subcommand("serve", "Run the server (API, dashboard, webhooks, dialer)");
  AddCommonOptions(serve, common);
  AddFlag(serve, common, "host", "--host", "address to listen on (default 127.0.0.1)");
  AddFlag(serve, common, "port", "--port", "port to listen on (default 8080)");
  AddFlag(serve, common, "io_threads", "--io-threads", "network I/O threads");
  AddFlag(serve, common, "worker_threads", "--workers", "worker threads for blocking work");
  serve->add_flag_function(
      "--demo", [&common](int64_t) { common.flags["demo"] = "true"; },
      "seed demo data and use the telephony simulator");

  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  AddCommonOptions(migrate, common);

  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "Create a user");
  AddCommonOptions(user_add, common);
  std::string email, role, name, password;
  bool password_stdin = false;
  user_add->add_option("--email", email, "e-mail address (the login)")->required();
  user_add->add_option("--role", role, "admin, manager or agent")->required();
  user_add->add_option("--name", name, "display name");
  auto* pw_opt = user_add->add_option(
      "--password", password, "password (visible in the process list: prefer --password-stdin)");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input")
      ->excludes(pw_opt);

  auto* user_list = user->add_subcommand("list", "List users");
  AddCommonOptions(user_list, common);
  auto* user_password = user->add_subcommand(
      "set-password", "Set a user's password (recovery when no admin can log in)");
  AddCommonOptions(user_password, common);
  std::string target_email;
  bool set_password_stdin = false;
  user_password->add_option("--email", target_email, "the user's e-mail")->required();
  user_password->add_flag("--password-stdin", set_password_stdin,
                          "read the new password from standard input (otherwise one is generated)");

  auto* version = cli.add_subcommand("version", "Print the version");

  auto* config = cli.add_subcommand("config", "Inspect configuration");
  config->require_subcommand(1);
  auto* config_show =
      config->add_subcommand("show", "Print the effective configuration, secrets masked");
  AddCommonOptions(config_show, common);

  auto* audit_cmd = cli.add_subcommand("audit", "Audit trail tools");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "Check the audit hash chain");
  AddCommonOptions(audit_verify, common);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return cli.exit(e, out, out);  // --help
    return Fail(err, std::string(e.what()) + " (see --help)") + e.get_exit_code() - 1;
  }

  if (version->parsed()) {
    out << "vaarta " << VAARTA_VERSION << '\n';
    return 0;
  }

  auto sources = LoadSources(common, environ);
  if (!sources) return Fail(err, sources.error().message);
  auto cfg = sources->Resolve();
  if (!cfg) return Fail(err, cfg.error().message);

  if (config_show->parsed()) {
    out << core::RenderConfig(sources->Effective());
    return 0;
  }

  if (migrate->parsed()) {
    std::unique_ptr<storage::Database> db;
    try {
      db = storage::OpenDatabase(cfg->db, 1);
    } catch (const storage::DatabaseError& e) {
      return Fail(err, e.what());
    }
    auto before = storage::ShippedMigrations(db->dialect());
    auto report = storage::Migrate(*db);
    if (!report) return Fail(err, report.error().message);
    out << "database " << db->Describe() << " is at version " << report->current_version;
    if (report->applied.empty()) {
      out << " (nothing to apply)\n";
    } else {
      out << " (applied";
      for (int v : report->applied) out << ' ' << v;
      out << ")\n";
    }
    return 0;
  }

  if (audit_verify->parsed()) {
    auto db = OpenMigratedDatabase(*cfg);
    if (!db) return Fail(err, db.error().message);
    core::SystemClock clock;
    audit::AuditLog log(**db, clock);
    audit::VerifyReport report = log.Verify();
    if (!report.ok) {
      return Fail(err, "audit trail broken at record " + std::to_string(report.first_bad_seq) +
                           ": " + report.problem);
    }
    out << "audit trail intact: " << report.records << " records, head hash " << report.head_hash
        << '\n';
    return 0;
  }

  if (user_add->parsed()) {
    auto parsed_role = auth::ParseRole(role);
    if (!parsed_role)
      return Fail(err, "--role must be admin, manager or agent, got '" + role + "'");
    bool generated = false;
    if (password_stdin) {
      std::getline(in, password);
      if (!password.empty() && password.back() == '\r') password.pop_back();
    } else if (password.empty()) {
      password = core::RandomToken(15);
      generated = true;
    }
    std::ostringstream sink;  // CLI commands keep the JSON log quiet unless it matters
    auto app = Application::Create(*cfg, sink);
    if (!app) return Fail(err, app.error().message);
    const char* unix_user = std::getenv("USER");
    auto created = (*app)->auth().CreateUser(
        {email, name, password, *parsed_role},
        std::string("cli:") + (unix_user ? unix_user : "unknown"), {"local", "cli"});
    if (!created) return Fail(err, created.error().message);
    out << "created user " << created->id << " <" << created->email << "> with role "
        << auth::RoleName(created->role) << '\n';
    if (generated)
      out << "password: " << password << "\n(shown once; change it after logging in)\n";
    return 0;
  }

  if (user_list->parsed() || user_password->parsed()) {
    std::ostringstream sink;
    auto app = Application::Create(*cfg, sink);
    if (!app) return Fail(err, app.error().message);
    auth::AuthService& auth = (*app)->auth();
    if (user_list->parsed()) {
      int64_t after = 0;
      while (true) {
        auto page = auth.ListUsers(after, 500);
        for (const auto& u : page) {
          out << u.id << '\t' << u.email << '\t' << auth::RoleName(u.role) << '\t'
              << (u.disabled ? "disabled" : "active") << '\t' << u.name << '\n';
        }
        if (page.size() < 500) break;
        after = page.back().id;
      }
      return 0;
    }
    auto found = auth.GetUserByEmail(target_email);
    if (!found) return Fail(err, found.error().message);
    bool generated = false;
    std::string new_password;
    if (set_password_stdin) {
      std::getline(in, new_password);
      if (!new_password.empty() && new_password.back() == '\r') new_password.pop_back();
    } else {
      new_password = core::RandomToken(15);
      generated = true;
    }
    const char* unix_user = std::getenv("USER");
    auth::Caller operator_caller;
    operator_caller.actor = std::string("cli:") + (unix_user ? unix_user : "unknown");
    operator_caller.role = auth::Role::kAdmin;
    auth::UserChange change;
    change.password = new_password;
    auto updated = auth.UpdateUser(found->id, change, operator_caller, {"local", "cli"});
    if (!updated) return Fail(err, updated.error().message);
    out << "password set for <" << updated->email << ">; their sessions were signed out\n";
    if (generated) out << "password: " << new_password << "\n(shown once)\n";
    return 0;
  }

  if (serve->parsed()) {
    auto app = Application::Create(*cfg, err);
    if (!app) return Fail(err, app.error().message);
    std::optional<DemoLogin> demo;
    if (cfg->demo) {
      auto seeded = SeedDemoData((*app)->auth(), (*app)->db(), cfg->data_dir,
                                 core::SystemClock().NowMillis());
      if (!seeded) return Fail(err, "demo data: " + seeded.error().message);
      demo = *seeded;
    }
    auto port = (*app)->Listen();
    if (!port) return Fail(err, port.error().message);
    std::string host = cfg->host.find(':') != std::string::npos ? "[" + cfg->host + "]" : cfg->host;
    out << "Vaarta is listening on http://" << host << ":" << *port << "/\n";
    if (demo) out << "Demo login: " << demo->email << " / " << demo->password << '\n';
    out.flush();
    (*app)->Run(/*handle_signals=*/true);
    return 0;
  }
  return Fail(err, "no command given (see --help)");
}

}  // namespace vaarta::app
