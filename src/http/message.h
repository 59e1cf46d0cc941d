#pragma once
// Request and Response as plain values, so that API handlers never see Beast types.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vaarta::http {

struct Request {
  std::string method;                              // "GET", "POST", ...
  std::string target;                              // path and query as received
  std::string path;                                // decoded path, no query
  std::map<std::string, std::string> query;        // decoded; last value wins
  std::map<std::string, std::vector<std::string>> query_all;  // every value of repeated keys
  std::map<std::string, std::string> headers;      // lower-case names
  std::map<std::string, std::string> path_params;  // from the route pattern
  std::string body;
  // Upload routes: the file holding the body. The server deletes it after the handler
  // returns; a handler that keeps the upload moves it elsewhere first.
  std::string body_path;
  std::string remote_address;
  std::string request_id;
  std::string route_pattern;  // the matched pattern, e.g. "/api/v1/users/{id}"

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  std::string PathParam(const std::string& name) const {
    auto it = path_params.find(name);
    return it == path_params.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8") {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
  }
};

// Decodes %XX and (in query strings) '+'; false on a malformed escape.
bool PercentDecode(const std::string& in, bool plus_is_space, std::string* out);
// Splits "a=1&b=2" into a map; false on a malformed escape.
bool ParseQueryString(const std::string& query, std::map<std::string, std::string>* out,
                      std::map<std::string, std::vector<std::string>>* all = nullptr);

}  // namespace vaarta::http
