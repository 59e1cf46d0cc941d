#pragma once
// RelayClient: the simulator's side of a ConversationRelay WebSocket. The simulator
// dials our server's relay URL like Twilio does and speaks Twilio's JSON messages over
// it (setup, prompt, interrupt, dtmf out; text, play, sendDigits, language, end in).
// Blocking, one per simulated call on that call's thread; Boost.Beast stays in the .cc.
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace vaarta::sim {

class RelayClient {
 public:
  virtual ~RelayClient() = default;
  // ws://host:port/path?query (wss:// is refused: the simulator talks to loopback).
  // `headers` go on the upgrade request (X-Twilio-Signature).
  static core::Result<std::unique_ptr<RelayClient>> Connect(
      const std::string& url, const std::map<std::string, std::string>& headers, int timeout_ms);

  virtual core::Status Send(const std::string& text) = 0;
  // The next text message; nullopt when none arrived within timeout_ms; an error
  // (kUnavailable) once the connection is closed.
  virtual core::Result<std::optional<std::string>> Receive(int timeout_ms) = 0;
  // Closes with a normal close frame.
  virtual void Close() = 0;
  // Drops the TCP connection without a close frame (the websocket_drop fault).
  virtual void Abort() = 0;
};

}  // namespace vaarta::sim
