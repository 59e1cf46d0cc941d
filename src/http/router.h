#pragma once
// Router: maps (method, path) to a handler, with "{name}" path parameters. Each route
// carries the facts other layers need: a name for metrics and audit, the minimum role,
// and whether it may run on the I/O thread.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"

namespace vaarta::http {

using Handler = std::function<Response(Request&)>;

// A live WebSocket connection as seen by application code. Thread-safe.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

// Application side of one WebSocket connection.
class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;
  virtual void OnMessage(const std::string& text) = 0;
  virtual void OnClose() = 0;
};

struct WebSocketRoute {
  // Decides whether to accept the upgrade: status 101 accepts, anything else is sent
  // back as the HTTP response. Runs on the worker pool.
  Handler authorize;
  // Called once accepted; the returned session receives the messages.
  std::function<std::shared_ptr<WebSocketSession>(const Request&, std::shared_ptr<WebSocketPeer>)>
      open;
};

struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string min_role;           // "public", "agent", "manager", "admin"
  std::string summary;            // one line for docs
  bool run_on_io_thread = false;  // only for handlers that never block
  bool quiet = false;             // access log at debug level (health checks, metrics)
  // > 0: the body is streamed to a file in the server's upload folder (Request::body_path)
  // instead of memory, up to this many bytes.
  int64_t upload_max_bytes = 0;
};

struct Route {
  RouteInfo info;
  Handler handler;
  std::optional<WebSocketRoute> websocket;
  std::vector<std::string> segments;  // pattern split on '/'
};

struct RouteMatch {
  const Route* route = nullptr;
  bool path_exists = false;  // some route has this path under another method (405)
  std::vector<std::string> allowed_methods;
};

class Router {
 public:
  void Add(RouteInfo info, Handler handler);
  void AddWebSocket(RouteInfo info, WebSocketRoute websocket);
  // The route for GET and HEAD requests that no other route matches (the dashboard's
  // files and its client-side routes).
  void SetFallback(RouteInfo info, Handler handler);
  // Fills request.path_params on a match.
  RouteMatch Match(const std::string& method, const std::string& path,
                   std::map<std::string, std::string>* params) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
  std::unique_ptr<Route> fallback_;
};

}  // namespace vaarta::http
