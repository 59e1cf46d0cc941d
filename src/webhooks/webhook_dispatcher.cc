#include "webhooks/webhook_dispatcher.h"

#include <curl/curl.h>

#include <chrono>
#include <memory>

#include "webhooks/network_guard.h"
#include "webhooks/webhook_book.h"
#include "webhooks/webhook_signature.h"

namespace vaarta::webhooks {
namespace {

using storage::Int;
using storage::Text;

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// Opens curl's socket only towards a public address; otherwise says why in `refused`.
curl_socket_t OpenPublicSocket(void* refused, curlsocktype, curl_sockaddr* address) {
  if (!IsPublicAddress(&address->addr)) {
    *static_cast<std::string*>(refused) =
        "refused to connect to " + AddressText(&address->addr) +
        ", a private, loopback or link-local address (webhooks_allow_private_network is off)";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

struct PostResult {
  int status = 0;     // 0: no HTTP answer
  std::string error;  // when status is 0
};

PostResult Post(const std::string& url, const std::vector<std::string>& header_lines,
                const std::string& body, int timeout_ms, bool allow_private_network) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) return {0, "could not start an HTTP request"};
  curl_slist* headers = nullptr;
  for (const auto& line : header_lines) headers = curl_slist_append(headers, line.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          &curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Vaarta-Webhooks/1");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(timeout_ms, 5000)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // A redirect could send the signed event somewhere the admin never entered.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Discard);
  std::string refused;
  if (!allow_private_network) {
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, OpenPublicSocket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &refused);
  }
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) return {0, refused.empty() ? curl_easy_strerror(code) : refused};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return {static_cast<int>(status), ""};
}

}  // namespace

std::vector<int64_t> RetryDelaysMs(int64_t base_ms) {
  std::vector<int64_t> out;
  for (int64_t factor : {1, 4, 20, 120, 720, 2880}) out.push_back(base_ms * factor);
  return out;
}

struct WebhookDispatcher::Claimed {
  int64_t id = 0;
  int64_t endpoint_id = 0;
  std::string event_id, event, payload, url, sealed_secret;
  int attempts = 0;
};

WebhookDispatcher::WebhookDispatcher(storage::Database& db, const core::Clock& clock,
                                     const settings::SecretBox& box, const core::Logger& logger,
                                     WebhookDispatcherOptions options)
    : db_(db), clock_(clock), box_(box), logger_(logger), options_(options) {}

WebhookDispatcher::~WebhookDispatcher() { Stop(); }

void WebhookDispatcher::Start() {
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this, i](std::stop_token stop) {
      int rounds = 0;
      while (!stop.stop_requested()) {
        int sent = 0;
        try {
          sent = RunOnce();
          // One thread prunes, about once every ten minutes.
          if (i == 0 && ++rounds % 1200 == 1) Prune();
        } catch (const std::exception& e) {
          logger_.Warn("webhook deliveries not sent", {{"error", e.what()}});
        }
        if (sent == 0) {
          for (int k = 0; k < 5 && !stop.stop_requested(); ++k) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          }
        }
      }
    });
  }
}

void WebhookDispatcher::Stop() {
  for (auto& t : threads_) t.request_stop();
  threads_.clear();  // joins
}

int WebhookDispatcher::RunOnce(int limit) {
  const int64_t now = clock_.NowMillis();
  std::vector<Claimed> claimed;
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    claimed.clear();
    auto due = tx.Execute(
        "SELECT d.id, d.endpoint_id, d.event_id, d.event, d.payload, e.url, e.sealed_secret, "
        "d.attempts FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
        "WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND d.claimed_until <= $1 "
        "AND e.active = 1 ORDER BY d.next_attempt_at, d.id LIMIT $2",
        {Int(now), Int(limit)});
    for (const auto& x : due.rows) {
      Claimed d{x.GetInt(0),  x.GetInt(1),  x.GetText(2), x.GetText(3),
                x.GetText(4), x.GetText(5), x.GetText(6), static_cast<int>(x.GetInt(7))};
      // Only the server whose update changed the row sends it, and only while the row is as
      // it was read: a server that sent and released it meanwhile moved its attempts on.
      auto mine = tx.Execute(
          "UPDATE webhook_deliveries SET claimed_until = $2 WHERE id = $1 AND state = 'pending' "
          "AND claimed_until <= $3 AND next_attempt_at <= $3 AND attempts = $4",
          {Int(d.id), Int(now + options_.claim_ms), Int(now), Int(d.attempts)});
      if (mine.affected_rows == 1) claimed.push_back(std::move(d));
    }
  });
  for (const auto& delivery : claimed) Send(delivery);
  return static_cast<int>(claimed.size());
}

void WebhookDispatcher::Send(const Claimed& d) {
  PostResult result;
  auto secret = box_.Open(d.sealed_secret, WebhookBook::kSecretPurpose);
  if (!secret) {
    result.error = "the endpoint's signing secret does not open with this server's data key";
  } else {
    const int64_t signed_at = clock_.NowMillis() / 1000;
    result = Post(
        d.url,
        {"Content-Type: application/json", "X-Vaarta-Event: " + d.event,
         "X-Vaarta-Event-Id: " + d.event_id, "X-Vaarta-Delivery: " + std::to_string(d.id),
         std::string(kSignatureHeader) + ": " + SignatureHeader(*secret, signed_at, d.payload)},
        d.payload, options_.timeout_ms, options_.allow_private_network);
  }
  const bool delivered = result.status >= 200 && result.status < 300;
  const int attempts = d.attempts + 1;
  const auto delays = RetryDelaysMs(options_.retry_base_ms);
  const int64_t now = clock_.NowMillis();
  std::string error = result.status != 0 ? "HTTP " + std::to_string(result.status) : result.error;
  if (delivered) error.clear();
  std::string state = "delivered";
  int64_t next = now;
  if (!delivered) {
    const bool more = attempts <= static_cast<int>(delays.size());
    state = more ? "pending" : "failed";
    next = more ? now + delays[attempts - 1] : now;
  }
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    tx.Execute(
        "UPDATE webhook_deliveries SET state = $2, attempts = $3, next_attempt_at = $4, "
        "claimed_until = 0, last_status = $5, last_error = $6, delivered_at = $7 WHERE id = $1",
        {Int(d.id), Text(state), Int(attempts), Int(next),
         result.status ? Int(result.status) : storage::Null(), Text(error.substr(0, 300)),
         delivered ? Int(now) : storage::Null()});
  });
  if (!delivered) {
    logger_.Warn("webhook delivery failed", {{"delivery", d.id},
                                             {"endpoint", d.endpoint_id},
                                             {"attempt", attempts},
                                             {"error", error},
                                             {"state", state}});
  }
}

void WebhookDispatcher::Prune() {
  const int64_t cutoff = clock_.NowMillis() - options_.keep_days * 86400000;
  storage::InTransaction(db_, [&](storage::Transaction& tx) {
    tx.Execute(
        "DELETE FROM webhook_deliveries WHERE state IN ('delivered', 'failed') AND created_at < $1",
        {Int(cutoff)});
  });
}

}  // namespace vaarta::webhooks
