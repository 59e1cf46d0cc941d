// Telephony benchmarks (bench/telephony.sh records them in docs/benchmarks.md):
//   callbacks  status callbacks per second that `vaarta serve` (telephony = twilio, SQLite)
//              verifies (X-Twilio-Signature) and records (event log, call state), from
//              several keep-alive clients; the baseline is /healthz from the same clients.
//   relay      concurrent ConversationRelay sessions on the server's WebSocket route, each
//              sending a prompt about once a second; the reply latency is measured at the
//              client, from the prompt sent to the first text token received (it includes
//              the network path, so it is an upper bound of the server's own latency).
// The server runs in this process on loopback (Application, as `vaarta serve` builds it).
//
// Usage: telephony_bench callbacks CALLS CLIENTS | relay SESSIONS SECONDS
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "app/application.h"
#include "calls/provider_call_repository.h"
#include "campaigns/script_generator.h"
#include "core/clock.h"
#include "sim/relay_client.h"
#include "telephony/twilio/twilio_signature.h"

namespace {

using namespace vaarta;
const std::string kAccount = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "bench-auth-token-0123456789abcdef";

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int FreePort() {
  // Port 0 is not usable here: the public URL (signed by the clients) needs the port.
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  return 20000 + static_cast<int>(rng() % 20000);
}

struct Server {
  std::string dir;
  int port = 0;
  std::unique_ptr<std::ostringstream> log = std::make_unique<std::ostringstream>();
  std::unique_ptr<app::Application> app;
  std::thread thread;

