// HttpServer: the HTTP/1.1 front door of the API server (Boost.Beast over Asio), serving
// HTTPS (TLS with optional client certificates) and, when asked, plain HTTP.
//
// Connections are asynchronous on a few I/O threads, each running its own event loop; a
// connection stays on one loop, so thousands of idle watches cost no threads and a request never
// hops between I/O threads. Request handlers may block (they call the store), so they run on a
// separate worker pool unless `run_inline` says they are short; streamed responses (watch) are
// pumped back on the connection's loop when their ResponseStream wakes it.
//
// Thread-safety: Start/Stop from one controlling thread; the handler is called concurrently
// from worker threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pkg/api/status.h"
#include "pkg/apiserver/http_types.h"

namespace kc::apiserver {

struct HttpServerOptions {
  std::string bind_address = "0.0.0.0";
  int https_port = 6443;  // 0 = pick a free port; -1 = no HTTPS listener
  int http_port = -1;     // plain HTTP (insecure port); -1 = off
  std::string http_bind_address = "127.0.0.1";
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string client_ca_file;  // client certificates verified against this CA
  int io_threads = 2;
  int worker_threads = 32;
  size_t max_body_bytes = 3 * 1024 * 1024;
  // Requests for which this returns true are served directly on the I/O thread (short,
  // non-blocking reads), saving two thread hand-offs; everything else goes to the workers.
  std::function<bool(const HttpRequest&)> run_inline;
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions opts, HttpHandler handler);
  ~HttpServer();

  api::Status Start();
  void Stop();
  int https_port() const;  // the bound port (after Start)
  int http_port() const;
  int64_t open_connections() const;

  struct Impl;  // public so the per-connection sessions in http_server.cc can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kc::apiserver
