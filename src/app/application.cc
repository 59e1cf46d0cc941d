#include "app/application.h"

#include "api/api_context.h"
#include "api/callback_routes.h"
#include "api/campaign_routes.h"
#include "api/consent_routes.h"
#include "api/data_request_routes.h"
#include "api/dnd_routes.h"
#include "api/do_not_call_routes.h"
#include "api/lead_routes.h"
#include "api/live_call_routes.h"
#include "api/overview_routes.h"
#include "api/recording_routes.h"
#include "api/report_routes.h"
#include "api/routes.h"
#include "api/telephony_credential_routes.h"
#include "api/test_call_routes.h"
#include "api/webhook_routes.h"
#include "app/jwt_secret.h"
#include "app/persona_callee.h"
#include "app/telephony_stack.h"
#include "calls/provider_call_repository.h"
#include "core/crypto.h"
#include "core/embedded_files.h"
#include "http/static_site.h"
#include "storage/migrator.h"

#include <unistd.h>

namespace vaarta::app {

core::Result<std::unique_ptr<storage::Database>> OpenMigratedDatabase(const core::Config& config) {
  if (config.db.rfind("sqlite:", 0) == 0) {
    // Create the folder of a relative or absolute SQLite path.
    std::string path = config.db.substr(7);
    auto slash = path.find_last_of('/');
    if (slash != std::string::npos && slash > 0) {
      if (auto s = EnsureDirectory(path.substr(0, slash)); !s) return s.error();
    }
  }
  std::unique_ptr<storage::Database> db;
  try {
    db = storage::OpenDatabase(config.db, config.db_pool);
    auto report = storage::Migrate(*db);
    if (!report) return report.error();
  } catch (const storage::DatabaseError& e) {
    return core::MakeError(core::ErrorCode::kUnavailable, e.what(), "database_unavailable");
  }
  return db;
}

core::Result<std::unique_ptr<Application>> Application::Create(const core::Config& config,
                                                               std::ostream& log_out,
                                                               const core::Clock* clock) {
  std::unique_ptr<Application> app(new Application());
  app->config_ = config;
  app->clock_ = clock ? clock : &app->system_clock_;
  core::LogLevel level = core::LogLevel::kInfo;
  core::ParseLogLevel(config.log_level, &level);
  app->logger_ = std::make_unique<core::Logger>(log_out, level, *app->clock_);

  auto secret = LoadOrCreateJwtSecret(config.jwt_secret, config.data_dir);
  if (!secret) return secret.error();
  auto db = OpenMigratedDatabase(config);
  if (!db) return db.error();
  app->db_ = std::move(*db);

  app->audit_ = std::make_unique<audit::AuditLog>(*app->db_, *app->clock_);
  http::LiveFeed* live = &app->live_;
  app->audit_->SetListener([live](const audit::AuditRecord& record) {
    if (live->subscriber_count() > 0) live->Publish("audit", api::AuditRecordJson(record).dump());
  });

  auth::AuthSettings auth_settings;
  auth_settings.jwt_secret = *secret;
  auth_settings.access_token_ttl_seconds = config.access_token_ttl_seconds;
  auth_settings.refresh_token_ttl_seconds = config.refresh_token_ttl_seconds;
  auth_settings.throttle.max_failures_per_account = config.login_max_failures_per_account;
  auth_settings.throttle.max_failures_per_address = config.login_max_failures_per_address;
  auth_settings.throttle.window_millis = int64_t{config.login_window_seconds} * 1000;
  app->auth_ =
      std::make_unique<auth::AuthService>(*app->db_, *app->clock_, *app->audit_, auth_settings);

  // The do-not-call list and consent ledger find numbers by a keyed hash, so the key
  // must never change (VerifyHashKey refuses to start with a different one).
  auto suppression_key =
      LoadOrCreateSecret(config.suppression_key, config.data_dir, "suppression.key");
  if (!suppression_key) return suppression_key.error();
  compliance::SuppressionHasher hasher(*suppression_key);
  app->do_not_call_ =
      std::make_unique<compliance::DoNotCallList>(*app->db_, *app->clock_, *app->audit_, hasher);
  if (auto verified = app->do_not_call_->VerifyHashKey(); !verified) return verified.error();
  app->consents_ = std::make_unique<compliance::ConsentLedger>(
      *app->db_, *app->clock_, *app->audit_, hasher,
      compliance::ConsentLedgerOptions{config.consent_reask_lock_days});

  // Leads: cleaning, import jobs, the lead book, with the compliance facts recorded on
  // each lead and erasure reaching the compliance lists.
  if (!leads::PhoneNormalizer::KnowsRegion(config.default_region)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "setting 'default_region' is '" + config.default_region +
                               "', which is not a region phone numbers are known for; use an "
                               "ISO 3166 code such as IN",
                           "invalid_config");
  }
  app->phones_ = std::make_unique<leads::PhoneNormalizer>(config.default_region);
  compliance::DoNotCallList* dnc = app->do_not_call_.get();
  compliance::ConsentLedger* consents = app->consents_.get();
  app->dnd_ = std::make_unique<compliance::DndRegistry>(*app->db_, *app->clock_, *app->audit_,
                                                        config.data_dir + "/dnd");
  leads::ImportChecks checks;
  Application* self = app.get();
  checks.dnd = [self] { return self->CurrentDndScrub(); };
  checks.suppressed = [dnc](const std::vector<std::string>& numbers) {
    auto found = dnc->IsSuppressedMany(numbers);
    // The numbers come from the phone normaliser, so they are valid E.164 and the
    // lookup cannot refuse them. Were it to, the leads keep their status: marking is a
    // convenience, and the pre-dial gate checks the list again before every call.
    return found ? *found : std::unordered_set<std::string>{};
  };
  app->leads_ = std::make_unique<leads::LeadService>(*app->db_, *app->clock_, *app->audit_);
  app->leads_->AddErasureHook(
      [dnc](storage::Transaction& tx, const std::string& e164) { dnc->EraseNumber(tx, e164); });
  // The lead's calls, each with its outcome and transcript, so that the timeline shows what
  // was said and where the recording player belongs.
  storage::Database* calls_db = app->db_.get();
  app->leads_->AddTimelineSource([calls_db](const std::string& e164) {
    std::vector<leads::LeadEvent> events;
    storage::InTransaction(
        *calls_db,
        [&](storage::Transaction& tx) {
          auto attempts = tx.Execute(
              "SELECT a.id, a.placed_at, a.campaign_id, a.status, a.outcome, a.answered "
              "FROM call_attempts a JOIN leads l ON l.id = a.lead_id WHERE l.phone_e164 = $1 "
              "ORDER BY a.id DESC LIMIT 50",
              {storage::Text(e164)});
          for (const auto& row : attempts.rows) {
            nlohmann::json transcript = nlohmann::json::array();
            for (const auto& turn : calls::ProviderCallRepository().Turns(tx, row.GetInt(0))) {
              transcript.push_back(
                  {{"speaker", turn.speaker}, {"text", turn.text}, {"intent", turn.intent}});
            }
            events.push_back({0,
                              0,
                              row.GetInt(1),
                              "call",
                              "agent",
                              {{"attempt_id", row.GetInt(0)},
                               {"campaign_id", row.GetInt(2)},
                               {"status", row.GetText(3)},
                               {"outcome", row.GetText(4)},
                               {"answered", row.GetInt(5) != 0},
                               {"transcript", transcript}}});
          }
        },
        false);
    return events;
  });
  app->leads_->AddTimelineSource([dnc, consents](const std::string& e164) {
    std::vector<leads::LeadEvent> events;
    if (auto history = dnc->History(e164)) {
      for (const auto& entry : *history) {
        events.push_back({0,
                          0,
                          entry.added_at,
                          "dnc",
                          entry.added_by,
                          {{"source", entry.source}, {"removed", entry.removed_at.has_value()}}});
      }
    }
    if (auto list = consents->List(e164, std::nullopt, 0, 50)) {
      for (const auto& consent : *list) {
        events.push_back({0,
                          0,
                          consent.given_at,
                          "consent",
                          consent.recorded_by,
                          {{"purpose", consent.purpose},
                           {"source", consent.source},
                           {"withdrawn", consent.withdrawn_at.has_value()}}});
      }
    }
    return events;
  });
  app->importer_ =
      std::make_unique<leads::LeadImporter>(*app->db_, *app->clock_, *app->phones_, checks);
  app->intake_ = std::make_unique<leads::LeadIntake>(*app->db_, *app->clock_, *app->audit_,
                                                     *app->phones_, checks);
  app->imports_ = std::make_unique<leads::ImportJobRunner>(*app->db_, *app->clock_, *app->logger_,
                                                           *app->importer_);
  app->imports_->RecoverInterrupted();
  app->imports_->SetListener([live, self](const leads::ImportJobStatus& status) {
    if (live->subscriber_count() > 0) live->Publish("import", api::ImportJobJson(status).dump());
    if (!status.running && self->webhook_book_) self->AnnounceImport(status);
  });
  // Started by Run: command-line tools that open the application leave the index alone.
  app->search_index_ = std::make_unique<leads::SearchIndexWorker>(*app->db_, *app->logger_);

