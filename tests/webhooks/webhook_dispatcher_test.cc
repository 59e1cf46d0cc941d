// The outbox and its dispatcher against a real receiver on loopback: events queue only
// for endpoints that asked for them, go out signed, are retried on the documented
// schedule with the same event id, end as failed after the last attempt, can be sent
// again, wait while their endpoint is paused, and go with an erased lead's number.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include "core/clock.h"
#include "core/logger.h"
#include "settings/secret_box.h"
#include "test_support/test_database.h"
#include "test_support/webhook_receiver.h"
#include "webhooks/network_guard.h"
#include "webhooks/webhook_book.h"
#include "webhooks/webhook_dispatcher.h"
#include "webhooks/webhook_signature.h"

namespace vaarta::webhooks {
namespace {

constexpr int64_t kStart = 1801546200000;

class WebhookDispatcherTest : public ::testing::TestWithParam<std::string> {
 protected:
  WebhookDispatcherTest()
      : tdb_(GetParam()),
        clock_(kStart),
        box_(std::string(32, 'k')),
        logger_(log_, core::LogLevel::kError, clock_),
        book_(clock_, box_, /*allow_http=*/true),
        dispatcher_(tdb_.db(), clock_, box_, logger_, Options()) {}

  static WebhookDispatcherOptions Options() {
    WebhookDispatcherOptions options;
    options.retry_base_ms = 1000;
    options.timeout_ms = 3000;
    options.allow_private_network = true;  // the receiver listens on loopback
    return options;
  }

  std::pair<WebhookEndpoint, std::string> AddEndpoint(std::vector<std::string> events) {
    return storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
      return book_.Create(tx, {receiver_.url(), "CRM", std::move(events)}, "user:1:admin");
    });
  }
  int Enqueue(const std::vector<OutboundEvent>& events) {
    return storage::InTransaction(
        tdb_.db(), [&](storage::Transaction& tx) { return book_.Enqueue(tx, events); });
  }
  std::vector<WebhookDelivery> Deliveries(int64_t endpoint) {
    return storage::InTransaction(
        tdb_.db(), [&](storage::Transaction& tx) { return book_.Deliveries(tx, endpoint, 50); },
        false);
  }

  testing::TestDatabase tdb_;
  core::ManualClock clock_;
  settings::SecretBox box_;
  std::ostringstream log_;
  core::Logger logger_;
  WebhookBook book_;
  testing::WebhookReceiver receiver_;
  WebhookDispatcher dispatcher_;
};

TEST_P(WebhookDispatcherTest, EventsGoOnlyWhereTheyWereAskedForAndArriveSigned) {
  auto [calls, secret] = AddEndpoint({std::string(kCallCompleted)});
  auto [imports, other_secret] = AddEndpoint({std::string(kImportCompleted)});
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  EXPECT_NE(secret, other_secret);
  EXPECT_EQ(calls.secret_hint, settings::SecretHint(secret));

  EXPECT_EQ(Enqueue({{std::string(kCallCompleted), {{"outcome", "interested"}}, "+919800000001"}}),
            1);
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  EXPECT_EQ(dispatcher_.RunOnce(), 0);  // nothing more is due
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 1u);
  const auto& hook = got[0];
  EXPECT_EQ(hook.headers.at("x-vaarta-event"), "call.completed");
  EXPECT_EQ(hook.headers.at("content-type"), "application/json");
  auto body = nlohmann::json::parse(hook.body);
  EXPECT_EQ(body["type"], "call.completed");
  EXPECT_EQ(body["data"]["outcome"], "interested");
  EXPECT_EQ(body["id"], hook.headers.at("x-vaarta-event-id"));
  const int64_t now_s = kStart / 1000;
  EXPECT_TRUE(
      VerifySignatureHeader(secret, hook.headers.at("x-vaarta-signature"), hook.body, now_s));
  EXPECT_FALSE(
      VerifySignatureHeader(other_secret, hook.headers.at("x-vaarta-signature"), hook.body, now_s));
  EXPECT_FALSE(
      VerifySignatureHeader(secret, hook.headers.at("x-vaarta-signature"), hook.body + " ", now_s));
  // A copy replayed ten minutes later is refused by a receiver that checks the time.
  EXPECT_FALSE(
      VerifySignatureHeader(secret, hook.headers.at("x-vaarta-signature"), hook.body, now_s + 600));
  auto delivered = Deliveries(calls.id);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].state, "delivered");
  EXPECT_EQ(delivered[0].last_status, 200);
  EXPECT_TRUE(Deliveries(imports.id).empty());
}

