#pragma once
// Application: the composition root. It opens the database, runs migrations, builds
// every module with its dependencies, registers the routes and owns the server. The
// CLI and the API tests both start the product through it.
#include <memory>
#include <ostream>

#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "compliance/consent_ledger.h"
#include "compliance/dnd_registry.h"
#include "compliance/do_not_call_list.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/logger.h"
#include "core/metrics.h"
#include "core/result.h"
#include "http/live_feed.h"
#include "http/router.h"
#include "http/server.h"
#include "leads/import_job_runner.h"
#include "leads/lead_importer.h"
#include "leads/lead_intake.h"
#include "leads/lead_service.h"
#include "leads/phone/phone_normalizer.h"
#include "leads/search_index_worker.h"
#include "settings/settings_repository.h"
#include "storage/database.h"

namespace vaarta::api {
struct ApiServices;
struct LeadApi;
}  // namespace vaarta::api

namespace vaarta::app {

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
  const http::Router& router() const { return router_; }
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
  std::unique_ptr<leads::SearchIndexWorker> search_index_;
  std::unique_ptr<api::LeadApi> lead_api_;
  settings::SettingsRepository settings_;
  http::LiveFeed live_;
  http::Router router_;
  std::unique_ptr<api::ApiServices> services_;
  std::unique_ptr<http::Server> server_;
};

// Opens and migrates the configured database (for CLI commands that need no server).
core::Result<std::unique_ptr<storage::Database>> OpenMigratedDatabase(const core::Config& config);

}  // namespace vaarta::app
