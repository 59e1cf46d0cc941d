#include "leads/lead_service.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>

namespace vaarta::leads {
namespace {

core::Error NotFound(int64_t id) {
  return core::MakeError(core::ErrorCode::kNotFound, "no lead with id " + std::to_string(id),
                         "lead_not_found");
}

core::Error Invalid(const std::string& message, const std::string& code) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, code);
}

audit::AuditEntry Entry(const Actor& actor, const std::string& action, const std::string& target,
                        const nlohmann::json& summary) {
  return {actor.name, actor.role, actor.address,  action,
          target,     "success",  summary.dump(), actor.request_id};
}

std::string FoldTag(const std::string& tag) {
  std::string folded;
  icu::UnicodeString::fromUTF8(tag).trim().foldCase().toUTF8String(folded);
  return folded;
}

}  // namespace

LeadService::LeadService(storage::Database& db, const core::Clock& clock, audit::AuditLog& audit)
    : db_(db), clock_(clock), audit_(audit) {}

std::vector<Lead> LeadService::List(const LeadFilter& filter, int64_t before_id, int limit) {
  LeadFilter folded = filter;
  if (filter.text) {
    // Stored search text is case-folded with the number's digits after '+'; fold the
    // query the same way so that matching is case-blind on both engines.
    std::string text;
    icu::UnicodeString::fromUTF8(*filter.text).trim().foldCase().toUTF8String(text);
    if (!text.empty() && text[0] == '+') text.erase(0, 1);
    std::string digits;
    for (char c : text) {
      if (std::isdigit(static_cast<unsigned char>(c)))
        digits.push_back(c);
      else if (c != ' ' && c != '-')
        digits.clear(), digits.push_back('x');
    }
    if (digits.size() >= 10 && digits.find('x') == std::string::npos) {
      // A whole number: find it through the phone index instead of scanning, written
      // with or without the country code.
      folded.phones = {"+" + digits, "+91" + digits.substr(digits.size() - 10)};
      folded.text.reset();
    } else {
      folded.text = text;
    }
  }
  auto tx = db_.Begin(false);
  return leads_.List(*tx, folded, before_id, limit);
}

core::Result<Lead> LeadService::Get(int64_t id) {
  auto tx = db_.Begin(false);
  auto lead = leads_.FindById(*tx, id);
  if (!lead || lead->erased_at) return NotFound(id);
  return *lead;
}

core::Result<Lead> LeadService::Update(int64_t id, const LeadChange& change, const Actor& actor) {
  if (change.status && !IsLeadStatus(*change.status)) {
    return Invalid(
        "status '" + *change.status +
            "' is not one of new, contacted, interested, not_interested, callback, converted, "
            "do_not_call, wrong_number",
        "invalid_status");
  }
  if (change.status == std::optional<std::string>("erased")) {
    return Invalid("leads are erased with DELETE /api/v1/leads/{id}, not by setting their status",
                   "invalid_status");
  }
  if (change.language && !change.language->empty() && *change.language != "en" &&
      *change.language != "hi") {
    return Invalid("language must be \"en\", \"hi\" or \"\" (unknown)", "invalid_language");
  }
  if (change.time_zone && !change.time_zone->empty()) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(*change.time_zone)));
    if (*zone == icu::TimeZone::getUnknown()) {
      return Invalid(
          "time_zone '" + *change.time_zone + "' is not an IANA time zone such as Asia/Kolkata",
          "invalid_time_zone");
    }
  }
  if (change.email && !change.email->empty() && change.email->find('@') == std::string::npos) {
    return Invalid("email '" + *change.email + "' is not an address", "invalid_email");
  }
  auto tx = db_.Begin(true);
  auto found = leads_.FindById(*tx, id);
  if (!found || found->erased_at) return NotFound(id);
  Lead lead = *found;
  nlohmann::json changed = nlohmann::json::object();
  auto apply = [&](const char* field, const std::optional<std::string>& value,
                   std::string& target) {
    if (value && *value != target) {
      changed[field] = {{"from", target}, {"to", *value}};
      target = *value;
    }
  };
  apply("name", change.name, lead.name);
  apply("email", change.email, lead.email);
  apply("language", change.language, lead.language);
  apply("city", change.city, lead.city);
  apply("state", change.state, lead.state);
  apply("time_zone", change.time_zone, lead.time_zone);
  apply("status", change.status, lead.status);
  if (change.owner_id && *change.owner_id != lead.owner_id) {
    if (*change.owner_id) {
      auto user =
          tx->Execute("SELECT id FROM users WHERE id = $1", {storage::Int(**change.owner_id)}).rows;
      if (user.empty())
        return Invalid("owner " + std::to_string(**change.owner_id) + " is not a user",
                       "invalid_owner");
    }
    changed["owner_id"] = {
        {"from", lead.owner_id ? nlohmann::json(*lead.owner_id) : nlohmann::json()},
        {"to", *change.owner_id ? nlohmann::json(**change.owner_id) : nlohmann::json()}};
    lead.owner_id = *change.owner_id;
  }
  if (change.tags) {
    std::vector<std::string> tags;
    for (const auto& t : *change.tags) {
      std::string f = FoldTag(t);
      if (!f.empty() && std::find(tags.begin(), tags.end(), f) == tags.end()) tags.push_back(f);
    }
    if (tags != lead.tags) changed["tags"] = {{"from", lead.tags}, {"to", tags}};
    lead.tags = tags;
  }
  if (change.custom) {
    if (!change.custom->is_object())
      return Invalid("custom must be a JSON object", "invalid_custom");
    for (auto& [k, v] : change.custom->items()) {
      if (v.is_null())
        lead.custom.erase(k);
      else
        lead.custom[k] = v;
    }
    changed["custom"] = "changed";
  }
  if (changed.empty()) return lead;
  lead.updated_at = clock_.NowMillis();
  leads_.Update(*tx, lead);
  leads_.AppendEvent(*tx, {0, id, lead.updated_at, "update", actor.name, changed});
  // The audit record names the fields, not personal values.
  nlohmann::json fields = nlohmann::json::array();
  for (auto& [k, v] : changed.items()) fields.push_back(k);
  nlohmann::json summary = {{"fields", fields}};
  if (changed.contains("status")) summary["status"] = changed["status"];
  audit_.Append(*tx, Entry(actor, "leads.update", "lead:" + std::to_string(id), summary));
  tx->Commit();
  return lead;
}

