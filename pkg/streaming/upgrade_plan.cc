// PlanUpgrade: protocol negotiation for exec/attach/port-forward upgrades.
#include <algorithm>
#include <cctype>

#include "pkg/streaming/upgrade.h"
#include "pkg/streaming/websocket_channel.h"

namespace kc::streaming {

namespace {

constexpr const char* kPortForwardTunnel = "SPDY/3.1+portforward.k8s.io";
constexpr const char* kPortForwardSpdy = "portforward.k8s.io";
// Exec/attach versions containerd's SPDY server knows, in our order of preference.
constexpr const char* kExecSpdyVersions[] = {"v4.channel.k8s.io", "v3.channel.k8s.io",
                                             "v2.channel.k8s.io", "channel.k8s.io"};

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Header(const UpgradeRequest& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? std::string() : it->second;
}

bool HasToken(const std::vector<std::string>& tokens, std::string_view want) {
  return std::any_of(tokens.begin(), tokens.end(),
                     [&](const std::string& t) { return Lower(t) == Lower(std::string(want)); });
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return "[" + out + "]";
}

}  // namespace

api::Result<UpgradePlan> PlanUpgrade(StreamKind kind, const UpgradeRequest& req) {
  const auto upgrade = SplitHeaderList(Header(req, "upgrade"));
  const auto connection = SplitHeaderList(Header(req, "connection"));
  if (upgrade.empty() || !HasToken(connection, "upgrade")) {
    return api::Status::BadRequest("Upgrade request required");
  }
  UpgradePlan plan;
  plan.kind = kind;
  const bool pf = kind == StreamKind::kPortForward;
  plan.backend_protocol = pf ? kPortForwardSpdy : "v4.channel.k8s.io";

  if (HasToken(upgrade, "websocket")) {
    plan.transport = ClientTransport::kWebSocket;
    const auto offered = SplitHeaderList(Header(req, "sec-websocket-protocol"));
    std::vector<std::string> ours;
    if (pf) {
      ours = {kPortForwardTunnel};
    } else {
      ours = {std::string(kProtocolV5), std::string(kProtocolV4)};
    }
    for (const auto& want : ours) {
      if (std::find(offered.begin(), offered.end(), want) != offered.end()) {
        plan.client_protocol = want;
        return plan;
      }
    }
    return api::Status::BadRequest("unable to upgrade: no supported WebSocket subprotocol in " +
                                   Join(offered) + ", server accepts " + Join(ours));
  }

  if (HasToken(upgrade, "SPDY/3.1")) {
    plan.transport = ClientTransport::kSpdy;
    const auto offered = SplitHeaderList(Header(req, "x-stream-protocol-version"));
    if (offered.empty()) {
      return api::Status::BadRequest("unable to upgrade: X-Stream-Protocol-Version is required");
    }
    std::vector<std::string> ours;
    if (pf) {
      ours = {kPortForwardSpdy};
    } else {
      ours.assign(std::begin(kExecSpdyVersions), std::end(kExecSpdyVersions));
    }
    // The client's order of preference decides among the versions both sides know.
    for (const auto& v : offered) {
      if (std::find(ours.begin(), ours.end(), v) != ours.end()) {
        plan.client_protocol = v;
        plan.backend_protocol = v;
        return plan;
      }
    }
    return api::Status::Forbidden("unable to upgrade: unable to negotiate protocol: client supports " +
                                  Join(offered) + ", server accepts " + Join(ours));
  }
  return api::Status::BadRequest("unable to upgrade: unsupported upgrade protocol " +
                                 Join(upgrade));
}

}  // namespace kc::streaming
