// NewStreamRelay, the transparent SPDY relay, and the pre-upgrade HTTP error answer.
#include <array>
#include <boost/asio/write.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "pkg/streaming/async_byte_stream.h"
#include "pkg/streaming/backend_dial.h"
#include "pkg/streaming/relay_internal.h"

namespace kc::streaming {

namespace net = boost::asio;

namespace internal {

namespace {

const char* ReasonPhrase(int code) {
  switch (code) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

// Copies bytes between the client and containerd once both sides switched to SPDY. An end of
// stream on one side is passed on as a half-close of the other; the relay ends when both
// directions ended, or at the first error.
class RawSpdyRelay : public UpgradeHandler, public std::enable_shared_from_this<RawSpdyRelay> {
 public:
  RawSpdyRelay(UpgradePlan plan, std::string url) : plan_(std::move(plan)), url_(std::move(url)) {}

  void Run(std::unique_ptr<ByteStream> client) override {
    client_ = std::move(client);
    DialSpdyUpgrade(client_->get_executor(), url_, plan_.backend_protocol,
                    [self = shared_from_this()](api::Result<std::unique_ptr<ByteStream>> r) {
                      self->OnDial(std::move(r));
                    });
  }

 private:
  struct Direction {
    ByteStream* from = nullptr;
    ByteStream* to = nullptr;
    std::array<char, 64 * 1024> buf;
    bool done = false;
  };

  void OnDial(api::Result<std::unique_ptr<ByteStream>> r) {
    if (!r.ok()) return RespondHttpError(std::move(client_), r.status());
    backend_ = std::move(*r);
    response_ = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                "X-Stream-Protocol-Version: " +
                plan_.client_protocol + "\r\n\r\n";
    AsyncByteStream s(*client_);
    net::async_write(s, net::buffer(response_),
                     [self = shared_from_this()](boost::system::error_code ec, size_t) {
                       if (ec) return self->CloseAll();
                       self->up_.from = self->client_.get();
                       self->up_.to = self->backend_.get();
                       self->down_.from = self->backend_.get();
                       self->down_.to = self->client_.get();
                       self->Pump(self->up_);
                       self->Pump(self->down_);
                     });
  }

  void Pump(Direction& d) {
    if (closed_) return;
    d.from->AsyncReadSome(
        net::buffer(d.buf), [self = shared_from_this(), &d](boost::system::error_code ec, size_t n) {
          if (self->closed_) return;
          if (ec == net::error::eof) {
            d.done = true;
            d.to->ShutdownSend();
            if (self->up_.done && self->down_.done) self->CloseAll();
            return;
          }
          if (ec) return self->CloseAll();
          AsyncByteStream to(*d.to);
          net::async_write(to, net::buffer(d.buf.data(), n),
                           [self, &d](boost::system::error_code ec, size_t) {
                             if (ec) return self->CloseAll();
                             self->Pump(d);
                           });
        });
  }

  void CloseAll() {
    if (closed_) return;
    closed_ = true;
    if (client_) client_->Close();
    if (backend_) backend_->Close();
  }

  UpgradePlan plan_;
  std::string url_;
  std::unique_ptr<ByteStream> client_;
  std::unique_ptr<ByteStream> backend_;
  std::string response_;
  Direction up_, down_;
  bool closed_ = false;
};

}  // namespace

std::shared_ptr<UpgradeHandler> NewRawSpdyRelay(UpgradePlan plan, std::string backend_url) {
  return std::make_shared<RawSpdyRelay>(std::move(plan), std::move(backend_url));
}

void RespondHttpError(std::unique_ptr<ByteStream> conn, const api::Status& status) {
  boost::json::object o;
  o["kind"] = "Status";
  o["apiVersion"] = "v1";
  o["metadata"] = boost::json::object();
  o["status"] = "Failure";
  o["message"] = status.message();
  o["reason"] = api::Status::ReasonString(status.reason());
  o["code"] = status.http_code();
  const std::string body = boost::json::serialize(o);
  const int code = status.http_code();
  auto text = std::make_shared<std::string>(
      "HTTP/1.1 " + std::to_string(code) + " " + ReasonPhrase(code) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body);
  std::shared_ptr<ByteStream> c(std::move(conn));
  AsyncByteStream s(*c);
  net::async_write(s, net::buffer(*text), [c, text](boost::system::error_code, size_t) {
    c->ShutdownSend();
    c->Close();
  });
}

}  // namespace internal

std::shared_ptr<UpgradeHandler> NewStreamRelay(UpgradePlan plan, UpgradeRequest request,
                                               std::string backend_url, ExecStreams streams) {
  if (plan.transport == ClientTransport::kSpdy) {
    return internal::NewRawSpdyRelay(std::move(plan), std::move(backend_url));
  }
  if (plan.kind == StreamKind::kPortForward) {
    return internal::NewWebSocketTunnelRelay(std::move(plan), std::move(request),
                                             std::move(backend_url));
  }
  return internal::NewWebSocketExecRelay(std::move(plan), std::move(request),
                                         std::move(backend_url), streams);
}

}  // namespace kc::streaming
