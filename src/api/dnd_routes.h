#pragma once
// The DND registry over HTTP: check numbers (agent), see the registry's status
// (manager), and accept a stale registry for today (admin, with a reason; audited).
// Loading a registry file is an operator's job on the server: 'vaarta dnd load'.
#include "api/api_context.h"
#include "compliance/dnd_registry.h"
#include "leads/phone/phone_normalizer.h"

namespace vaarta::api {

void RegisterDndRoutes(ApiRouter& router, compliance::DndRegistry& registry,
                       const leads::PhoneNormalizer& phones);

}  // namespace vaarta::api
