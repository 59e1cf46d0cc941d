// The telephony issue's promise, end to end: the product (in this process, on a clock set
// to a legal calling hour) and `vaarta telephony-sim` (a separate process speaking
// Twilio's REST API and behaving like Twilio towards our webhooks) run a 200-lead
// campaign of mixed personas, in Gather mode and in ConversationRelay mode, and then with
// the simulator injecting faults. Everything is checked from what was recorded: each
// lead's disposition, transcripts, encrypted recordings, call states and do-not-call
// entries; no lead dialled twice; no webhook accepted without a valid signature.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "app/application.h"
#include "campaigns/campaign_json.h"
#include "core/clock.h"
#include "storage/database.h"
#include "telephony/twilio/twilio_signature.h"
#include "test_support/http_client.h"
#include "test_support/process.h"
#include "test_support/service_campaign.h"
#include "test_support/test_server.h"
#include "test_support/webhook_receiver.h"
#include "webhooks/webhook_signature.h"

namespace vaarta::testing {
namespace {

const std::string kVaarta = VAARTA_BINARY;
const std::string kAccountSid = "AC0123456789abcdef0123456789abcdef";
const std::string kAuthToken = "e2e-auth-token-0123456789abcdef";
const std::string kTransferNumber = "+919800000001";
// Tuesday 2 February 2027, 11:00 in India: inside every calling window.
constexpr int64_t kVirtualStartMs = 1801546200000;

// A persona of the simulator's built-in catalog and what the call must end as.
struct PersonaCase {
  std::string persona;
  std::string language;  // the lead's preference
  std::string disposition;
  bool answered_by_person;
};

const std::vector<PersonaCase>& Personas() {
  static const std::vector<PersonaCase> kCases = {
      {"interested_en", "en", "interested", true},
      {"not_interested_en", "en", "not_interested", true},
      {"callback_hinglish", "hi", "callback_booked", true},
      {"callback_en", "en", "callback_booked", true},
      {"opt_out_hi", "hi", "opted_out", true},
      {"opt_out_en", "en", "opted_out", true},
      {"wrong_number_en", "en", "wrong_number", true},
      {"price_hinglish", "hi", "interested", true},
      {"human_en", "en", "transferred", true},
      {"busy", "en", "busy", false},
      {"no_answer", "en", "no_answer", false},
      {"voicemail", "en", "voicemail", false},
      {"failed", "en", "failed", false},
  };
  return kCases;
}

std::string PhoneFor(int i) { return "+9198" + std::to_string(20000000 + i); }

class TelephonyEndToEnd : public ::testing::Test {
 protected:
  // Starts the simulator and the product; `faults` is the simulator's --faults JSON.
  void Start(const std::string& dialect, const std::string& faults) {
    dir_ = MakeTempDir("telephony-e2e");
    nlohmann::json numbers = nlohmann::json::object();
    for (int i = 0; i < kLeads; ++i) {
      numbers[PhoneFor(i)] = Personas()[i % Personas().size()].persona;
    }
    std::ofstream(dir_ + "/personas.json") << nlohmann::json{{"numbers", numbers}}.dump();
    const int sim_port = FreePort();
    std::vector<std::string> sim_args = {kVaarta,           "telephony-sim",
                                         "--port",          std::to_string(sim_port),
                                         "--account-sid",   kAccountSid,
                                         "--auth-token",    kAuthToken,
                                         "--personas",      dir_ + "/personas.json",
                                         "--time-scale-ms", "2",
                                         "--log-level",     "warn"};
    if (!faults.empty()) {
      sim_args.push_back("--faults");
      sim_args.push_back(faults);
    }
    sim_ = std::make_unique<ChildProcess>(sim_args);
    ASSERT_TRUE(sim_->WaitForOutput("listening", 30)) << sim_->Err();
    sim_url_ = "http://127.0.0.1:" + std::to_string(sim_port);

    clock_ =
        std::make_unique<core::ScaledClock>(kVirtualStartMs, core::SystemClock().NowMillis(), 1.0);
    const int port = FreePort();
    server_ = std::make_unique<TestServer>(
        dialect,
        [&](core::Config& c) {
          c.port = port;
          c.public_base_url = "http://127.0.0.1:" + std::to_string(port);
          c.dialer = true;
          c.telephony = "twilio";
          c.twilio_api_base_url = sim_url_;
          c.twilio_account_sid = kAccountSid;
          c.twilio_auth_token = kAuthToken;
          c.twilio_calls_per_second = 50;
          c.telephony_quiet_poll_seconds = 3;
          c.relay_words_per_second = 0;
          c.worker_threads = 8;
          c.default_region = "IN";
          c.webhooks_allow_http = true;
          c.webhooks_allow_private_network = true;  // the receiver is on loopback
          c.webhook_retry_base_ms = 200;
        },
        clock_.get());
    token_ = server_->TokenFor("manager");
    LoadDndRegistry();
  }

