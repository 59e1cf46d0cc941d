#include <iostream>

#include "app/application.h"
#include "app/command_context.h"
#include "app/demo_data.h"

namespace vaarta::app {
namespace {

void Serve(CommandContext& ctx) {
  auto cfg = ctx.LoadConfig();
  if (!cfg) return ctx.Fail(cfg.error().message);
  auto app = Application::Create(*cfg, *ctx.err);
  if (!app) return ctx.Fail(app.error().message);
  std::optional<DemoLogin> demo;
  if (cfg->demo) {
    auto seeded = SeedDemoData(**app, cfg->data_dir, core::SystemClock().NowMillis());
    if (!seeded) return ctx.Fail("demo data: " + seeded.error().message);
    demo = *seeded;
  }
  auto port = (*app)->Listen();
  if (!port) return ctx.Fail(port.error().message);
  std::string host = cfg->host.find(':') != std::string::npos ? "[" + cfg->host + "]" : cfg->host;
  *ctx.out << "Vaarta is listening on http://" << host << ":" << *port << "/\n";
  if (demo) *ctx.out << "Demo login: " << demo->email << " / " << demo->password << '\n';
  ctx.out->flush();
  (*app)->Run(/*handle_signals=*/true);
}

}  // namespace

void AddServeCommands(CLI::App& cli, CommandContext& ctx) {
  auto* serve = cli.add_subcommand("serve", "Run the server (API, dashboard, webhooks, dialer)");
  AddCommonOptions(serve, ctx);
  AddConfigFlag(serve, ctx, "host", "--host", "address to listen on (default 127.0.0.1)");
  AddConfigFlag(serve, ctx, "port", "--port", "port to listen on (default 8080)");
  AddConfigFlag(serve, ctx, "io_threads", "--io-threads", "network I/O threads");
  AddConfigFlag(serve, ctx, "worker_threads", "--workers", "worker threads for blocking work");
  serve->add_flag_function(
      "--demo", [&ctx](int64_t) { ctx.flags["demo"] = "true"; },
      "seed demo data and use the telephony simulator");
  serve->callback([&ctx] { Serve(ctx); });
}

}  // namespace vaarta::app
