#pragma once
// StaticSite: the dashboard's built files (web/dist), read into memory once at start-up,
// each with an ETag and, where it pays, a gzip copy. Served with caching that suits each:
// files under assets/ carry a content hash in their names and are cached for a year as
// immutable; everything else (index.html above all) is revalidated on every load, so a
// new build reaches browsers at once. A path a browser navigates to that is no file gets
// index.html, because the single-page app routes it; API and webhook paths never do.
//
// Serving only what was loaded means no request path ever touches the file system, so
// there is no traversal to guard against.
#include <map>
#include <string>

#include "core/result.h"
#include "http/message.h"

namespace vaarta::http {

class StaticSite {
 public:
  // Reads every regular file under `root` (which must hold index.html).
  static core::Result<StaticSite> Load(const std::string& root);

  // GET or HEAD of any path the API does not own.
  Response Serve(const Request& request) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip;  // empty when compression does not pay
    std::string etag;  // quoted, from the content's SHA-256
    bool immutable = false;
  };
  Response Send(const Request& request, const File& file) const;

  std::map<std::string, File> files_;  // by URL path, e.g. "/assets/index-3f2a.js"
};

}  // namespace vaarta::http
