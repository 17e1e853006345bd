// The relays that terminate the client's WebSocket: exec/attach channels (v4/v5) translated to
// containerd's SPDY v4 streams, and the port-forward tunnel (SPDY bytes in binary messages).
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <set>

#include "pkg/streaming/async_byte_stream.h"
#include "pkg/streaming/backend_dial.h"
#include "pkg/streaming/relay_internal.h"
#include "pkg/streaming/spdy_session.h"
#include "pkg/streaming/websocket_channel.h"

namespace kc::streaming::internal {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using Ws = websocket::stream<AsyncByteStream>;

constexpr size_t kHighWater = 1024 * 1024;
constexpr size_t kLowWater = 256 * 1024;

http::request<http::empty_body> ToBeastRequest(const UpgradeRequest& r) {
  http::request<http::empty_body> req;
  req.method_string(r.method);
  req.target(r.target.empty() ? "/" : r.target);
  req.version(11);
  for (const auto& [name, value] : r.headers) req.set(name, value);
  return req;
}

std::unique_ptr<Ws> NewServerWebSocket(ByteStream& conn, const std::string& subprotocol) {
  auto ws = std::make_unique<Ws>(conn);
  ws->set_option(websocket::stream_base::decorator(
      [subprotocol](websocket::response_type& res) {
        res.set(http::field::sec_websocket_protocol, subprotocol);
      }));
  websocket::stream_base::timeout t;
  t.handshake_timeout = std::chrono::seconds(kCloseTimeoutSeconds);  // accept and close
  t.idle_timeout = websocket::stream_base::none();
  t.keep_alive_pings = false;
  ws->set_option(t);
  ws->binary(true);
  ws->read_message_max(16 * 1024 * 1024);
  return ws;
}

// ---------------------------------------------------------------------------------------------
// exec/attach: WebSocket channels ⇄ SPDY v4 streams.
class WebSocketExecRelay : public UpgradeHandler,
                           public spdy::SpdyClientSession::Handler,
                           public std::enable_shared_from_this<WebSocketExecRelay> {
 public:
  WebSocketExecRelay(UpgradePlan plan, UpgradeRequest request, std::string url, ExecStreams s)
      : plan_(std::move(plan)), request_(std::move(request)), url_(std::move(url)), want_(s) {
    if (want_.tty) want_.stderr = false;  // a terminal merges stderr into stdout
    v5_ = plan_.client_protocol == kProtocolV5;
  }
  ~WebSocketExecRelay() override {
    if (session_) session_->Close();
  }

  void Run(std::unique_ptr<ByteStream> client) override {
    client_ = std::move(client);
    DialSpdyUpgrade(client_->get_executor(), url_, plan_.backend_protocol,
                    [self = shared_from_this()](api::Result<std::unique_ptr<ByteStream>> r) {
                      self->OnDial(std::move(r));
                    });
  }

  // ---- SPDY side ----
  void OnStreamData(uint32_t id, std::string data) override {
    if (id == stdout_id_ && id != 0) return QueueWs(kChannelStdout, data, id);
    if (id == stderr_id_ && id != 0) return QueueWs(kChannelStderr, data, id);
    if (id == error_id_) error_text_ += data;
    session_->Consumed(id, data.size());
  }
  void OnStreamEnd(uint32_t id, bool) override {
    ended_.insert(id);
    MaybeFinish();
  }
  void OnSessionEnd(const api::Status& status) override {
    session_ended_ = true;
    session_status_ = status;
    MaybeFinish();
  }
  void OnWritable() override {
    if (ws_read_blocked_) {
      ws_read_blocked_ = false;
      ReadWs();
    }
  }

 private:
  struct Out {
    std::string message;  // channel byte + payload
    uint32_t stream = 0;  // SPDY stream whose data this is (for window updates)
    bool close = false;   // send the close frame instead
  };

  void OnDial(api::Result<std::unique_ptr<ByteStream>> r) {
    if (!r.ok()) return RespondHttpError(std::move(client_), r.status());
    backend_ = std::move(*r);
    ws_ = NewServerWebSocket(*client_, plan_.client_protocol);
    ws_->async_accept(ToBeastRequest(request_),
                      [self = shared_from_this()](beast::error_code ec) { self->OnAccept(ec); });
  }

  void OnAccept(beast::error_code ec) {
    if (ec) return Abort();
    session_ = std::make_shared<spdy::SpdyClientSession>(std::move(backend_), *this);
    session_->Start();
    // The order client-go uses: error, then stdin, stdout, stderr, resize.
    error_id_ = Open("error");
    if (want_.stdin) stdin_id_ = Open("stdin");
    if (want_.stdout) stdout_id_ = Open("stdout");
    if (want_.stderr) stderr_id_ = Open("stderr");
    if (want_.tty) resize_id_ = Open("resize");
    ReadWs();
  }

  uint32_t Open(const char* type) { return session_->OpenStream({{"streamtype", type}}); }

  void ReadWs() {
    if (ws_reading_ || done_ || client_closed_) return;
    ws_reading_ = true;
    ws_->async_read(ws_in_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->OnWsRead(ec);
    });
  }