TEST_P(WebhookDispatcherTest, FailuresAreRetriedOnScheduleThenFailAndCanBeSentAgain) {
  auto [endpoint, secret] = AddEndpoint({std::string(kImportCompleted)});
  receiver_.SetStatuses({503});
  ASSERT_EQ(Enqueue({{std::string(kImportCompleted), {{"id", 7}}, ""}}), 1);
  const auto delays = RetryDelaysMs(1000);
  ASSERT_EQ(delays, (std::vector<int64_t>{1000, 4000, 20000, 120000, 720000, 2880000}));
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  for (size_t i = 0; i < delays.size(); ++i) {
    auto d = Deliveries(endpoint.id).at(0);
    EXPECT_EQ(d.state, "pending");
    EXPECT_EQ(d.attempts, static_cast<int>(i) + 1);
    EXPECT_EQ(d.last_error, "HTTP 503");
    EXPECT_EQ(d.next_attempt_at, clock_.NowMillis() + delays[i]);
    clock_.Advance(delays[i] - 1);
    EXPECT_EQ(dispatcher_.RunOnce(), 0) << "retry " << i << " went early";
    clock_.Advance(1);
    EXPECT_EQ(dispatcher_.RunOnce(), 1) << "retry " << i << " not sent when due";
  }
  auto failed = Deliveries(endpoint.id).at(0);
  EXPECT_EQ(failed.state, "failed");
  EXPECT_EQ(failed.attempts, 7);
  auto got = receiver_.received();
  ASSERT_EQ(got.size(), 7u);
  for (const auto& hook : got) {
    EXPECT_EQ(hook.headers.at("x-vaarta-event-id"), got[0].headers.at("x-vaarta-event-id"));
  }
  clock_.Advance(int64_t{1} << 32);
  EXPECT_EQ(dispatcher_.RunOnce(), 0);

  // Sent again from Settings, to a receiver that is back.
  receiver_.SetStatuses({204});
  EXPECT_TRUE(storage::InTransaction(
      tdb_.db(), [&](storage::Transaction& tx) { return book_.Retry(tx, failed.id); }));
  EXPECT_FALSE(storage::InTransaction(
      tdb_.db(), [&](storage::Transaction& tx) { return book_.Retry(tx, failed.id); }));
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  EXPECT_EQ(Deliveries(endpoint.id).at(0).state, "delivered");
}

TEST_P(WebhookDispatcherTest, APausedEndpointHoldsItsDeliveriesAndAnUnreachableOneIsRetried) {
  auto [endpoint, secret] = AddEndpoint({std::string(kCallCompleted)});
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    book_.Update(tx, endpoint.id, false, std::nullopt, std::nullopt);
  });
  // A paused endpoint gets no new events...
  EXPECT_EQ(Enqueue({{std::string(kCallCompleted), {{"n", 1}}, ""}}), 0);
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    book_.Update(tx, endpoint.id, true, std::nullopt, std::nullopt);
  });
  ASSERT_EQ(Enqueue({{std::string(kCallCompleted), {{"n", 2}}, ""}}), 1);
  // ...and those already queued wait while it is paused.
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    book_.Update(tx, endpoint.id, false, std::nullopt, std::nullopt);
  });
  EXPECT_EQ(dispatcher_.RunOnce(), 0);
  EXPECT_TRUE(receiver_.received().empty());
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    book_.Update(tx, endpoint.id, true, std::nullopt, std::nullopt);
  });
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  EXPECT_EQ(receiver_.received().size(), 1u);

  // No server listening: a transport error, retried like any failure.
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    tx.Execute("UPDATE webhook_endpoints SET url = 'http://127.0.0.1:9/hooks' WHERE id = $1",
               {storage::Int(endpoint.id)});
  });
  ASSERT_EQ(Enqueue({{std::string(kCallCompleted), {{"n", 3}}, ""}}), 1);
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  auto d = Deliveries(endpoint.id).at(0);
  EXPECT_EQ(d.state, "pending");
  EXPECT_FALSE(d.last_status.has_value());
  EXPECT_FALSE(d.last_error.empty());
}

TEST_P(WebhookDispatcherTest, ErasingALeadRemovesTheDeliveriesCarryingItsNumber) {
  auto [endpoint, secret] = AddEndpoint({std::string(kCallCompleted)});
  Enqueue({{std::string(kCallCompleted), {{"phone", "+919800000001"}}, "+919800000001"},
           {std::string(kCallCompleted), {{"phone", "+919800000002"}}, "+919800000002"}});
  storage::InTransaction(
      tdb_.db(), [&](storage::Transaction& tx) { WebhookBook::ForgetNumber(tx, "+919800000001"); });
  auto left = Deliveries(endpoint.id);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(storage::InTransaction(
                tdb_.db(),
                [&](storage::Transaction& tx) {
                  return tx.Execute("SELECT payload FROM webhook_deliveries").rows.at(0).GetText(0);
                },
                false)
                .find("+919800000001"),
            std::string::npos);
  // Removing the endpoint removes its deliveries.
  EXPECT_TRUE(storage::InTransaction(
      tdb_.db(), [&](storage::Transaction& tx) { return book_.Delete(tx, endpoint.id); }));
  EXPECT_TRUE(Deliveries(endpoint.id).empty());
}

