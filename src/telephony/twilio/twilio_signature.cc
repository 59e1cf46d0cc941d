#include "telephony/twilio/twilio_signature.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <tuple>

#include "core/crypto.h"

namespace vaarta::telephony::twilio {
namespace {

// Twilio's helper libraries sort names and values as JavaScript and Java strings compare:
// by UTF-16 code units. That differs from the byte order of UTF-8 only where characters
// U+E000..U+FFFF meet characters beyond U+FFFF (surrogate pairs sort below the former), so
// those are lifted above every supplementary code point before comparing.
std::vector<uint32_t> Utf16SortKey(std::string_view text) {
  std::vector<uint32_t> key;
  key.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = lead < 0x80             ? 1
                    : (lead & 0xE0) == 0xC0 ? 2
                    : (lead & 0xF0) == 0xE0 ? 3
                    : (lead & 0xF8) == 0xF0 ? 4
                                            : 0;
    uint32_t code_point = lead;
    if (length > 1 && i + length <= text.size()) {
      code_point = lead & (0x7F >> length);
      for (size_t k = 1; k < length; ++k) {
        code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      }
    } else {
      length = 1;  // Not UTF-8: the byte stands for itself; the HMAC signs bytes anyway.
    }
    if (code_point >= 0xE000 && code_point <= 0xFFFF) code_point += 0x200000;
    key.push_back(code_point);
    i += length;
  }
  return key;
}

// One POST parameter with the sort keys of its name and value, computed once.
struct SortableParam {
  std::vector<uint32_t> name_key;
  std::vector<uint32_t> value_key;
  const std::string* name;
  const std::string* value;

  // Bytes break ties, so that distinct malformed strings never count as one.
  auto Rank() const { return std::tie(name_key, *name, value_key, *value); }
};

// What twilio-node's splitUrl() finds: the "scheme://", the authority split into userinfo
// (with its "@"), host and ":port", and the rest of the URL. Nothing is normalised, so
// the characters Twilio signed stay as they were.
struct UrlParts {
  std::string_view scheme;
  std::string_view user_info;
  std::string_view host;
  std::string_view port;
  std::string_view rest;
};

std::optional<UrlParts> SplitUrl(std::string_view url) {
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (url.empty() || !is_alpha(url[0])) return std::nullopt;
  size_t i = 1;
  while (i < url.size() && (is_alpha(url[i]) || (url[i] >= '0' && url[i] <= '9') || url[i] == '+' ||
                            url[i] == '.' || url[i] == '-')) {
    ++i;
  }
  if (url.substr(i, 3) != "://") return std::nullopt;
  UrlParts parts;
  parts.scheme = url.substr(0, i + 3);
  const size_t authority_start = i + 3;
  const size_t authority_end = std::min(url.find_first_of("/?#", authority_start), url.size());
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  const size_t at = authority.rfind('@');
  const size_t host_start = at == std::string_view::npos ? 0 : at + 1;
  parts.user_info = authority.substr(0, host_start);
  const std::string_view host_and_port = authority.substr(host_start);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const size_t bracket = host_and_port.rfind(']');
  const size_t colon = host_and_port.find(':', bracket == std::string_view::npos ? 0 : bracket + 1);
  parts.host = host_and_port.substr(0, colon);
  parts.port = colon == std::string_view::npos ? std::string_view() : host_and_port.substr(colon);
  parts.rest = url.substr(authority_end);
  return parts;
}

std::string Join(const UrlParts& parts, std::string_view port) {
  std::string out;
  out.append(parts.scheme).append(parts.user_info).append(parts.host).append(port);
  out.append(parts.rest);
  return out;
}

std::string RemovePort(std::string_view url) {
  const std::optional<UrlParts> parts = SplitUrl(url);
  return parts ? Join(*parts, "") : std::string(url);
}

// Adds ":443" to https URLs and ":80" to any other scheme, as twilio-node does.
std::string AddPort(std::string_view url) {
  const std::optional<UrlParts> parts = SplitUrl(url);
  if (!parts || !parts->port.empty()) return std::string(url);
  std::string scheme(parts->scheme);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Join(*parts, scheme == "https://" ? ":443" : ":80");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding as URLSearchParams does it: '+' is a space,
// a '%' not followed by two hex digits stays as it is.
std::string FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The first value of `name` in the URL's query (before any fragment), decoded; "" when absent.
std::string QueryParameter(std::string_view url, std::string_view name) {
  const size_t question = url.find('?');
  if (question == std::string_view::npos) return "";
  std::string_view query = url.substr(question + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    if (FormDecode(pair.substr(0, equals)) != name) continue;
    return equals == std::string_view::npos ? "" : FormDecode(pair.substr(equals + 1));
  }
  return "";
}

}  // namespace

std::string ComputeSignature(std::string_view auth_token, std::string_view url,
                             const FormParams& params) {
  // Names sorted, and the values of a repeated name sorted with each distinct value signed
  // once: as twilio-node treats an array-valued parameter (and twilio-python a multi-valued
  // one).
  std::vector<SortableParam> sorted;
  sorted.reserve(params.size());
  for (const auto& [name, value] : params) {
    sorted.push_back({Utf16SortKey(name), Utf16SortKey(value), &name, &value});
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const SortableParam& a, const SortableParam& b) { return a.Rank() < b.Rank(); });
  std::string data(url);
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && *sorted[i].name == *sorted[i - 1].name &&
        *sorted[i].value == *sorted[i - 1].value) {
      continue;
    }
    data.append(*sorted[i].name).append(*sorted[i].value);
  }
  return core::Base64Encode(core::HmacSha1(auth_token, data));
}

bool ValidateSignature(std::string_view auth_token, std::string_view signature,
                       std::string_view url, const FormParams& params) {
  // Twilio signs the URL it called, which may or may not spell out the default port. Like
  // twilio-node, try it without any port and with the scheme's default port added; the URL
  // as received is always one of the two. (twilio-node then retries with the URL
  // re-encoded by WHATWG URL parsing; we do not, so we accept no more than it does.)
  bool valid = false;
  for (const std::string& candidate : {RemovePort(url), AddPort(url)}) {
    valid |= core::ConstantTimeEquals(signature, ComputeSignature(auth_token, candidate, params));
  }
  return valid;
}

std::string BodySha256Hex(std::string_view body) { return core::Sha256Hex(body); }

bool ValidateSignatureWithBody(std::string_view auth_token, std::string_view signature,
                               std::string_view url, std::string_view body) {
  const bool signature_valid = ValidateSignature(auth_token, signature, url, {});
  const bool body_valid =
      core::ConstantTimeEquals(QueryParameter(url, "bodySHA256"), BodySha256Hex(body));
  return signature_valid && body_valid;
}

}  // namespace vaarta::telephony::twilio
