#include "calls/webhook_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace vaarta::calls {

namespace {

nlohmann::json ToJson(const SpooledWebhook& w) {
  nlohmann::json form = nlohmann::json::array();
  for (const auto& [k, v] : w.form) form.push_back({k, v});
  return {{"provider", w.provider},
          {"kind", w.kind},
          {"attempt_id", w.attempt_id},
          {"form", form},
          {"received_at", w.received_at}};
}

bool WriteDurably(const std::string& path, const std::string& data, bool append) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
  if (fd < 0) return false;
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

core::Status WebhookSpool::Append(const SpooledWebhook& webhook) {
  std::lock_guard lock(mutex_);
  if (!WriteDurably(path_, ToJson(webhook).dump() + "\n", true)) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "the webhook spool " + path_ + " cannot be written");
  }
  return core::Ok{};
}

std::vector<SpooledWebhook> WebhookSpool::ReadAll() {
  std::vector<SpooledWebhook> out;
  std::ifstream in(path_);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    // A line cut short by a crash mid-append is the only thing that can be malformed;
    // it was never acknowledged to the provider, which sends it again.
    if (!j.is_object()) continue;
    SpooledWebhook w;
    w.provider = j.value("provider", "");
    w.kind = j.value("kind", "");
    w.attempt_id = j.value("attempt_id", int64_t{0});
    w.received_at = j.value("received_at", int64_t{0});
    for (const auto& pair : j.value("form", nlohmann::json::array())) {
      if (pair.is_array() && pair.size() == 2) {
        w.form.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

int WebhookSpool::Replay(const std::function<bool(const SpooledWebhook&)>& apply) {
  std::lock_guard lock(mutex_);
  if (::access(path_.c_str(), F_OK) != 0) return 0;
  auto all = ReadAll();
  if (all.empty()) {
    std::remove(path_.c_str());
    return 0;
  }
  int applied = 0;
  std::string rest;
  for (const auto& w : all) {
    if (apply(w)) {
      ++applied;
    } else {
      rest += ToJson(w).dump() + "\n";
    }
  }
  if (rest.empty()) {
    std::remove(path_.c_str());
  } else if (applied > 0) {
    const std::string tmp = path_ + ".tmp";
    if (WriteDurably(tmp, rest, false)) std::rename(tmp.c_str(), path_.c_str());
  }
  return applied;
}

size_t WebhookSpool::size() {
  std::lock_guard lock(mutex_);
  return ReadAll().size();
}

}  // namespace vaarta::calls