  // Campaigns: their configuration, scripts and lifecycle; changes go to the live feed.
  campaigns::CampaignServiceOptions campaign_options;
  campaign_options.default_region = config.default_region;
  if (!config.llm_base_url.empty()) {
    campaign_options.llm =
        campaigns::LlmEndpoint{config.llm_base_url, config.llm_api_key, config.llm_model};
  }
  app->campaigns_ = std::make_unique<campaigns::CampaignService>(*app->db_, *app->clock_,
                                                                 *app->audit_, campaign_options);
  app->campaigns_->SetListener([live](const campaigns::Campaign& c, std::string_view event) {
    if (live->subscriber_count() > 0) {
      live->Publish("campaigns", api::CampaignEventJson(c, event).dump());
    }
  });

  app->services_.reset(new api::ApiServices{*app->db_, *app->clock_, *app->logger_, app->metrics_,
                                            *app->auth_, *app->audit_, app->settings_, app->live_});
  api::ApiRouter api_router(app->router_, *app->services_);
  api::RegisterRoutes(api_router);
  api::RegisterDoNotCallRoutes(api_router, *app->do_not_call_);
  api::RegisterDoNotCallImportRoute(
      api_router,
      [self](const std::string& path, const std::string& reason, const compliance::Actor& actor) {
        return leads::ImportDoNotCallFile(*self->db_, *self->do_not_call_, *self->phones_, path,
                                          reason, actor);
      },
      config.max_upload_bytes);
  api::RegisterConsentRoutes(api_router, *app->consents_);
  api::RegisterDndRoutes(api_router, *app->dnd_, *app->phones_);
  app->lead_api_.reset(new api::LeadApi{*app->leads_, *app->intake_, *app->importer_,
                                        *app->imports_, config.max_upload_bytes});
  api::RegisterLeadRoutes(api_router, *app->lead_api_);
  app->callbacks_ = std::make_unique<dialer::CallbackBook>(app->DialerServicesFor(*app->clock_));
  api::RegisterCallbackRoutes(api_router, *app->callbacks_);
  api::RegisterCampaignRoutes(
      api_router, *app->campaigns_,
      std::string(core::FindEmbeddedFile("../docs/script-schema.json").value_or("")));

