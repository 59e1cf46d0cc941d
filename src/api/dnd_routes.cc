#include "api/dnd_routes.h"

#include "api/do_not_call_routes.h"

namespace vaarta::api {
namespace {

constexpr size_t kMaxNumbersPerCheck = 1000;

}  // namespace

void RegisterDndRoutes(ApiRouter& router, compliance::DndRegistry& registry,
                       const leads::PhoneNormalizer& phones) {
  router.Add(
      {"POST", "/api/v1/dnd/check", auth::Role::kAgent,
       "Whether calls to numbers are blocked by the DND registry, and why", AuditMode::kNone},
      [&registry, &phones](ApiRequest& req) {
        auto body = ParseJsonObject(req.http, {"numbers", "category", "mode", "at"});
        if (!body) return http::ProblemFromError(body.error());
        const auto& numbers = (*body)["numbers"];
        if (!numbers.is_array() || numbers.empty() || numbers.size() > kMaxNumbersPerCheck) {
          return http::Problem(400, "invalid_numbers",
                               "numbers must be an array of 1 to " +
                                   std::to_string(kMaxNumbersPerCheck) + " phone numbers");
        }
        for (size_t i = 0; i < numbers.size(); ++i) {
          if (!numbers[i].is_string()) {
            return http::Problem(400, "invalid_numbers",
                                 "numbers[" + std::to_string(i) + "] must be a string");
          }
        }
        int category = 0;
        if (body->contains("category")) {
          const auto& c = (*body)["category"];
          if (!c.is_number_integer() || c.get<int64_t>() < 0 || c.get<int64_t>() > 8) {
            return http::Problem(400, "invalid_category",
                                 "category must be an integer 1-8 (0: any category)");
          }
          category = c.get<int>();
        }
        auto mode_text = OptionalString(*body, "mode");
        if (!mode_text) return http::ProblemFromError(mode_text.error());
        auto mode = compliance::ParseDndCallMode(mode_text->value_or("ai_agent"));
        if (!mode) {
          return http::Problem(400, "invalid_mode",
                               "mode must be ai_agent, voice, auto_recorded, auto_live or robo");
        }
        auto at_text = OptionalString(*body, "at");
        if (!at_text) return http::ProblemFromError(at_text.error());
        std::optional<int64_t> at;
        if (*at_text) {
          int64_t ms = 0;
          if (!core::ParseIso8601(**at_text, &ms)) {
            return http::Problem(400, "invalid_at",
                                 "at must be an ISO 8601 time with its offset, such as "
                                 "2026-12-01T10:30:00+05:30");
          }
          at = ms;
        }
        auto status = registry.Status();
        if (!status) return http::ProblemFromError(status.error());
        auto snapshot = registry.Current();
        nlohmann::json results = nlohmann::json::array();
        for (const auto& n : numbers) {
          std::string input = n.get<std::string>();
          nlohmann::json item = {{"input", input}};
          auto parsed = phones.Normalize(input);
          if (!parsed.number) {
            item["error"] = {{"code", std::string(leads::PhoneRefusalCode(parsed.refusal))},
                             {"message", parsed.message}};
          } else {
            item["phone"] = parsed.number->e164;
            auto verdict = compliance::DndRegistry::Check(snapshot.get(), parsed.number->e164,
                                                          category, *mode, at);
            item.update(verdict.ToJson());
            item["may_call"] = compliance::DndRegistry::MayCall(verdict, *status);
          }
          results.push_back(std::move(item));
        }
        return JsonResponse(
            200, {{"registry_date",
                   status->loaded ? nlohmann::json(status->registry_date) : nlohmann::json()},
                  {"stale", status->stale},
                  {"usable", status->usable},
                  {"category", category},
                  {"mode", compliance::DndCallModeName(*mode)},
                  {"results", std::move(results)}});
      });
  router.Add({"GET", "/api/v1/dnd/status", auth::Role::kManager,
              "The DND registry's date, size, freshness (in IST) and today's override"},
             [&registry](ApiRequest&) {
               auto status = registry.Status();
               if (!status) return http::ProblemFromError(status.error());
               return JsonResponse(200, status->ToJson());
             });
  router.Add({"POST", "/api/v1/dnd/override", auth::Role::kAdmin,
              "Accept a stale DND registry for the rest of today (IST), with a reason",
              AuditMode::kDomain},
             [&registry](ApiRequest& req) {
               auto body = ParseJsonObject(req.http, {"reason"});
               if (!body) return http::ProblemFromError(body.error());
               auto reason = RequireString(*body, "reason");
               if (!reason) return http::ProblemFromError(reason.error());
               auto made = registry.Override(*reason, ComplianceActor(req));
               if (!made) return http::ProblemFromError(made.error());
               return JsonResponse(201, *made);
             });
}

}  // namespace vaarta::api
