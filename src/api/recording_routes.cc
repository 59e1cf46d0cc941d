#include "api/recording_routes.h"

#include <cctype>
#include <charconv>

#include "core/clock.h"

namespace vaarta::api {
namespace {

// Open ranges ("bytes=0-", what players send first) are answered in pieces of this size.
constexpr int64_t kMaxOpenRangeBytes = 4 * 1024 * 1024;

bool ParseDigits(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

nlohmann::json IsoOrNull(const std::optional<int64_t>& ms) {
  return ms ? nlohmann::json(core::FormatIso8601Utc(*ms)) : nlohmann::json();
}

nlohmann::json RecordingJson(const recordings::Recording& r) {
  nlohmann::json j = {
      {"id", r.id},
      {"attempt_id", r.attempt_id ? nlohmann::json(*r.attempt_id) : nlohmann::json()},
      {"lead_id", r.lead_id ? nlohmann::json(*r.lead_id) : nlohmann::json()},
      {"provider", r.provider},
      {"provider_recording_id", r.provider_recording_id},
      {"call_id", r.call_id},
      {"state", std::string(recordings::RecordingStateName(r.state))},
      {"content_type", r.content_type},
      {"size_bytes", r.size_bytes},
      {"duration_seconds", r.duration_seconds},
      {"channels", r.channels},
      {"remote_deleted", r.remote_deleted},
      {"created_at", core::FormatIso8601Utc(r.created_at)},
      {"stored_at", IsoOrNull(r.stored_at)},
      {"erased_at", IsoOrNull(r.erased_at)},
      {"error", r.error.empty() ? nlohmann::json() : nlohmann::json(r.error)},
      {"media_url", r.state == recordings::RecordingState::kStored
                        ? nlohmann::json("/api/v1/recordings/" + std::to_string(r.id) + "/media")
                        : nlohmann::json()},
  };
  return j;
}

}  // namespace

ByteRangeRequest ParseByteRange(const std::string& header, int64_t size, int64_t max_open_length) {
  ByteRangeRequest whole;
  std::string_view spec = Trim(header);
  if (spec.empty()) return whole;
  constexpr std::string_view kUnit = "bytes=";
  if (spec.size() < kUnit.size()) return whole;
  for (size_t i = 0; i < kUnit.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(spec[i])) != kUnit[i]) return whole;
  }
  spec = Trim(spec.substr(kUnit.size()));
  // Several ranges would need multipart/byteranges; RFC 9110 lets a server ignore them.
  if (spec.find(',') != std::string_view::npos) return whole;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  std::string_view first_text = Trim(spec.substr(0, dash));
  std::string_view last_text = Trim(spec.substr(dash + 1));
  ByteRangeRequest unsatisfiable{ByteRangeRequest::Kind::kUnsatisfiable, 0, 0};
  int64_t first = 0;
  int64_t last = 0;
  if (first_text.empty()) {  // suffix: the last n bytes
    int64_t n = 0;
    if (!ParseDigits(last_text, &n)) return whole;
    if (n == 0 || size == 0) return unsatisfiable;
    n = std::min(n, size);
    return {ByteRangeRequest::Kind::kPartial, size - n, size - 1};
  }
  if (!ParseDigits(first_text, &first)) return whole;
  if (last_text.empty()) {
    if (first >= size) return unsatisfiable;
    last = size - 1;
    if (max_open_length > 0) last = std::min(last, first + max_open_length - 1);
    return {ByteRangeRequest::Kind::kPartial, first, last};
  }
  if (!ParseDigits(last_text, &last) || last < first) return whole;
  if (first >= size) return unsatisfiable;
  return {ByteRangeRequest::Kind::kPartial, first, std::min(last, size - 1)};
}

void RegisterRecordingRoutes(ApiRouter& router, recordings::RecordingService& recordings) {
  // Audited on every request (a GET is otherwise not): listening to a call is access to
  // personal data, and a player's seeks are separate reads.
  router.Add(
      {"GET", "/api/v1/recordings/{id}/media", auth::Role::kAgent,
       "A recording's audio, decrypted; supports single byte ranges", AuditMode::kRequest},
      [&recordings](ApiRequest& req) {
        auto id = ParseIdParam(req.http, "id");
        if (!id) return http::ProblemFromError(id.error());
        req.audit_target = "recording:" + std::to_string(*id);
        auto opened = recordings.OpenForRead(*id);
        if (!opened) return http::ProblemFromError(opened.error());
        if (opened->recording.attempt_id) {
          req.audit_summary["attempt_id"] = *opened->recording.attempt_id;
        }
        const int64_t size = opened->size;
        const std::string range_header = req.http.Header("range");
        ByteRangeRequest range = ParseByteRange(range_header, size, kMaxOpenRangeBytes);
        if (range.kind == ByteRangeRequest::Kind::kUnsatisfiable) {
          req.audit_summary["range"] = range_header;
          http::Response r = http::Problem(416, "range_not_satisfiable",
                                           "the recording has " + std::to_string(size) +
                                               " bytes; ask for a range that starts inside it");
          r.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
          r.headers.emplace_back("Accept-Ranges", "bytes");
          return r;
        }
        const bool partial = range.kind == ByteRangeRequest::Kind::kPartial;
        const int64_t first = partial ? range.first : 0;
        const int64_t length = partial ? range.last - range.first + 1 : size;
        auto bytes = opened->reader.Read(first, length);
        if (!bytes) return http::ProblemFromError(bytes.error());
        http::Response r;
        r.status = partial ? 206 : 200;
        r.content_type = opened->content_type;
        r.body = std::move(*bytes);
        r.headers.emplace_back("Accept-Ranges", "bytes");
        if (partial) {
          r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                      std::to_string(range.last) + "/" +
                                                      std::to_string(size));
        }
        // Personal data: kept out of shared caches and never sniffed into another type.
        r.headers.emplace_back("Cache-Control", "private, no-store");
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        req.audit_summary["bytes"] =
            r.body.empty() ? "none"
                           : std::to_string(first) + "-" +
                                 std::to_string(first + static_cast<int64_t>(r.body.size()) - 1) +
                                 "/" + std::to_string(size);
        return r;
      });
  router.Add({"GET", "/api/v1/calls/{attempt_id}/recordings", auth::Role::kAgent,
              "A call attempt's recordings, oldest first, with their state"},
             [&recordings](ApiRequest& req) {
               auto id = ParseIdParam(req.http, "attempt_id");
               if (!id) return http::ProblemFromError(id.error());
               nlohmann::json items = nlohmann::json::array();
               for (const auto& r : recordings.ListForAttempt(*id)) {
                 items.push_back(RecordingJson(r));
               }
               return JsonResponse(200, {{"items", items}});
             });
}

}  // namespace vaarta::api
