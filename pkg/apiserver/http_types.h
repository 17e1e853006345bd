// The HTTP request/response values the API handlers work on, independent of Beast, so handlers
// can be unit-tested without sockets. A response either carries a complete body or a
// ResponseStream (watch, logs) that the connection pumps as chunked transfer encoding.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kc::streaming {
class UpgradeHandler;
}

namespace kc::apiserver {

struct HttpResponse;

// How a handler answers later, without holding a thread while it waits (e.g. for the store's
// group commit): it returns a response with `deferred` set, and later, from any thread, Posts
// work to the connection's event loop, which Sends the response there. Exactly one Send.
class AsyncReply {
 public:
  virtual ~AsyncReply() = default;
  // Runs `fn` on the connection's event loop; callable from any thread.
  virtual void Post(std::function<void()> fn) = 0;
  // Sends the answer; call it only from inside a Posted function.
  virtual void Send(HttpResponse resp) = 0;
};

struct HttpRequest {
  std::string method;
  std::string path;                              // decoded path, no query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string> headers;     // keys lower-cased; repeats joined by ", "
  std::string body;
  // Transport facts the authenticators use: whether the connection is TLS, and the identity
  // of a client certificate that verified against the client CA (empty if none).
  bool tls = false;
  std::string peer_user;
  std::vector<std::string> peer_groups;
  // Authentication result, filled in by ApiHandler from its Authenticator.
  bool authenticated = false;
  std::string user;
  std::vector<std::string> groups;

  // Set by the HTTP server when the handler may answer asynchronously (null in tests and for
  // in-process calls).
  std::shared_ptr<AsyncReply> async_reply;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
};

// A streamed (chunked) response body, pumped by the connection.
// Thread-safety: Start/Pull/Cancel are called on the connection's strand, one at a time;
// the `wake` function given to Start may be called from any thread.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Called once when the headers were written. `wake` asks the connection to call Pull soon.
  virtual void Start(std::function<void()> wake) = 0;
  // Appends whatever is ready to *out. Returns false when the stream is complete (after
  // appending its final bytes, if any).
  virtual bool Pull(std::string* out) = 0;
  // The client went away or the server is stopping; release resources.
  virtual void Cancel() = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<ResponseStream> stream;  // non-null: chunked streaming response
  // Non-null: the request was an accepted protocol upgrade (exec/attach/port-forward). The
  // server writes nothing and hands the connection to this handler, which answers the upgrade.
  std::shared_ptr<streaming::UpgradeHandler> upgrade;
  // True: the handler took the request's async_reply and will send the answer through it.
  bool deferred = false;
};

using HttpHandler = std::function<HttpResponse(HttpRequest&)>;

// Percent-decodes a URL component ('+' is kept as is in paths, decoded to ' ' in queries).
std::string UrlDecode(std::string_view s, bool plus_is_space);
// Splits "a=b&c=d" into decoded pairs.
std::multimap<std::string, std::string> ParseQuery(std::string_view q);

}  // namespace kc::apiserver
