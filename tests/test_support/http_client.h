#pragma once
// A small synchronous HTTP/1.1 client for tests, speaking to servers on loopback.
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace vaarta::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body); }
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class HttpClient {
 public:
  HttpClient(std::string host, int port);
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;

  HttpResult Request(const std::string& method, const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& target, const std::string& token = "");
  HttpResult Delete(const std::string& target, const std::string& token = "");
  HttpResult Post(const std::string& target, const nlohmann::json& body,
                  const std::string& token = "");
  HttpResult Put(const std::string& target, const nlohmann::json& body,
                 const std::string& token = "");
  HttpResult Patch(const std::string& target, const nlohmann::json& body,
                   const std::string& token = "");

  // Sends raw bytes on a fresh connection and returns everything the server sends back
  // until it closes (or `timeout_ms` passes).
  std::string Raw(const std::string& bytes, int timeout_ms = 3000);

 private:
  HttpResult WithJson(const std::string& method, const std::string& target,
                      const nlohmann::json& body, const std::string& token);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vaarta::testing