  // Recordings: encrypted at rest with a key from the configuration (or one derived from a
  // secret kept in the data folder), erased with their lead.
  core::Result<recordings::RecordingKey> recording_key =
      core::MakeError(core::ErrorCode::kInternal, "");
  if (!config.recording_key.empty()) {
    recording_key = recordings::ParseRecordingKey(config.recording_key);
  } else {
    auto secret = LoadOrCreateSecret("", config.data_dir, "recording.secret");
    if (!secret) return secret.error();
    recording_key = recordings::ParseRecordingKey(core::Sha256Hex(*secret));
  }
  if (!recording_key) return recording_key.error();
  // Secrets entered in the dashboard are sealed with a key derived from the same data key,
  // which every server of a deployment already shares.
  app->secret_box_ = std::make_unique<settings::SecretBox>(recording_key->raw());
  app->telephony_credentials_ =
      std::make_unique<settings::TelephonyCredentialStore>(*app->secret_box_);
  app->telephony_credential_api_.reset(new api::TelephonyCredentialApi{
      *app->telephony_credentials_, config.telephony, config.twilio_api_base_url,
      config.twilio_account_sid, !config.twilio_auth_token.empty(), [self] {
        if (self->telephony_) self->telephony_->ReloadCredentials();
      }});
  api::RegisterTelephonyCredentialRoutes(api_router, *app->telephony_credential_api_);
  // Outbound webhooks: events enter the outbox in the transaction that made them; the
  // dispatcher (started by Run) sends them.
  app->webhook_book_ = std::make_unique<webhooks::WebhookBook>(*app->clock_, *app->secret_box_,
                                                               config.webhooks_allow_http);
  webhooks::WebhookDispatcherOptions webhook_options;
  webhook_options.retry_base_ms = config.webhook_retry_base_ms;
  webhook_options.allow_private_network = config.webhooks_allow_private_network;
  app->webhook_dispatcher_ = std::make_unique<webhooks::WebhookDispatcher>(
      *app->db_, *app->clock_, *app->secret_box_, *app->logger_, webhook_options);
  app->leads_->AddErasureHook(&webhooks::WebhookBook::ForgetNumber);
  api::RegisterWebhookRoutes(api_router, *app->webhook_book_);
  api::RegisterLiveCallRoutes(
      api_router, [self](int64_t attempt_id, const std::string& by) -> core::Result<std::string> {
        if (!self->telephony_) {
          return core::MakeError(core::ErrorCode::kConflict,
                                 "this server runs the simulated telephony, whose calls have no "
                                 "live audio to hand over",
                                 "take_over_unsupported");
        }
        return self->telephony_->flow().TakeOver(attempt_id, by);
      });
  const std::string recordings_dir =
      config.recordings_dir.empty() ? config.data_dir + "/recordings" : config.recordings_dir;
  if (auto made = EnsureDirectory(recordings_dir); !made) return made.error();
  app->recording_blobs_ = std::make_unique<recordings::LocalBlobStore>(recordings_dir);
  recordings::RecordingServiceOptions recording_options;
  recording_options.delete_remote_after_copy = config.recordings_delete_remote;
  app->recordings_ = std::make_unique<recordings::RecordingService>(
      *app->db_, *app->recording_blobs_, *recording_key,
      [self](const std::string& name) -> telephony::TelephonyProvider* {
        if (self->telephony_ && self->telephony_->provider().name() == name) {
          return &self->telephony_->provider();
        }
        return nullptr;
      },
      *app->audit_, *app->clock_, recording_options);
  recordings::RecordingService* recordings = app->recordings_.get();
  app->leads_->AddErasureHook([recordings](storage::Transaction& tx, const std::string& e164) {
    recordings->EraseForNumber(tx, e164);
  });
  api::RegisterRecordingRoutes(api_router, *app->recordings_);
  api::RegisterOverviewRoutes(api_router);
  // Report exports: made in the background; libxlsxwriter writes its workbook in a folder.
  const std::string exports_dir = config.data_dir + "/exports";
  if (auto made = EnsureDirectory(exports_dir); !made) return made.error();
  app->report_exports_ = std::make_unique<reports::ReportExportRunner>(*app->db_, *app->clock_,
                                                                       *app->logger_, exports_dir);
  reports::ReportExportRunner* exports = app->report_exports_.get();
  app->leads_->AddErasureHook(
      [exports](storage::Transaction& tx, const std::string&) { exports->ForgetCallLists(tx); });
  api::RegisterReportRoutes(api_router, *app->report_exports_);
  app->data_requests_ =
      std::make_unique<leads::DataRequestBook>(*app->db_, *app->clock_, *app->phones_);
  app->leads_->AddErasureHook(&leads::DataRequestBook::ForgetNumber);
  api::RegisterDataRequestRoutes(api_router, *app->data_requests_);
  app->test_calls_ = std::make_unique<calls::TestCallService>(
      *app->campaigns_, *app->clock_,
      [self]() -> conversation::ConversationEngine& { return self->Engine(); });
  api::RegisterTestCallRoutes(api_router, *app->test_calls_,
                              {TalkingPersonas(), &MakePersonaCallee});
  if (config.telephony == "twilio") {
    auto stack =
        TelephonyStack::Create({config, *app->db_, *app->clock_, *app->logger_, *app->audit_,
                                *app->campaigns_, *app->do_not_call_, *app->recordings_, app->live_,
                                app->Engine(), app->telephony_credentials_.get()});
    if (!stack) return stack.error();
    app->telephony_ = std::move(*stack);
    app->telephony_->RegisterRoutes(api_router, app->router_);
  }

