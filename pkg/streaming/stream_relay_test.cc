// The relays end to end on local sockets: a client (Beast WebSocket, or raw SPDY with our
// framer) ⇄ relay ⇄ FakeStreamServer standing in for containerd.
#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <thread>

#include "pkg/streaming/asio_byte_stream.h"
#include "pkg/streaming/fake_stream_server.h"
#include "pkg/streaming/upgrade.h"
#include "pkg/streaming/websocket_channel.h"

namespace kc::streaming {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using testing::FakeStreamServer;

// Accepts one connection, reads its HTTP request and hands it to NewStreamRelay the way the
// API server does (headers lower-cased, repeats joined); runs the relay on its own io_context.
class RelayHarness {
 public:
  RelayHarness(StreamKind kind, std::string backend_url, ExecStreams streams)
      : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}),
        kind_(kind),
        url_(std::move(backend_url)),
        streams_(streams) {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
      if (ec) return;
      socket_.emplace(std::move(s));
      http::async_read(*socket_, buffer_, request_, [this](beast::error_code ec, size_t) {
        if (!ec) HandOver();
      });
    });
    thread_ = std::thread([this] { ioc_.run_for(std::chrono::seconds(30)); });
  }
  ~RelayHarness() {
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  std::string plan_error() const { return plan_error_; }

 private:
  void HandOver() {
    UpgradeRequest up;
    up.method = std::string(request_.method_string());
    up.target = std::string(request_.target());
    for (const auto& f : request_) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = up.headers.emplace(name, std::string(f.value()));
      if (!inserted) it->second += ", " + std::string(f.value());
    }
    auto plan = PlanUpgrade(kind_, up);
    if (!plan.ok()) {
      plan_error_ = plan.status().message();
      return;
    }
    auto conn = std::make_unique<AsioByteStream<tcp::socket>>(std::move(*socket_));
    auto relay = NewStreamRelay(*plan, up, url_, streams_);
    relay->Run(WithPrefix(std::move(conn), beast::buffers_to_string(buffer_.data())));
  }

  net::io_context ioc_;
  tcp::acceptor acceptor_;
  StreamKind kind_;
  std::string url_;
  ExecStreams streams_;
  std::optional<tcp::socket> socket_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::string plan_error_;
  std::thread thread_;
};

struct Received {
  std::vector<std::pair<int, std::string>> messages;  // channel, payload
  int close_code = -1;
  std::string Channel(int ch) const {
    std::string out;
    for (const auto& [c, p] : messages) {
      if (c == ch) out += p;
    }
    return out;
  }
};

// kubectl's side of a v5 exec: send stdin, close it, read everything until the close frame.
Received KubectlExecV5(int port, const std::string& protocol) {
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  ws.set_option(websocket::stream_base::decorator([protocol](websocket::request_type& req) {
    req.set(http::field::sec_websocket_protocol, protocol);
  }));
  websocket::response_type res;
  ws.handshake(res, "127.0.0.1", "/api/v1/namespaces/default/pods/p/exec?command=sh");
  CHECK(res[http::field::sec_websocket_protocol] == protocol);
  ws.binary(true);
  ws.write(net::buffer(EncodeChannelMessage(kChannelStdin, "hello\n")));
  if (protocol == kProtocolV5) ws.write(net::buffer(EncodeCloseSignal(kChannelStdin)));
  Received r;
  for (;;) {
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
    if (ec) {
      CHECK(ec == websocket::error::closed);
      r.close_code = ws.reason().code;
      break;
    }
    std::string msg = beast::buffers_to_string(b.data());
    CHECK(ws.got_binary());
    auto m = DecodeChannelMessage(msg);
    REQUIRE(m.ok());
    r.messages.emplace_back(m->channel, std::string(m->payload));
  }
  return r;
}

