// Credentials that change while the product runs (entered in the dashboard): the REST
// client's account check, and the provider moving to other credentials without a restart,
// against the simulator's REST front speaking Twilio's API.
#include <gtest/gtest.h>

#include "sim/sim_rest_test_server.h"
#include "telephony/twilio/twilio_provider.h"
#include "telephony/twilio/twilio_rest_client.h"
#include "telephony/twilio/twilio_signature.h"

namespace vaarta::telephony::twilio {
namespace {

TwilioRestConfig Config(const sim::SimRestTestServer& server, const std::string& sid,
                        const std::string& token) {
  TwilioRestConfig config;
  config.api_base_url = server.base_url();
  config.account_sid = sid;
  config.auth_token = token;
  config.max_retries = 0;
  return config;
}

OutboundCallRequest Call() {
  OutboundCallRequest request;
  request.to = "+919812345678";
  request.from = "+14155550100";
  request.voice_url = "https://example.com/voice";
  request.status_callback_url = "https://example.com/status";
  request.record = false;
  return request;
}

WebhookRequest SignedWebhook(const std::string& token) {
  WebhookRequest hook;
  hook.method = "POST";
  hook.public_url = "https://vaarta.example.in/webhooks/twilio/status";
  hook.form = {{"CallSid", "CA00000000000000000000000000000001"}, {"CallStatus", "ringing"}};
  hook.headers["x-twilio-signature"] = ComputeSignature(token, hook.public_url, hook.form);
  return hook;
}

TEST(TwilioAccountCheckTest, FetchesTheAccountTheCredentialsOpen) {
  sim::SimRestTestServer server;
  TwilioRestClient client(Config(server, sim::kTestAccountSid, sim::kTestAuthToken));
  auto account = client.FetchAccount();
  ASSERT_TRUE(account) << account.error().message;
  EXPECT_EQ(account->sid, sim::kTestAccountSid);
  EXPECT_EQ(account->status, "active");
  EXPECT_EQ(account->type, "Full");
  EXPECT_FALSE(account->friendly_name.empty());

  // An API key pair of the account opens it too.
  auto config = Config(server, sim::kTestAccountSid, sim::kTestAuthToken);
  config.api_key_sid = sim::kTestKeySid;
  config.api_key_secret = sim::kTestKeySecret;
  EXPECT_TRUE(TwilioRestClient(config).FetchAccount());
}

TEST(TwilioAccountCheckTest, AWrongTokenIsAnAuthenticationErrorThatDoesNotEchoTheToken) {
  sim::SimRestTestServer server;
  TwilioRestClient client(Config(server, sim::kTestAccountSid, "wrong-token-0123456789"));
  auto account = client.FetchAccount();
  ASSERT_FALSE(account);
  EXPECT_EQ(account.error().detail_code, kProviderAuth);
  EXPECT_NE(account.error().message.find("20003"), std::string::npos) << account.error().message;
  EXPECT_EQ(account.error().message.find("wrong-token"), std::string::npos);
  // Another account's valid credentials do not open this one.
  auto crossed = Config(server, sim::kTestAccountSid, sim::kOtherAuthToken);
  EXPECT_FALSE(TwilioRestClient(crossed).FetchAccount());
}

TEST(TwilioProviderCredentialsTest, NewCredentialsPlaceTheNextCallWithoutARestart) {
  sim::SimRestTestServer server;
  TwilioProviderOptions options;
  options.rest = Config(server, sim::kTestAccountSid, "stale-token-0123456789");
  TwilioProvider provider(options);
  auto refused = provider.PlaceCall(Call());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().detail_code, kProviderAuth);
  EXPECT_TRUE(server.engine().created().empty());

  provider.SetCredentials(sim::kOtherAccountSid, sim::kOtherAuthToken, "", "");
  EXPECT_EQ(provider.account_id(), sim::kOtherAccountSid);
  auto placed = provider.PlaceCall(Call());
  ASSERT_TRUE(placed) << placed.error().message;
  ASSERT_EQ(server.engine().created().size(), 1u);
  EXPECT_EQ(server.engine().created()[0].account_sid, sim::kOtherAccountSid);

  // The key pair is used for REST when it is given.
  provider.SetCredentials(sim::kTestAccountSid, sim::kTestAuthToken, sim::kTestKeySid,
                          sim::kTestKeySecret);
  ASSERT_TRUE(provider.PlaceCall(Call()));
  EXPECT_EQ(server.engine().created()[1].account_sid, sim::kTestAccountSid);
}

TEST(TwilioProviderCredentialsTest, WebhooksSignedWithTheOldTokenPassOnlyDuringTheGrace) {
  TwilioProviderOptions options;
  options.rest.account_sid = sim::kTestAccountSid;
  options.rest.auth_token = "old-token-0123456789abcdef";
  TwilioProvider provider(options);
  EXPECT_TRUE(provider.VerifyWebhook(SignedWebhook("old-token-0123456789abcdef")));

  provider.SetCredentials(sim::kTestAccountSid, "new-token-0123456789abcdef", "", "");
  EXPECT_TRUE(provider.VerifyWebhook(SignedWebhook("new-token-0123456789abcdef")));
  // Calls placed before the change still report under the old token for a while.
  EXPECT_TRUE(provider.VerifyWebhook(SignedWebhook("old-token-0123456789abcdef")));
  EXPECT_FALSE(provider.VerifyWebhook(SignedWebhook("some-other-token-0123456789")));

  // With no grace, the old token is refused at once.
  provider.SetCredentials(sim::kTestAccountSid, "newest-token-0123456789abcdef", "", "",
                          std::chrono::seconds(0));
  EXPECT_TRUE(provider.VerifyWebhook(SignedWebhook("newest-token-0123456789abcdef")));
  EXPECT_FALSE(provider.VerifyWebhook(SignedWebhook("new-token-0123456789abcdef")));
  EXPECT_FALSE(provider.VerifyWebhook(SignedWebhook("old-token-0123456789abcdef")));
}

}  // namespace
}  // namespace vaarta::telephony::twilio
