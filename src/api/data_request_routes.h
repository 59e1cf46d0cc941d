#pragma once
// Data principals' requests and grievances with their deadlines (leads/data_request_book.h).
#include "api/api_context.h"
#include "leads/data_request_book.h"

namespace vaarta::api {

void RegisterDataRequestRoutes(ApiRouter& router, leads::DataRequestBook& book);

}  // namespace vaarta::api
