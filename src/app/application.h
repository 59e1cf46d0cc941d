#pragma once
// Application: the composition root. It opens the database, runs migrations, builds
// every module with its dependencies, registers the routes and owns the server. The
// CLI and the API tests both start the product through it.
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "app/conversation_parts.h"
#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "calls/test_call.h"
#include "campaigns/campaign_service.h"
#include "campaigns/holiday_calendar.h"
#include "campaigns/zone_offset_cache.h"
#include "compliance/consent_ledger.h"
#include "compliance/dnd_registry.h"
#include "compliance/do_not_call_list.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "core/result.h"
#include "dialer/callback_book.h"
#include "dialer/dialer.h"
#include "dialer/simulated_provider.h"
#include "http/live_feed.h"
#include "http/router.h"
#include "http/server.h"
#include "leads/data_request_book.h"
#include "leads/import_job_runner.h"
#include "leads/lead_importer.h"
#include "leads/lead_intake.h"
#include "leads/lead_service.h"
#include "leads/phone/phone_normalizer.h"
#include "leads/search_index_worker.h"
#include "recordings/local_blob_store.h"
#include "recordings/recording_service.h"
#include "reports/report_export_runner.h"
#include "settings/secret_box.h"
#include "settings/settings_repository.h"
#include "settings/telephony_credentials.h"
#include "storage/database.h"
#include "webhooks/webhook_book.h"
#include "webhooks/webhook_dispatcher.h"

namespace vaarta::api {
struct ApiServices;
struct LeadApi;
struct TelephonyCredentialApi;
}  // namespace vaarta::api

namespace vaarta::app {

class TelephonyStack;

class Application {
 public:
  // `clock` may be null for the system clock. Logs go to `log_out`.
  static core::Result<std::unique_ptr<Application>> Create(const core::Config& config,
                                                           std::ostream& log_out,
                                                           const core::Clock* clock = nullptr);
  ~Application();

  core::Result<int> Listen();  // binds; returns the port
  void Run(bool handle_signals);
  void Shutdown();

  storage::Database& db() { return *db_; }
  auth::AuthService& auth() { return *auth_; }
  audit::AuditLog& audit() { return *audit_; }
  compliance::DoNotCallList& do_not_call() { return *do_not_call_; }
  compliance::ConsentLedger& consents() { return *consents_; }
  compliance::DndRegistry& dnd() { return *dnd_; }
  // The registry as it is now, for recording on leads (imports, rescrubs).
  leads::DndScrub CurrentDndScrub() const;
  leads::LeadService& leads() { return *leads_; }
  const leads::PhoneNormalizer& phones() const { return *phones_; }
  leads::ImportJobRunner& imports() { return *imports_; }
  campaigns::CampaignService& campaigns() { return *campaigns_; }
  const campaigns::HolidayCalendar& holidays() const { return holidays_; }
  const campaigns::ZoneOffsetCache& zones() const { return zones_; }
  dialer::CallbackBook& callbacks() { return *callbacks_; }
  // What a dialer of this application needs, on `clock` (the simulator's virtual one).
  dialer::DialerServices DialerServicesFor(const core::Clock& clock);
  // "draft", "running", ... of a campaign (kNotFound when there is none).
  core::Result<std::string> CampaignState(int64_t campaign_id);
  // Starts a campaign as the system would (every check of a start applies).
  core::Status StartCampaignForSimulation(int64_t campaign_id);
  const http::Router& router() const { return router_; }
  recordings::RecordingService& recordings() { return *recordings_; }
  // Null unless `telephony = twilio`.
  TelephonyStack* telephony() { return telephony_.get(); }
  const core::Logger& logger() const { return *logger_; }
  const core::Config& config() const { return config_; }

 private:
  Application() = default;

  core::Config config_;
  core::SystemClock system_clock_;
  const core::Clock* clock_ = nullptr;
  std::unique_ptr<core::Logger> logger_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<auth::AuthService> auth_;
  std::unique_ptr<compliance::DoNotCallList> do_not_call_;
  std::unique_ptr<compliance::ConsentLedger> consents_;
  std::unique_ptr<compliance::DndRegistry> dnd_;
  std::unique_ptr<leads::PhoneNormalizer> phones_;
  std::unique_ptr<leads::LeadService> leads_;
  std::unique_ptr<leads::LeadImporter> importer_;
  std::unique_ptr<leads::LeadIntake> intake_;
  std::unique_ptr<leads::ImportJobRunner> imports_;
  std::unique_ptr<reports::ReportExportRunner> report_exports_;
  std::unique_ptr<leads::DataRequestBook> data_requests_;
  std::unique_ptr<leads::SearchIndexWorker> search_index_;
  std::unique_ptr<api::LeadApi> lead_api_;
  std::unique_ptr<campaigns::CampaignService> campaigns_;
  // The agent's conversation engine, one for live calls and test calls, built on first use
  // (loading the intent model takes time a server that never talks need not spend).
  conversation::ConversationEngine& Engine();
  // Queues the import.completed webhook for a job that ended.
  void AnnounceImport(const leads::ImportJobStatus& status);
  std::once_flag engine_once_;
  ConversationParts conversation_;
  std::unique_ptr<calls::TestCallService> test_calls_;
  campaigns::HolidayCalendar holidays_;
  campaigns::ZoneOffsetCache zones_;
  // 'serve' dials through the telephony stack when one is configured, otherwise through
  // the in-process outcome model.
  std::unique_ptr<dialer::SimulatedProvider> simulated_provider_;
  std::unique_ptr<recordings::LocalBlobStore> recording_blobs_;
  std::unique_ptr<recordings::RecordingService> recordings_;
  std::unique_ptr<settings::SecretBox> secret_box_;
  std::unique_ptr<settings::TelephonyCredentialStore> telephony_credentials_;
  std::unique_ptr<api::TelephonyCredentialApi> telephony_credential_api_;
  std::unique_ptr<webhooks::WebhookBook> webhook_book_;
  std::unique_ptr<webhooks::WebhookDispatcher> webhook_dispatcher_;
  std::unique_ptr<TelephonyStack> telephony_;
  std::unique_ptr<dialer::Dialer> dialer_;
  std::unique_ptr<dialer::CallbackBook> callbacks_;
  settings::SettingsRepository settings_;
  http::LiveFeed live_;
  http::Router router_;
  std::unique_ptr<api::ApiServices> services_;
  std::unique_ptr<http::Server> server_;
};

// Opens and migrates the configured database (for CLI commands that need no server).
core::Result<std::unique_ptr<storage::Database>> OpenMigratedDatabase(const core::Config& config);

}  // namespace vaarta::app