  void OnWsRead(beast::error_code ec) {
    ws_reading_ = false;
    if (done_) return;
    if (ec) {
      // The client closed or failed. Before our status went out this ends the session.
      client_closed_ = true;
      if (!finished_) return Abort();
      return;
    }
    std::string msg = beast::buffers_to_string(ws_in_.data());
    ws_in_.consume(ws_in_.size());
    if (auto m = DecodeChannelMessage(msg); m.ok()) HandleClientMessage(*m);
    if (session_->queued_bytes() > spdy::SpdyClientSession::kHighWater) {
      ws_read_blocked_ = true;  // OnWritable resumes
      return;
    }
    ReadWs();
  }

  void HandleClientMessage(const ChannelMessage& m) {
    switch (m.channel) {
      case kChannelStdin:
        if (stdin_id_ && !stdin_closed_) session_->Send(stdin_id_, std::string(m.payload), false);
        return;
      case kChannelResize:
        if (resize_id_) session_->Send(resize_id_, std::string(m.payload), false);
        return;
      case kChannelClose: {
        if (!v5_) return;
        auto ch = DecodeCloseSignal(m.payload);
        if (ch.ok() && *ch == kChannelStdin && stdin_id_ && !stdin_closed_) {
          stdin_closed_ = true;
          session_->Send(stdin_id_, std::string(), true);  // FIN: the process sees EOF
        }
        return;
      }
      default:
        return;  // channels the client may not write are ignored
    }
  }

  // The command is over when the error stream and the output streams ended, or the connection
  // to containerd did. Then: status on channel 3, close 1000.
  void MaybeFinish() {
    if (finished_) return;
    auto ended = [&](uint32_t id) { return id == 0 || ended_.count(id) > 0; };
    if (!session_ended_ && !(ended(error_id_) && ended(stdout_id_) && ended(stderr_id_))) return;
    finished_ = true;
    std::string status;
    if (!error_text_.empty()) {
      status = error_text_;
    } else if (session_ended_ && !session_status_.ok()) {
      status = FailureStatusJson(api::Status::Internal(
          "error reading from the container runtime: " + session_status_.message()));
    } else {
      status = SuccessStatusJson();
    }
    QueueWs(kChannelError, status, 0);
    out_.push_back(Out{std::string(), 0, true});
    PumpWs();
    session_->GoAwayAndClose();
  }

  void QueueWs(uint8_t channel, const std::string& data, uint32_t stream) {
    if (done_ || client_closed_) {
      if (stream) session_->Consumed(stream, data.size());
      return;
    }
    out_bytes_ += data.size();
    out_.push_back(Out{EncodeChannelMessage(channel, data), stream, false});
    if (out_bytes_ > kHighWater && !spdy_read_paused_) {
      spdy_read_paused_ = true;
      session_->PauseReading(true);
    }
    PumpWs();
  }

  void PumpWs() {
    if (ws_writing_ || out_.empty() || done_ || client_closed_) return;
    ws_writing_ = true;
    if (out_.front().close) {
      ws_->async_close(websocket::close_code::normal,
                       [self = shared_from_this()](beast::error_code) {
                         self->ws_writing_ = false;
                         self->Abort();  // closed cleanly or timed out: release everything
                       });
      return;
    }
    ws_->async_write(net::buffer(out_.front().message),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnWsWritten(ec);
                     });
  }

  void OnWsWritten(beast::error_code ec) {
    ws_writing_ = false;
    if (done_) return;
    if (ec) return Abort();
    Out o = std::move(out_.front());
    out_.pop_front();
    const size_t n = o.message.size() - 1;
    out_bytes_ -= n;
    if (o.stream) session_->Consumed(o.stream, n);
    if (spdy_read_paused_ && out_bytes_ < kLowWater) {
      spdy_read_paused_ = false;
      session_->PauseReading(false);
    }
    PumpWs();
  }

  void Abort() {
    if (done_) return;
    done_ = true;
    if (session_) session_->Close();
    if (backend_) backend_->Close();
    if (client_) client_->Close();
  }

  UpgradePlan plan_;
  UpgradeRequest request_;
  std::string url_;
  ExecStreams want_;
  bool v5_ = false;

  std::unique_ptr<ByteStream> client_;
  std::unique_ptr<ByteStream> backend_;  // until the SPDY session takes it
  std::unique_ptr<Ws> ws_;
  std::shared_ptr<spdy::SpdyClientSession> session_;

  uint32_t error_id_ = 0, stdin_id_ = 0, stdout_id_ = 0, stderr_id_ = 0, resize_id_ = 0;
  std::set<uint32_t> ended_;
  std::string error_text_;
  bool stdin_closed_ = false;
  bool session_ended_ = false;
  api::Status session_status_;
  bool finished_ = false;  // status queued

  beast::flat_buffer ws_in_;
  bool ws_reading_ = false;
  bool ws_read_blocked_ = false;
  std::deque<Out> out_;
  size_t out_bytes_ = 0;
  bool ws_writing_ = false;
  bool spdy_read_paused_ = false;
  bool client_closed_ = false;
  bool done_ = false;
};

