// The bytes of a complete (non-streaming) HTTP/1.x response: status line, headers and body in
// one buffer, so the connection writes it with one TLS record and one send. Cheaper than
// building a Beast response and running its serializer for every answer.
//
// Headers: Content-Type (when set), the response's own headers, Content-Length (except for 1xx,
// 204 and 304, which carry no body), and Connection when it differs from the version's default
// ("close" on HTTP/1.1, "keep-alive" on HTTP/1.0). CR and LF inside header values become spaces,
// so text that reached a header from a request (a Warning naming an unknown field) cannot end it.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "pkg/apiserver/http_types.h"

namespace kc::apiserver {

// `version` is 10 or 11 (HTTP/1.0 or 1.1). Consumes resp.body. The answer to a HEAD request
// (`head_request`) keeps the Content-Length of the body it would have sent but not the body.
std::string SerializeResponse(HttpResponse&& resp, unsigned version, bool keep_alive,
                              bool head_request = false);

}  // namespace kc::apiserver
