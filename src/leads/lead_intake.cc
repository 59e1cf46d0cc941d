#include "leads/lead_intake.h"

#include "leads/lead_row_parser.h"
#include "leads/phone/phone_normalizer.h"

namespace vaarta::leads {

LeadIntake::LeadIntake(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit,
                       const PhoneNormalizer& phones, ImportChecks checks)
    : db_(db), clock_(clock), audit_(audit), phones_(phones), checks_(std::move(checks)) {}

core::Result<Lead> LeadIntake::Create(const NewLead& input, const Actor& actor) {
  PhoneParse phone = phones_.Normalize(input.phone);
  if (!phone.number) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "phone '" + input.phone + "': " + phone.message,
                           std::string(PhoneRefusalCode(phone.refusal)));
  }
  if (!input.language.empty() && NormalizeLanguage(input.language).empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "language must be en or hi",
                           "invalid_language");
  }
  if (input.source_kind != "api" && input.source_kind != "form") {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "source_kind must be api or form",
                           "invalid_source");
  }
  Lead lead;
  lead.phone_e164 = phone.number->e164;
  lead.phone_raw = input.phone;
  lead.phone_extension = phone.number->extension;
  lead.phone_type = phone.number->type;
  lead.time_zone = input.time_zone.empty() ? phone.number->time_zone : input.time_zone;
  lead.name = Trim(input.name);
  lead.email = Trim(input.email);
  lead.language = NormalizeLanguage(input.language);
  lead.city = Trim(input.city);
  lead.state = Trim(input.state);
  lead.source_kind = input.source_kind;
  lead.source_detail = input.source_detail.empty() ? actor.name : input.source_detail;
  for (const auto& t : input.tags) {
    for (const auto& tag : SplitTags(t)) lead.tags.push_back(tag);
  }
  lead.custom = input.custom.is_object() ? input.custom : nlohmann::json::object();
  int64_t now = clock_.NowMillis();
  lead.created_at = lead.updated_at = now;
  const DndScrub dnd = checks_.dnd ? checks_.dnd() : DndScrub{};
  lead.dnd_state = dnd.state ? dnd.state(*lead.phone_e164) : "unknown";
  lead.dnd_checked_on = dnd.registry_date;
  if (checks_.suppressed && checks_.suppressed({*lead.phone_e164}).count(*lead.phone_e164)) {
    lead.status = "do_not_call";
  }
  auto tx = db_.Begin(true);
  if (auto existing = leads_.FindByPhone(*tx, *lead.phone_e164)) {
    return core::MakeError(core::ErrorCode::kConflict,
                           *lead.phone_e164 + " is already lead " + std::to_string(existing->id),
                           "lead_exists");
  }
  std::optional<int64_t> list_id;
  if (!input.list_name.empty())
    list_id = lists_.FindOrCreate(*tx, input.list_name, actor.name, now).id;
  lead.id = leads_.ReserveIds(*tx, 1)[0];
  leads_.InsertMany(*tx, {lead}, list_id, now);
  if (list_id) lead.list_ids.push_back(*list_id);
  audit_.Append(*tx, {actor.name, actor.role, actor.address, "leads.create",
                      "lead:" + std::to_string(lead.id), "success",
                      nlohmann::json{{"source_kind", lead.source_kind}}.dump(), actor.request_id});
  tx->Commit();
  return lead;
}

}  // namespace vaarta::leads
