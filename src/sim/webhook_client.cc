#include "sim/webhook_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace vaarta::sim {
namespace {

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string Escape(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string FormEncode(const telephony::twilio::FormParams& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += Escape(name) + "=" + Escape(value);
  }
  return out;
}

struct WebhookClient::Impl {
  CURL* curl = nullptr;
  int timeout_ms = 10000;
};

WebhookClient::WebhookClient(int timeout_ms) : impl_(std::make_unique<Impl>()) {
  // Reference-counted and thread-safe since curl 7.84; paired with the destructor.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  impl_->curl = curl_easy_init();
  impl_->timeout_ms = std::max(1, timeout_ms);
}

WebhookClient::~WebhookClient() {
  if (impl_->curl != nullptr) curl_easy_cleanup(impl_->curl);
  curl_global_cleanup();
}

core::Result<WebhookResponse> WebhookClient::Send(const std::string& method, const std::string& url,
                                                  const telephony::twilio::FormParams& params,
                                                  const std::string& auth_token,
                                                  const std::string& idempotency_token) {
  CURL* c = impl_->curl;
  if (c == nullptr) {
    return core::MakeError(core::ErrorCode::kInternal, "libcurl could not start a request");
  }
  curl_easy_reset(c);
  const bool get = method == "GET";
  std::string target = url;
  const std::string form = FormEncode(params);
  if (get && !form.empty()) target += (url.find('?') == std::string::npos ? "?" : "&") + form;
  // Twilio signs a GET over the URL with its query, and a POST over URL plus parameters.
  const std::string signature = telephony::twilio::ComputeSignature(
      auth_token, target, get ? telephony::twilio::FormParams{} : params);

  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("X-Twilio-Signature: " + signature).c_str());
  headers =
      curl_slist_append(headers, ("I-Twilio-Idempotency-Token: " + idempotency_token).c_str());
  headers = curl_slist_append(headers, "Accept: */*");
  headers = curl_slist_append(headers, "Expect:");
  if (!get) headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded");

  WebhookResponse response;
  curl_easy_setopt(c, CURLOPT_URL, target.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (get) {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(form.size()));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "TwilioProxy/1.1");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(impl_->timeout_ms));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(impl_->timeout_ms, 5000)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           std::string("could not reach ") + url + ": " + curl_easy_strerror(rc));
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  char* content_type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) {
    std::string type = content_type;
    type = type.substr(0, type.find(';'));
    for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    response.content_type = type;
  }
  return response;
}

}  // namespace vaarta::sim
