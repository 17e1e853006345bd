// DialSpdyUpgrade: connects to a CRI streaming URL (containerd's stream server, e.g.
// "http://127.0.0.1:10010/exec/AbCdEfGh") and performs the SPDY/3.1 upgrade with one
// X-Stream-Protocol-Version, asynchronously on the given executor.
//
// On 101 the callback gets the upgraded connection (bytes read past the response are replayed
// by it). Otherwise an error Status: InternalError naming the backend's HTTP status and body, or
// the connection error. Only plain http:// URLs are supported (containerd's default; TLS
// streaming is not).
//
// Thread-safety: call on `ex`; the callback runs on `ex`.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "pkg/api/status.h"
#include "pkg/streaming/byte_stream.h"

namespace kc::streaming {

struct ParsedUrl {
  std::string host;
  std::string port;
  std::string target;  // path and query
};
api::Result<ParsedUrl> ParseStreamUrl(const std::string& url);

using DialCallback = std::function<void(api::Result<std::unique_ptr<ByteStream>>)>;

void DialSpdyUpgrade(boost::asio::any_io_executor ex, const std::string& url,
                     const std::string& protocol_version, DialCallback done);

}  // namespace kc::streaming
