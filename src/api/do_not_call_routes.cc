#include "api/do_not_call_routes.h"

namespace vaarta::api {
namespace {

nlohmann::json OptTime(const std::optional<int64_t>& t) {
  return t ? nlohmann::json(core::FormatIso8601Utc(*t)) : nlohmann::json();
}

nlohmann::json OptString(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json();
}

nlohmann::json DncJson(const compliance::DncEntry& e) {
  return {{"id", e.id},
          {"phone", OptString(e.phone_e164)},
          {"active", e.active()},
          {"source", e.source},
          {"reason", e.reason},
          {"added_at", core::FormatIso8601Utc(e.added_at)},
          {"added_by", e.added_by},
          {"removed_at", OptTime(e.removed_at)},
          {"removed_by", OptString(e.removed_by)},
          {"removal_reason", OptString(e.removal_reason)},
          {"erased_at", OptTime(e.erased_at)}};
}

}  // namespace

compliance::Actor ComplianceActor(const ApiRequest& req) {
  return {req.who().actor, std::string(auth::RoleName(req.who().role)), req.http.remote_address,
          req.http.request_id};
}

std::string PhoneFromQuery(const http::Request& request, const std::string& name) {
  std::string value = request.Query(name);
  if (value.size() > 1 && value[0] == ' ' && value[1] >= '0' && value[1] <= '9') value[0] = '+';
  return value;
}

void RegisterDoNotCallRoutes(ApiRouter& router, compliance::DoNotCallList& list) {
  router.Add({"GET", "/api/v1/do-not-call", auth::Role::kManager,
              "The business's do-not-call list, newest first"},
             [&list](ApiRequest& req) {
               auto page = ParsePage(req.http);
               if (!page) return http::ProblemFromError(page.error());
               compliance::DncListFilter filter;
               std::string q = PhoneFromQuery(req.http, "q");
               if (!q.empty()) filter.number_prefix = q[0] == '+' ? q : "+" + q;
               std::string removed = req.http.Query("include_removed");
               if (removed == "true") {
                 filter.include_removed = true;
               } else if (!removed.empty() && removed != "false") {
                 return http::Problem(
                     400, "invalid_include_removed",
                     "include_removed must be true or false, got '" + removed + "'");
               }
               auto entries = list.List(filter, page->after, page->limit + 1);
               if (!entries) return http::ProblemFromError(entries.error());
               std::optional<int64_t> next;
               if (static_cast<int>(entries->size()) > page->limit) {
                 entries->resize(static_cast<size_t>(page->limit));
                 next = entries->back().id;
               }
               nlohmann::json items = nlohmann::json::array();
               for (const auto& e : *entries) items.push_back(DncJson(e));
               return JsonResponse(200, PageBody(std::move(items), next));
             });
  router.Add({"POST", "/api/v1/do-not-call", auth::Role::kManager,
              "Add a number to the do-not-call list (idempotent)", AuditMode::kDomain},
             [&list](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"phone", "reason", "source"});
               if (!body) return http::ProblemFromError(body.error());
               auto phone = RequireString(*body, "phone");
               if (!phone) return http::ProblemFromError(phone.error());
               auto reason = OptionalString(*body, "reason");
               if (!reason) return http::ProblemFromError(reason.error());
               auto source = OptionalString(*body, "source");
               if (!source) return http::ProblemFromError(source.error());
               auto added = list.Add(*phone, source->value_or("api"), reason->value_or(""),
                                     ComplianceActor(req));
               if (!added) return http::ProblemFromError(added.error());
               http::Response r = JsonResponse(added->created ? 201 : 200, DncJson(added->entry));
               r.headers.emplace_back("Location",
                                      "/api/v1/do-not-call/" + std::to_string(added->entry.id));
               return r;
             });
  router.Add({"GET", "/api/v1/do-not-call/check", auth::Role::kAgent,
              "Whether a number is on the do-not-call list"},
             [&list](ApiRequest& req) {
               auto found = list.Lookup(PhoneFromQuery(req.http, "phone"));
               if (!found) return http::ProblemFromError(found.error());
               const auto& entry = *found;
               return JsonResponse(
                   200, {{"suppressed", entry.has_value()},
                         {"since", entry ? OptTime(entry->added_at) : nlohmann::json()},
                         {"source", entry ? nlohmann::json(entry->source) : nlohmann::json()}});
             });
  router.Add({"DELETE", "/api/v1/do-not-call/{id}", auth::Role::kAdmin,
              "Take a number off the do-not-call list, with a reason (kept as history)",
              AuditMode::kDomain},
             [&list](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "id");
               if (!id) return http::ProblemFromError(id.error());
               // DELETE bodies are optional in HTTP and dropped by some clients, so the
               // reason may come as ?reason= instead.
               std::string reason = req.http.Query("reason");
               if (!req.http.body.empty()) {
                 auto body = ParseJsonObject(req.http, {"reason"});
                 if (!body) return http::ProblemFromError(body.error());
                 auto text = OptionalString(*body, "reason");
                 if (!text) return http::ProblemFromError(text.error());
                 if (*text) reason = **text;
               }
               auto removed = list.RemoveById(*id, reason, ComplianceActor(req));
               if (!removed) return http::ProblemFromError(removed.error());
               return JsonResponse(200, DncJson(*removed));
             });
}

void RegisterDoNotCallImportRoute(ApiRouter& router, DncFileImporter importer,
                                  int64_t max_upload_bytes) {
  router.Add({"POST", "/api/v1/do-not-call/import", auth::Role::kManager,
              "Add every number of an uploaded CSV, TSV or XLSX file to the do-not-call list",
              AuditMode::kDomain, false, false, max_upload_bytes},
             [importer](ApiRequest& req) {
               if (req.http.body_path.empty()) {
                 return http::Problem(400, "missing_body", "send the file as the request body");
               }
               auto summary =
                   importer(req.http.body_path, req.http.Query("reason"), ComplianceActor(req));
               if (!summary) return http::ProblemFromError(summary.error());
               return JsonResponse(200, summary->ToJson());
             });
}

}  // namespace vaarta::api
