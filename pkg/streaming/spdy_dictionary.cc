#include "pkg/streaming/spdy_dictionary.h"

#include <string>

namespace kc::streaming::spdy {

namespace {

// The dictionary is a list of length-prefixed (32-bit big-endian) header names and common
// values, followed by a run of plain text (status codes, reason phrases, dates, media types).
constexpr const char* kWords[] = {
    "options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
    "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
    "cache-control", "connection", "content-base", "content-encoding", "content-language",
    "content-length", "content-location", "content-md5", "content-range", "content-type", "date",
    "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
    "if-range", "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma",
    "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after", "server", "te",
    "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning",
    "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url",
    "public", "set-cookie", "keep-alive", "origin"};

constexpr const char* kText =
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
    "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request"
    "401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented"
    "503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 "
    "Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,"
    "application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age="
    "gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

std::string Build() {
  std::string d;
  for (const char* w : kWords) {
    std::string_view word(w);
    const auto n = static_cast<uint32_t>(word.size());
    d.push_back(static_cast<char>(n >> 24));
    d.push_back(static_cast<char>(n >> 16));
    d.push_back(static_cast<char>(n >> 8));
    d.push_back(static_cast<char>(n));
    d.append(word);
  }
  d.append(kText);
  return d;
}

}  // namespace

std::string_view HeaderDictionary() {
  static const std::string dict = Build();
  return dict;
}

}  // namespace kc::streaming::spdy
