// `vaarta telephony-sim`: the telephony simulator as its own process. It serves the
// subset of Twilio's REST API we use (sim/sim_rest_api.h) and behaves like Twilio towards
// the server that placed the calls (sim/sim_engine_impl.h): signed callbacks, TwiML,
// ConversationRelay, AMD, recordings, played by scripted personas. Tests, the demo and a
// manager's test call talk to it exactly as they would talk to Twilio.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/command_context.h"
#include "core/clock.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "http/server.h"
#include "sim/fault_dice.h"
#include "sim/sim_engine_impl.h"
#include "sim/sim_rest_api.h"

namespace vaarta::app {
namespace {

struct TelephonySimArgs {
  std::string host = "127.0.0.1";
  int port = 8091;
  std::string accounts_file;  // JSON: {"accounts": [...]} (sim/sim_rest_api.h)
  std::string account_sid;    // or one account from flags
  std::string auth_token;
  std::string personas_file;  // JSON persona directory (sim/persona.h)
  std::string faults;         // JSON object (sim/sim_faults.h)
  int time_scale_ms = 50;
  std::string log_level = "info";
  std::string port_file;  // written with the bound port once listening
};

core::Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::MakeError(core::ErrorCode::kNotFound, path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, path + ": not valid JSON");
  }
  return parsed;
}

void RunTelephonySim(CommandContext& ctx, const TelephonySimArgs& args) {
  sim::SimAccounts accounts;
  if (!args.accounts_file.empty()) {
    auto json = ReadJsonFile(args.accounts_file);
    if (!json) return ctx.Fail("--accounts: " + json.error().message);
    auto read = sim::SimAccounts::FromJson(*json);
    if (!read) return ctx.Fail("--accounts: " + read.error().message);
    accounts = *read;
  }
  if (!args.account_sid.empty()) {
    if (args.account_sid.rfind("AC", 0) != 0 || args.auth_token.empty()) {
      return ctx.Fail("--account-sid must start with AC and needs --auth-token");
    }
    accounts.accounts.push_back({args.account_sid, args.auth_token, {}});
  }
  if (accounts.accounts.empty()) {
    return ctx.Fail("no account: give --account-sid and --auth-token, or --accounts FILE");
  }
  sim::SimFaults faults;
  if (!args.faults.empty()) {
    auto parsed = nlohmann::json::parse(args.faults, nullptr, false);
    if (parsed.is_discarded()) return ctx.Fail("--faults: not JSON");
    auto read = sim::SimFaults::FromJson(parsed);
    if (!read) return ctx.Fail("--faults: " + read.error().message);
    faults = *read;
  }
  sim::PersonaDirectory personas;
  if (!args.personas_file.empty()) {
    auto read = sim::PersonaDirectory::FromFile(args.personas_file);
    if (!read) return ctx.Fail("--personas: " + read.error().message);
    personas = std::move(*read);
  }
  core::LogLevel level = core::LogLevel::kInfo;
  if (!core::ParseLogLevel(args.log_level, &level)) {
    return ctx.Fail("--log-level must be debug, info, warn or error");
  }
  core::SystemClock clock;
  core::Logger logger(*ctx.err, level, clock);
  core::MetricsRegistry metrics;

  sim::TwilioSimOptions options;
  for (const auto& account : accounts.accounts) {
    options.accounts[account.account_sid] = account.auth_token;
  }
  options.time_scale_ms = args.time_scale_ms;
  options.faults = faults;
  sim::TwilioSimEngine engine(options, std::move(personas), clock, logger);
  sim::FaultDice dice(faults.seed);
  sim::SimRestApi api(engine, accounts, faults, dice);
  http::Router router;
  api.Register(router);
  http::ServerOptions server_options;
  server_options.host = args.host;
  server_options.port = args.port;
  server_options.worker_threads = 8;
  http::Server server(server_options, router, logger, metrics);
  auto port = server.Listen();
  if (!port) return ctx.Fail(port.error().message);
  const std::string base = "http://" + args.host + ":" + std::to_string(*port);
  engine.SetPublicBaseUrl(base);
  engine.Start();
  if (!args.port_file.empty()) {
    std::ofstream(args.port_file) << *port << '\n';
  }
  *ctx.out << "Telephony simulator (Twilio API) listening on " << base << "/2010-04-01/\n";
  ctx.out->flush();
  server.Run(/*handle_signals=*/true);
  engine.Stop();
}

}  // namespace

void AddTelephonySimCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<TelephonySimArgs>();
  auto* cmd = cli.add_subcommand(
      "telephony-sim",
      "Run the telephony simulator: Twilio's REST API and call behaviour, with personas");
  cmd->add_option("--host", args->host, "address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->port, "port to listen on; 0 picks a free one (default 8091)");
  cmd->add_option("--accounts", args->accounts_file,
                  "JSON file {\"accounts\":[{\"account_sid\",\"auth_token\",\"api_keys\"}]}");
  cmd->add_option("--account-sid", args->account_sid, "one account's SID (AC...)");
  cmd->add_option("--auth-token", args->auth_token, "that account's auth token");
  cmd->add_option("--personas", args->personas_file,
                  "JSON persona directory: {\"personas\", \"numbers\", \"mix\"}");
  cmd->add_option("--faults", args->faults,
                  "JSON object of injected faults, e.g. {\"rest_5xx_rate\":0.1,"
                  "\"callback_drop_rate\":0.05}");
  cmd->add_option("--time-scale-ms", args->time_scale_ms,
                  "real milliseconds per simulated second (default 50; 0: no waiting)");
  cmd->add_option("--log-level", args->log_level, "debug, info, warn or error");
  cmd->add_option("--port-file", args->port_file, "write the bound port to this file");
  cmd->callback([&ctx, args] { RunTelephonySim(ctx, *args); });
}

}  // namespace vaarta::app
