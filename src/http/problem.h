#pragma once
// RFC 9457 problem details: every API error is one of these, with a stable `code`.
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace vaarta::http {

Response Problem(int status, const std::string& code, const std::string& detail);
// Maps a domain error to its HTTP status and renders it.
Response ProblemFromError(const core::Error& error);
int StatusForError(core::ErrorCode code);
const char* StatusTitle(int status);

}  // namespace vaarta::http
