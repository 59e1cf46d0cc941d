#pragma once
// JWT (RFC 7519) signed with HS256 only: tokens with any other "alg", including
// "none", are refused.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace vaarta::auth {

std::string SignJwtHs256(const nlohmann::json& claims, const std::string& secret);
// Checks signature, "alg", and "exp"/"nbf" against now_seconds; returns the claims.
core::Result<nlohmann::json> VerifyJwtHs256(const std::string& token, const std::string& secret,
                                            int64_t now_seconds);

}  // namespace vaarta::auth
