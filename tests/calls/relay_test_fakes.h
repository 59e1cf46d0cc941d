#pragma once
// Fakes shared by the ConversationRelay tests: a scripted conversation, a resolver, a sink
// that records what it was told, and a scheduler whose time moves only when told to.
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "calls/relay_scheduler.h"
#include "calls/relay_session.h"

namespace vaarta::testing {

// Replies by what it hears: `replies[text or digits]`, else `fallback`.
class ScriptedConversation final : public conversation::ConversationSession {
 public:
  ScriptedConversation(conversation::AgentTurn opening,
                       std::map<std::string, conversation::AgentTurn> replies,
                       conversation::AgentTurn fallback, std::vector<std::string>* heard)
      : opening_(std::move(opening)),
        replies_(std::move(replies)),
        fallback_(std::move(fallback)),
        heard_(heard) {}
  conversation::AgentTurn Open() override { return opening_; }
  conversation::AgentTurn Hear(const conversation::Utterance& u) override {
    std::string key = u.digits.empty() ? u.text : "#" + u.digits;
    heard_->push_back(key);
    auto it = replies_.find(key);
    return it == replies_.end() ? fallback_ : it->second;
  }
  nlohmann::json SaveState() const override { return nlohmann::json::object(); }

 private:
  conversation::AgentTurn opening_;
  std::map<std::string, conversation::AgentTurn> replies_;
  conversation::AgentTurn fallback_;
  std::vector<std::string>* heard_;
};

inline conversation::AgentTurn Turn(std::vector<std::string> lines, std::string language = "en") {
  conversation::AgentTurn t;
  t.lines = std::move(lines);
  t.language = std::move(language);
  t.step = "step";
  return t;
}

// Everything the session did that the tests look at, in one ordered log.
class EventLog {
 public:
  void Add(std::string event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    cv_.notify_all();
  }
  std::vector<std::string> Events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  int Count(const std::string& prefix) const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& e : events_) n += e.rfind(prefix, 0) == 0;
    return n;
  }
  // Waits (up to 10 s) until an event starting with `prefix` is logged.
  bool WaitFor(const std::string& prefix) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] {
      for (const auto& e : events_) {
        if (e.rfind(prefix, 0) == 0) return true;
      }
      return false;
    });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

class FakeResolver final : public calls::RelayCallResolver {
 public:
  explicit FakeResolver(std::function<std::unique_ptr<conversation::ConversationSession>()> make)
      : make_(std::move(make)) {}
  core::Result<calls::RelayCallBinding> Resolve(const std::string& call_sid,
                                                const nlohmann::json& custom) override {
    std::lock_guard lock(mutex_);
    call_sids.push_back(call_sid);
    custom_parameters.push_back(custom);
    if (call_sid == "CAunknown") return core::MakeError(core::ErrorCode::kNotFound, "no call");
    calls::RelayCallBinding binding;
    binding.context.attempt_id = 42;
    binding.context.lead_id = 7;
    binding.context.language = "en";
    binding.session = make_();
    return binding;
  }
  std::mutex mutex_;
  std::vector<std::string> call_sids;
  std::vector<nlohmann::json> custom_parameters;

 private:
  std::function<std::unique_ptr<conversation::ConversationSession>()> make_;
};

class FakeSink final : public calls::RelayTurnSink {
 public:
  explicit FakeSink(EventLog& log) : log_(log) {}
  core::Status BeforeSpeaking(const conversation::CallContext& context,
                              const conversation::AgentTurn& turn) override {
    log_.Add("before:" + turn.action + ":" + std::to_string(context.attempt_id));
    if (fail_actions) return core::MakeError(core::ErrorCode::kUnavailable, "database down");
    return core::Ok{};
  }
  void Transcript(int64_t attempt_id, calls::CallTurn turn) override {
    log_.Add("transcript:" + turn.speaker + ":" + turn.text + "|" + turn.language + "|" +
             turn.intent + "|" + std::to_string(attempt_id));
  }
  void Ended(const conversation::CallContext& context,
             const std::optional<dialer::Disposition>& disposition,
             const std::string& reason) override {
    log_.Add("ended:" + reason + ":" +
             (disposition ? std::string(dialer::DispositionName(*disposition)) : "none") + ":" +
             std::to_string(context.attempt_id));
  }
  bool fail_actions = false;

 private:
  EventLog& log_;
};

class ManualScheduler final : public calls::RelayScheduler {
 public:
  int64_t NowMs() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void At(int64_t at_ms, std::function<void()> task) override {
    std::lock_guard lock(mutex_);
    tasks_.emplace(at_ms, std::move(task));
  }
  // Moves time forward and runs the tasks that fell due (and those they arm that are due).
  void Advance(int64_t ms) {
    {
      std::lock_guard lock(mutex_);
      now_ += ms;
    }
    while (true) {
      std::function<void()> task;
      {
        std::lock_guard lock(mutex_);
        if (tasks_.empty() || tasks_.begin()->first > now_) return;
        task = std::move(tasks_.begin()->second);
        tasks_.erase(tasks_.begin());
      }
      task();
    }
  }

 private:
  mutable std::mutex mutex_;
  int64_t now_ = 1'000'000;
  std::multimap<int64_t, std::function<void()>> tasks_;
};

}  // namespace vaarta::testing
