// Internal to kc_streaming: the relay implementations behind NewStreamRelay and the helpers
// they share.
//
// Thread-safety: as UpgradeHandler (everything on the client connection's executor).
#pragma once

#include <memory>
#include <string>

#include "pkg/api/status.h"
#include "pkg/streaming/byte_stream.h"
#include "pkg/streaming/upgrade.h"

namespace kc::streaming::internal {

// Time allowed for a WebSocket close handshake before the connection is cut.
inline constexpr int kCloseTimeoutSeconds = 5;

// SPDY from the client: answer 101 after containerd did, then copy bytes both ways.
std::shared_ptr<UpgradeHandler> NewRawSpdyRelay(UpgradePlan plan, std::string backend_url);
// WebSocket v4/v5 channels from the client ⇄ SPDY v4 streams to containerd.
std::shared_ptr<UpgradeHandler> NewWebSocketExecRelay(UpgradePlan plan, UpgradeRequest request,
                                                      std::string backend_url,
                                                      ExecStreams streams);
// WebSocket binary messages carrying SPDY (port-forward tunnel) ⇄ raw SPDY to containerd.
std::shared_ptr<UpgradeHandler> NewWebSocketTunnelRelay(UpgradePlan plan, UpgradeRequest request,
                                                        std::string backend_url);

// Answers a connection that was not upgraded with an HTTP error carrying a Status body, then
// closes it.
void RespondHttpError(std::unique_ptr<ByteStream> conn, const api::Status& status);

}  // namespace kc::streaming::internal
