#pragma once
// Outbound webhook endpoints in Settings (webhooks/webhook_book.h): admin-only; the signing
// secret is shown once, when the endpoint is made; deliveries can be watched and a failed
// one sent again; a test event checks an endpoint.
#include "api/api_context.h"
#include "webhooks/webhook_book.h"

namespace vaarta::api {

void RegisterWebhookRoutes(ApiRouter& router, webhooks::WebhookBook& book);

}  // namespace vaarta::api
