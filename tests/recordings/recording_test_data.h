#pragma once
// Rows the recordings table refers to (a lead, a campaign, a call attempt), and a fake
// telephony provider that serves and deletes recordings, for the recordings tests.
#include <functional>
#include <map>
#include <set>
#include <string>

#include "storage/database.h"
#include "telephony/telephony_provider.h"

namespace vaarta::recordings::testdata {

struct SeededCall {
  int64_t lead_id = 0;
  int64_t attempt_id = 0;
};

// A lead with `phone` and one call attempt for it (in a campaign made on first use).
inline SeededCall SeedCall(storage::Database& db, const std::string& phone) {
  return storage::InTransaction(db, [&](storage::Transaction& tx) {
    using storage::Int;
    using storage::Text;
    auto campaign = tx.Execute("SELECT id FROM campaigns WHERE name = 'recordings'").rows;
    int64_t campaign_id =
        campaign.empty()
            ? tx.Execute(
                    "INSERT INTO campaigns (name, state, config, created_at, created_by, "
                    "updated_at) VALUES ('recordings', 'running', '{}', 1, 'test', 1) "
                    "RETURNING id")
                  .rows[0]
                  .GetInt(0)
            : campaign[0].GetInt(0);
    SeededCall call;
    call.lead_id = tx.Execute(
                         "INSERT INTO leads (phone_e164, source_kind, created_at, updated_at) "
                         "VALUES ($1, 'api', 1, 1) RETURNING id",
                         {Text(phone)})
                       .rows[0]
                       .GetInt(0);
    call.attempt_id =
        tx.Execute(
              "INSERT INTO call_attempts (campaign_id, lead_id, placed_at, local_offset_minutes, "
              "status, provider, worker, lease_until) VALUES ($1, $2, 1, 330, 'finished', "
              "'fake', 'w1', 0) RETURNING id",
              {Int(campaign_id), Int(call.lead_id)})
            .rows[0]
            .GetInt(0);
    return call;
  });
}

// Serves the recordings it was given; fails on demand.
class FakeRecordingProvider final : public telephony::TelephonyProvider {
 public:
  std::string name() const override { return "fake"; }
  std::string account_id() const override { return "AC1"; }
  double max_calls_per_second() const override { return 1; }
  core::Result<telephony::PlacedCall> PlaceCall(const telephony::OutboundCallRequest&) override {
    return Unsupported();
  }
  core::Status HangUp(const std::string&) override { return Unsupported(); }
  core::Status Redirect(const std::string&, const std::string&) override { return Unsupported(); }
  core::Status Update(const std::string&, const telephony::CallControlDocument&) override {
    return Unsupported();
  }
  core::Result<std::string> SendSms(const telephony::SmsRequest&) override { return Unsupported(); }
  core::Result<telephony::RecordingMedia> FetchRecording(const std::string& id) override {
    ++fetches[id];
    if (during_fetch) during_fetch();
    if (fetch_failures_left > 0) {
      --fetch_failures_left;
      return core::MakeError(core::ErrorCode::kUnavailable, "provider returned 503",
                             std::string(telephony::kProviderUnavailable));
    }
    auto it = media.find(id);
    if (it == media.end()) {
      return core::MakeError(core::ErrorCode::kNotFound, "no recording " + id,
                             std::string(telephony::kProviderNotFound));
    }
    return it->second;
  }
  core::Status DeleteRecording(const std::string& id) override {
    ++deletes[id];
    if (delete_failures_left > 0) {
      --delete_failures_left;
      return core::MakeError(core::ErrorCode::kUnavailable, "provider returned 500",
                             std::string(telephony::kProviderUnavailable));
    }
    if (media.erase(id) == 0) {
      return core::MakeError(core::ErrorCode::kNotFound, "no recording " + id,
                             std::string(telephony::kProviderNotFound));
    }
    return core::Ok{};
  }
  bool VerifyWebhook(const telephony::WebhookRequest&) const override { return true; }
  core::Result<telephony::CallEvent> ParseWebhook(telephony::WebhookKind,
                                                  const telephony::WebhookRequest&) const override {
    return Unsupported();
  }
  std::string RenderDocument(const telephony::CallControlDocument&) const override { return ""; }
  std::string document_content_type() const override { return "text/xml"; }

  std::map<std::string, telephony::RecordingMedia> media;
  std::map<std::string, int> fetches;
  std::map<std::string, int> deletes;
  int fetch_failures_left = 0;
  std::function<void()> during_fetch;  // runs inside FetchRecording
  int delete_failures_left = 0;

 private:
  static core::Error Unsupported() {
    return core::MakeError(core::ErrorCode::kInternal, "not used by the recordings tests");
  }
};

// A recording callback as a provider adapter parses it.
inline telephony::CallEvent RecordingEvent(const std::string& recording_id,
                                           const std::string& status = "completed") {
  telephony::CallEvent e;
  e.kind = telephony::WebhookKind::kRecording;
  e.account_id = "AC1";
  e.call_id = "CA-" + recording_id;
  e.recording_id = recording_id;
  e.recording_url = "https://api.example/Recordings/" + recording_id;
  e.recording_status = status;
  e.recording_duration_seconds = 42;
  e.recording_channels = 2;
  return e;
}

}  // namespace vaarta::recordings::testdata