TEST_CASE("WebSocket v5 exec relayed to containerd's SPDY v4: output, stdin EOF, status, close") {
  FakeStreamServer containerd(testing::ExecScript);
  RelayHarness relay(StreamKind::kExec, containerd.Url(), {true, true, true, false});
  Received r = KubectlExecV5(relay.port(), std::string(kProtocolV5));
  containerd.Join();
  CHECK(containerd.error() == "");
  CHECK(relay.plan_error() == "");
  CHECK(r.Channel(kChannelStdout) == "out\ngot:hello\n");
  CHECK(r.Channel(kChannelStderr) == "err\n");
  REQUIRE(!r.messages.empty());
  CHECK(r.messages.back().first == kChannelError);
  CHECK(r.messages.back().second.find(R"("reason":"NonZeroExitCode")") != std::string::npos);
  CHECK(r.messages.back().second.find(R"("message":"7")") != std::string::npos);
  CHECK(r.close_code == 1000);
  CHECK(containerd.request().find("X-Stream-Protocol-Version: v4.channel.k8s.io") !=
        std::string::npos);
}

TEST_CASE("WebSocket exec whose command succeeds without a status gets Success") {
  FakeStreamServer containerd([](FakeStreamServer& s) {
    auto ids = s.AcceptStreams(2);  // error, stdout
    s.WriteFrame(spdy::Frame::Data(ids["stdout"], "done\n", true));
    s.WriteFrame(spdy::Frame::Data(ids["error"], "", true));
    s.Close();
  });
  RelayHarness relay(StreamKind::kExec, containerd.Url(), {false, true, false, false});
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(
      {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(relay.port())});
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
    req.set(http::field::sec_websocket_protocol, "v5.channel.k8s.io");
  }));
  ws.handshake("127.0.0.1", "/exec");
  std::vector<std::string> msgs;
  for (;;) {
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
    if (ec) break;
    msgs.push_back(beast::buffers_to_string(b.data()));
  }
  containerd.Join();
  CHECK(containerd.error() == "");
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0] == std::string("\x01" "done\n"));
  CHECK(msgs[1] == "\x03" + SuccessStatusJson());
}

TEST_CASE("a refused containerd upgrade is an HTTP error, before any 101") {
  FakeStreamServer containerd([](FakeStreamServer&) {}, "");
  RelayHarness relay(StreamKind::kExec, containerd.Url(), {false, true, false, false});
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(relay.port())});
  const std::string req =
      "GET /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      "Sec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
  net::write(s, net::buffer(req));
  beast::flat_buffer b;
  http::response<http::string_body> res;
  http::read(s, b, res);
  containerd.Join();
  CHECK(res.result_int() == 500);
  CHECK(res.body().find("container runtime answered 404") != std::string::npos);
  CHECK(res.body().find(R"("kind":"Status")") != std::string::npos);
}

// Reads frames from `in` bytes as they come.
struct SpdyPeer {
  spdy::FrameWriter writer;
  spdy::FrameReader reader;
};

TEST_CASE("SPDY fallback: bytes relayed unchanged after both 101s") {
  FakeStreamServer containerd(testing::ExecScript, "v4.channel.k8s.io");
  RelayHarness relay(StreamKind::kExec, containerd.Url(), {true, true, true, false});
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(relay.port())});
  const std::string req =
      "POST /exec HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version: v5.channel.k8s.io\r\n"
      "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
      "X-Stream-Protocol-Version: channel.k8s.io\r\nContent-Length: 0\r\n\r\n";
  net::write(s, net::buffer(req));
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos) {
    REQUIRE(net::read(s, net::buffer(&c, 1)) == 1);
    head.push_back(c);
  }
  CHECK(head.rfind("HTTP/1.1 101 ", 0) == 0);
  CHECK(head.find("X-Stream-Protocol-Version: v4.channel.k8s.io\r\n") != std::string::npos);
  SpdyPeer kubectl;
  std::string out;
  auto send = [&](const spdy::Frame& f) {
    auto bytes = kubectl.writer.Encode(f);
    REQUIRE(bytes.ok());
    out += *bytes;
  };
  send(spdy::Frame::SynStream(1, {{"streamtype", "error"}}));
  send(spdy::Frame::SynStream(3, {{"streamtype", "stdin"}}));
  send(spdy::Frame::SynStream(5, {{"streamtype", "stdout"}}));
  send(spdy::Frame::SynStream(7, {{"streamtype", "stderr"}}));
  send(spdy::Frame::Data(3, "via spdy", true));
  net::write(s, net::buffer(out));
  std::map<uint32_t, std::string> data;
  int replies = 0;
  for (;;) {
    auto f = kubectl.reader.Next();
    REQUIRE(f.ok());
    if (f->has_value()) {
      if ((*f)->type == spdy::FrameType::kSynReply) ++replies;
      if ((*f)->type == spdy::FrameType::kData) data[(*f)->stream_id] += (*f)->data;
      continue;
    }
    char buf[4096];
    beast::error_code ec;
    size_t n = s.read_some(net::buffer(buf), ec);
    if (ec) break;
    kubectl.reader.Feed(std::string_view(buf, n));
  }
  s.close();  // kubectl's end of the connection; the relay then closes containerd's
  containerd.Join();
  CHECK(containerd.error() == "");
  CHECK(replies == 4);
  CHECK(data[5] == "out\ngot:via spdy");
  CHECK(data[7] == "err\n");
  CHECK(data[1].find("NonZeroExitCode") != std::string::npos);
  CHECK(containerd.request().find("X-Stream-Protocol-Version: v4.channel.k8s.io") !=
        std::string::npos);
}

