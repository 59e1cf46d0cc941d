#pragma once
// LiveFeed: in-process publish/subscribe from domain events to WebSocket peers
// (dashboard live views). Publishing never blocks on a slow peer: the peer's own queue
// absorbs bursts and drops the peer when it falls too far behind.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/router.h"

namespace vaarta::http {

class LiveFeed {
 public:
  using SubscriptionId = uint64_t;
  // `filter` decides per message whether this subscriber may see it (e.g. by role).
  SubscriptionId Subscribe(std::shared_ptr<WebSocketPeer> peer,
                           std::function<bool(const std::string& topic)> filter);
  void Unsubscribe(SubscriptionId id);
  // Sends {"topic": topic, "data": <data_json>} to every subscriber whose filter allows it.
  void Publish(const std::string& topic, const std::string& data_json);
  size_t subscriber_count() const;

 private:
  struct Subscriber {
    std::shared_ptr<WebSocketPeer> peer;
    std::function<bool(const std::string&)> filter;
  };
  mutable std::mutex mutex_;
  SubscriptionId next_id_ = 1;
  std::unordered_map<SubscriptionId, Subscriber> subscribers_;
};

}  // namespace vaarta::http
