#pragma once
// FakeSimEngine: an in-memory SimEngine for tests of the simulator's REST front and of the
// Twilio client: it keeps what it was asked and answers with plain resources, without
// placing calls. Thread-safe (the HTTP server calls it from its workers).
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/sim_engine.h"

namespace vaarta::sim {

class FakeSimEngine : public SimEngine {
 public:
  static constexpr int64_t kNow = 1281427337000;  // Tue, 10 Aug 2010 08:02:17 +0000

  core::Result<SimCallView> CreateCall(const CreateCallParams& params) override {
    std::lock_guard lock(mutex_);
    if (create_error_) return *create_error_;
    created_.push_back(params);
    SimCallView call;
    call.sid = Sid("CA", ++next_);
    call.account_sid = params.account_sid;
    call.to = params.to;
    call.from = params.from;
    call.status = "queued";
    call.date_created_ms = call.date_updated_ms = kNow;
    calls_[call.sid] = call;
    return call;
  }
  core::Result<SimCallView> UpdateCall(const std::string& account_sid, const std::string& call_sid,
                                       const UpdateCallParams& params) override {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_sid);
    if (it == calls_.end() || it->second.account_sid != account_sid) {
      return core::MakeError(core::ErrorCode::kNotFound, "no such call");
    }
    updates_.push_back(params);
    if (params.status) {
      it->second.status = *params.status;
      it->second.end_time_ms = kNow + 5000;
      it->second.duration_seconds = 5;
    }
    return it->second;
  }
  std::optional<SimCallView> FetchCall(const std::string& account_sid,
                                       const std::string& call_sid) const override {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_sid);
    if (it == calls_.end() || it->second.account_sid != account_sid) return std::nullopt;
    return it->second;
  }
  std::vector<SimCallView> ListCalls(const std::string& account_sid) const override {
    std::lock_guard lock(mutex_);
    std::vector<SimCallView> out;
    for (const auto& [sid, call] : calls_) {
      if (call.account_sid == account_sid) out.push_back(call);
    }
    return out;
  }
  std::vector<SimRecordingView> ListRecordings(const std::string& account_sid,
                                               const std::string& call_sid) const override {
    std::lock_guard lock(mutex_);
    std::vector<SimRecordingView> out;
    for (const auto& [sid, rec] : recordings_) {
      if (rec.account_sid == account_sid && (call_sid.empty() || rec.call_sid == call_sid)) {
        out.push_back(rec);
      }
    }
    return out;
  }
  std::optional<SimRecordingView> FetchRecording(const std::string& account_sid,
                                                 const std::string& recording_sid) const override {
    std::lock_guard lock(mutex_);
    auto it = recordings_.find(recording_sid);
    if (it == recordings_.end() || it->second.account_sid != account_sid) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> RecordingWav(const std::string& account_sid,
                                          const std::string& recording_sid) const override {
    if (!FetchRecording(account_sid, recording_sid)) return std::nullopt;
    return std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16) + recording_sid;
  }
  bool DeleteRecording(const std::string& account_sid, const std::string& recording_sid) override {
    std::lock_guard lock(mutex_);
    auto it = recordings_.find(recording_sid);
    if (it == recordings_.end() || it->second.account_sid != account_sid) return false;
    recordings_.erase(it);
    return true;
  }
  core::Result<SimMessageView> CreateMessage(const std::string& account_sid, const std::string& to,
                                             const std::string& from, const std::string& body,
                                             const std::string&) override {
    std::lock_guard lock(mutex_);
    SimMessageView m;
    m.sid = Sid("SM", ++next_);
    m.account_sid = account_sid;
    m.to = to;
    m.from = from;
    m.body = body;
    m.date_created_ms = kNow;
    messages_.push_back(m);
    return m;
  }
  std::vector<SimTurn> Transcript(const std::string& call_sid) const override {
    std::lock_guard lock(mutex_);
    auto it = transcripts_.find(call_sid);
    return it == transcripts_.end() ? std::vector<SimTurn>{} : it->second;
  }

  // Test set-up and inspection.
  std::string AddRecording(const std::string& account_sid, const std::string& call_sid) {
    std::lock_guard lock(mutex_);
    SimRecordingView r;
    r.sid = Sid("RE", ++next_);
    r.account_sid = account_sid;
    r.call_sid = call_sid;
    r.status = "completed";
    r.channels = 2;
    r.channels_text = "2";
    r.duration_seconds = 42;
    r.date_created_ms = kNow;
    recordings_[r.sid] = r;
    return r.sid;
  }
  void SetTranscript(const std::string& call_sid, std::vector<SimTurn> turns) {
    std::lock_guard lock(mutex_);
    transcripts_[call_sid] = std::move(turns);
  }
  void FailCreate(core::Error error) {
    std::lock_guard lock(mutex_);
    create_error_ = std::move(error);
  }
  std::vector<CreateCallParams> created() const {
    std::lock_guard lock(mutex_);
    return created_;
  }
  std::vector<UpdateCallParams> updates() const {
    std::lock_guard lock(mutex_);
    return updates_;
  }
  std::vector<SimMessageView> messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  static std::string Sid(const char* prefix, int n) {
    char buffer[40];
    std::snprintf(buffer, sizeof(buffer), "%s%032x", prefix, n);
    return buffer;
  }

  mutable std::mutex mutex_;
  int next_ = 0;
  std::optional<core::Error> create_error_;
  std::map<std::string, SimCallView> calls_;
  std::map<std::string, SimRecordingView> recordings_;
  std::map<std::string, std::vector<SimTurn>> transcripts_;
  std::vector<CreateCallParams> created_;
  std::vector<UpdateCallParams> updates_;
  std::vector<SimMessageView> messages_;
};

}  // namespace vaarta::sim
