#pragma once
// WebhookBook: the business's outbound webhook endpoints and their deliveries.
//
// An endpoint is a URL (https, unless the server allows http), the events it wants, and a
// signing secret made here, shown once, and sealed at rest (settings/secret_box.h). Events
// enter through Enqueue inside the transaction that caused them (an outbox), one delivery
// per subscribed endpoint; webhook_dispatcher.h sends them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/field_error.h"
#include "core/result.h"
#include "settings/secret_box.h"
#include "storage/database.h"

namespace vaarta::webhooks {

// A call attempt reached its outcome (answered or not, with callback and hand-over facts).
inline constexpr std::string_view kCallCompleted = "call.completed";
// A lead import finished (with its counts), or failed.
inline constexpr std::string_view kImportCompleted = "import.completed";
// Sent on request from Settings to one endpoint; not subscribable.
inline constexpr std::string_view kTestEvent = "webhook.test";
const std::vector<std::string>& SubscribableEvents();

struct WebhookEndpoint {
  int64_t id = 0;
  std::string url;
  std::string description;
  std::vector<std::string> events;
  std::string secret_hint;
  bool active = true;
  int64_t created_at = 0;
  std::string created_by;
  nlohmann::json ToJson() const;
};

struct EndpointFields {
  std::string url;
  std::string description;
  std::vector<std::string> events;
};

struct WebhookDelivery {
  int64_t id = 0;
  int64_t endpoint_id = 0;
  std::string event_id;
  std::string event;
  std::string state;  // pending, delivered, failed
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::optional<int> last_status;
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  nlohmann::json ToJson() const;
};

// One event for the outbox. `phone_e164` names the lead whose number the data carries
// (erasing that lead deletes the delivery); empty when it carries none.
struct OutboundEvent {
  std::string type;
  nlohmann::json data;
  std::string phone_e164;
};

class WebhookBook {
 public:
  WebhookBook(const core::Clock& clock, const settings::SecretBox& box, bool allow_http)
      : clock_(clock), box_(box), allow_http_(allow_http) {}

  // Field errors for an endpoint as entered; empty when it is fine.
  std::vector<core::FieldError> Check(const EndpointFields& fields) const;
  // Stores a checked endpoint; returns it and its signing secret (never readable again).
  std::pair<WebhookEndpoint, std::string> Create(storage::Transaction& tx,
                                                 const EndpointFields& fields,
                                                 const std::string& by) const;
  std::vector<WebhookEndpoint> List(storage::Transaction& tx) const;
  std::optional<WebhookEndpoint> Get(storage::Transaction& tx, int64_t id) const;
  // Pauses or resumes an endpoint (its pending deliveries wait while it is paused) and
  // changes what it receives; a field left out keeps its value. False: no such endpoint.
  bool Update(storage::Transaction& tx, int64_t id, std::optional<bool> active,
              const std::optional<std::vector<std::string>>& events,
              const std::optional<std::string>& description) const;
  // Removes the endpoint and every delivery to it.
  bool Delete(storage::Transaction& tx, int64_t id) const;
  std::vector<WebhookDelivery> Deliveries(storage::Transaction& tx, int64_t endpoint_id,
                                          int limit) const;
  // A failed delivery goes back to the queue, due now. False unless it had failed.
  bool Retry(storage::Transaction& tx, int64_t delivery_id) const;

  // The outbox: one delivery per active endpoint subscribed to each event (or only to
  // `endpoint_id`, which gets the event whatever it subscribed to). Returns how many.
  int Enqueue(storage::Transaction& tx, const std::vector<OutboundEvent>& events,
              std::optional<int64_t> endpoint_id = std::nullopt) const;

  // Erasure hook (leads::LeadService): deliveries carrying the erased number go.
  static void ForgetNumber(storage::Transaction& tx, const std::string& e164);

  // The secret's purpose label (its associated data when sealed).
  static constexpr std::string_view kSecretPurpose = "webhooks.endpoint_secret";

 private:
  const core::Clock& clock_;
  const settings::SecretBox& box_;
  bool allow_http_;
};

}  // namespace vaarta::webhooks
