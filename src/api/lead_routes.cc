#include "api/lead_routes.h"

#include <filesystem>

#include "leads/import/record_reader.h"
#include "leads/import_report.h"

namespace vaarta::api {
namespace {

leads::Actor ActorOf(const ApiRequest& req) {
  return {req.who().actor, std::string(auth::RoleName(req.who().role)), req.http.remote_address,
          req.http.request_id};
}

// Agents see the leads assigned to them; managers and admins see every lead.
bool MaySee(const ApiRequest& req, const leads::Lead& lead) {
  if (auth::RoleAtLeast(req.who().role, auth::Role::kManager)) return true;
  return req.who().user_id != 0 && lead.owner_id == req.who().user_id;
}

// Import options from the query string: ?file_name=&list=&map=field=Header (repeatable)
// &dedupe_scope=all|list&update=true.
core::Result<leads::ImportOptions> ImportOptionsFrom(const ApiRequest& req) {
  leads::ImportOptions options;
  options.actor = req.who().actor;
  options.file_name = req.http.Query("file_name");
  if (options.file_name.empty()) options.file_name = "upload";
  options.list_name = req.http.Query("list");
  if (auto it = req.http.query_all.find("map"); it != req.http.query_all.end())
    options.column_maps = it->second;
  std::string scope = req.http.Query("dedupe_scope");
  if (scope == "list") {
    if (options.list_name.empty()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "dedupe_scope=list needs a list (?list=NAME)", "invalid_dedupe_scope");
    }
    options.scope = leads::DedupeScope::kList;
  } else if (!scope.empty() && scope != "all") {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "dedupe_scope must be all or list",
                           "invalid_dedupe_scope");
  }
  std::string update = req.http.Query("update");
  if (!update.empty() && update != "true" && update != "false") {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "update must be true or false",
                           "invalid_update");
  }
  options.update_existing = update == "true";
  return options;
}

}  // namespace

nlohmann::json ImportJobJson(const leads::ImportJobStatus& s) {
  const leads::ImportJob& j = s.job;
  nlohmann::json out = {
      {"id", j.id},
      {"status", j.status},
      {"file_name", j.file_name},
      {"format", j.format},
      {"encoding", j.encoding},
      {"list_id", j.list_id ? nlohmann::json(*j.list_id) : nlohmann::json()},
      {"summary", j.summary.ToJson()},
      {"warnings", j.warnings},
      {"error", j.error},
      {"created_by", j.created_by},
      {"created_at", core::FormatIso8601Utc(j.created_at)},
      {"finished_at",
       j.finished_at ? nlohmann::json(core::FormatIso8601Utc(*j.finished_at)) : nlohmann::json()},
      {"report_url", "/api/v1/imports/" + std::to_string(j.id) + "/report"}};
  if (s.running) {
    out["progress"] = {
        {"rows", s.rows},
        {"bytes_read", s.bytes_read},
        {"bytes_total", s.bytes_total},
        {"fraction", s.bytes_total > 0 ? static_cast<double>(s.bytes_read) / s.bytes_total : 0.0}};
  }
  return out;
}

nlohmann::json LeadJson(const leads::Lead& l) {
  return {{"id", l.id},
          {"phone", l.phone_e164 ? nlohmann::json(*l.phone_e164) : nlohmann::json()},
          {"phone_raw", l.phone_raw},
          {"phone_extension", l.phone_extension},
          {"phone_type", l.phone_type},
          {"alt_phones", l.alt_phones},
          {"name", l.name},
          {"email", l.email},
          {"language", l.language},
          {"city", l.city},
          {"state", l.state},
          {"time_zone", l.time_zone},
          {"source", {{"kind", l.source_kind}, {"detail", l.source_detail}}},
          {"custom", l.custom},
          {"owner_id", l.owner_id ? nlohmann::json(*l.owner_id) : nlohmann::json()},
          {"status", l.status},
          {"dnd", {{"state", l.dnd_state}, {"checked_on", l.dnd_checked_on}}},
          {"tags", l.tags},
          {"list_ids", l.list_ids},
          {"import_job_id", l.import_job_id ? nlohmann::json(*l.import_job_id) : nlohmann::json()},
          {"created_at", core::FormatIso8601Utc(l.created_at)},
          {"updated_at", core::FormatIso8601Utc(l.updated_at)}};
}

