#pragma once
// Actions on a call in progress from the live monitor: "Take over" hands the callee to the
// campaign's people now (calls/call_flow.h). Registered whatever the telephony, so the API
// is the same everywhere; without a real provider the action says why it cannot be done.
#include <functional>
#include <string>

#include "api/api_context.h"
#include "core/result.h"

namespace vaarta::api {

// (attempt id, who) -> the number the call was connected to.
using TakeOverCall = std::function<core::Result<std::string>(int64_t, const std::string&)>;

void RegisterLiveCallRoutes(ApiRouter& router, TakeOverCall take_over);

}  // namespace vaarta::api
