#include "leads/data_request_book.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace vaarta::leads {
namespace {

using storage::Int;
using storage::Null;
using storage::Text;

constexpr int64_t kDayMillis = 24LL * 3600 * 1000;
constexpr std::array<const char*, 5> kKinds = {"erasure", "access", "correction", "withdrawal",
                                               "grievance"};
constexpr std::array<const char*, 6> kChannels = {"call",   "email",     "web",
                                                  "letter", "in_person", "other"};
constexpr const char* kColumns =
    "id, kind, requester, channel, phone_e164, phone_hint, details, state, received_at, due_at, "
    "closed_at, outcome, note, closed_by, created_by";

template <size_t N>
bool OneOf(const std::array<const char*, N>& values, const std::string& v) {
  return std::any_of(values.begin(), values.end(), [&](const char* x) { return v == x; });
}

template <size_t N>
std::string Listed(const std::array<const char*, N>& values) {
  std::string out;
  for (const char* v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

core::Error Invalid(const std::string& message, const std::string& code) {
  return core::MakeError(core::ErrorCode::kInvalidArgument, message, code);
}

DataRequest Read(const storage::Row& row) {
  DataRequest r;
  r.id = row.GetInt(0);
  r.kind = row.GetText(1);
  r.requester = row.GetText(2);
  r.channel = row.GetText(3);
  r.phone_e164 = row.GetOptText(4);
  r.phone_hint = row.GetText(5);
  r.details = row.GetText(6);
  r.state = row.GetText(7);
  r.received_at = row.GetInt(8);
  r.due_at = row.GetInt(9);
  r.closed_at = row.GetOptInt(10);
  r.outcome = row.GetText(11);
  r.note = row.GetText(12);
  r.closed_by = row.GetText(13);
  r.created_by = row.GetText(14);
  return r;
}

}  // namespace

DataRequestBook::DataRequestBook(storage::Database& db, const core::Clock& clock,
                                 const PhoneNormalizer& phones)
    : db_(db), clock_(clock), phones_(phones) {}

core::Result<DataRequest> DataRequestBook::Add(const NewDataRequest& in, const std::string& actor) {
  if (!OneOf(kKinds, in.kind)) {
    return Invalid("kind must be one of " + Listed(kKinds), "invalid_kind");
  }
  if (!OneOf(kChannels, in.channel)) {
    return Invalid("channel must be one of " + Listed(kChannels), "invalid_channel");
  }
  if (in.requester.empty() || in.requester.size() > 300) {
    return Invalid("requester must say who asked and how to reach them (1 to 300 bytes)",
                   "invalid_requester");
  }
  if (in.details.size() > 5000)
    return Invalid("details are longer than 5000 bytes", "invalid_details");
  std::optional<std::string> e164;
  if (!in.phone.empty()) {
    PhoneParse parsed = phones_.Normalize(in.phone);
    if (!parsed.number) return Invalid("phone: " + parsed.message, "invalid_phone");
    e164 = parsed.number->e164;
  }
  if (in.kind == "erasure" && !e164) {
    return Invalid("an erasure request needs the phone number whose data is to be erased",
                   "invalid_phone");
  }
  const int64_t now = clock_.NowMillis();
  int64_t received = now;
  if (!in.received_on.empty()) {
    int64_t midnight = 0;
    if (!core::IstMidnightOf(in.received_on, &midnight)) {
      return Invalid("received_on must be a date such as 2026-12-01", "invalid_received_on");
    }
    if (midnight > now) {
      return Invalid("received_on " + in.received_on + " is in the future", "invalid_received_on");
    }
    received = midnight;
  }
  // Due at the end of the India day 90 days after the day it was received.
  const core::LocalTime local = core::ToLocalTime(received, core::kIstOffsetMillis);
  const int64_t due =
      (local.days + kDataRequestAnswerDays + 1) * kDayMillis - core::kIstOffsetMillis - 1;
  const std::string hint =
      e164 ? "…" + e164->substr(e164->size() - std::min<size_t>(4, e164->size())) : "";
  return storage::InTransaction(db_, [&](storage::Transaction& tx) -> core::Result<DataRequest> {
    const int64_t id =
        tx.Execute(
              "INSERT INTO data_requests (kind, requester, channel, phone_e164, phone_hint, "
              "details, state, received_at, due_at, created_by, created_at) VALUES "
              "($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10) RETURNING id",
              {Text(in.kind), Text(in.requester), Text(in.channel), storage::OptText(e164),
               Text(hint), Text(in.details), Int(received), Int(due), Text(actor), Int(now)})
            .rows.at(0)
            .GetInt(0);
    return *Find(tx, id);
  });
}

std::optional<DataRequest> DataRequestBook::Find(storage::Transaction& tx, int64_t id) {
  auto rows = tx.Execute(std::string("SELECT ") + kColumns + " FROM data_requests WHERE id = $1",
                         {Int(id)});
  if (rows.rows.empty()) return std::nullopt;
  return Read(rows.rows[0]);
}

std::vector<DataRequest> DataRequestBook::List(const std::string& state, int limit) {
  return storage::InTransaction(
      db_,
      [&](storage::Transaction& tx) {
        std::vector<DataRequest> out;
        if (state != "closed") {
          for (const auto& row : tx.Execute(std::string("SELECT ") + kColumns +
                                                " FROM data_requests WHERE state = 'open' "
                                                "ORDER BY due_at, id LIMIT $1",
                                            {Int(limit)})
                                     .rows) {
            out.push_back(Read(row));
          }
        }
        if (state != "open") {
          for (const auto& row : tx.Execute(std::string("SELECT ") + kColumns +
                                                " FROM data_requests WHERE state = 'closed' "
                                                "ORDER BY closed_at DESC, id DESC LIMIT $1",
                                            {Int(limit)})
                                     .rows) {
            out.push_back(Read(row));
          }
        }
        return out;
      },
      false);
}

core::Result<DataRequest> DataRequestBook::Close(int64_t id, const std::string& outcome,
                                                 const std::string& note,
                                                 const std::string& actor) {
  if (outcome != "done" && outcome != "refused") {
    return Invalid("outcome must be done or refused", "invalid_outcome");
  }
  if (note.empty() || note.size() > 5000) {
    return Invalid("note must say what was done, or why the request was refused (1 to 5000 bytes)",
                   "invalid_note");
  }
  return storage::InTransaction(db_, [&](storage::Transaction& tx) -> core::Result<DataRequest> {
    auto found = Find(tx, id);
    if (!found) {
      return core::MakeError(core::ErrorCode::kNotFound,
                             "data request " + std::to_string(id) + " does not exist",
                             "data_request_not_found");
    }
    if (found->state == "closed") {
      return core::MakeError(core::ErrorCode::kConflict,
                             "data request " + std::to_string(id) + " is closed already",
                             "data_request_closed");
    }
    if (found->kind == "erasure" && outcome == "done" && found->phone_e164) {
      auto lead = tx.Execute("SELECT id FROM leads WHERE phone_e164 = $1 AND erased_at IS NULL",
                             {Text(*found->phone_e164)});
      if (!lead.rows.empty()) {
        return core::MakeError(core::ErrorCode::kConflict,
                               "lead " + std::to_string(lead.rows[0].GetInt(0)) +
                                   " still holds this number: erase it first (Leads, the lead, "
                                   "Erase), then close the request",
                               "lead_not_erased");
      }
    }
    tx.Execute(
        "UPDATE data_requests SET state = 'closed', outcome = $1, note = $2, closed_by = $3, "
        "closed_at = $4 WHERE id = $5",
        {Text(outcome), Text(note), Text(actor), Int(clock_.NowMillis()), Int(id)});
    return *Find(tx, id);
  });
}

void DataRequestBook::ForgetNumber(storage::Transaction& tx, const std::string& e164) {
  tx.Execute("UPDATE data_requests SET phone_e164 = NULL WHERE phone_e164 = $1", {Text(e164)});
}

nlohmann::json DataRequestJson(const DataRequest& r, int64_t now) {
  auto iso = [](int64_t ms) { return core::FormatIso8601Utc(ms); };
  const int64_t today = core::ToLocalTime(now, core::kIstOffsetMillis).days;
  const int64_t due_day = core::ToLocalTime(r.due_at, core::kIstOffsetMillis).days;
  return {{"id", r.id},
          {"kind", r.kind},
          {"requester", r.requester},
          {"channel", r.channel},
          {"phone", r.phone_e164 ? nlohmann::json(*r.phone_e164) : nlohmann::json()},
          {"phone_hint", r.phone_hint},
          {"details", r.details},
          {"state", r.state},
          {"received_at", iso(r.received_at)},
          {"due_at", iso(r.due_at)},
          {"due_on", core::IstDate(r.due_at)},
          {"days_left", due_day - today},
          {"overdue", r.state == "open" && now > r.due_at},
          {"closed_at", r.closed_at ? nlohmann::json(iso(*r.closed_at)) : nlohmann::json()},
          {"outcome", r.outcome.empty() ? nlohmann::json() : nlohmann::json(r.outcome)},
          {"note", r.note},
          {"closed_by", r.closed_by},
          {"created_by", r.created_by}};
}

}  // namespace vaarta::leads
