#include "http/router.h"

#include <stdexcept>

namespace vaarta::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool PercentDecode(const std::string& in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseQueryString(const std::string& query, std::map<std::string, std::string>* out,
                      std::map<std::string, std::vector<std::string>>* all) {
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string::npos && !PercentDecode(pair.substr(eq + 1), true, &value)) return false;
    if (all) (*all)[key].push_back(value);
    (*out)[key] = std::move(value);
  }
  return true;
}

void Router::Add(RouteInfo info, Handler handler) {
  if (info.pattern.empty() || info.pattern[0] != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + info.pattern);
  }
  for (const auto& r : routes_) {
    if (r->info.method == info.method && r->info.pattern == info.pattern) {
      throw std::invalid_argument("duplicate route " + info.method + " " + info.pattern);
    }
  }
  auto route = std::make_unique<Route>();
  route->segments = Split(info.pattern);
  route->info = std::move(info);
  route->handler = std::move(handler);
  routes_.push_back(std::move(route));
}

void Router::AddWebSocket(RouteInfo info, WebSocketRoute websocket) {
  Add(info, websocket.authorize);
  routes_.back()->websocket = std::move(websocket);
}

void Router::SetFallback(RouteInfo info, Handler handler) {
  fallback_ = std::make_unique<Route>();
  fallback_->info = std::move(info);
  fallback_->handler = std::move(handler);
}

RouteMatch Router::Match(const std::string& method, const std::string& path,
                         std::map<std::string, std::string>* params) const {
  RouteMatch match;
  if (path.empty() || path[0] != '/') return match;
  std::vector<std::string> segments = Split(path);
  for (const auto& route : routes_) {
    if (route->segments.size() != segments.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const std::string& expected = route->segments[i];
      if (IsParam(expected)) {
        if (segments[i].empty())
          ok = false;
        else
          found[expected.substr(1, expected.size() - 2)] = segments[i];
      } else if (expected != segments[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    bool method_ok =
        route->info.method == method || (method == "HEAD" && route->info.method == "GET");
    if (method_ok) {
      // A literal route wins over a parameter route for the same path.
      bool literal = route->info.pattern.find('{') == std::string::npos;
      if (!match.route || literal) {
        match.route = route.get();
        if (params) *params = found;
      }
      if (literal) return match;
    } else {
      match.path_exists = true;
      match.allowed_methods.push_back(route->info.method);
    }
  }
  if (!match.route && !match.path_exists && fallback_ && (method == "GET" || method == "HEAD")) {
    match.route = fallback_.get();
    if (params) params->clear();
  }
  return match;
}

}  // namespace vaarta::http