  void TearDown() override {
    server_.reset();
    if (sim_) {
      sim_->Signal(SIGTERM);
      sim_->Wait(20);
    }
  }

  void LoadDndRegistry() {
    // One registered number, none of the leads' (a whole registry cannot be empty).
    std::ofstream(dir_ + "/dnd.txt") << "9100000000\n";
    compliance::DndLoadOptions options;
    options.registry_date = "2027-02-02";
    auto loaded =
        server_->app().dnd().Load(dir_ + "/dnd.txt", options, {"test:admin", "admin", "", ""});
    ASSERT_TRUE(loaded) << loaded.error().message;
  }

  void AddLeads() {
    auto client = server_->Client();
    for (int i = 0; i < kLeads; ++i) {
      const auto& persona = Personas()[i % Personas().size()];
      auto created = client.Post("/api/v1/leads",
                                 {{"phone", PhoneFor(i)},
                                  {"name", "Lead " + std::to_string(i)},
                                  {"language", persona.language},
                                  {"list", "e2e"},
                                  {"source_kind", "form"},
                                  {"source_detail", "website enquiry form"}},
                                 token_);
      ASSERT_EQ(created.status, 201) << created.body;
    }
  }

  int64_t StartCampaign(const std::string& transport) {
    auto& app = server_->app();
    int64_t list_id = 0;
    {
      auto tx = app.db().Begin(false);
      auto row = tx->Execute("SELECT id FROM lead_lists WHERE name = 'e2e'");
      EXPECT_EQ(row.rows.size(), 1u);
      if (row.rows.empty()) return 0;
      list_id = row.rows[0].GetInt(0);
    }
    // Twilio cannot carry Indian promotional calls (the campaign checker refuses them):
    // these are service calls answering each lead's own enquiry.
    nlohmann::json config = ServiceCampaignConfig("e2e " + transport, list_id, transport);
    config["max_concurrent_calls"] = 40;
    config["calls_per_second"] = 20;
    config["transfer_number"] = kTransferNumber;
    const compliance::Actor admin{"test:admin", "admin", "127.0.0.1", ""};
    auto created = app.campaigns().Create(config, admin);
    EXPECT_TRUE(created.ok()) << (created.error ? created.error->message : "")
                              << campaigns::DescribeFieldErrors(created.field_errors);
    if (!created.ok()) return 0;
    auto started = app.campaigns().Start(created.campaign.id, admin);
    EXPECT_TRUE(started.ok()) << (started.error ? started.error->message : "");
    if (!started.ok()) return 0;
    EXPECT_EQ(started.enrolled, kLeads);
    return created.campaign.id;
  }

  struct LeadRecord {
    int64_t lead_id = 0;
    std::string phone;
    int attempts = 0;
    std::string outcome;
    std::string attempt_status;
    int64_t attempt_id = 0;
  };

  std::map<std::string, LeadRecord> Records(int64_t campaign_id) {
    std::map<std::string, LeadRecord> out;
    auto tx = server_->app().db().Begin(false);
    auto rows = tx->Execute(
        "SELECT l.id, l.phone_e164, a.id, a.status, a.outcome FROM leads l "
        "JOIN call_attempts a ON a.lead_id = l.id WHERE a.campaign_id = $1 ORDER BY a.id",
        {storage::Int(campaign_id)});
    for (const auto& r : rows.rows) {
      auto& rec = out[r.GetText(1)];
      rec.lead_id = r.GetInt(0);
      rec.phone = r.GetText(1);
      rec.attempts += 1;
      rec.attempt_id = r.GetInt(2);
      rec.attempt_status = r.GetText(3);
      rec.outcome = r.GetText(4);
    }
    return out;
  }

