#include "http/live_feed.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace vaarta::http {

LiveFeed::SubscriptionId LiveFeed::Subscribe(std::shared_ptr<WebSocketPeer> peer,
                                             std::function<bool(const std::string&)> filter) {
  std::lock_guard lock(mutex_);
  SubscriptionId id = next_id_++;
  subscribers_[id] = Subscriber{std::move(peer), std::move(filter)};
  return id;
}

void LiveFeed::Unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

void LiveFeed::Publish(const std::string& topic, const std::string& data_json) {
  std::string message =
      "{\"topic\":" + nlohmann::json(topic).dump() + ",\"data\":" + data_json + "}";
  std::vector<std::shared_ptr<WebSocketPeer>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, s] : subscribers_) {
      if (!s.filter || s.filter(topic)) targets.push_back(s.peer);
    }
  }
  for (auto& peer : targets) peer->Send(message);
}

size_t LiveFeed::subscriber_count() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace vaarta::http
