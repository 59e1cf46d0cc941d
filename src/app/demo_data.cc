#include "app/demo_data.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "campaigns/campaign_json.h"
#include "campaigns/script_generator.h"
#include "compliance/dnd_registry_file.h"
#include "core/crypto.h"
#include "leads/lead_dnd_rescrub.h"
#include "settings/settings_repository.h"

namespace vaarta::app {
namespace {

constexpr const char* kAdminEmail = "admin@demo.vaarta.in";

core::Result<nlohmann::json> LoadOrCreatePasswords(const std::string& path) {
  std::ifstream in(path);
  if (in) {
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_object() && j.contains("admin") && j.contains("manager") && j.contains("agent"))
      return j;
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           path + " is damaged; delete it and the database to reseed the demo");
  }
  nlohmann::json j = {{"admin", core::RandomToken(12)},
                      {"manager", core::RandomToken(12)},
                      {"agent", core::RandomToken(12)}};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  std::string text = j.dump(2) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  return j;
}

// The national number of demo lead i.
std::string DemoNational(int i) { return std::to_string(9812300000LL + i * 7919LL % 99991); }

// A generated DND registry of today that lists some demo leads' numbers (fully, or for
// banking robo calls only), so the demo shows blocked and partial leads. Loaded again
// when the demo starts on a later day, so the demo's registry is never stale.
core::Status SeedDemoRegistry(Application& app, const std::string& data_dir) {
  auto status = app.dnd().Status();
  if (!status) return status.error();
  if (status->loaded && !status->stale) return core::Ok{};
  std::ostringstream text;
  compliance::WriteGeneratedDndRegistry(text, 20000, 7, 0.05);
  for (int i = 0; i < 200; ++i) {
    if (i % 10 == 3) text << DemoNational(i) << "\n";
    if (i % 10 == 6) text << DemoNational(i) << " cat=1 modes=robo\n";
  }
  std::string path = data_dir + "/demo-dnd.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << text.str();
    if (!out) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  }
  compliance::DndLoadOptions options;
  options.file_name = "demo-dnd.txt (generated)";
  auto loaded = app.dnd().Load(path, options, {"system:demo", "", "", ""});
  std::remove(path.c_str());
  if (!loaded) return loaded.error();
  leads::RescrubLeadsDnd(app.db(), app.CurrentDndScrub());
  return core::Ok{};
}

// Two hundred demo leads, imported through the real importer from a generated file in
// the formats people type (and a few rows it refuses), once per database.
core::Status SeedDemoLeads(Application& app, const std::string& data_dir) {
  if (!app.leads().List({}, 0, 1).empty()) return core::Ok{};
  const char* first[] = {"Anil", "Bela", "Chandan", "Deepa", "Esha",  "Farhan", "Gita",  "Harsh",
                         "राहुल", "सीमा", "अमित",    "पूजा",   "Kiran", "Lata",   "Manoj", "Nisha"};
  const char* last[] = {"Sharma", "Verma", "Iyer", "Khan", "Das", "Patel", "Rao", "मिश्रा"};
  const char* cities[] = {"Mumbai", "Delhi",  "Bengaluru", "Chennai",
                          "Pune",   "Jaipur", "Lucknow",   "इंदौर"};
  std::string csv = "Customer Name,Mobile No.,E-mail ID,City,Language,Tags\n";
  for (int i = 0; i < 200; ++i) {
    std::string national = DemoNational(i);
    std::string phone = i % 3 == 0 ? "+91 " + national.substr(0, 5) + " " + national.substr(5)
                                   : (i % 3 == 1 ? "0" + national : national);
    if (i % 50 == 7) phone = "1800 425 " + std::to_string(1000 + i);  // toll-free: refused
    if (i % 50 == 9) phone = "9.81234E+09";                           // Excel lost digits
    csv += std::string("\"") + first[i % 16] + " " + last[i % 8] + "\"," + phone + ",demo" +
           std::to_string(i) + "@example.in," + cities[i % 8] + "," + (i % 2 ? "hi" : "en") + "," +
           (i % 5 == 0 ? "hot" : "") + "\n";
  }
  std::string path = data_dir + "/demo-leads.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << csv;
    if (!out) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path);
  }
  leads::ImportOptions options;
  options.list_name = "Demo: Diwali offer";
  options.actor = "system:demo";
  options.file_name = "demo-leads.csv";
  auto result = app.imports().RunNow(path, options);
  std::remove(path.c_str());
  if (!result) return result.error();
  return core::Ok{};
}