  // The business's CRM, told of every call's outcome by an outbound webhook.
  void AddWebhookEndpoint() {
    receiver_ = std::make_unique<WebhookReceiver>(std::vector<int>{503, 200});
    auto made = server_->Client().Post(
        "/api/v1/webhook-endpoints",
        {{"url", receiver_->url()}, {"events", {"call.completed"}}, {"description", "CRM"}},
        server_->TokenFor("admin"));
    ASSERT_EQ(made.status, 201) << made.body;
    webhook_secret_ = made.Json()["secret"];
  }

  // One signed call.completed per call, each saying what was recorded (the first
  // delivery was refused with a 503 and arrived on its retry).
  void CheckWebhooks(int64_t campaign_id) {
    auto got = receiver_->WaitFor(kLeads + 1, 60);
    std::map<int64_t, nlohmann::json> by_attempt;
    const int64_t now_s = clock_->NowMillis() / 1000;
    for (const auto& hook : got) {
      ASSERT_TRUE(webhooks::VerifySignatureHeader(
          webhook_secret_, hook.headers.at("x-vaarta-signature"), hook.body, now_s, 3600));
      auto body = nlohmann::json::parse(hook.body);
      EXPECT_EQ(body["type"], "call.completed");
      by_attempt[body["data"]["attempt_id"].get<int64_t>()] = body["data"];
    }
    auto records = Records(campaign_id);
    EXPECT_EQ(by_attempt.size(), records.size());
    for (const auto& [phone, rec] : records) {
      auto it = by_attempt.find(rec.attempt_id);
      if (it == by_attempt.end()) {
        ADD_FAILURE() << "no webhook for attempt " << rec.attempt_id;
        continue;
      }
      EXPECT_EQ(it->second["outcome"], rec.outcome) << phone;
      EXPECT_EQ(it->second["phone"], phone);
      EXPECT_EQ(it->second["campaign_id"], campaign_id);
    }
  }

