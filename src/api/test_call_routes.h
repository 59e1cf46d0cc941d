#pragma once
// Test calls from the dashboard: talk to a campaign's agent by typing (calls/test_call.h).
#include "api/api_context.h"
#include "calls/test_call.h"

namespace vaarta::api {

void RegisterTestCallRoutes(ApiRouter& router, calls::TestCallService& test_calls);

}  // namespace vaarta::api