// ---------------------------------------------------------------------------------------------
// port-forward over WebSocket: binary message payloads are SPDY bytes for containerd.
class WebSocketTunnelRelay : public UpgradeHandler,
                             public std::enable_shared_from_this<WebSocketTunnelRelay> {
 public:
  WebSocketTunnelRelay(UpgradePlan plan, UpgradeRequest request, std::string url)
      : plan_(std::move(plan)), request_(std::move(request)), url_(std::move(url)) {}

  void Run(std::unique_ptr<ByteStream> client) override {
    client_ = std::move(client);
    DialSpdyUpgrade(client_->get_executor(), url_, plan_.backend_protocol,
                    [self = shared_from_this()](api::Result<std::unique_ptr<ByteStream>> r) {
                      self->OnDial(std::move(r));
                    });
  }

 private:
  void OnDial(api::Result<std::unique_ptr<ByteStream>> r) {
    if (!r.ok()) return RespondHttpError(std::move(client_), r.status());
    backend_ = std::move(*r);
    ws_ = NewServerWebSocket(*client_, plan_.client_protocol);
    ws_->async_accept(ToBeastRequest(request_), [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Abort();
      self->ReadClient();
      self->ReadBackend();
    });
  }

  // client → containerd
  void ReadClient() {
    ws_->async_read(ws_in_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (self->done_) return;
      if (ec) {
        // The client is gone: containerd sees the end of the SPDY connection.
        self->client_closed_ = true;
        self->backend_->ShutdownSend();
        if (self->backend_eof_) self->Abort();
        return;
      }
      self->to_backend_ = beast::buffers_to_string(self->ws_in_.data());
      self->ws_in_.consume(self->ws_in_.size());
      AsyncByteStream b(*self->backend_);
      net::async_write(b, net::buffer(self->to_backend_),
                       [self](boost::system::error_code ec, size_t) {
                         if (self->done_) return;
                         if (ec) return self->Abort();
                         self->ReadClient();
                       });
    });
  }

  // containerd → client
  void ReadBackend() {
    backend_->AsyncReadSome(
        net::buffer(from_backend_), [self = shared_from_this()](boost::system::error_code ec,
                                                               size_t n) {
          if (self->done_) return;
          if (ec) {
            self->backend_eof_ = true;
            if (self->client_closed_) return self->Abort();
            self->ws_->async_close(websocket::close_code::normal,
                                   [self](beast::error_code) { self->Abort(); });
            return;
          }
          self->ws_->async_write(net::buffer(self->from_backend_.data(), n),
                                 [self](beast::error_code ec, size_t) {
                                   if (self->done_) return;
                                   if (ec) return self->Abort();
                                   self->ReadBackend();
                                 });
        });
  }

  void Abort() {
    if (done_) return;
    done_ = true;
    if (backend_) backend_->Close();
    if (client_) client_->Close();
  }

  UpgradePlan plan_;
  UpgradeRequest request_;
  std::string url_;
  std::unique_ptr<ByteStream> client_;
  std::unique_ptr<ByteStream> backend_;
  std::unique_ptr<Ws> ws_;
  beast::flat_buffer ws_in_;
  std::string to_backend_;
  std::array<char, 64 * 1024> from_backend_;
  bool client_closed_ = false;
  bool backend_eof_ = false;
  bool done_ = false;
};

}  // namespace

std::shared_ptr<UpgradeHandler> NewWebSocketExecRelay(UpgradePlan plan, UpgradeRequest request,
                                                      std::string backend_url,
                                                      ExecStreams streams) {
  return std::make_shared<WebSocketExecRelay>(std::move(plan), std::move(request),
                                              std::move(backend_url), streams);
}

std::shared_ptr<UpgradeHandler> NewWebSocketTunnelRelay(UpgradePlan plan, UpgradeRequest request,
                                                        std::string backend_url) {
  return std::make_shared<WebSocketTunnelRelay>(std::move(plan), std::move(request),
                                                std::move(backend_url));
}

}  // namespace kc::streaming::internal