  // The dashboard: its files are optional, so an API-only deployment (or a build without
  // Node.js) still serves the API, and says so.
  std::string web_dir = config.web_dir.empty() ? VAARTA_DEFAULT_WEB_DIR : config.web_dir;
  if (web_dir == "off") {
    app->logger_->Info("dashboard off (web_dir = off): serving the API alone");
  } else if (auto site = http::StaticSite::Load(web_dir)) {
    auto shared = std::make_shared<const http::StaticSite>(std::move(*site));
    app->logger_->Info("dashboard files loaded",
                       {{"dir", web_dir}, {"files", std::to_string(shared->file_count())}});
    app->router_.SetFallback(
        {"GET", "/{dashboard}", "public", "the dashboard's files and pages", false, true},
        [shared](http::Request& request) { return shared->Serve(request); });
  } else {
    app->logger_->Warn("dashboard not served", {{"reason", site.error().message}});
  }

  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.max_body_bytes = config.max_body_bytes;
  options.request_timeout_seconds = config.request_timeout_seconds;
  options.shutdown_grace_seconds = config.shutdown_grace_seconds;
  options.upload_dir = config.data_dir + "/uploads";
  if (auto made = EnsureDirectory(options.upload_dir); !made) return made.error();
  app->server_ =
      std::make_unique<http::Server>(options, app->router_, *app->logger_, app->metrics_);
  return app;
}

