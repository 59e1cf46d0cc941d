#pragma once
// TwiML rendering of provider-neutral call-control documents (telephony/call_control.h).
// The output is what Twilio's own helper libraries (twilio-node's VoiceResponse) produce for
// the same verbs: the same element and attribute names, booleans as "true"/"false", and
// every text and attribute value escaped. tests/twilio_npm checks that agreement.
//
// Attributes follow the "not set" conventions of call_control.h and are omitted then:
// empty strings, zero for optional counts and durations, loop == 1 (Twilio's default).
// Each verb's `method` is written only alongside its `action` (Redirect: always), since it
// means nothing without one. Booleans and Gather/Dial timeouts are always written, so the
// document never depends on Twilio's defaults where ours differ.
#include <string>

#include "telephony/call_control.h"

namespace vaarta::telephony::twilio {

// `<?xml version="1.0" encoding="UTF-8"?><Response>...</Response>`, on one line.
// ConversationRelay <Language> settings whose names are not XML names are left out.
std::string RenderTwiml(const CallControlDocument& document);

}  // namespace vaarta::telephony::twilio