core::Status LeadService::BulkTag(const std::vector<int64_t>& ids,
                                  const std::vector<std::string>& add,
                                  const std::vector<std::string>& remove, const Actor& actor) {
  if (ids.empty()) return Invalid("give at least one lead id", "no_leads");
  if (ids.size() > 10000) return Invalid("at most 10,000 leads per request", "too_many_leads");
  if (add.empty() && remove.empty()) return Invalid("give tags to add or to remove", "no_tags");
  auto tx = db_.Begin(true);
  for (const auto& t : add) {
    std::string f = FoldTag(t);
    if (f.empty() || f.size() > 64)
      return Invalid("tag '" + t + "' must be 1 to 64 characters", "invalid_tag");
    leads_.AddTag(*tx, ids, f);
  }
  for (const auto& t : remove) leads_.RemoveTag(*tx, ids, FoldTag(t));
  audit_.Append(*tx, Entry(actor, "leads.bulk_tag", "leads:" + std::to_string(ids.size()),
                           {{"count", ids.size()}, {"add", add}, {"remove", remove}}));
  tx->Commit();
  return core::Ok{};
}

core::Result<LeadEvent> LeadService::AddNote(int64_t id, const std::string& text,
                                             const Actor& actor) {
  if (text.empty() || text.size() > 10000)
    return Invalid("a note has 1 to 10,000 characters", "invalid_note");
  auto tx = db_.Begin(true);
  auto lead = leads_.FindById(*tx, id);
  if (!lead || lead->erased_at) return NotFound(id);
  LeadEvent event{0, id, clock_.NowMillis(), "note", actor.name, {{"text", text}}};
  leads_.AppendEvent(*tx, event);
  tx->Commit();
  return event;
}

core::Result<std::vector<LeadEvent>> LeadService::Timeline(int64_t id, int64_t before_id,
                                                           int limit) {
  auto tx = db_.Begin(false);
  auto lead = leads_.FindById(*tx, id);
  if (!lead || lead->erased_at) return NotFound(id);
  std::vector<LeadEvent> events = leads_.Events(*tx, id, before_id, limit);
  // Other modules' events carry no lead event id; they are merged by time into the
  // first page, where a person looks for them.
  if (before_id == 0 && lead->phone_e164) {
    for (const auto& source : timeline_sources_) {
      for (auto& e : source(*lead->phone_e164)) {
        e.lead_id = id;
        events.push_back(std::move(e));
      }
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const LeadEvent& a, const LeadEvent& b) { return a.at > b.at; });
  }
  // The import that created the lead is derived from the lead and its job rather than
  // stored as a million event rows; it is the oldest entry, shown on the last page.
  if (static_cast<int>(events.size()) < limit) {
    nlohmann::json data = {{"source_kind", lead->source_kind}, {"source", lead->source_detail}};
    std::string actor = "system";
    if (lead->import_job_id) {
      auto job = tx->Execute("SELECT file_name, created_by FROM import_jobs WHERE id = $1",
                             {storage::Int(*lead->import_job_id)})
                     .rows;
      data["import_job_id"] = *lead->import_job_id;
      if (!job.empty()) {
        data["file_name"] = job[0].GetText(0);
        actor = job[0].GetText(1);
      }
    }
    events.push_back(
        {0, id, lead->created_at, lead->source_kind == "file" ? "import" : "created", actor, data});
  }
  return events;
}

core::Status LeadService::Erase(int64_t id, const std::string& reason, const Actor& actor) {
  if (reason.empty()) {
    return Invalid("say why the lead is erased (for example \"DPDP erasure request 2026-11-24\")",
                   "missing_reason");
  }
  auto tx = db_.Begin(true);
  auto lead = leads_.FindById(*tx, id);
  if (!lead) return NotFound(id);
  if (lead->erased_at) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "lead " + std::to_string(id) + " was already erased", "already_erased");
  }
  int64_t now = clock_.NowMillis();
  std::vector<std::string> numbers;
  if (lead->phone_e164) numbers.push_back(*lead->phone_e164);
  for (const auto& alt : lead->alt_phones) numbers.push_back(alt);
  for (const auto& number : numbers) {
    tx->Execute("DELETE FROM import_rejects WHERE phone_e164 = $1", {storage::Text(number)});
    for (auto& hook : erasure_hooks_) hook(*tx, number);
  }
  leads_.Erase(*tx, id, now);
  // The record proves the erasure happened without keeping what was erased.
  audit_.Append(*tx, Entry(actor, "leads.erase", "lead:" + std::to_string(id),
                           {{"reason", reason}, {"numbers", numbers.size()}}));
  tx->Commit();
  return core::Ok{};
}

std::vector<LeadList> LeadService::Lists() {
  auto tx = db_.Begin(false);
  return lists_.List(*tx);
}

}  // namespace vaarta::leads
