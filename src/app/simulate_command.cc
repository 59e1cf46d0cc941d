// `vaarta simulate`: runs a campaign with the real dialer and pre-dial gate against the
// simulated telephony provider, in accelerated virtual time, and prints its outcome
// table. Several processes given the same --from, --anchor-ms and --speed share one
// virtual clock and can dial one campaign together on PostgreSQL.
#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/application.h"
#include "app/command_context.h"
#include "dialer/campaign_simulation.h"
#include "dialer/dialer.h"
#include "dialer/simulated_provider.h"

namespace vaarta::app {
namespace {

struct SimulateArgs {
  int64_t campaign_id = 0;
  std::string from;   // ISO 8601; empty: now
  std::string until;  // ISO 8601; empty: --days after --from
  double days = 7;
  double speed = 10'000;
  int64_t anchor_ms = 0;  // real instant at which virtual time is --from; 0: now
  uint64_t seed = 1;
  std::string rates;  // JSON object
  std::string worker;
  double lease_minutes = 240;
  std::string dnd_file;
  bool start = false;
  bool json = false;
};

void Simulate(CommandContext& ctx, const SimulateArgs& args) {
  const int64_t real_now = core::SystemClock().NowMillis();
  int64_t from = real_now;
  if (!args.from.empty() && !core::ParseIso8601(args.from, &from)) {
    return ctx.Fail("--from: not an ISO 8601 instant: " + args.from);
  }
  int64_t until = from + static_cast<int64_t>(args.days * 86'400'000.0);
  if (!args.until.empty() && !core::ParseIso8601(args.until, &until)) {
    return ctx.Fail("--until: not an ISO 8601 instant: " + args.until);
  }
  if (until <= from) return ctx.Fail("--until must be after --from");
  if (!(args.speed >= 1 && args.speed <= 1e7)) return ctx.Fail("--speed must be 1 to 10000000");
  if (!(args.lease_minutes >= 1)) return ctx.Fail("--lease-minutes must be at least 1");
  dialer::SimulatedRates rates;
  if (!args.rates.empty()) {
    auto parsed = nlohmann::json::parse(args.rates, nullptr, false);
    if (parsed.is_discarded()) return ctx.Fail("--rates: not JSON");
    auto read = dialer::SimulatedRates::FromJson(parsed);
    if (!read) return ctx.Fail("--rates: " + read.error().message);
    rates = *read;
  }
  const int64_t anchor = args.anchor_ms > 0 ? args.anchor_ms : real_now;
  core::ScaledClock clock(from, anchor, args.speed);
  std::ostringstream sink;
  auto opened = OpenApplication(ctx, sink, &clock);
  if (!opened) return ctx.Fail(opened.error().message);
  Application& app = **opened;

  if (args.start) {
    auto started = app.StartCampaignForSimulation(args.campaign_id);
    if (!started) return ctx.Fail(started.error().message);
  }
  auto state = app.CampaignState(args.campaign_id);
  if (!state) return ctx.Fail(state.error().message);
  if (*state != "running") {
    return ctx.Fail("campaign " + std::to_string(args.campaign_id) + " is " + *state +
                    ": start it first (POST /api/v1/campaigns/" + std::to_string(args.campaign_id) +
                    "/start) or pass --start");
  }

  dialer::SimulatedProvider provider(rates, args.seed);
  dialer::DialerOptions options;
  options.worker_id = args.worker.empty() ? "simulate-" + std::to_string(::getpid()) : args.worker;
  options.lease_ms = static_cast<int64_t>(args.lease_minutes * 60'000.0);
  dialer::Dialer dialer(app.DialerServicesFor(clock), provider, options);
  // Virtual time starts at the anchor: processes started early wait for it, so that no
  // process runs before --from.
  if (const int64_t wait = anchor - core::SystemClock().NowMillis(); wait > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
  dialer::SimulationOptions sim;
  sim.until_ms = until;
  sim.dnd_file = args.dnd_file;
  *ctx.out << "simulating campaign " << args.campaign_id << " as " << options.worker_id << " from "
           << core::FormatIso8601Utc(from) << " until " << core::FormatIso8601Utc(until) << " at "
           << args.speed << "x" << std::endl;
  auto run = dialer::RunSimulation(dialer, clock, app.dnd(), sim);
  if (!run) return ctx.Fail(run.error().message);
  const auto table = dialer::ReadOutcomeTable(app.db(), args.campaign_id);
  if (args.json) {
    *ctx.out << nlohmann::json{{"run", run->ToJson()}, {"outcomes", table}}.dump() << '\n';
  } else {
    *ctx.out << dialer::FormatOutcomeTable(table) << "this process: " << run->ToJson().dump()
             << '\n';
  }
}

}  // namespace

void AddSimulateCommands(CLI::App& cli, CommandContext& ctx) {
  auto args = std::make_shared<SimulateArgs>();
  auto* sim = cli.add_subcommand(
      "simulate", "Run a campaign against the simulated telephony provider in virtual time");
  AddCommonOptions(sim, ctx);
  sim->add_option("--campaign", args->campaign_id, "campaign id")->required();
  sim->add_option("--from", args->from, "virtual start, ISO 8601 (default: now)");
  sim->add_option("--until", args->until, "virtual end, ISO 8601 (default: --days after --from)");
  sim->add_option("--days", args->days, "virtual days to run (default 7)");
  sim->add_option("--speed", args->speed, "virtual seconds per real second (default 10000)");
  sim->add_option("--anchor-ms", args->anchor_ms,
                  "real Unix ms at which virtual time is --from: give several processes the "
                  "same value to share one clock (default: now)");
  sim->add_option("--seed", args->seed, "seed of the simulated call outcomes (default 1)");
  sim->add_option("--rates", args->rates,
                  "JSON object of outcome rates, e.g. {\"no_answer\":0.4,\"opted_out\":0.1}");
  sim->add_option("--worker", args->worker, "name of this dialer in claims and locks");
  sim->add_option("--lease-minutes", args->lease_minutes,
                  "virtual minutes a lost process's calls hold their leads (default 240)");
  sim->add_option("--dnd-file", args->dnd_file,
                  "DND registry file loaded again at each new IST day of virtual time");
  sim->add_flag("--start", args->start, "start the campaign first (it must be ready to start)");
  sim->add_flag("--json", args->json, "print JSON instead of the table");
  sim->callback([&ctx, args] { Simulate(ctx, *args); });
}

}  // namespace vaarta::app
