#pragma once
// ParseTwiml: reads the TwiML our server answers with into a CallControlDocument, the way
// Twilio's document parser would judge it, so the simulator executes exactly what a real
// call would and rejects what Twilio would reject.
#include <string_view>

#include "core/result.h"
#include "telephony/call_control.h"

namespace vaarta::sim {

// Twilio's error codes for documents it cannot run.
inline constexpr char kTwimlParseFailure[] = "12100";     // not well-formed XML
inline constexpr char kTwimlSchemaViolation[] = "12200";  // well-formed, but not TwiML

// Errors are kInvalidArgument with detail_code 12100 or 12200 and a message that names
// the line and the problem ("line 3: <Gather> cannot contain <Dial>").
core::Result<telephony::CallControlDocument> ParseTwiml(std::string_view xml);

}  // namespace vaarta::sim
