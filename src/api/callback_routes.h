#pragma once
// Callbacks over HTTP: a person books one for a lead of a campaign (agent), moved by the
// pre-dial gate to the earliest instant the campaign may call; a campaign's callbacks
// are listed with their state.
#include "api/api_context.h"
#include "dialer/callback_book.h"

namespace vaarta::api {

void RegisterCallbackRoutes(ApiRouter& router, dialer::CallbackBook& book);

}  // namespace vaarta::api
