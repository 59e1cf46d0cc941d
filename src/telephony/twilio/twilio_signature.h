#pragma once
// Twilio's request signatures (X-Twilio-Signature): base64 of HMAC-SHA1, keyed with the
// account's auth token, over the full URL Twilio called followed by every POST parameter
// as name+value, sorted by name. JSON-body webhooks instead carry the hex SHA-256 of the
// body in the URL's `bodySHA256` query parameter, and the signature covers the URL alone.
// The simulator signs with these functions and the webhook routes verify with them.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vaarta::telephony::twilio {

using FormParams = std::vector<std::pair<std::string, std::string>>;

// The signature Twilio would send for this request.
std::string ComputeSignature(std::string_view auth_token, std::string_view url,
                             const FormParams& params);

// True when `signature` is valid for the form-encoded request. Like Twilio's helper
// libraries, also accepts the URL with the scheme's default port added or removed.
// Compares in constant time.
bool ValidateSignature(std::string_view auth_token, std::string_view signature,
                       std::string_view url, const FormParams& params);

// Lower-case hex SHA-256 of a request body.
std::string BodySha256Hex(std::string_view body);

// True when `signature` is valid for a JSON-body request: the URL (carrying
// bodySHA256) is signed with no parameters, and bodySHA256 matches the body.
bool ValidateSignatureWithBody(std::string_view auth_token, std::string_view signature,
                               std::string_view url, std::string_view body);

}  // namespace vaarta::telephony::twilio