  // Waits until every lead's first call has ended and been recorded.
  void WaitForAllCalls(int64_t campaign_id, int timeout_seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    size_t ended = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      auto records = Records(campaign_id);
      ended = 0;
      for (const auto& [phone, rec] : records) {
        if (!rec.outcome.empty()) ++ended;
      }
      if (ended == static_cast<size_t>(kLeads)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    FAIL() << "only " << ended << " of " << kLeads << " calls ended in " << timeout_seconds
           << " s\n"
           << server_->Logs().substr(0, 20000) << "\nsimulator:\n"
           << sim_->Err().substr(0, 5000);
  }

  // The server's warning and error log lines (the first 60).
  std::string Warnings() {
    std::istringstream logs(server_->Logs());
    std::string line, out;
    int n = 0;
    while (std::getline(logs, line) && n < 60) {
      if (line.find("\"warn") != std::string::npos || line.find("\"error") != std::string::npos) {
        out += line + "\n";
        ++n;
      }
    }
    return out;
  }

  // What was recorded of one call, for failure messages: the provider's view, every
  // callback, and the transcript.
  std::string DescribeCall(int64_t attempt_id) {
    std::string out;
    auto tx = server_->app().db().Begin(false);
    auto call = tx->Execute(
        "SELECT call_id, status, answered_by, disposition, transport, final, consumed "
        "FROM provider_calls WHERE attempt_id = $1",
        {storage::Int(attempt_id)});
    for (const auto& r : call.rows) {
      out += "  call " + r.GetText(0) + " status=" + r.GetText(1) + " answered_by=" + r.GetText(2) +
             " disposition=" + r.GetText(3) + " transport=" + r.GetText(4) +
             " final=" + std::to_string(r.GetInt(5)) + " consumed=" + std::to_string(r.GetInt(6)) +
             "\n";
    }
    auto events = tx->Execute(
        "SELECT kind, dedupe_key, status, received_at FROM call_events WHERE attempt_id = $1 "
        "ORDER BY id",
        {storage::Int(attempt_id)});
    for (const auto& r : events.rows) {
      out += "  event " + r.GetText(0) + " " + r.GetText(1) + " " + r.GetText(2) + " at " +
             std::to_string(r.GetInt(3)) + "\n";
    }
    auto turns = tx->Execute(
        "SELECT speaker, intent, step, text FROM call_turns WHERE attempt_id = $1 ORDER BY seq",
        {storage::Int(attempt_id)});
    for (const auto& r : turns.rows) {
      out += "  " + r.GetText(0) + " [" + r.GetText(1) + " @" + r.GetText(2) +
             "]: " + r.GetText(3) + "\n";
    }
    tx->Commit();
    return out;
  }

  int64_t Count(const std::string& sql, const storage::Params& params = {}) {
    auto tx = server_->app().db().Begin(false);
    auto rows = tx->Execute(sql, params);
    return rows.rows.empty() ? 0 : rows.rows[0].GetInt(0);
  }

  // Every check of the issue's end-to-end promise on one campaign.
  void CheckCampaign(int64_t campaign_id, bool exact_dispositions) {
    auto records = Records(campaign_id);
    ASSERT_EQ(records.size(), static_cast<size_t>(kLeads));
    std::map<std::string, int> by_outcome;
    int not_placed = 0;
    for (int i = 0; i < kLeads; ++i) {
      const auto& persona = Personas()[i % Personas().size()];
      const auto& rec = records[PhoneFor(i)];
      EXPECT_EQ(rec.attempts, 1) << PhoneFor(i) << " (" << persona.persona << ") dialled twice";
      ++by_outcome[rec.outcome];
      if (exact_dispositions) {
        EXPECT_EQ(rec.outcome, persona.disposition) << PhoneFor(i) << " persona " << persona.persona
                                                    << " attempt " << rec.attempt_id << "\n"
                                                    << DescribeCall(rec.attempt_id);
      }
      // The provider's view of the call is final, handed to the dialer, never backwards.
      auto tx = server_->app().db().Begin(false);
      auto call = tx->Execute(
          "SELECT status, final, consumed, call_id FROM provider_calls WHERE attempt_id = $1",
          {storage::Int(rec.attempt_id)});
      tx->Commit();
      if (call.rows.empty() && !exact_dispositions) {
        // The provider refused to create the call (an injected 5xx that a create request
        // may not retry): no call exists, and the attempt failed for the retry policy.
        EXPECT_EQ(rec.outcome, "failed") << PhoneFor(i);
        ++not_placed;
        continue;
      }
      ASSERT_EQ(call.rows.size(), 1u) << PhoneFor(i);
      const std::string status = call.rows[0].GetText(0);
      EXPECT_EQ(call.rows[0].GetInt(1), 1) << PhoneFor(i) << " not final: " << status;
      EXPECT_EQ(call.rows[0].GetInt(2), 1) << PhoneFor(i);
      EXPECT_EQ(call.rows[0].GetText(3).substr(0, 2), "CA") << PhoneFor(i);
      if (exact_dispositions) {
        const std::string expected_status = persona.disposition == "busy"        ? "busy"
                                            : persona.disposition == "no_answer" ? "no-answer"
                                            : persona.disposition == "failed"    ? "failed"
                                                                                 : "completed";
        EXPECT_EQ(status, expected_status) << PhoneFor(i) << " " << persona.persona;
      }
      if (persona.answered_by_person && exact_dispositions) {
        // A transcript with both sides, opening with the disclosure.
        const int64_t agent_lines =
            Count("SELECT COUNT(*) FROM call_turns WHERE attempt_id = $1 AND speaker = 'agent'",
                  {storage::Int(rec.attempt_id)});
        const int64_t callee_lines =
            Count("SELECT COUNT(*) FROM call_turns WHERE attempt_id = $1 AND speaker = 'callee'",
                  {storage::Int(rec.attempt_id)});
        EXPECT_GE(agent_lines, 2) << PhoneFor(i) << " " << persona.persona;
        EXPECT_GE(callee_lines, 1) << PhoneFor(i) << " " << persona.persona;
      }
      if (persona.disposition == "opted_out" && !rec.outcome.empty()) {
        auto listed = server_->app().do_not_call().IsSuppressedMany({PhoneFor(i)});
        ASSERT_TRUE(listed);
        EXPECT_TRUE(listed->contains(PhoneFor(i))) << PhoneFor(i) << " not on do-not-call";
      }
    }
    for (const auto& [outcome, n] : by_outcome) {
      std::cout << "  " << outcome << ": " << n << "\n";
    }
    if (not_placed > 0) std::cout << "  (not placed: " << not_placed << ")\n";
    if (HasFailure()) std::cout << "server warnings:\n" << Warnings() << "\n";
  }

  // Every answered call's recording is stored encrypted, readable through the API, and
  // removed from the provider.
  void CheckRecordings(int64_t campaign_id, int timeout_seconds) {
    const int64_t answered = Count(
        "SELECT COUNT(*) FROM call_attempts a JOIN provider_calls p ON p.attempt_id = a.id "
        "WHERE a.campaign_id = $1 AND p.status = 'completed'",
        {storage::Int(campaign_id)});
    ASSERT_GT(answered, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    int64_t stored = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      stored = Count(
          "SELECT COUNT(*) FROM recordings r JOIN call_attempts a ON a.id = r.attempt_id "
          "WHERE a.campaign_id = $1 AND r.state = 'stored' AND r.remote_deleted = 1",
          {storage::Int(campaign_id)});
      if (stored >= answered) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(stored, answered) << "recordings stored and deleted at the provider";
    auto tx = server_->app().db().Begin(false);
    auto one = tx->Execute(
        "SELECT r.id, r.blob_key FROM recordings r JOIN call_attempts a ON a.id = r.attempt_id "
        "WHERE a.campaign_id = $1 AND r.state = 'stored' ORDER BY r.id LIMIT 1",
        {storage::Int(campaign_id)});
    tx->Commit();
    ASSERT_EQ(one.rows.size(), 1u);
    auto media = server_->Client().Get(
        "/api/v1/recordings/" + std::to_string(one.rows[0].GetInt(0)) + "/media",
        server_->TokenFor("agent"));
    ASSERT_EQ(media.status, 200) << media.body;
    EXPECT_EQ(media.body.substr(0, 4), "RIFF");
    // At rest the bytes are not the audio.
    std::ifstream blob(server_data_dir() + "/recordings/" + one.rows[0].GetText(1),
                       std::ios::binary);
    std::string head(4, '\0');
    blob.read(head.data(), 4);
    EXPECT_NE(head, "RIFF");
  }

  std::string server_data_dir() {
    auto cfg = server_->app().config();
    return cfg.data_dir;
  }

  // Reads a counter's sample from /metrics (-1 when it is not there).
  double MetricValue(const std::string& name) {
    auto metrics = server_->Client().Get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    const std::string prefix = "\n" + name + " ";
    const auto at = metrics.body.find(prefix);
    if (at == std::string::npos) return -1;
    return std::stod(metrics.body.substr(at + prefix.size()));
  }

  void ExpectNoWebhookRefused() {
    EXPECT_EQ(MetricValue("vaarta_webhooks_rejected_total"), 0);
    EXPECT_GT(MetricValue("vaarta_webhooks_total"), 0);
  }

  static constexpr int kLeads = 200;
  std::string dir_;
  std::string sim_url_;
  std::string token_;
  std::unique_ptr<ChildProcess> sim_;
  std::unique_ptr<core::ScaledClock> clock_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<WebhookReceiver> receiver_;
  std::string webhook_secret_;
};

TEST_F(TelephonyEndToEnd, GatherModeCampaignOfTwoHundredLeadsOnSqlite) {
  ASSERT_NO_FATAL_FAILURE(Start("sqlite", ""));
  ASSERT_NO_FATAL_FAILURE(AddLeads());
  ASSERT_NO_FATAL_FAILURE(AddWebhookEndpoint());
  const int64_t campaign = StartCampaign("gather");
  ASSERT_GT(campaign, 0);
  ASSERT_NO_FATAL_FAILURE(WaitForAllCalls(campaign, 300));
  CheckCampaign(campaign, true);
  CheckRecordings(campaign, 60);
  ExpectNoWebhookRefused();
  CheckWebhooks(campaign);
}

TEST_F(TelephonyEndToEnd, RelayModeCampaignOfTwoHundredLeadsOnPostgres) {
  ASSERT_NO_FATAL_FAILURE(Start("postgres", ""));
  ASSERT_NO_FATAL_FAILURE(AddLeads());
  ASSERT_NO_FATAL_FAILURE(AddWebhookEndpoint());
  const int64_t campaign = StartCampaign("relay");
  ASSERT_GT(campaign, 0);
  ASSERT_NO_FATAL_FAILURE(WaitForAllCalls(campaign, 300));
  CheckCampaign(campaign, true);
  CheckRecordings(campaign, 60);
  ExpectNoWebhookRefused();
  CheckWebhooks(campaign);
}

// 5xx bursts and 429s on the REST API, dropped, duplicated and reordered callbacks, and
// relay sockets dropped mid-call: every call still ends in a final state, each lead is
// dialled once, and the outcomes that were decided before a fault stand.
TEST_F(TelephonyEndToEnd, FaultsLeaveEveryCallFinalAndNoLeadDialledTwice) {
  ASSERT_NO_FATAL_FAILURE(Start("sqlite",
                                R"({"rest_429_rate":0.1,"rest_5xx_rate":0.05,"rest_5xx_burst":3,)"
                                R"("callback_drop_rate":0.1,"callback_duplicate_rate":0.2,)"
                                R"("callback_reorder_rate":0.2,"callback_reorder_delay_ms":200,)"
                                R"("websocket_drop_rate":0.1,"seed":7})"));
  ASSERT_NO_FATAL_FAILURE(AddLeads());
  const int64_t campaign = StartCampaign("relay");
  ASSERT_GT(campaign, 0);
  ASSERT_NO_FATAL_FAILURE(WaitForAllCalls(campaign, 420));
  CheckCampaign(campaign, false);
  // Duplicates were recorded once: no two events of a call share a sequence number.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT call_id, sequence FROM call_events "
                  "WHERE kind = 'status' AND sequence >= 0 GROUP BY call_id, sequence "
                  "HAVING COUNT(*) > 1) d"),
            0);
  // A lead whose opt-out was heard is on the do-not-call list whatever happened after.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM call_attempts a JOIN leads l ON l.id = a.lead_id "
                  "WHERE a.outcome = 'opted_out' AND l.status <> 'do_not_call'"),
            0);
  ExpectNoWebhookRefused();
}

