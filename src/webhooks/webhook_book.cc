#include "webhooks/webhook_book.h"

#include <algorithm>
#include <set>

#include "core/crypto.h"

namespace vaarta::webhooks {
namespace {

using storage::Int;
using storage::Text;

constexpr const char* kEndpointColumns =
    "id, url, description, events, secret_hint, active, created_at, created_by";

WebhookEndpoint EndpointFromRow(const storage::Row& r) {
  WebhookEndpoint e;
  e.id = r.GetInt(0);
  e.url = r.GetText(1);
  e.description = r.GetText(2);
  auto events = nlohmann::json::parse(r.GetText(3), nullptr, false);
  if (events.is_array()) {
    for (const auto& name : events) {
      if (name.is_string()) e.events.push_back(name.get<std::string>());
    }
  }
  e.secret_hint = r.GetText(4);
  e.active = r.GetInt(5) != 0;
  e.created_at = r.GetInt(6);
  e.created_by = r.GetText(7);
  return e;
}

std::optional<std::string> EventsProblem(const std::vector<std::string>& events) {
  if (events.empty()) return "choose at least one event";
  const auto& known = SubscribableEvents();
  for (const auto& name : events) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return "'" + name + "' is not an event; the events are " + list;
    }
  }
  return std::nullopt;
}

