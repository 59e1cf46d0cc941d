#include "http/static_site.h"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "http/problem.h"

namespace vaarta::http {
namespace {

namespace fs = std::filesystem;

struct TypeInfo {
  const char* extension;
  const char* content_type;
  bool compressible;
};

constexpr TypeInfo kTypes[] = {
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".map", "application/json", true},
    {".ico", "image/x-icon", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".webp", "image/webp", false},
    {".woff2", "font/woff2", false},
    {".woff", "font/woff", false},
    {".ttf", "font/ttf", true},
    {".wasm", "application/wasm", true},
};

const TypeInfo* TypeOf(const std::string& path) {
  for (const auto& t : kTypes) {
    std::string_view ext(t.extension);
    if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
      return &t;
  }
  return nullptr;
}

// zlib's deflate with a gzip wrapper (windowBits 15 + 16), best compression: it runs once
// per file at start-up.
std::string Gzip(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

bool AcceptsGzip(const Request& request) {
  std::string accept = request.Header("accept-encoding");
  for (char& c : accept) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t start = 0;
  while (start < accept.size()) {
    size_t end = accept.find(',', start);
    if (end == std::string::npos) end = accept.size();
    std::string item = accept.substr(start, end - start);
    start = end + 1;
    item.erase(0, item.find_first_not_of(' '));
    if (item.rfind("gzip", 0) != 0 && item.rfind("*", 0) != 0) continue;
    // "gzip;q=0" refuses it; any other weight accepts.
    size_t q = item.find("q=");
    return q == std::string::npos || std::strtod(item.c_str() + q + 2, nullptr) > 0;
  }
  return false;
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Paths the API owns: an unknown one there is a 404 problem, never the app's page.
bool IsApiPath(const std::string& path) {
  return StartsWith(path, "/api/") || path == "/api" || StartsWith(path, "/webhooks/") ||
         path == "/healthz" || path == "/readyz" || path == "/metrics";
}

}  // namespace

core::Result<StaticSite> StaticSite::Load(const std::string& root) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(root) / "index.html", ec)) {
    return core::Error{core::ErrorCode::kNotFound,
                       "no dashboard build at " + root + " (index.html missing)"};
  }
  StaticSite site;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string relative = fs::relative(it->path(), root).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    if (!in)
      return core::Error{core::ErrorCode::kUnavailable, "cannot read " + it->path().string()};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    File file;
    file.body = buffer.str();
    const TypeInfo* type = TypeOf(relative);
    file.content_type = type ? type->content_type : "application/octet-stream";
    if (type && type->compressible && file.body.size() > 512) {
      std::string packed = Gzip(file.body);
      if (!packed.empty() && packed.size() < file.body.size() * 9 / 10)
        file.gzip = std::move(packed);
    }
    file.etag = "\"" + core::Sha256Hex(file.body).substr(0, 32) + "\"";
    file.immutable = StartsWith(relative, "assets/");
    site.files_.emplace("/" + relative, std::move(file));
  }
  if (ec)
    return core::Error{core::ErrorCode::kUnavailable, "cannot list " + root + ": " + ec.message()};
  return site;
}

Response StaticSite::Serve(const Request& request) const {
  if (IsApiPath(request.path))
    return Problem(404, "not_found", "no such endpoint: " + request.path);
  if (auto it = files_.find(request.path); it != files_.end() && request.path != "/index.html")
    return Send(request, it->second);
  // A missing file (a name with an extension, such as a chunk from an older build) is a
  // 404: answering it with the page would hand a script loader HTML.
  std::string last = request.path.substr(request.path.rfind('/') + 1);
  if (last.find('.') != std::string::npos && request.path != "/index.html")
    return Problem(404, "not_found", "no such file: " + request.path);
  return Send(request, files_.at("/index.html"));
}

Response StaticSite::Send(const Request& request, const File& file) const {
  Response r;
  r.content_type = file.content_type;
  r.headers.emplace_back("ETag", file.etag);
  r.headers.emplace_back("Cache-Control",
                         file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!file.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (file.content_type.starts_with("text/html")) {
    // The page loads only its own scripts and talks only to this server (and its WebSocket).
    // Mantine sets style attributes, hence 'unsafe-inline' for styles only.
    r.headers.emplace_back(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; "
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
  }
  std::string if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() &&
      (if_none_match == "*" || if_none_match.find(file.etag) != std::string::npos)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  if (!file.gzip.empty() && AcceptsGzip(request)) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = file.gzip;
  } else {
    r.body = file.body;
  }
  return r;
}

}  // namespace vaarta::http