leads::DndScrub Application::CurrentDndScrub() const {
  std::shared_ptr<const compliance::DndSnapshot> snapshot = dnd_->Current();
  leads::DndScrub scrub;
  if (snapshot) scrub.registry_date = snapshot->info().registry_date;
  // The lambda holds the snapshot, so a reload during an import leaves it intact.
  scrub.state = [snapshot](const std::string& e164) {
    return compliance::DndRegistry::LeadState(snapshot.get(), e164);
  };
  return scrub;
}

Application::~Application() {
  server_.reset();  // joins the worker pool before the services it uses go away
  telephony_.reset();
  search_index_.reset();
  if (webhook_dispatcher_) webhook_dispatcher_->Stop();
  imports_.reset();  // cancels and joins background imports
}

core::Result<int> Application::Listen() { return server_->Listen(); }

conversation::ConversationEngine& Application::Engine() {
  std::call_once(engine_once_,
                 [this] { conversation_ = MakeConversationParts(config_, *clock_, *logger_); });
  return *conversation_.engine;
}

void Application::Run(bool handle_signals) {
  logger_->Info("serving", {{"host", config_.host}, {"database", db_->Describe()}});
  search_index_->Start();
  // Here, not in Create: a command-line tool opening the same SQLite database while the
  // server runs must not mark the server's running exports as interrupted.
  report_exports_->RecoverInterrupted();
  std::jthread dialing;
  if (telephony_) telephony_->Start();
  webhook_dispatcher_->Start();
  if (config_.dialer) {
    dialer::DialerOptions options;
    options.worker_id = "serve-" + std::to_string(::getpid());
    dialer::CallProvider* provider = nullptr;
    if (telephony_) {
      provider = &telephony_->call_provider(options.worker_id);
    } else {
      simulated_provider_ =
          std::make_unique<dialer::SimulatedProvider>(dialer::SimulatedRates{}, 1);
      provider = simulated_provider_.get();
    }
    dialer_ = std::make_unique<dialer::Dialer>(DialerServicesFor(*clock_), *provider, options);
    dialing = std::jthread([this](std::stop_token stop) {
      dialer_->Run(stop, 200, [this] {
        // Scheduled campaigns start when their date comes (checked again at that moment).
        campaigns_->StartDue({"system:scheduler", "", "", ""});
      });
    });
  }
  server_->Run(handle_signals);
  if (dialing.joinable()) {
    dialing.request_stop();
    dialing.join();
  }
  search_index_->Stop();
  if (telephony_) telephony_->Stop();
  logger_->Info("stopped");
}