std::string Host(const std::string& url) {
  const size_t start = url.find("://") + 3;
  const size_t end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

const std::vector<std::string>& SubscribableEvents() {
  static const std::vector<std::string> kEvents = {std::string(kCallCompleted),
                                                   std::string(kImportCompleted)};
  return kEvents;
}

nlohmann::json WebhookEndpoint::ToJson() const {
  return {{"id", id},
          {"url", url},
          {"description", description},
          {"events", events},
          {"secret_hint", secret_hint},
          {"active", active},
          {"created_at", core::FormatIso8601Utc(created_at)},
          {"created_by", created_by}};
}

nlohmann::json WebhookDelivery::ToJson() const {
  return {{"id", id},
          {"endpoint_id", endpoint_id},
          {"event_id", event_id},
          {"event", event},
          {"state", state},
          {"attempts", attempts},
          {"next_attempt_at", state == "pending"
                                  ? nlohmann::json(core::FormatIso8601Utc(next_attempt_at))
                                  : nlohmann::json()},
          {"last_status", last_status ? nlohmann::json(*last_status) : nlohmann::json()},
          {"last_error", last_error},
          {"created_at", core::FormatIso8601Utc(created_at)},
          {"delivered_at", delivered_at ? nlohmann::json(core::FormatIso8601Utc(*delivered_at))
                                        : nlohmann::json()}};
}

std::vector<core::FieldError> WebhookBook::Check(const EndpointFields& f) const {
  std::vector<core::FieldError> errors;
  const bool https = f.url.rfind("https://", 0) == 0;
  const bool http = f.url.rfind("http://", 0) == 0;
  if (f.url.size() > 2000) {
    errors.push_back({"url", "must be at most 2000 characters"});
  } else if (!https && !(http && allow_http_)) {
    errors.push_back({"url", allow_http_ ? "must start with https:// or http://"
                                         : "must start with https:// (this server sends "
                                           "webhooks only over TLS)"});
  } else if (Host(f.url).empty() || Host(f.url).find('@') != std::string::npos) {
    errors.push_back({"url", "must name a host, without a user name or password in it"});
  } else if (std::any_of(f.url.begin(), f.url.end(),
                         [](unsigned char c) { return c <= ' ' || c >= 0x7f; })) {
    errors.push_back({"url", "must not contain spaces or other characters outside a URL"});
  }
  if (f.description.size() > 200) {
    errors.push_back({"description", "must be at most 200 characters"});
  }
  if (auto problem = EventsProblem(f.events)) errors.push_back({"events", *problem});
  return errors;
}

std::pair<WebhookEndpoint, std::string> WebhookBook::Create(storage::Transaction& tx,
                                                            const EndpointFields& f,
                                                            const std::string& by) const {
  // "whsec_" marks the value as ours when it turns up in a receiver's configuration.
  const std::string secret = "whsec_" + core::RandomToken(32);
  std::set<std::string> unique(f.events.begin(), f.events.end());
  const int64_t now = clock_.NowMillis();
  auto rows = tx.Execute(
      "INSERT INTO webhook_endpoints (url, description, events, sealed_secret, secret_hint, "
      "active, created_at, created_by) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) RETURNING id",
      {Text(f.url), Text(f.description), Text(nlohmann::json(unique).dump()),
       Text(box_.Seal(secret, kSecretPurpose)), Text(settings::SecretHint(secret)), Int(now),
       Text(by)});
  return {*Get(tx, rows.rows.at(0).GetInt(0)), secret};
}

std::vector<WebhookEndpoint> WebhookBook::List(storage::Transaction& tx) const {
  auto rows =
      tx.Execute(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints ORDER BY id");
  std::vector<WebhookEndpoint> out;
  for (const auto& r : rows.rows) out.push_back(EndpointFromRow(r));
  return out;
}

std::optional<WebhookEndpoint> WebhookBook::Get(storage::Transaction& tx, int64_t id) const {
  auto rows = tx.Execute(
      std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = $1",
      {Int(id)});
  if (rows.rows.empty()) return std::nullopt;
  return EndpointFromRow(rows.rows.front());
}

bool WebhookBook::Update(storage::Transaction& tx, int64_t id, std::optional<bool> active,
                         const std::optional<std::vector<std::string>>& events,
                         const std::optional<std::string>& description) const {
  std::optional<std::string> events_json;
  if (events) {
    std::set<std::string> unique(events->begin(), events->end());
    events_json = nlohmann::json(unique).dump();
  }
  // A field left out (NULL) keeps its value.
  return tx.Execute(
               "UPDATE webhook_endpoints SET active = COALESCE($2, active), "
               "events = COALESCE($3, events), description = COALESCE($4, description) "
               "WHERE id = $1",
               {Int(id), active ? Int(*active ? 1 : 0) : storage::Null(),
                storage::OptText(events_json), storage::OptText(description)})
             .affected_rows > 0;
}

bool WebhookBook::Delete(storage::Transaction& tx, int64_t id) const {
  tx.Execute("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", {Int(id)});
  return tx.Execute("DELETE FROM webhook_endpoints WHERE id = $1", {Int(id)}).affected_rows > 0;
}

std::vector<WebhookDelivery> WebhookBook::Deliveries(storage::Transaction& tx, int64_t endpoint_id,
                                                     int limit) const {
  auto rows = tx.Execute(
      "SELECT id, endpoint_id, event_id, event, state, attempts, next_attempt_at, last_status, "
      "last_error, created_at, delivered_at FROM webhook_deliveries WHERE endpoint_id = $1 "
      "ORDER BY id DESC LIMIT $2",
      {Int(endpoint_id), Int(limit)});
  std::vector<WebhookDelivery> out;
  for (const auto& r : rows.rows) {
    WebhookDelivery d;
    d.id = r.GetInt(0);
    d.endpoint_id = r.GetInt(1);
    d.event_id = r.GetText(2);
    d.event = r.GetText(3);
    d.state = r.GetText(4);
    d.attempts = static_cast<int>(r.GetInt(5));
    d.next_attempt_at = r.GetInt(6);
    if (!r.IsNull(7)) d.last_status = static_cast<int>(r.GetInt(7));
    d.last_error = r.GetText(8);
    d.created_at = r.GetInt(9);
    if (!r.IsNull(10)) d.delivered_at = r.GetInt(10);
    out.push_back(std::move(d));
  }
  return out;
}

bool WebhookBook::Retry(storage::Transaction& tx, int64_t delivery_id) const {
  return tx.Execute(
               "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $2, "
               "claimed_until = 0 WHERE id = $1 AND state = 'failed'",
               {Int(delivery_id), Int(clock_.NowMillis())})
             .affected_rows > 0;
}

int WebhookBook::Enqueue(storage::Transaction& tx, const std::vector<OutboundEvent>& events,
                         std::optional<int64_t> endpoint_id) const {
  if (events.empty()) return 0;
  // The endpoints table is small (a business has a handful), so one read per batch of
  // events costs little even in the dialer's busiest transaction.
  auto rows = endpoint_id ? tx.Execute("SELECT id, events FROM webhook_endpoints WHERE id = $1",
                                       {Int(*endpoint_id)})
                          : tx.Execute("SELECT id, events FROM webhook_endpoints WHERE active = 1");
  if (rows.rows.empty()) return 0;
  const int64_t now = clock_.NowMillis();
  std::vector<std::vector<storage::Value>> deliveries;
  for (const auto& event : events) {
    const std::string event_id = "evt_" + core::RandomToken(16);
    const std::string payload = nlohmann::json{
        {"id", event_id},
        {"type", event.type},
        {"created_at", core::FormatIso8601Utc(now)},
        {"data", event.data}}.dump();
    for (const auto& r : rows.rows) {
      if (!endpoint_id) {
        auto wanted = nlohmann::json::parse(r.GetText(1), nullptr, false);
        if (!wanted.is_array() ||
            std::find(wanted.begin(), wanted.end(), event.type) == wanted.end()) {
          continue;
        }
      }
      deliveries.push_back({Int(r.GetInt(0)), Text(event_id), Text(event.type), Text(payload),
                            event.phone_e164.empty() ? storage::Null() : Text(event.phone_e164),
                            Text("pending"), Int(0), Int(now), Int(0), Text(""), Int(now)});
    }
  }
  if (deliveries.empty()) return 0;
  tx.InsertRows("webhook_deliveries",
                {"endpoint_id", "event_id", "event", "payload", "phone_e164", "state", "attempts",
                 "next_attempt_at", "claimed_until", "last_error", "created_at"},
                deliveries);
  return static_cast<int>(deliveries.size());
}

void WebhookBook::ForgetNumber(storage::Transaction& tx, const std::string& e164) {
  tx.Execute("DELETE FROM webhook_deliveries WHERE phone_e164 = $1", {Text(e164)});
}

}  // namespace vaarta::webhooks
