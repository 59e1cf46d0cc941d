#pragma once
// The dashboard's overview: one India day of calls at a glance (placed, answered,
// conversions, opt-outs, by outcome and by hour) and the calls in progress now.
#include "api/api_context.h"

namespace vaarta::api {

void RegisterOverviewRoutes(ApiRouter& router);

}  // namespace vaarta::api
