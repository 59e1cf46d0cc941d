#pragma once
// The do-not-call list over HTTP: list and add (manager), check a number (agent, before
// dialling by hand), remove with a reason (admin). The list's own service writes the
// audit records, inside the same transaction as each change.
#include <functional>
#include <string>

#include "api/api_context.h"
#include "compliance/do_not_call_list.h"
#include "leads/do_not_call_import.h"

namespace vaarta::api {

void RegisterDoNotCallRoutes(ApiRouter& router, compliance::DoNotCallList& list);

// POST /api/v1/do-not-call/import (manager): a file of numbers, added in one transaction.
using DncFileImporter = std::function<core::Result<leads::DncImportSummary>(
    const std::string& path, const std::string& reason, const compliance::Actor& actor)>;
void RegisterDoNotCallImportRoute(ApiRouter& router, DncFileImporter importer,
                                  int64_t max_upload_bytes);

// Who is calling, as the compliance services record it.
compliance::Actor ComplianceActor(const ApiRequest& req);
// A phone number from the query string. An unencoded '+' arrives as a space (the form
// encoding of query strings), so a leading space before digits is read as '+'.
std::string PhoneFromQuery(const http::Request& request, const std::string& name);

}  // namespace vaarta::api