// A draft campaign over the demo list, its script generated from the templates and its
// DLT facts filled in, so the campaign screens have something to show and start.
core::Status SeedDemoCampaign(Application& app) {
  if (!app.campaigns().List(std::nullopt, 0, 1).empty()) return core::Ok{};
  std::optional<int64_t> list_id;
  for (const auto& list : app.leads().Lists()) {
    if (list.name == "Demo: Diwali offer") list_id = list.id;
  }
  campaigns::Campaign c;
  c.name = "Demo: Diwali course offer";
  c.business_name = "Vidya Academy";
  c.goal = "book a free counselling session for the Diwali batch";
  c.product_facts =
      "Vidya Academy teaches spoken English and computer skills in Pune and online. Batches "
      "of 20 students, weekday evening and weekend classes, a certificate on completion.";
  c.offer = "15% off the course fee for admissions before Diwali";
  c.ncpr_category = 3;  // education
  c.languages = "auto";
  c.caller_id = "+911401234567";
  c.dlt = {"1201160000000012345", "140", "2026-01-15", ""};
  c.knowledge = {{"faq", "ask_price", "How much is the course?", "कोर्स की फीस कितनी है?",
                  "The three-month course costs 12,000 rupees, 10,200 with the Diwali offer.",
                  "तीन महीने के कोर्स की फीस 12,000 रुपये है, दिवाली ऑफ़र के साथ 10,200 रुपये।"},
                 {"objection", "objection_price", "It is too expensive.", "बहुत महंगा है।",
                  "The fee can be paid in three monthly instalments of 3,400 rupees.",
                  "फीस तीन मासिक किस्तों में, 3,400 रुपये प्रति माह, दी जा सकती है।"}};
  c.script = campaigns::GenerateTemplateScript(c);
  nlohmann::json config = campaigns::CampaignConfigToJson(c);
  if (list_id) config["list_ids"] = {*list_id};
  auto created = app.campaigns().Create(config, {"system:demo", "", "", ""});
  if (!created.ok()) return *created.error;
  return core::Ok{};
}

}  // namespace

core::Result<DemoLogin> SeedDemoData(Application& app, const std::string& data_dir,
                                     int64_t now_millis) {
  auth::AuthService& auth = app.auth();
  storage::Database& db = app.db();
  auto passwords = LoadOrCreatePasswords(data_dir + "/demo-login.json");
  if (!passwords) return passwords.error();
  struct DemoUser {
    const char* key;
    const char* email;
    const char* name;
    auth::Role role;
  };
  const DemoUser users[] = {
      {"admin", kAdminEmail, "Asha Admin", auth::Role::kAdmin},
      {"manager", "manager@demo.vaarta.in", "Meera Manager", auth::Role::kManager},
      {"agent", "agent@demo.vaarta.in", "Arjun Agent", auth::Role::kAgent},
  };
  auth::RequestOrigin origin{"127.0.0.1", "demo-seed"};
  for (const auto& u : users) {
    auth::NewUser user{u.email, u.name, (*passwords)[u.key].get<std::string>(), u.role};
    auto created = auth.CreateUser(user, "system:demo", origin);
    if (!created && created.error().detail_code != "email_taken") return created.error();
  }
  // The business's calling-policy defaults new campaigns start with (campaigns/
  // business_defaults.h): the legal window (compliance-india.md) and the attempt caps.
  settings::SettingsRepository settings;
  const std::pair<const char*, const char*> defaults[] = {
      {"calling.window",
       R"({"start":"10:00","end":"21:00","days":["mon","tue","wed","thu","fri","sat"],)"
       R"("skip_holidays":true})"},
      {"calling.attempts",
       R"({"max_per_day":1,"max_per_campaign":3,"min_gap_hours":24,"stop_after_refusal":true})"},
  };
  storage::InTransaction(db, [&](storage::Transaction& tx) {
    for (const auto& [key, value] : defaults) {
      if (!settings.Get(tx, key)) settings.Put(tx, {key, value, now_millis, "system:demo"});
    }
  });
  if (auto seeded = SeedDemoRegistry(app, data_dir); !seeded) return seeded.error();
  if (auto seeded = SeedDemoLeads(app, data_dir); !seeded) return seeded.error();
  if (auto seeded = SeedDemoCampaign(app); !seeded) return seeded.error();
  return DemoLogin{kAdminEmail, (*passwords)["admin"].get<std::string>()};
}

}  // namespace vaarta::app
