#pragma once
// Test calls from the dashboard: talk to a campaign's agent by typing (calls/test_call.h).
#include "api/api_context.h"
#include "calls/test_call.h"

#include <functional>
#include <memory>

namespace vaarta::api {

// The scripted callees a simulated test call may use (the composition root supplies the
// telephony simulator's personas).
struct TestCallPersonas {
  nlohmann::json list;  // [{"name", "language"}]
  std::function<std::unique_ptr<calls::ScriptedCallee>(const std::string& name)> make;
};

void RegisterTestCallRoutes(ApiRouter& router, calls::TestCallService& test_calls,
                            TestCallPersonas personas);

}  // namespace vaarta::api
