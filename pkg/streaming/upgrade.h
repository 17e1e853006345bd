// What an exec/attach/port-forward upgrade request asks for, and the hand-off point where the
// HTTP server gives the connection to a relay.
//
// kubectl 1.32 asks for (kubectl-1.32-wire.md §7.4, §7.5):
//   exec/attach:  WebSocket, subprotocol v5.channel.k8s.io (v4 accepted too), or
//                 SPDY/3.1 with X-Stream-Protocol-Version v5..channel.k8s.io
//   port-forward: WebSocket, subprotocol SPDY/3.1+portforward.k8s.io (SPDY tunnelled in binary
//                 messages), or SPDY/3.1 with X-Stream-Protocol-Version portforward.k8s.io
// containerd 1.6 speaks SPDY/3.1 (v4..channel.k8s.io, portforward.k8s.io) and WebSocket only up
// to v4, so every plan talks SPDY to containerd.
//
// Thread-safety: PlanUpgrade is pure. An UpgradeHandler is created on a request worker thread
// and then used only on the connection's executor.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pkg/api/status.h"
#include "pkg/streaming/byte_stream.h"

namespace kc::streaming {

// The HTTP request that asked for the upgrade.
struct UpgradeRequest {
  std::string method;  // GET or POST
  std::string target;  // request target, for the WebSocket handshake
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
};

enum class StreamKind { kExec, kAttach, kPortForward };
enum class ClientTransport { kWebSocket, kSpdy };

struct UpgradePlan {
  StreamKind kind = StreamKind::kExec;
  ClientTransport transport = ClientTransport::kWebSocket;
  std::string client_protocol;   // WebSocket subprotocol or X-Stream-Protocol-Version to answer
  std::string backend_protocol;  // X-Stream-Protocol-Version asked of containerd
};

// BadRequest without upgrade headers or an unusable WebSocket subprotocol; Forbidden when no
// SPDY stream protocol version is shared (as upstream's httpstream negotiation).
api::Result<UpgradePlan> PlanUpgrade(StreamKind kind, const UpgradeRequest& req);

// Which exec/attach streams the request asked for (port-forward ignores them).
struct ExecStreams {
  bool stdin = false;
  bool stdout = false;
  bool stderr = false;
  bool tty = false;
};

class UpgradeHandler {
 public:
  virtual ~UpgradeHandler() = default;
  // Takes over the client connection after the server read the request (any bytes read past it
  // are replayed by `client`). Answers the upgrade itself (101, or an HTTP error). Called once,
  // on the connection's executor; never blocks.
  virtual void Run(std::unique_ptr<ByteStream> client) = 0;
};

// The relay between the client and containerd's stream URL (`backend_url`, single use) for
// `plan`. Runs asynchronously on the client connection's executor: no thread per stream.
std::shared_ptr<UpgradeHandler> NewStreamRelay(UpgradePlan plan, UpgradeRequest request,
                                               std::string backend_url, ExecStreams streams);

}  // namespace kc::streaming