  bool Start() {
    dir = std::filesystem::temp_directory_path() / ("vaarta-tbench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto config = core::ConfigSources().Resolve();
    if (!config) return false;
    port = FreePort();
    config->db = "sqlite:" + dir + "/bench.db";
    config->data_dir = dir + "/data";
    config->port = port;
    config->log_level = "warn";
    config->dialer = false;
    config->telephony = "twilio";
    config->twilio_api_base_url = "http://127.0.0.1:1";  // no call is placed
    config->twilio_account_sid = kAccount;
    config->twilio_auth_token = kToken;
    config->public_base_url = "http://127.0.0.1:" + std::to_string(port);
    config->relay_words_per_second = 0;
    config->io_threads = 1;
    auto created = app::Application::Create(*config, *log);
    if (!created) {
      std::cerr << created.error().message << "\n";
      return false;
    }
    app = std::move(*created);
    if (!app->Listen()) return false;
    thread = std::thread([this] { app->Run(false); });
    return true;
  }
  ~Server() {
    if (app) {
      app->Shutdown();
      thread.join();
      app.reset();
    }
    std::filesystem::remove_all(dir);
  }
};

// One campaign, one lead, and `calls` placed calls with provider call ids.
std::vector<std::pair<int64_t, std::string>> MakeCalls(app::Application& app, int calls) {
  campaigns::Campaign c;
  c.business_name = "Acme Learning";
  c.goal = "book a free demo class";
  c.product_facts = "Online maths tutoring for classes 6 to 10.";
  c.offer = "a free demo class";
  nlohmann::json config = {{"name", "bench"},
                           {"business_name", c.business_name},
                           {"goal", c.goal},
                           {"product_facts", c.product_facts},
                           {"offer", c.offer},
                           {"ncpr_category", 3},
                           {"provider", "twilio"},
                           {"conversation_transport", "relay"},
                           {"script", campaigns::GenerateTemplateScript(c)}};
  auto created = app.campaigns().Create(config, {"bench", "admin", "", ""});
  if (!created.ok()) {
    std::cerr << "campaign: " << (created.error ? created.error->message : "") << "\n";
    std::exit(1);
  }
  const int64_t campaign_id = created.campaign.id;
  std::vector<std::pair<int64_t, std::string>> out;
  auto tx = app.db().Begin(true);
  const int64_t now = core::SystemClock().NowMillis();
  auto lead = tx->Execute(
      "INSERT INTO leads (phone_e164, name, language, source_kind, source_detail, created_at, "
      "updated_at) VALUES ('+919812345678', 'Bench Lead', 'en', 'form', 'bench', $1, $1) "
      "RETURNING id",
      {storage::Int(now)});
  const int64_t lead_id = lead.rows[0].GetInt(0);
  calls::ProviderCallRepository repo;
  for (int i = 0; i < calls; ++i) {
    auto attempt = tx->Execute(
        "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
        "status, provider, worker, lease_until) VALUES ($1, $2, $3, 330, 'live', 'twilio', "
        "'bench', $4) RETURNING id",
        {storage::Int(campaign_id), storage::Int(lead_id), storage::Int(now),
         storage::Int(now + 3'600'000)});
    calls::ProviderCall call;
    call.attempt_id = attempt.rows[0].GetInt(0);
    call.provider = "twilio";
    call.account_id = kAccount;
    char sid[40];
    std::snprintf(sid, sizeof sid, "CA%032d", i);
    call.call_id = sid;
    call.worker = "bench";
    call.transport = "relay";
    call.created_at = now;
    call.updated_at = now;
    repo.Insert(*tx, call);
    out.emplace_back(call.attempt_id, call.call_id);
  }
  tx->Commit();
  return out;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

int RunCallbacks(int calls, int clients) {
  Server server;
  if (!server.Start()) return 1;
  auto placed = MakeCalls(*server.app, calls);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port);
  static const char* kStatuses[] = {"initiated", "ringing", "in-progress", "completed"};

  // Baseline: GET /healthz from the same clients, the same number of requests.
  auto blast = [&](bool callbacks) {
    std::atomic<int> next{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    const auto start = std::chrono::steady_clock::now();
    for (int t = 0; t < clients; ++t) {
      threads.emplace_back([&] {
        CURL* curl = curl_easy_init();
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        std::string body;
        while (true) {
          const int i = next.fetch_add(1);
          if (i >= calls) break;
          const auto& [attempt, sid] = placed[static_cast<size_t>(i)];
          for (int s = 0; s < 4; ++s) {
            struct curl_slist* headers = nullptr;
            if (callbacks) {
              const std::string path = "/webhooks/twilio/status?attempt=" + std::to_string(attempt);
              telephony::twilio::FormParams params = {{"AccountSid", kAccount},
                                                      {"ApiVersion", "2010-04-01"},
                                                      {"CallSid", sid},
                                                      {"CallStatus", kStatuses[s]},
                                                      {"SequenceNumber", std::to_string(s)},
                                                      {"Direction", "outbound-api"},
                                                      {"From", "+911401234567"},
                                                      {"To", "+919812345678"}};
              body.clear();
              for (const auto& [k, v] : params) {
                char* ek = curl_easy_escape(curl, k.c_str(), static_cast<int>(k.size()));
                char* ev = curl_easy_escape(curl, v.c_str(), static_cast<int>(v.size()));
                if (!body.empty()) body += '&';
                body += std::string(ek) + "=" + ev;
                curl_free(ek);
                curl_free(ev);
              }
              const std::string signature =
                  telephony::twilio::ComputeSignature(kToken, base + path, params);
              headers = curl_slist_append(headers, ("X-Twilio-Signature: " + signature).c_str());
              headers =
                  curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");
              curl_easy_setopt(curl, CURLOPT_URL, (base + path).c_str());
              curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
              curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
              curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
            } else {
              curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
              curl_easy_setopt(curl, CURLOPT_URL, (base + "/healthz").c_str());
              curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
            }
            long code = 0;
            if (curl_easy_perform(curl) != CURLE_OK) {
              failures.fetch_add(1);
            } else {
              curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
              if (code != 200) failures.fetch_add(1);
            }
            curl_slist_free_all(headers);
          }
        }
        curl_easy_cleanup(curl);
      });
    }
    for (auto& t : threads) t.join();
    return std::make_pair(Seconds(start), failures.load());
  };
  auto [base_s, base_fail] = blast(false);
  auto [cb_s, cb_fail] = blast(true);
  // Everything was recorded: 4 events per call, each call completed.
  auto tx = server.app->db().Begin(false);
  const int64_t events = tx->Execute("SELECT COUNT(*) FROM call_events").rows[0].GetInt(0);
  const int64_t completed =
      tx->Execute("SELECT COUNT(*) FROM provider_calls WHERE status = 'completed' AND final = 1")
          .rows[0]
          .GetInt(0);
  tx->Commit();
  const double total = 4.0 * calls;
  std::printf(
      "callbacks %d calls %d clients: %.0f callbacks/s (%.2f s, %d failed), "
      "recorded %lld events, %lld calls completed\n",
      calls, clients, total / cb_s, cb_s, cb_fail, static_cast<long long>(events),
      static_cast<long long>(completed));
  std::printf("baseline /healthz: %.0f requests/s (%.2f s, %d failed)\n", total / base_s, base_s,
              base_fail);
  std::printf("RESULT callbacks_per_s=%.0f healthz_per_s=%.0f ratio=%.2f ok=%d\n", total / cb_s,
              total / base_s, (total / cb_s) / (total / base_s),
              cb_fail == 0 && events == 4LL * calls && completed == calls ? 1 : 0);
  return 0;
}

int RunRelay(int sessions, int seconds) {
  Server server;
  if (!server.Start()) return 1;
  auto placed = MakeCalls(*server.app, sessions);
  const std::string url_base =
      "ws://127.0.0.1:" + std::to_string(server.port) + "/webhooks/twilio/relay";
  std::mutex mutex;
  std::vector<double> latencies_ms;
  std::atomic<int> connected{0}, failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto session = [&](int index) {
    const auto& [attempt, sid] = placed[static_cast<size_t>(index)];
    const std::string url = url_base + "?attempt=" + std::to_string(attempt);
    const std::string signature = telephony::twilio::ComputeSignature(kToken, url, {});
    auto client = sim::RelayClient::Connect(url, {{"X-Twilio-Signature", signature}}, 10'000);
    if (!client) {
      failed.fetch_add(1);
      return;
    }
    auto& ws = **client;
    nlohmann::json setup = {
        {"type", "setup"},         {"sessionId", "VX" + sid.substr(2)},
        {"callSid", sid},          {"accountSid", kAccount},
        {"from", "+911401234567"}, {"to", "+919812345678"},
        {"direction", "outbound"}, {"customParameters", {{"attempt_id", std::to_string(attempt)}}}};
    if (!ws.Send(setup.dump())) {
      failed.fetch_add(1);
      return;
    }
    // The greeting, to its last token.
    auto read_turn = [&](bool* first_seen, std::chrono::steady_clock::time_point sent,
                         double* first_ms) {
      while (true) {
        auto message = ws.Receive(10'000);
        if (!message || !*message) return false;
        auto j = nlohmann::json::parse(**message, nullptr, false);
        if (!j.is_object()) continue;
        const std::string type = j.value("type", "");
        if (type == "text") {
          if (!*first_seen) {
            *first_seen = true;
            *first_ms = Seconds(sent) * 1000.0;
          }
          if (j.value("last", false)) return true;
        } else if (type == "end") {
          return false;
        }
      }
    };
    bool seen = false;
    double ms = 0;
    if (!read_turn(&seen, std::chrono::steady_clock::now(), &ms)) {
      failed.fetch_add(1);
      return;
    }
    connected.fetch_add(1);
    std::mt19937 rng(static_cast<unsigned>(index));
    std::uniform_int_distribution<int> pause(500, 1500);
    while (!stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
      if (stop.load()) break;
      // "Say that again": answered in place, so the conversation never ends.
      const nlohmann::json prompt = {{"type", "prompt"},
                                     {"voicePrompt", "Sorry, can you repeat that please?"},
                                     {"lang", "en-IN"},
                                     {"last", true}};
      const auto sent = std::chrono::steady_clock::now();
      if (!ws.Send(prompt.dump())) break;
      seen = false;
      if (!read_turn(&seen, sent, &ms)) break;
      std::lock_guard lock(mutex);
      latencies_ms.push_back(ms);
    }
    ws.Close();
  };
  for (int i = 0; i < sessions; ++i) {
    threads.emplace_back(session, i);
    if (i % 50 == 49) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  const int held = connected.load();
  stop.store(true);
  for (auto& t : threads) t.join();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[std::min(
        latencies_ms.size() - 1,
        static_cast<size_t>(p * static_cast<double>(latencies_ms.size())))];
  };
  std::printf(
      "relay %d sessions held %d (failed %d), %zu replies in %d s: p50 %.2f ms, "
      "p99 %.2f ms, max %.2f ms\n",
      sessions, held, failed.load(), latencies_ms.size(), seconds, pct(0.5), pct(0.99),
      latencies_ms.empty() ? 0.0 : latencies_ms.back());
  std::printf("RESULT sessions=%d held=%d replies=%zu p50_ms=%.2f p99_ms=%.2f\n", sessions, held,
              latencies_ms.size(), pct(0.5), pct(0.99));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (argc == 4 && std::string(argv[1]) == "callbacks") {
    return RunCallbacks(std::atoi(argv[2]), std::atoi(argv[3]));
  }
  if (argc == 4 && std::string(argv[1]) == "relay") {
    return RunRelay(std::atoi(argv[2]), std::atoi(argv[3]));
  }
  std::cerr << "usage: telephony_bench callbacks CALLS CLIENTS | relay SESSIONS SECONDS\n";
  return 2;
}
