#pragma once
// Runs the real `vaarta` binary as a child process for integration tests.
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace vaarta::testing {

struct ProcessResult {
  int exit_code = -1;  // -signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs to completion (killed after timeout_seconds). `env` adds to/overrides the
// current environment; a value of "" removes the variable.
ProcessResult RunProcess(const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& stdin_text = "", int timeout_seconds = 60);

// A long-running child (a server), with its output captured to files.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env = {});
  ~ChildProcess();
  void Signal(int signal);
  // Waits for exit; returns the exit code (or -signal); -1000 on timeout.
  int Wait(int timeout_seconds);
  std::string Out() const;
  std::string Err() const;
  // Polls stdout until it contains `text`; false on timeout or early exit.
  bool WaitForOutput(const std::string& text, int timeout_seconds);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string dir_;
};

// A TCP port that was free a moment ago on 127.0.0.1.
int FreePort();

}  // namespace vaarta::testing
