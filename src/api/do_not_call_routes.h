#pragma once
// The do-not-call list over HTTP: list and add (manager), check a number (agent, before
// dialling by hand), remove with a reason (admin). The list's own service writes the
// audit records, inside the same transaction as each change.
#include <string>

#include "api/api_context.h"
#include "compliance/do_not_call_list.h"

namespace vaarta::api {

void RegisterDoNotCallRoutes(ApiRouter& router, compliance::DoNotCallList& list);

// Who is calling, as the compliance services record it.
compliance::Actor ComplianceActor(const ApiRequest& req);
// A phone number from the query string. An unencoded '+' arrives as a space (the form
// encoding of query strings), so a leading space before digits is read as '+'.
std::string PhoneFromQuery(const http::Request& request, const std::string& name);

}  // namespace vaarta::api