void Application::Shutdown() { server_->Shutdown(); }

dialer::DialerServices Application::DialerServicesFor(const core::Clock& clock) {
  dialer::DialerServices services{db_.get(),          &clock,          audit_.get(),
                                  do_not_call_.get(), consents_.get(), dnd_.get(),
                                  &holidays_,         &zones_,         logger_.get()};
  webhooks::WebhookBook* book = webhook_book_.get();
  if (book != nullptr) {
    services.calls_recorded = [book](storage::Transaction& tx, const nlohmann::json& calls) {
      std::vector<webhooks::OutboundEvent> events;
      for (const auto& call : calls) {
        nlohmann::json data = call;
        for (const char* when :
             {"placed_at", "ended_at", "callback_requested_at", "callback_due_at"}) {
          if (data.contains(when) && data[when].is_number_integer()) {
            data[when] = core::FormatIso8601Utc(data[when].get<int64_t>());
          }
        }
        events.push_back({std::string(webhooks::kCallCompleted), std::move(data),
                          call.value("phone", std::string())});
      }
      book->Enqueue(tx, events);
    };
  }
  return services;
}

void Application::AnnounceImport(const leads::ImportJobStatus& status) {
  try {
    storage::InTransaction(*db_, [&](storage::Transaction& tx) {
      webhook_book_->Enqueue(
          tx, {{std::string(webhooks::kImportCompleted), api::ImportJobJson(status), ""}});
    });
  } catch (const std::exception& e) {
    logger_->Warn("import.completed webhook not queued",
                  {{"job", status.job.id}, {"error", e.what()}});
  }
}

core::Result<std::string> Application::CampaignState(int64_t campaign_id) {
  auto campaign = campaigns_->Get(campaign_id);
  if (!campaign) return campaign.error();
  return std::string(campaigns::CampaignStateName(campaign->state));
}

core::Status Application::StartCampaignForSimulation(int64_t campaign_id) {
  auto outcome = campaigns_->Start(campaign_id, {"system:simulate", "admin", "local", ""});
  if (!outcome.ok()) {
    core::Error error = *outcome.error;
    for (const auto& f : outcome.findings) {
      if (f.severity == "error") error.message += "; " + f.message;
    }
    return error;
  }
  return core::Ok{};
}

}  // namespace vaarta::app