// A webhook without a valid signature is refused with 403, audited, and changes nothing.
TEST_F(TelephonyEndToEnd, UnsignedAndForgedWebhooksAreRefused) {
  ASSERT_NO_FATAL_FAILURE(Start("sqlite", ""));
  auto client = server_->Client();
  const std::string path = "/webhooks/twilio/status?attempt=1";
  const std::string body =
      "AccountSid=" + kAccountSid + "&CallSid=CAforged&CallStatus=completed&SequenceNumber=3";
  auto unsigned_post =
      client.Request("POST", path, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(unsigned_post.status, 403) << unsigned_post.body;
  // Signed with the wrong token.
  const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  telephony::twilio::FormParams params = {{"AccountSid", kAccountSid},
                                          {"CallSid", "CAforged"},
                                          {"CallStatus", "completed"},
                                          {"SequenceNumber", "3"}};
  auto forged = client.Request(
      "POST", path, body,
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"X-Twilio-Signature", telephony::twilio::ComputeSignature("not-the-token", url, params)}});
  EXPECT_EQ(forged.status, 403);
  // Signed right but tampered with after signing.
  auto tampered = client.Request(
      "POST", path, body + "&CallDuration=999",
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"X-Twilio-Signature", telephony::twilio::ComputeSignature(kAuthToken, url, params)}});
  EXPECT_EQ(tampered.status, 403);
  // The right signature passes verification (and then finds no such call).
  auto genuine = client.Request(
      "POST", path, body,
      {{"Content-Type", "application/x-www-form-urlencoded"},
       {"X-Twilio-Signature", telephony::twilio::ComputeSignature(kAuthToken, url, params)}});
  EXPECT_EQ(genuine.status, 200) << genuine.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM call_events"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'telephony.webhook_rejected'"), 3);
}

}  // namespace
}  // namespace vaarta::testing
