// FakeStreamServer: for tests only — a stand-in for containerd's CRI stream server. It listens
// on 127.0.0.1 (port 0), accepts one connection on a thread of its own, answers the SPDY/3.1
// upgrade (101 with the given X-Stream-Protocol-Version, or 404 when that is empty, like an
// expired token) and then runs a test-supplied script that speaks SPDY with the framer of this
// library over the blocking socket.
//
// Problems in the script are recorded (Fail) and checked by the test afterwards, rather than
// asserted on the server thread.
//
// Thread-safety: construct, Url, Join and the accessors on the test thread; the script runs on
// the server thread and uses only the frame methods.
#pragma once

#include <poll.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "pkg/streaming/spdy_frame.h"

namespace kc::streaming::testing {

class FakeStreamServer {
 public:
  using Script = std::function<void(FakeStreamServer&)>;

  explicit FakeStreamServer(Script script, std::string version = "v4.channel.k8s.io")
      : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        socket_(ioc_),
        version_(std::move(version)),
        script_(std::move(script)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeStreamServer() { Join(); }

  std::string Url(const std::string& path = "/exec/AbCdEfGh") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void Join() {
    if (thread_.joinable()) {
      // A test that never connected must not hang here.
      if (!accepted_) {
        boost::system::error_code ec;
        boost::asio::ip::tcp::socket poke(ioc_);
        poke.connect(acceptor_.local_endpoint(), ec);
      }
      thread_.join();
    }
  }
  std::string request() const {
    std::lock_guard<std::mutex> l(mu_);
    return request_;
  }
  std::string error() const {
    std::lock_guard<std::mutex> l(mu_);
    return error_;
  }

  // ---- for the script (server thread) ----
  void Fail(const std::string& why) {
    std::lock_guard<std::mutex> l(mu_);
    if (error_.empty()) error_ = why;
  }
  // The next frame, or nullopt at the end of the connection (or a framing error, recorded).
  std::optional<spdy::Frame> ReadFrame() {
    for (;;) {
      auto next = reader_.Next();
      if (!next.ok()) {
        Fail("client sent a bad frame: " + next.status().message());
        return std::nullopt;
      }
      if (next->has_value()) return std::move(**next);
      char buf[16384];
      boost::system::error_code ec;
      size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec) return std::nullopt;
      reader_.Feed(std::string_view(buf, n));
    }
  }
  // True if a frame (or the end of the connection) arrives within `ms`.
  bool FrameWithin(int ms) { return reader_.buffered() > 0 || Readable(ms); }
  bool Readable(int ms) {
    pollfd p{socket_.native_handle(), POLLIN, 0};
    return ::poll(&p, 1, ms) > 0;
  }
  void WriteFrame(const spdy::Frame& f) {
    auto bytes = writer_.Encode(f);
    if (!bytes.ok()) return Fail(bytes.status().message());
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(*bytes), ec);
  }
  void WriteRaw(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
  }
  void Close() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
    // Drain until the client closes too, so nothing we wrote is lost to a reset.
    char buf[4096];
    while (!ec && Readable(5000)) socket_.read_some(boost::asio::buffer(buf), ec);
    socket_.close(ec);
  }
  // Reads SYN_STREAMs until `n` streams are open; answers each with SYN_REPLY. Returns
  // streamtype → id. Other frames before that are recorded as failures.
  std::map<std::string, uint32_t> AcceptStreams(size_t n) {
    std::map<std::string, uint32_t> ids;
    while (ids.size() < n) {
      auto f = ReadFrame();
      if (!f) {
        Fail("connection ended before all streams were opened");
        return ids;
      }
      if (f->type != spdy::FrameType::kSynStream) {
        Fail("unexpected frame type " + std::to_string(static_cast<int>(f->type)) +
             " before all streams were opened");
        continue;
      }
      ids[spdy::FindHeader(f->headers, "streamtype").value_or("?")] = f->stream_id;
      WriteFrame(spdy::Frame::SynReply(f->stream_id, {}));
    }
    return ids;
  }

 private:
  void Serve() {
    boost::system::error_code ec;
    acceptor_.accept(socket_, ec);
    accepted_ = true;
    if (ec) return Fail("accept: " + ec.message());
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos) {
      if (boost::asio::read(socket_, boost::asio::buffer(&c, 1), ec) != 1) {
        return Fail("connection ended inside the upgrade request");
      }
      head.push_back(c);
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      request_ = head;
    }
    if (version_.empty()) {
      const std::string r =
          "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n"
          "Connection: close\r\n\r\n404 page not found\n";
      boost::asio::write(socket_, boost::asio::buffer(r), ec);
      return Close();
    }
    const std::string r = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                          "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: " +
                          version_ + "\r\n\r\n";
    boost::asio::write(socket_, boost::asio::buffer(r), ec);
    script_(*this);
    if (socket_.is_open()) Close();
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::socket socket_;
  int port_ = 0;
  std::string version_;
  Script script_;
  spdy::FrameReader reader_;
  spdy::FrameWriter writer_;
  std::thread thread_;
  std::atomic<bool> accepted_{false};
  mutable std::mutex mu_;
  std::string request_;  // guarded by mu_
  std::string error_;    // guarded by mu_
};

// The script of an exec like `sh -c 'echo out; echo err >&2; cat; exit 7'` with stdin, stdout
// and stderr: echoes stdin (until FIN) prefixed with "got:", then reports exit code 7.
inline void ExecScript(FakeStreamServer& s) {
  auto ids = s.AcceptStreams(4);
  for (const char* t : {"error", "stdin", "stdout", "stderr"}) {
    if (!ids.count(t)) return s.Fail(std::string("missing stream ") + t);
  }
  s.WriteFrame(spdy::Frame::Data(ids["stdout"], "out\n", false));
  s.WriteFrame(spdy::Frame::Data(ids["stderr"], "err\n", false));
  std::string input;
  for (;;) {
    auto f = s.ReadFrame();
    if (!f) return s.Fail("connection ended before stdin was closed");
    if (f->type != spdy::FrameType::kData || f->stream_id != ids["stdin"]) continue;
    input += f->data;
    if (f->fin()) break;
  }
  s.WriteFrame(spdy::Frame::Data(ids["stdout"], "got:" + input, false));
  s.WriteFrame(spdy::Frame::Data(
      ids["error"],
      R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: exit status 7","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"7"}]}})",
      true));
  s.WriteFrame(spdy::Frame::Data(ids["stdout"], "", true));
  s.WriteFrame(spdy::Frame::Data(ids["stderr"], "", true));
  s.WriteFrame(spdy::Frame::GoAway(0, 0));
  s.Close();
}

}  // namespace kc::streaming::testing
