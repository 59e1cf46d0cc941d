#include "settings/telephony_credentials.h"

#include <gtest/gtest.h>

#include <map>

#include "settings/secret_box.h"
#include "test_support/test_database.h"

namespace vaarta::settings {
namespace {

const std::string kMaster(32, 'k');
const std::string kSid = "AC0123456789abcdef0123456789abcdef";
const std::string kToken = "0123456789abcdef0123456789abcd7f";

TEST(SecretBoxTest, SealsAndOpensForThePurposeOnly) {
  SecretBox box(kMaster);
  const std::string sealed = box.Seal(kToken, "telephony.twilio.auth_token");
  EXPECT_EQ(sealed.rfind("vsb1.", 0), 0u);
  EXPECT_EQ(sealed.find(kToken), std::string::npos);
  auto opened = box.Open(sealed, "telephony.twilio.auth_token");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, kToken);
  // The same value sealed twice differs (fresh nonce), and opens only for its purpose.
  EXPECT_NE(box.Seal(kToken, "telephony.twilio.auth_token"), sealed);
  auto other_purpose = box.Open(sealed, "webhooks.secret");
  ASSERT_FALSE(other_purpose);
  EXPECT_EQ(other_purpose.error().detail_code, kSecretUnreadable);
  EXPECT_EQ(other_purpose.error().message.find(kToken), std::string::npos);
}

TEST(SecretBoxTest, RefusesAnotherKeyAlterationsAndGarbage) {
  SecretBox box(kMaster);
  SecretBox other(std::string(32, 'x'));
  const std::string sealed = box.Seal("a secret value", "p");
  EXPECT_FALSE(other.Open(sealed, "p"));
  std::string altered = sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.Open(altered, "p"));
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 4), "p"));
  EXPECT_FALSE(box.Open("plain text", "p"));
  EXPECT_FALSE(box.Open("vsb1.", "p"));
  EXPECT_FALSE(box.Open("vsb1.!!!", "p"));
  // An empty secret round-trips too.
  auto empty = box.Open(box.Seal("", "p"), "p");
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, "");
}

TEST(SecretBoxTest, HintsShowAtMostFourCharactersOfLongSecrets) {
  EXPECT_EQ(SecretHint(kToken), "…cd7f");
  EXPECT_EQ(SecretHint("short"), "…");
}

TEST(TwilioCredentialsCheckTest, NamesEachBadField) {
  EXPECT_TRUE(CheckTwilioCredentials({kSid, kToken, "", ""}).empty());
  auto errors = CheckTwilioCredentials({"AC123", "with space 0123456789", "SK12", ""});
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) by_field[e.field] = e.message;
  EXPECT_TRUE(by_field.contains("account_sid"));
  EXPECT_NE(by_field["auth_token"].find("spaces"), std::string::npos);
  EXPECT_TRUE(by_field.contains("api_key_sid"));
  EXPECT_NE(by_field["api_key_secret"].find("both"), std::string::npos);
  for (const auto& e : errors) EXPECT_EQ(e.message.find("with space"), std::string::npos);
  EXPECT_EQ(CheckTwilioCredentials({kSid, "short", "", ""}).size(), 1u);
}

class TelephonyCredentialStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  TelephonyCredentialStoreTest() : tdb_(GetParam()), box_(kMaster), store_(box_) {}
  testing::TestDatabase tdb_;
  SecretBox box_;
  TelephonyCredentialStore store_;
};

TEST_P(TelephonyCredentialStoreTest, StoresSecretsSealedAndHandsBackOnlyHints) {
  const std::string key_sid = "SK0123456789abcdef0123456789abcdef";
  const std::string key_secret = "key-secret-0123456789abcdefWXYZ";
  {
    auto tx = tdb_.db().Begin(true);
    EXPECT_EQ(store_.Version(*tx), 0);
    EXPECT_FALSE(store_.Summary(*tx).has_value());
    auto none = store_.Load(*tx);
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
    store_.Put(*tx, {kSid, kToken, key_sid, key_secret}, 1000, "user:1:admin@x.in");
    tx->Commit();
  }
  auto tx = tdb_.db().Begin(true);
  // Nothing in the table holds a secret in the clear.
  auto raw = tx->Execute(
      "SELECT sealed_auth_token, sealed_api_key_secret, auth_token_hint, api_key_secret_hint "
      "FROM provider_credentials");
  ASSERT_EQ(raw.rows.size(), 1u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(raw.rows[0].GetText(i).find(kToken), std::string::npos);
    EXPECT_EQ(raw.rows[0].GetText(i).find(key_secret), std::string::npos);
  }
  auto summary = store_.Summary(*tx);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->account_sid, kSid);
  EXPECT_EQ(summary->auth_token_hint, "…cd7f");
  EXPECT_EQ(summary->api_key_sid, key_sid);
  EXPECT_EQ(summary->api_key_secret_hint, "…WXYZ");
  EXPECT_EQ(summary->updated_by, "user:1:admin@x.in");
  auto loaded = store_.Load(*tx);
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->auth_token, kToken);
  EXPECT_EQ((*loaded)->api_key_secret, key_secret);

  // A second save in the same millisecond still moves the version on.
  const int64_t before = store_.Version(*tx);
  store_.Put(*tx, {kSid, "another-token-0123456789abcdef", "", ""}, 1000, "system");
  EXPECT_GT(store_.Version(*tx), before);
  EXPECT_EQ(store_.Summary(*tx)->api_key_secret_hint, "");

  // Sealed under another data key: refused with a reason, not handed out as garbage.
  SecretBox other(std::string(32, 'z'));
  TelephonyCredentialStore elsewhere(other);
  auto foreign = elsewhere.Load(*tx);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().detail_code, kSecretUnreadable);

  EXPECT_TRUE(store_.Delete(*tx));
  EXPECT_FALSE(store_.Delete(*tx));
  EXPECT_EQ(store_.Version(*tx), 0);
  tx->Commit();
}

INSTANTIATE_TEST_SUITE_P(Engines, TelephonyCredentialStoreTest, testing::BothDialects());

}  // namespace
}  // namespace vaarta::settings
