// LoadEngine: a light closed-loop HTTP/1.1 load generator for the benchmarks (in the spirit of
// wrk): a few threads, each running an Asio event loop over many keep-alive connections, so the
// client spends little CPU per request on the same two cores the server runs on. Speaks HTTPS
// with a client certificate (kcluster) or plain HTTP (etcd's JSON gateway), so both peers are
// driven by the same client.
//
// Thread-safety: RunLoad is self-contained; `make_request` is called concurrently from the
// engine's threads and must be thread-safe (pure functions of the index are).
#pragma once

#include <functional>
#include <string>

namespace kc::bench {

struct LoadTarget {
  std::string host = "127.0.0.1";
  int port = 0;
  bool tls = true;
  std::string ca_pem, cert_pem, key_pem;  // PEM text; empty = none
};

struct LoadRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/api/v1/namespaces/x/configmaps"
  std::string body;    // sent with Content-Type application/json when non-empty
};

struct LoadResult {
  double ops_per_sec = 0;
  int ok = 0;
  int failures = 0;         // transport errors or a status other than `expect_status`
  double p50_ms = 0, p99_ms = 0;
  std::string first_error;  // e.g. "HTTP 409" or a transport error
};

// Sends requests 0..total-1 (`make_request(i)`) over `connections` keep-alive connections spread
// over `threads` event-loop threads, each connection sending its next request as soon as the
// previous answer arrived. A request counts as OK when the status is `expect_status`.
LoadResult RunLoad(const LoadTarget& target, int connections, int threads, int total,
                   const std::function<LoadRequest(int)>& make_request, int expect_status);

// "https://host:port" → target fields (host, port, tls). False when the URL is not understood.
bool ParseServerUrl(const std::string& url, LoadTarget* out);

}  // namespace kc::bench
