// The k8s WebSocket channel codec and exec/attach/port-forward protocol negotiation.
#include "pkg/streaming/websocket_channel.h"

#include <doctest/doctest.h>

#include "pkg/streaming/upgrade.h"

namespace kc::streaming {
namespace {

TEST_CASE("channel messages: byte 0 is the channel") {
  CHECK(EncodeChannelMessage(kChannelStdout, "hi") == std::string("\x01hi", 3));
  CHECK(EncodeChannelMessage(kChannelStdin, "") == std::string("\x00", 1));
  const std::string err_msg("\x02" "err\n", 5);
  auto m = DecodeChannelMessage(err_msg);
  REQUIRE(m.ok());
  CHECK(m->channel == kChannelStderr);
  CHECK(m->payload == "err\n");
  const std::string binary_msg("\x00\x00\xff", 3);
  auto binary = DecodeChannelMessage(binary_msg);
  REQUIRE(binary.ok());
  CHECK(binary->channel == kChannelStdin);
  CHECK(binary->payload == std::string("\x00\xff", 2));
  CHECK_FALSE(DecodeChannelMessage("").ok());
}

TEST_CASE("v5 close signal") {
  CHECK(EncodeCloseSignal(kChannelStdin) == std::string("\xff\x00", 2));
  const std::string close = EncodeCloseSignal(kChannelStdin);
  auto m = DecodeChannelMessage(close);
  REQUIRE(m.ok());
  CHECK(m->channel == kChannelClose);
  auto ch = DecodeCloseSignal(m->payload);
  REQUIRE(ch.ok());
  CHECK(*ch == kChannelStdin);
  CHECK_FALSE(DecodeCloseSignal("").ok());
  CHECK_FALSE(DecodeCloseSignal("ab").ok());
}

TEST_CASE("resize messages") {
  CHECK(EncodeResize({100, 30}) == R"({"Width":100,"Height":30})");
  SUBCASE("valid") {
    auto s = DecodeResize(R"({"Width":123,"Height":45})");
    REQUIRE(s.ok());
    CHECK(s->width == 123);
    CHECK(s->height == 45);
    auto partial = DecodeResize(R"({"Height":7})");
    REQUIRE(partial.ok());
    CHECK(partial->width == 0);
    CHECK(partial->height == 7);
  }
  SUBCASE("invalid") {
    CHECK_FALSE(DecodeResize("not json").ok());
    CHECK_FALSE(DecodeResize("[1,2]").ok());
    CHECK_FALSE(DecodeResize(R"({"Width":"wide"})").ok());
    CHECK_FALSE(DecodeResize(R"({"Width":-1})").ok());
    CHECK_FALSE(DecodeResize(R"({"Width":70000})").ok());
  }
}

TEST_CASE("status bodies for channel 3") {
  CHECK(SuccessStatusJson() == R"({"metadata":{},"status":"Success"})");
  std::string f = FailureStatusJson(api::Status::Internal("boom"));
  CHECK(f.find(R"("status":"Failure")") != std::string::npos);
  CHECK(f.find(R"("message":"boom")") != std::string::npos);
  CHECK(f.find(R"("reason":"InternalError")") != std::string::npos);
  CHECK(f.find(R"("code":500)") != std::string::npos);
}

TEST_CASE("header lists") {
  CHECK(SplitHeaderList("a, b,c ,, d") == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(SplitHeaderList("").empty());
  CHECK(SplitHeaderList(" x ") == std::vector<std::string>{"x"});
}

UpgradeRequest Req(std::map<std::string, std::string> headers, std::string method = "GET") {
  UpgradeRequest r;
  r.method = std::move(method);
  r.target = "/api/v1/namespaces/default/pods/p/exec";
  r.headers = std::move(headers);
  return r;
}

TEST_CASE("upgrade negotiation") {
  const std::map<std::string, std::string> ws = {{"connection", "Upgrade"},
                                                 {"upgrade", "websocket"},
                                                 {"sec-websocket-version", "13"},
                                                 {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  SUBCASE("kubectl 1.32 exec: WebSocket v5") {
    auto h = ws;
    h["sec-websocket-protocol"] = "v5.channel.k8s.io";
    auto p = PlanUpgrade(StreamKind::kExec, Req(h));
    REQUIRE(p.ok());
    CHECK(p->transport == ClientTransport::kWebSocket);
    CHECK(p->client_protocol == "v5.channel.k8s.io");
    CHECK(p->backend_protocol == "v4.channel.k8s.io");
  }
  SUBCASE("v4 when v5 is not offered; v5 preferred when both are") {
    auto h = ws;
    h["sec-websocket-protocol"] = "v4.channel.k8s.io, channel.k8s.io";
    auto p = PlanUpgrade(StreamKind::kAttach, Req(h));
    REQUIRE(p.ok());
    CHECK(p->client_protocol == "v4.channel.k8s.io");
    h["sec-websocket-protocol"] = "v4.channel.k8s.io, v5.channel.k8s.io";
    p = PlanUpgrade(StreamKind::kExec, Req(h));
    REQUIRE(p.ok());
    CHECK(p->client_protocol == "v5.channel.k8s.io");
  }
  SUBCASE("WebSocket without a usable subprotocol is refused (kubectl then falls back)") {
    auto h = ws;
    h["sec-websocket-protocol"] = "base64.channel.k8s.io";
    auto p = PlanUpgrade(StreamKind::kExec, Req(h));
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().reason() == api::Reason::kBadRequest);
    CHECK_FALSE(PlanUpgrade(StreamKind::kExec, Req(ws)).ok());
  }
  SUBCASE("port-forward tunnels SPDY in WebSocket") {
    auto h = ws;
    h["sec-websocket-protocol"] = "SPDY/3.1+portforward.k8s.io";
    auto p = PlanUpgrade(StreamKind::kPortForward, Req(h));
    REQUIRE(p.ok());
    CHECK(p->transport == ClientTransport::kWebSocket);
    CHECK(p->client_protocol == "SPDY/3.1+portforward.k8s.io");
    CHECK(p->backend_protocol == "portforward.k8s.io");
    h["sec-websocket-protocol"] = "v4.channel.k8s.io";
    CHECK_FALSE(PlanUpgrade(StreamKind::kPortForward, Req(h)).ok());
  }
  SUBCASE("SPDY fallback: the client's first version containerd knows") {
    std::map<std::string, std::string> h = {
        {"connection", "Upgrade"},
        {"upgrade", "SPDY/3.1"},
        {"x-stream-protocol-version",
         "v5.channel.k8s.io, v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, "
         "channel.k8s.io"}};
    auto p = PlanUpgrade(StreamKind::kExec, Req(h, "POST"));
    REQUIRE(p.ok());
    CHECK(p->transport == ClientTransport::kSpdy);
    CHECK(p->client_protocol == "v4.channel.k8s.io");
    CHECK(p->backend_protocol == "v4.channel.k8s.io");
    h["x-stream-protocol-version"] = "v3.channel.k8s.io";
    p = PlanUpgrade(StreamKind::kExec, Req(h, "POST"));
    REQUIRE(p.ok());
    CHECK(p->client_protocol == "v3.channel.k8s.io");
    h["x-stream-protocol-version"] = "v5.channel.k8s.io";
    p = PlanUpgrade(StreamKind::kExec, Req(h, "POST"));
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().reason() == api::Reason::kForbidden);
    h["x-stream-protocol-version"] = "portforward.k8s.io";
    p = PlanUpgrade(StreamKind::kPortForward, Req(h, "POST"));
    REQUIRE(p.ok());
    CHECK(p->backend_protocol == "portforward.k8s.io");
    h.erase("x-stream-protocol-version");
    CHECK(PlanUpgrade(StreamKind::kExec, Req(h, "POST")).status().reason() ==
          api::Reason::kBadRequest);
  }
  SUBCASE("no upgrade at all") {
    auto p = PlanUpgrade(StreamKind::kExec, Req({}));
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().message() == "Upgrade request required");
  }
}

}  // namespace
}  // namespace kc::streaming