TEST_P(WebhookDispatcherTest, EndpointsAreCheckedFieldByField) {
  WebhookBook strict(clock_, box_, /*allow_http=*/false);
  auto errors = strict.Check({"http://crm.example.in/hook", "", {"call.completed"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "url");
  EXPECT_NE(errors[0].message.find("https://"), std::string::npos);
  EXPECT_TRUE(
      strict.Check({"https://crm.example.in/hook?token=x", "", {"call.completed"}}).empty());
  EXPECT_EQ(strict.Check({"https://user:pw@crm.example.in/", "", {"call.completed"}}).size(), 1u);
  EXPECT_EQ(strict.Check({"https://crm.example.in/a b", "", {"call.completed"}}).size(), 1u);
  auto events = strict.Check({"https://crm.example.in/", "", {"call.finished"}});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].field, "events");
  EXPECT_NE(events[0].message.find("call.completed"), std::string::npos);
  EXPECT_EQ(strict.Check({"https://crm.example.in/", "", {}}).size(), 1u);
  EXPECT_EQ(strict.Check({"https://crm.example.in/", "", {"webhook.test"}}).size(), 1u);
}

// By default the dispatcher refuses to connect to the server's own or private network,
// whatever the URL's host is called; the delivery says so and is retried like a failure.
TEST_P(WebhookDispatcherTest, PrivateAddressesAreRefusedUnlessAllowed) {
  auto [endpoint, secret] = AddEndpoint({std::string(kCallCompleted)});
  WebhookDispatcher guarded(tdb_.db(), clock_, box_, logger_, [] {
    WebhookDispatcherOptions options;
    options.retry_base_ms = 1000;
    return options;
  }());
  ASSERT_EQ(Enqueue({{std::string(kCallCompleted), {{"n", 1}}, ""}}), 1);
  EXPECT_EQ(guarded.RunOnce(), 1);
  EXPECT_TRUE(receiver_.received().empty());
  auto d = Deliveries(endpoint.id).at(0);
  EXPECT_EQ(d.state, "pending");
  EXPECT_NE(d.last_error.find("refused to connect to 127.0.0.1"), std::string::npos)
      << d.last_error;
  // "localhost" is no way round it: the address is judged, not the name.
  storage::InTransaction(tdb_.db(), [&](storage::Transaction& tx) {
    tx.Execute("UPDATE webhook_endpoints SET url = $2 WHERE id = $1",
               {storage::Int(endpoint.id),
                storage::Text("http://localhost:" + receiver_.url().substr(17))});
  });
  clock_.Advance(1000);
  EXPECT_EQ(guarded.RunOnce(), 1);
  EXPECT_TRUE(receiver_.received().empty());
  // The permissive dispatcher (the server's option) delivers it.
  clock_.Advance(4000);
  EXPECT_EQ(dispatcher_.RunOnce(), 1);
  EXPECT_EQ(receiver_.received().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, WebhookDispatcherTest, testing::BothDialects());

sockaddr_storage Parse(const std::string& text) {
  sockaddr_storage out{};
  if (text.find(':') != std::string::npos) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&out);
    in6->sin6_family = AF_INET6;
    EXPECT_EQ(inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr), 1) << text;
  } else {
    auto* in = reinterpret_cast<sockaddr_in*>(&out);
    in->sin_family = AF_INET;
    EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &in->sin_addr), 1) << text;
  }
  return out;
}

TEST(NetworkGuardTest, OnlyPublicAddressesPass) {
  for (const char* inside :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    auto a = Parse(inside);
    EXPECT_FALSE(IsPublicAddress(reinterpret_cast<sockaddr*>(&a))) << inside;
  }
  for (const char* outside :
       {"8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.4.4", "49.44.1.1"}) {
    auto a = Parse(outside);
    EXPECT_TRUE(IsPublicAddress(reinterpret_cast<sockaddr*>(&a))) << outside;
  }
  auto v6 = Parse("fe80::1");
  EXPECT_EQ(AddressText(reinterpret_cast<sockaddr*>(&v6)), "fe80::1");
}

}  // namespace
}  // namespace vaarta::webhooks
