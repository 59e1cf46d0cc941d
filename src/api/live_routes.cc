#include "api/routes.h"

namespace vaarta::api {
namespace {

// One dashboard connection: subscribed to the topics its role may see.
class LiveSession final : public http::WebSocketSession {
 public:
  LiveSession(http::LiveFeed& feed, std::shared_ptr<http::WebSocketPeer> peer, auth::Role role)
      : feed_(feed), peer_(peer) {
    id_ = feed_.Subscribe(peer, [role](const std::string& topic) {
      // The audit stream names people and addresses: admins only.
      if (topic == "audit") return role == auth::Role::kAdmin;
      // Import jobs are managers' business, like GET /api/v1/imports.
      if (topic == "import") return auth::RoleAtLeast(role, auth::Role::kManager);
      return true;
    });
    nlohmann::json hello = {{"topic", "hello"}, {"data", {{"role", auth::RoleName(role)}}}};
    peer->Send(hello.dump());
  }
  void OnMessage(const std::string& text) override {
    if (text == "ping") peer_->Send(R"({"topic":"pong","data":{}})");
  }
  void OnClose() override { feed_.Unsubscribe(id_); }

 private:
  http::LiveFeed& feed_;
  std::shared_ptr<http::WebSocketPeer> peer_;
  http::LiveFeed::SubscriptionId id_ = 0;
};

}  // namespace

void RegisterLiveRoutes(ApiRouter& router) {
  ApiServices& s = router.services();
  router.AddWebSocket({"GET", "/api/v1/live", auth::Role::kAgent,
                       "WebSocket feed of live events (audit records for admins)"},
                      [&s](const auth::Caller& caller, std::shared_ptr<http::WebSocketPeer> peer) {
                        return std::make_shared<LiveSession>(s.live, std::move(peer), caller.role);
                      });
}

}  // namespace vaarta::api