void RegisterLeadRoutes(ApiRouter& router, LeadApi& api) {
  router.Add(
      {"GET", "/api/v1/leads", auth::Role::kAgent,
       "Leads, newest first; filter by list, status, tag, language, dnd_state, owner, q (text)"},
      [&api](ApiRequest& req) {
        auto page = ParsePage(req.http, 50, 500);
        if (!page) return http::ProblemFromError(page.error());
        leads::LeadFilter filter;
        for (const char* name : {"list", "owner"}) {
          std::string v = req.http.Query(name);
          if (v.empty()) continue;
          int64_t id = 0;
          if (!ParseInt64(v, &id) || id <= 0)
            return http::Problem(400, "invalid_filter", std::string(name) + " must be an id");
          (std::string(name) == "list" ? filter.list_id : filter.owner_id) = id;
        }
        if (auto v = req.http.Query("status"); !v.empty()) {
          if (!leads::IsLeadStatus(v))
            return http::Problem(400, "invalid_filter", "unknown status '" + v + "'");
          filter.status = v;
        }
        if (auto v = req.http.Query("dnd_state"); !v.empty()) {
          if (!leads::IsDndState(v)) {
            return http::Problem(400, "invalid_filter",
                                 "dnd_state must be blocked, partial, clear or unknown");
          }
          filter.dnd_state = v;
        }
        if (auto v = req.http.Query("tag"); !v.empty()) filter.tag = v;
        if (auto v = req.http.Query("language"); !v.empty())
          filter.language = v == "unknown" ? "" : v;
        if (auto v = req.http.Query("q"); !v.empty()) filter.text = v;
        if (!auth::RoleAtLeast(req.who().role, auth::Role::kManager))
          filter.owner_id = req.who().user_id;
        auto leads = api.service.List(filter, page->after, page->limit + 1);
        std::optional<int64_t> next;
        if (static_cast<int>(leads.size()) > page->limit) {
          leads.resize(static_cast<size_t>(page->limit));
          next = leads.back().id;
        }
        nlohmann::json items = nlohmann::json::array();
        for (const auto& l : leads) items.push_back(LeadJson(l));
        return JsonResponse(200, PageBody(std::move(items), next));
      });
  router.Add({"POST", "/api/v1/leads", auth::Role::kManager, "Create one lead (source api or form)",
              AuditMode::kDomain},
             [&api](ApiRequest& req) {
               auto body = ParseJsonObject(
                   req.http, {"phone", "name", "email", "language", "city", "state", "time_zone",
                              "tags", "custom", "list", "source_kind", "source_detail"});
               if (!body) return http::ProblemFromError(body.error());
               leads::NewLead input;
               auto phone = RequireString(*body, "phone");
               if (!phone) return http::ProblemFromError(phone.error());
               input.phone = *phone;
               std::pair<const char*, std::string*> fields[] = {
                   {"name", &input.name},
                   {"email", &input.email},
                   {"language", &input.language},
                   {"city", &input.city},
                   {"state", &input.state},
                   {"time_zone", &input.time_zone},
                   {"list", &input.list_name},
                   {"source_kind", &input.source_kind},
                   {"source_detail", &input.source_detail}};
               for (auto& [name, target] : fields) {
                 auto v = OptionalString(*body, name);
                 if (!v) return http::ProblemFromError(v.error());
                 if (*v) *target = **v;
               }
               if (body->contains("tags")) {
                 if (!(*body)["tags"].is_array())
                   return http::Problem(400, "invalid_field", "tags must be an array of strings");
                 for (const auto& t : (*body)["tags"]) {
                   if (!t.is_string())
                     return http::Problem(400, "invalid_field", "tags must be an array of strings");
                   input.tags.push_back(t.get<std::string>());
                 }
               }
               if (body->contains("custom")) {
                 if (!(*body)["custom"].is_object())
                   return http::Problem(400, "invalid_field", "custom must be an object");
                 input.custom = (*body)["custom"];
               }
               auto lead = api.intake.Create(input, ActorOf(req));
               if (!lead) return http::ProblemFromError(lead.error());
               http::Response r = JsonResponse(201, LeadJson(*lead));
               r.headers.emplace_back("Location", "/api/v1/leads/" + std::to_string(lead->id));
               return r;
             });
  router.Add(
      {"POST", "/api/v1/leads/bulk-tag", auth::Role::kManager, "Add and remove tags on many leads",
       AuditMode::kDomain},
      [&api](ApiRequest& req) {
        auto body = ParseJsonObject(req.http, {"ids", "add", "remove"});
        if (!body) return http::ProblemFromError(body.error());
        std::vector<int64_t> ids;
        std::vector<std::string> add, remove;
        if (!body->contains("ids") || !(*body)["ids"].is_array()) {
          return http::Problem(400, "missing_field", "ids must be an array of lead ids");
        }
        for (const auto& id : (*body)["ids"]) {
          if (!id.is_number_integer())
            return http::Problem(400, "invalid_field", "ids must be whole numbers");
          ids.push_back(id.get<int64_t>());
        }
        for (auto [name, target] : {std::pair<const char*, std::vector<std::string>*>{"add", &add},
                                    {"remove", &remove}}) {
          if (!body->contains(name)) continue;
          if (!(*body)[name].is_array())
            return http::Problem(400, "invalid_field", std::string(name) + " must be an array");
          for (const auto& t : (*body)[name]) {
            if (!t.is_string())
              return http::Problem(400, "invalid_field", std::string(name) + " must hold strings");
            target->push_back(t.get<std::string>());
          }
        }
        auto status = api.service.BulkTag(ids, add, remove, ActorOf(req));
        if (!status) return http::ProblemFromError(status.error());
        return NoContent();
      });
  router.Add(
      {"GET", "/api/v1/leads/{id}", auth::Role::kAgent, "One lead"}, [&api](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto lead = api.service.Get(*id);
        if (!lead) return http::ProblemFromError(lead.error());
        if (!MaySee(req, *lead))
          return http::Problem(403, "not_your_lead", "this lead is assigned to someone else");
        return JsonResponse(200, LeadJson(*lead));
      });
  router.Add(
      {"PATCH", "/api/v1/leads/{id}", auth::Role::kManager, "Edit a lead", AuditMode::kDomain},
      [&api](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto body =
            ParseJsonObject(req.http, {"name", "email", "language", "city", "state", "time_zone",
                                       "status", "owner_id", "tags", "custom"});
        if (!body) return http::ProblemFromError(body.error());
        leads::LeadChange change;
        std::pair<const char*, std::optional<std::string>*> fields[] = {
            {"name", &change.name},    {"email", &change.email}, {"language", &change.language},
            {"city", &change.city},    {"state", &change.state}, {"time_zone", &change.time_zone},
            {"status", &change.status}};
        for (auto& [name, target] : fields) {
          auto v = OptionalString(*body, name);
          if (!v) return http::ProblemFromError(v.error());
          *target = *v;
        }
        if (body->contains("owner_id")) {
          const auto& o = (*body)["owner_id"];
          if (o.is_null())
            change.owner_id = std::optional<int64_t>();
          else if (o.is_number_integer())
            change.owner_id = std::optional<int64_t>(o.get<int64_t>());
          else
            return http::Problem(400, "invalid_field", "owner_id must be a user id or null");
        }
        if (body->contains("tags")) {
          std::vector<std::string> tags;
          if (!(*body)["tags"].is_array())
            return http::Problem(400, "invalid_field", "tags must be an array");
          for (const auto& t : (*body)["tags"]) {
            if (!t.is_string())
              return http::Problem(400, "invalid_field", "tags must hold strings");
            tags.push_back(t.get<std::string>());
          }
          change.tags = tags;
        }
        if (body->contains("custom")) change.custom = (*body)["custom"];
        auto lead = api.service.Update(*id, change, ActorOf(req));
        if (!lead) return http::ProblemFromError(lead.error());
        return JsonResponse(200, LeadJson(*lead));
      });
  router.Add({"DELETE", "/api/v1/leads/{id}", auth::Role::kAdmin,
              "Erase a lead (DPDP): personal data removed everywhere; ?reason= required",
              AuditMode::kDomain},
             [&api](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto status = api.service.Erase(*id, req.http.Query("reason"), ActorOf(req));
               if (!status) return http::ProblemFromError(status.error());
               return NoContent();
             });
  router.Add({"GET", "/api/v1/leads/{id}/timeline", auth::Role::kAgent,
              "What happened to a lead, newest first"},
             [&api](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               auto lead = api.service.Get(*id);
               if (!lead) return http::ProblemFromError(lead.error());
               if (!MaySee(req, *lead))
                 return http::Problem(403, "not_your_lead",
                                      "this lead is assigned to someone else");
               auto page = ParsePage(req.http, 50, 500);
               if (!page) return http::ProblemFromError(page.error());
               auto events = api.service.Timeline(*id, page->after, page->limit + 1);
               if (!events) return http::ProblemFromError(events.error());
               std::optional<int64_t> next;
               if (static_cast<int>(events->size()) > page->limit) {
                 events->resize(static_cast<size_t>(page->limit));
                 next = events->back().id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& e : *events) {
                 items.push_back({{"at", core::FormatIso8601Utc(e.at)},
                                  {"kind", e.kind},
                                  {"actor", e.actor},
                                  {"data", e.data}});
               }
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add(
      {"POST", "/api/v1/leads/{id}/notes", auth::Role::kAgent, "Add a note to a lead's timeline"},
      [&api](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto lead = api.service.Get(*id);
        if (!lead) return http::ProblemFromError(lead.error());
        if (!MaySee(req, *lead))
          return http::Problem(403, "not_your_lead", "this lead is assigned to someone else");
        auto body = ParseJsonObject(req.http, {"text"});
        if (!body) return http::ProblemFromError(body.error());
        auto text = RequireString(*body, "text");
        if (!text) return http::ProblemFromError(text.error());
        auto event = api.service.AddNote(*id, *text, ActorOf(req));
        if (!event) return http::ProblemFromError(event.error());
        req.audit_target = "lead:" + std::to_string(*id);
        return JsonResponse(
            201, {{"at", core::FormatIso8601Utc(event->at)}, {"kind", "note"}, {"text", *text}});
      });
  router.Add({"GET", "/api/v1/lists", auth::Role::kManager, "Lead lists with their sizes"},
             [&api](ApiRequest&) {
               nlohmann::json items = nlohmann::json::array();
               for (const auto& l : api.service.Lists()) {
                 items.push_back({{"id", l.id},
                                  {"name", l.name},
                                  {"leads", l.lead_count},
                                  {"created_at", core::FormatIso8601Utc(l.created_at)},
                                  {"created_by", l.created_by}});
               }
               return JsonResponse(200, {{"items", items}});
             });
  router.Add(
      {"POST", "/api/v1/imports", auth::Role::kManager,
       "Upload a CSV, TSV or XLSX file (the raw file as the body) and import it in the background",
       AuditMode::kRequest, false, false, api.max_upload_bytes},
      [&api](ApiRequest& req) {
        auto options = ImportOptionsFrom(req);
        if (!options) return http::ProblemFromError(options.error());
        if (req.http.body_path.empty())
          return http::Problem(400, "missing_body", "send the file as the request body");
        // Keep the upload: the job owns it from here and deletes it when done.
        std::string kept = req.http.body_path + ".import";
        std::error_code ec;
        std::filesystem::rename(req.http.body_path, kept, ec);
        if (ec)
          return http::Problem(503, "upload_unavailable",
                               "cannot keep the upload: " + ec.message());
        auto job = api.imports.Start(kept, *options);
        if (!job) return http::ProblemFromError(job.error());
        req.audit_target = "import:" + std::to_string(*job);
        req.audit_summary = {{"file_name", options->file_name}, {"list", options->list_name}};
        auto status = api.imports.Get(*job);
        http::Response r = JsonResponse(202, ImportJobJson(*status));
        r.headers.emplace_back("Location", "/api/v1/imports/" + std::to_string(*job));
        return r;
      });
  router.Add({"POST", "/api/v1/imports/preview", auth::Role::kManager,
              "Upload a file and see its detected encoding, delimiter, column mapping and first "
              "rows; nothing is stored",
              AuditMode::kNone, false, false, api.max_upload_bytes},
             [&api](ApiRequest& req) {
               if (req.http.body_path.empty())
                 return http::Problem(400, "missing_body", "send the file as the request body");
               auto reader = leads::import::OpenRecordReader(req.http.body_path);
               if (!reader) return http::ProblemFromError(reader.error());
               std::vector<std::string> maps;
               if (auto it = req.http.query_all.find("map"); it != req.http.query_all.end())
                 maps = it->second;
               auto preview = api.importer.Preview(**reader, maps, 20);
               if (!preview) return http::ProblemFromError(preview.error());
               nlohmann::json mapping = nlohmann::json::object();
               for (const auto& [field, header] : preview->mapping) mapping[field] = header;
               return JsonResponse(200, {{"format", preview->format},
                                         {"encoding", preview->encoding},
                                         {"delimiter", preview->delimiter},
                                         {"headers", preview->headers},
                                         {"mapping", mapping},
                                         {"custom_columns", preview->custom_columns},
                                         {"notes", preview->notes},
                                         {"warnings", preview->warnings},
                                         {"rows", preview->rows}});
             });
  router.Add({"GET", "/api/v1/imports", auth::Role::kManager, "Import jobs, newest first"},
             [&api](ApiRequest& req) {
               auto page = ParsePage(req.http, 50, 500);
               if (!page) return http::ProblemFromError(page.error());
               auto jobs = api.imports.List(page->after, page->limit + 1);
               std::optional<int64_t> next;
               if (static_cast<int>(jobs.size()) > page->limit) {
                 jobs.resize(static_cast<size_t>(page->limit));
                 next = jobs.back().job.id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& j : jobs) items.push_back(ImportJobJson(j));
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add(
      {"GET", "/api/v1/imports/{id}", auth::Role::kManager, "One import job with its progress"},
      [&api](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        auto status = api.imports.Get(*id);
        if (!status)
          return http::Problem(404, "import_not_found", "no import job " + std::to_string(*id));
        return JsonResponse(200, ImportJobJson(*status));
      });
  router.Add(
      {"GET", "/api/v1/imports/{id}/report", auth::Role::kManager,
       "Every row an import did not take, with its row number and reason (CSV)"},
      [&api](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        if (!api.imports.Get(*id))
          return http::Problem(404, "import_not_found", "no import job " + std::to_string(*id));
        std::string csv = leads::ImportReportHeader();
        for (int64_t after = 0;;) {
          auto rows = api.imports.Rejects(*id, after, 5000);
          for (const auto& r : rows) {
            csv += leads::ImportReportLine(r);
          }
          if (rows.size() < 5000) break;
          after = rows.back().row;
        }
        http::Response r = http::Response::Text(200, csv, "text/csv; charset=utf-8");
        r.headers.emplace_back("Content-Disposition", "attachment; filename=\"import-" +
                                                          std::to_string(*id) + "-report.csv\"");
        return r;
      });
  router.Add({"POST", "/api/v1/imports/{id}/cancel", auth::Role::kManager,
              "Cancel a running import; nothing of it is stored"},
             [&api](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               if (!api.imports.Cancel(*id)) {
                 return http::Problem(
                     409, "not_running",
                     "import " + std::to_string(*id) + " is not running on this server");
               }
               return JsonResponse(202, {{"id", *id}, {"status", "cancelling"}});
             });
}

}  // namespace vaarta::api
