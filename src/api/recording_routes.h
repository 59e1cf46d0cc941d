#pragma once
// Call recordings over HTTP: a call's recordings are listed, and a recording's audio is
// streamed decrypted with single-range support (audio players seek with Range
// requests). Every read of the audio is audited: who listened, to what, which bytes.
#include <cstdint>
#include <string>

#include "api/api_context.h"
#include "recordings/recording_service.h"

namespace vaarta::api {

// A Range header as this API honours it: one range of bytes.
struct ByteRangeRequest {
  enum class Kind {
    kWhole,          // no Range header, or one we ignore (other units, several ranges,
                     // malformed): the whole body with 200
    kPartial,        // [first, last] with 206
    kUnsatisfiable,  // 416
  };
  Kind kind = Kind::kWhole;
  int64_t first = 0;
  int64_t last = 0;  // inclusive
};

// "bytes=a-b", "bytes=a-" and "bytes=-n" against a body of `size` bytes; an open range
// ("bytes=a-") is served at most `max_open_length` bytes at a time (players ask again).
ByteRangeRequest ParseByteRange(const std::string& header, int64_t size, int64_t max_open_length);

void RegisterRecordingRoutes(ApiRouter& router, recordings::RecordingService& recordings);

}  // namespace vaarta::api
