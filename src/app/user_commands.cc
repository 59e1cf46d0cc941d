#include <iostream>
#include <sstream>

#include "app/application.h"
#include "app/command_context.h"
#include "core/crypto.h"

namespace vaarta::app {
namespace {

struct UserArgs {
  std::string email, role, name, password;
  bool password_stdin = false;
};

// Reads one line (without its line ending) from standard input.
std::string ReadSecretLine(std::istream& in) {
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void AddUser(CommandContext& ctx, UserArgs& args) {
  auto role = auth::ParseRole(args.role);
  if (!role) return ctx.Fail("--role must be admin, manager or agent, got '" + args.role + "'");
  bool generated = false;
  if (args.password_stdin) {
    args.password = ReadSecretLine(*ctx.in);
  } else if (args.password.empty()) {
    args.password = core::RandomToken(15);
    generated = true;
  }
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto created = (*app)->auth().CreateUser({args.email, args.name, args.password, *role},
                                           CommandContext::OperatorActor(), {"local", "cli"});
  if (!created) return ctx.Fail(created.error().message);
  *ctx.out << "created user " << created->id << " <" << created->email << "> with role "
           << auth::RoleName(created->role) << '\n';
  if (generated)
    *ctx.out << "password: " << args.password << "\n(shown once; change it after logging in)\n";
}

void ListUsers(CommandContext& ctx) {
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  constexpr int kPage = 500;
  for (int64_t after = 0;;) {
    auto page = (*app)->auth().ListUsers(after, kPage);
    for (const auto& u : page) {
      *ctx.out << u.id << '\t' << u.email << '\t' << auth::RoleName(u.role) << '\t'
               << (u.disabled ? "disabled" : "active") << '\t' << u.name << '\n';
    }
    if (static_cast<int>(page.size()) < kPage) break;
    after = page.back().id;
  }
}

void SetPassword(CommandContext& ctx, UserArgs& args) {
  std::ostringstream sink;
  auto app = OpenApplication(ctx, sink);
  if (!app) return ctx.Fail(app.error().message);
  auto found = (*app)->auth().GetUserByEmail(args.email);
  if (!found) return ctx.Fail(found.error().message);
  bool generated = !args.password_stdin;
  std::string password = generated ? core::RandomToken(15) : ReadSecretLine(*ctx.in);
  auth::Caller operator_caller;
  operator_caller.actor = CommandContext::OperatorActor();
  operator_caller.role = auth::Role::kAdmin;
  auth::UserChange change;
  change.password = password;
  auto updated = (*app)->auth().UpdateUser(found->id, change, operator_caller, {"local", "cli"});
  if (!updated) return ctx.Fail(updated.error().message);
  *ctx.out << "password set for <" << updated->email << ">; their sessions were signed out\n";
  if (generated) *ctx.out << "password: " << password << "\n(shown once)\n";
}

}  // namespace

void AddUserCommands(CLI::App& cli, CommandContext& ctx) {
  // Owned by the callbacks, which live as long as the parser that binds these fields.
  auto args = std::make_shared<UserArgs>();
  auto* user = cli.add_subcommand("user", "Manage users");
  user->require_subcommand(1);

  auto* add = user->add_subcommand("add", "Create a user");
  AddCommonOptions(add, ctx);
  add->add_option("--email", args->email, "e-mail address (the login)")->required();
  add->add_option("--role", args->role, "admin, manager or agent")->required();
  add->add_option("--name", args->name, "display name");
  auto* pw = add->add_option("--password", args->password,
                             "password (visible in the process list: prefer --password-stdin)");
  add->add_flag("--password-stdin", args->password_stdin, "read the password from standard input")
      ->excludes(pw);
  add->callback([&ctx, args] { AddUser(ctx, *args); });

  auto* list = user->add_subcommand("list", "List users");
  AddCommonOptions(list, ctx);
  list->callback([&ctx] { ListUsers(ctx); });

  auto* set_password = user->add_subcommand(
      "set-password", "Set a user's password (recovery when no admin can log in)");
  AddCommonOptions(set_password, ctx);
  set_password->add_option("--email", args->email, "the user's e-mail")->required();
  set_password->add_flag("--password-stdin", args->password_stdin,
                         "read the new password from standard input (otherwise one is generated)");
  set_password->callback([&ctx, args] { SetPassword(ctx, *args); });
}

}  // namespace vaarta::app
