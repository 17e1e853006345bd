// The two network checks probes and lifecycle hooks use: a plain HTTP(S) GET (libcurl) and a TCP
// connect, both with a timeout.
//
// Thread-safety: safe from any thread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pkg/api/status.h"

namespace kc::kubelet {

// GET `url` with `headers`; returns the HTTP status code, or an error for connection failures
// and timeouts. At most 10 KiB of the body is kept in `body` (optional). TLS is not verified
// (as upstream's prober).
api::Result<int> HttpGet(const std::string& url,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         int timeout_ms, std::string* body = nullptr);

// Connects to host:port (numeric IPv4/IPv6 or a name) within `timeout_ms`.
api::Status TcpConnect(const std::string& host, int port, int timeout_ms);

}  // namespace kc::kubelet
