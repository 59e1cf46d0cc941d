#pragma once
// The consent ledger over HTTP: record a consent and list consents (manager), and
// withdraw one (agent: the person asks during a call, and withdrawing must be as easy
// as giving). The ledger writes the audit records with each change.
#include "api/api_context.h"
#include "compliance/consent_ledger.h"

namespace vaarta::api {

void RegisterConsentRoutes(ApiRouter& router, compliance::ConsentLedger& ledger);

}  // namespace vaarta::api
