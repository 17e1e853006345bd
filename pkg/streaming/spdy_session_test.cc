// SpdyClientSession against a fake SPDY server over a local socket: streams, FIN, PING,
// refused pushes, and flow control in both directions.
#include "pkg/streaming/spdy_session.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <map>

#include "pkg/streaming/backend_dial.h"
#include "pkg/streaming/fake_stream_server.h"

namespace kc::streaming::spdy {
namespace {

using testing::FakeStreamServer;

// Records what the session reports.
struct Recorder : SpdyClientSession::Handler {
  std::map<uint32_t, std::string> data;
  std::map<uint32_t, bool> ended;  // id → reset
  std::optional<api::Status> session_end;
  std::function<void(uint32_t, const std::string&)> on_data;
  SpdyClientSession* session = nullptr;
  bool consume = true;

  void OnStreamData(uint32_t id, std::string d) override {
    data[id] += d;
    if (on_data) on_data(id, d);
    if (consume) session->Consumed(id, d.size());
  }
  void OnStreamEnd(uint32_t id, bool reset) override { ended[id] = reset; }
  void OnSessionEnd(const api::Status& st) override { session_end = st; }
};

// Dials `server`, starts a session and calls `begin` with it; runs until all work is done.
void RunSession(FakeStreamServer& server, Recorder& rec,
                const std::function<void(SpdyClientSession&)>& begin) {
  boost::asio::io_context ioc;
  std::shared_ptr<SpdyClientSession> session;
  std::string dial_error;
  DialSpdyUpgrade(ioc.get_executor(), server.Url(), "v4.channel.k8s.io",
                  [&](api::Result<std::unique_ptr<ByteStream>> r) {
                    if (!r.ok()) {
                      dial_error = r.status().message();
                      return;
                    }
                    session = std::make_shared<SpdyClientSession>(std::move(*r), rec);
                    rec.session = session.get();
                    session->Start();
                    begin(*session);
                  });
  ioc.run_for(std::chrono::seconds(20));
  CHECK(dial_error == "");
  server.Join();
  CHECK(server.error() == "");
  if (session) session->Close();
}

TEST_CASE("session: streams, data both ways, FIN, ping echo, refused server streams") {
  FakeStreamServer server([](FakeStreamServer& s) {
    auto ids = s.AcceptStreams(2);
    s.WriteFrame(Frame::Ping(2));  // a server ping: must come back
    s.WriteFrame(Frame::SynStream(2, {{"x", "push"}}));  // a server stream: refused
    s.WriteFrame(Frame::Data(ids["stdout"], "hello ", false));
    s.WriteFrame(Frame::Data(ids["stdout"], "world", true));
    std::string in;
    bool pong = false, refused = false, fin = false;
    while (!(pong && refused && fin)) {
      auto f = s.ReadFrame();
      if (!f) return s.Fail("ended early (pong " + std::to_string(pong) + ", refused " +
                            std::to_string(refused) + ", fin " + std::to_string(fin) + ")");
      if (f->type == FrameType::kPing && f->value == 2) pong = true;
      if (f->type == FrameType::kRstStream && f->stream_id == 2 && f->status == kRefusedStream) {
        refused = true;
      }
      if (f->type == FrameType::kData && f->stream_id == ids["stdin"]) {
        in += f->data;
        fin = f->fin();
      }
    }
    if (in != "some input") s.Fail("stdin was '" + in + "'");
    s.WriteFrame(Frame::RstStream(ids["stdin"], kCancel));
    s.Close();
  });
  Recorder rec;
  uint32_t stdin_id = 0, stdout_id = 0;
  RunSession(server, rec, [&](SpdyClientSession& session) {
    stdin_id = session.OpenStream({{"streamtype", "stdin"}});
    stdout_id = session.OpenStream({{"streamtype", "stdout"}});
    session.Send(stdin_id, "some ", false);
    session.Send(stdin_id, "input", true);
    session.Send(stdin_id, "ignored after FIN", false);
  });
  CHECK(stdin_id == 1);
  CHECK(stdout_id == 3);
  CHECK(rec.data[stdout_id] == "hello world");
  CHECK(rec.ended.count(stdout_id) == 1);
  CHECK(rec.ended[stdout_id] == false);
  CHECK(rec.ended[stdin_id] == true);  // reset
  REQUIRE(rec.session_end.has_value());
  CHECK(rec.session_end->ok());
}

TEST_CASE("session: honours the peer's windows once the peer maintains them") {
  constexpr size_t kTotal = 100000;
  FakeStreamServer server([](FakeStreamServer& s) {
    auto ids = s.AcceptStreams(1);
    const uint32_t id = ids["stdin"];
    s.WriteFrame(Frame::WindowUpdate(id, 1));  // this peer does flow control
    s.WriteFrame(Frame::Data(id, "go", false));  // the client starts sending on this
    size_t got = 0;
    while (got < 65536) {
      auto f = s.ReadFrame();
      if (!f) return s.Fail("ended early");
      if (f->type == FrameType::kData) got += f->data.size();
    }
    if (got != 65536) s.Fail("first window: got " + std::to_string(got));
    if (s.FrameWithin(300)) s.Fail("data beyond the session window");
    s.WriteFrame(Frame::WindowUpdate(0, 50000));
    s.WriteFrame(Frame::WindowUpdate(id, 50000));
    bool fin = false;
    while (!fin) {
      auto f = s.ReadFrame();
      if (!f) return s.Fail("ended before FIN");
      if (f->type != FrameType::kData) continue;
      got += f->data.size();
      fin = f->fin();
    }
    if (got != kTotal) s.Fail("total " + std::to_string(got));
    s.Close();
  });
  Recorder rec;
  rec.on_data = [&](uint32_t id, const std::string&) {
    rec.session->Send(id, std::string(kTotal, 'x'), true);
  };
  RunSession(server, rec, [&](SpdyClientSession& session) {
    session.OpenStream({{"streamtype", "stdin"}});
  });
}

TEST_CASE("session: sends data regardless of windows to a peer that never updates them") {
  // moby/spdystream (containerd, kubectl) neither sends nor reads WINDOW_UPDATE.
  constexpr size_t kTotal = 300000;
  FakeStreamServer server([](FakeStreamServer& s) {
    auto ids = s.AcceptStreams(1);
    size_t got = 0;
    bool fin = false;
    while (!fin) {
      auto f = s.ReadFrame();
      if (!f) return s.Fail("ended before FIN");
      if (f->type != FrameType::kData) continue;
      got += f->data.size();
      fin = f->fin();
    }
    if (got != kTotal) s.Fail("total " + std::to_string(got));
    s.Close();
  });
  Recorder rec;
  RunSession(server, rec, [&](SpdyClientSession& session) {
    uint32_t id = session.OpenStream({{"streamtype", "stdin"}});
    session.Send(id, std::string(kTotal, 'y'), true);
  });
}

TEST_CASE("session: re-opens our receive windows as data is consumed") {
  FakeStreamServer server([](FakeStreamServer& s) {
    auto ids = s.AcceptStreams(1);
    const uint32_t id = ids["stdout"];
    s.WriteFrame(Frame::Data(id, std::string(20000, 'a'), false));
    s.WriteFrame(Frame::Data(id, std::string(20000, 'b'), false));
    int64_t stream_delta = 0, session_delta = 0;
    while (stream_delta == 0 || session_delta == 0) {
      if (!s.FrameWithin(3000)) return s.Fail("no WINDOW_UPDATE");
      auto f = s.ReadFrame();
      if (!f) return s.Fail("ended early");
      if (f->type != FrameType::kWindowUpdate) continue;
      (f->stream_id == 0 ? session_delta : stream_delta) += f->value;
    }
    if (stream_delta != 40000 || session_delta != 40000) {
      s.Fail("deltas " + std::to_string(stream_delta) + "/" + std::to_string(session_delta));
    }
    s.WriteFrame(Frame::Data(id, "", true));
    s.Close();
  });
  Recorder rec;
  RunSession(server, rec, [&](SpdyClientSession& session) {
    session.OpenStream({{"streamtype", "stdout"}});
  });
  CHECK(rec.data[1].size() == 40000);
}

TEST_CASE("session: a protocol error ends the session with an error") {
  FakeStreamServer server([](FakeStreamServer& s) {
    s.AcceptStreams(1);
    s.WriteFrame(Frame::Data(1, "fine", false));
    // A control frame of another SPDY version.
    s.WriteRaw(std::string("\x80\x02\x00\x06\x00\x00\x00\x04\x00\x00\x00\x01", 12));
    s.Close();
  });
  Recorder rec;
  RunSession(server, rec, [&](SpdyClientSession& session) {
    session.OpenStream({{"streamtype", "error"}});
  });
  CHECK(rec.data[1] == "fine");
  REQUIRE(rec.session_end.has_value());
  CHECK_FALSE(rec.session_end->ok());
  CHECK(rec.session_end->message().find("version") != std::string::npos);
}

TEST_CASE("dialing: a refused upgrade (expired token) is an error naming the answer") {
  FakeStreamServer server([](FakeStreamServer&) {}, /*version=*/"");
  boost::asio::io_context ioc;
  std::optional<api::Status> result;
  DialSpdyUpgrade(ioc.get_executor(), server.Url(), "v4.channel.k8s.io",
                  [&](api::Result<std::unique_ptr<ByteStream>> r) { result = r.status(); });
  ioc.run_for(std::chrono::seconds(10));
  server.Join();
  REQUIRE(result.has_value());
  CHECK(result->reason() == api::Reason::kInternalError);
  CHECK(result->message().find("404") != std::string::npos);
  CHECK(server.request().find("X-Stream-Protocol-Version: v4.channel.k8s.io\r\n") !=
        std::string::npos);
  CHECK(server.request().find("Upgrade: SPDY/3.1\r\n") != std::string::npos);
  CHECK(server.request().rfind("POST /exec/AbCdEfGh HTTP/1.1\r\n", 0) == 0);
}

TEST_CASE("stream URLs") {
  auto u = ParseStreamUrl("http://127.0.0.1:10010/exec/AbCdEfGh");
  REQUIRE(u.ok());
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "10010");
  CHECK(u->target == "/exec/AbCdEfGh");
  auto v6 = ParseStreamUrl("http://[::1]:10010/portforward/x");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == "10010");
  auto noport = ParseStreamUrl("http://localhost/attach/y");
  REQUIRE(noport.ok());
  CHECK(noport->port == "80");
  CHECK_FALSE(ParseStreamUrl("https://127.0.0.1:10010/exec/x").ok());
  CHECK_FALSE(ParseStreamUrl("ftp://x/y").ok());
  CHECK_FALSE(ParseStreamUrl("http://:80/x").ok());
}

}  // namespace
}  // namespace kc::streaming::spdy
