// The spool stores a webhook's kind by name; replaying it reads the name back.
#include <gtest/gtest.h>

#include "calls/call_state_service.h"

namespace vaarta::calls {
namespace {

using telephony::WebhookKind;

TEST(WebhookKindName, EveryKindReadsBackFromItsName) {
  for (WebhookKind kind : {WebhookKind::kVoice, WebhookKind::kStatus, WebhookKind::kAmd,
                           WebhookKind::kGather, WebhookKind::kRecording,
                           WebhookKind::kConnectEnd, WebhookKind::kDialEnd}) {
    auto parsed = ParseWebhookKindName(WebhookKindName(kind));
    ASSERT_TRUE(parsed) << WebhookKindName(kind);
    EXPECT_EQ(*parsed, kind);
  }
}

TEST(WebhookKindName, OtherTextIsNoKind) {
  EXPECT_FALSE(ParseWebhookKindName(""));
  EXPECT_FALSE(ParseWebhookKindName("Status"));
  EXPECT_FALSE(ParseWebhookKindName("connect-end"));  // the URL's spelling, not the stored one
}

}  // namespace
}  // namespace vaarta::calls