TEST_CASE("port-forward over WebSocket: SPDY frames tunnelled in binary messages") {
  FakeStreamServer containerd(
      [](FakeStreamServer& s) {
        std::map<std::string, uint32_t> ids;
        for (int i = 0; i < 2; ++i) {
          auto f = s.ReadFrame();
          if (!f || f->type != spdy::FrameType::kSynStream) return s.Fail("expected SYN_STREAM");
          if (spdy::FindHeader(f->headers, "port") != "80") s.Fail("port header missing");
          ids[spdy::FindHeader(f->headers, "streamtype").value_or("?")] = f->stream_id;
          s.WriteFrame(spdy::Frame::SynReply(f->stream_id, {}));
        }
        std::string in;
        while (in != "ping") {
          auto f = s.ReadFrame();
          if (!f) return s.Fail("ended early");
          if (f->type == spdy::FrameType::kData && f->stream_id == ids["data"]) in += f->data;
        }
        s.WriteFrame(spdy::Frame::Data(ids["data"], "pong", true));
        s.WriteFrame(spdy::Frame::Data(ids["error"], "", true));
        s.Close();
      },
      "portforward.k8s.io");
  RelayHarness relay(StreamKind::kPortForward, containerd.Url("/portforward/tok"), {});
  net::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(
      {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(relay.port())});
  ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
    req.set(http::field::sec_websocket_protocol, "SPDY/3.1+portforward.k8s.io");
  }));
  websocket::response_type res;
  ws.handshake(res, "127.0.0.1", "/api/v1/namespaces/default/pods/p/portforward");
  CHECK(res[http::field::sec_websocket_protocol] == "SPDY/3.1+portforward.k8s.io");
  ws.binary(true);
  SpdyPeer kubectl;
  for (const auto& f :
       {spdy::Frame::SynStream(1, {{"streamtype", "error"}, {"port", "80"}, {"requestid", "0"}}),
        spdy::Frame::SynStream(3, {{"streamtype", "data"}, {"port", "80"}, {"requestid", "0"}}),
        spdy::Frame::Data(3, "ping", false)}) {
    auto bytes = kubectl.writer.Encode(f);
    REQUIRE(bytes.ok());
    ws.write(net::buffer(*bytes));  // one frame per message
  }
  std::string pong;
  bool fin = false;
  while (!fin) {
    beast::flat_buffer b;
    beast::error_code ec;
    ws.read(b, ec);
    if (ec) break;
    kubectl.reader.Feed(beast::buffers_to_string(b.data()));
    for (;;) {
      auto f = kubectl.reader.Next();
      REQUIRE(f.ok());
      if (!f->has_value()) break;
      if ((*f)->type == spdy::FrameType::kData && (*f)->stream_id == 3) {
        pong += (*f)->data;
        fin = (*f)->fin();
      }
    }
  }
  CHECK(pong == "pong");
  beast::error_code ec;
  ws.close(websocket::close_code::normal, ec);
  containerd.Join();
  CHECK(containerd.error() == "");
  CHECK(containerd.request().find("X-Stream-Protocol-Version: portforward.k8s.io") !=
        std::string::npos);
  CHECK(containerd.request().find("POST /portforward/tok ") != std::string::npos);
}

}  // namespace
}  // namespace kc::streaming
