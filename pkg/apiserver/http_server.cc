#include "pkg/apiserver/http_server.h"

#include <pthread.h>

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <thread>
#include <vector>

#include "pkg/apiserver/response_wire.h"
#include "pkg/pki/identity.h"
#include "pkg/streaming/asio_byte_stream.h"
#include "pkg/streaming/upgrade.h"

namespace kc::apiserver {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpServer::Impl {
  HttpServerOptions opts;
  HttpHandler handler;
  // One event loop per I/O thread: a connection lives on one loop for its whole life, so its
  // handlers never hop threads (no strands, no cross-thread wake-ups between reads and writes).
  // The listeners live on the first loop and deal new connections out round-robin.
  std::vector<std::unique_ptr<net::io_context>> loops;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  size_t next_loop = 0;  // used by the accepting loop only
  // Request handlers that may block, on `worker_threads` named threads.
  std::unique_ptr<net::io_context> workers;
  std::vector<std::thread> worker_threads;
  ssl::context ssl_ctx{ssl::context::tls_server};
  std::unique_ptr<tcp::acceptor> https_acceptor;
  std::unique_ptr<tcp::acceptor> http_acceptor;
  std::vector<std::thread> io_threads;
  std::atomic<int64_t> connections{0};
  std::atomic<bool> stopping{false};
  int https_port = -1;
  int http_port = -1;

  void Accept(tcp::acceptor& acceptor, bool tls);
};

namespace {

// One connection. `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& server, Stream stream, bool tls)
      : server_(server), stream_(std::move(stream)), tls_(tls) {
    ++server_.connections;
  }
  ~Session() { --server_.connections; }

  void Run() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return;
                                self->ReadIdentity();
                                self->DoRead();
                              });
    } else {
      net::dispatch(stream_.get_executor(),
                    [self = this->shared_from_this()] { self->DoRead(); });
    }
  }

 private:
  void ReadIdentity() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      SSL* ssl = stream_.native_handle();
      X509* cert = SSL_get0_peer_certificate(ssl);
      if (cert && SSL_get_verify_result(ssl) == X509_V_OK) {
        pki::Identity id = pki::IdentityFromCert(cert);
        if (!id.user.empty()) {
          user_ = id.user;
          groups_ = id.groups;
        }
      }
    }
  }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(server_.opts.max_body_bytes + 1);
    parser_->header_limit(64 * 1024);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::minutes(5));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      HttpResponse r;
      r.status = 413;
      r.body =
          R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the request body is too large","reason":"RequestEntityTooLarge","code":413})";
      keep_alive_ = false;
      head_request_ = false;
      Write(std::move(r));
      return;
    }
    if (ec) return Close();
    auto& msg = parser_->get();
    auto req = std::make_shared<HttpRequest>();
    req->method = std::string(msg.method_string());
    std::string_view target(msg.target().data(), msg.target().size());
    size_t q = target.find('?');
    req->path = UrlDecode(target.substr(0, q), false);
    if (q != std::string_view::npos) req->query = ParseQuery(target.substr(q + 1));
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      // Repeated fields (X-Stream-Protocol-Version) are one comma-separated list.
      auto [it, inserted] = req->headers.emplace(name, std::string(f.value()));
      if (!inserted) it->second += ", " + std::string(f.value());
    }
    req->body = std::move(msg.body());
    req->tls = tls_;
    req->peer_user = user_;
    req->peer_groups = groups_;
    // Only creates answer asynchronously today; other requests skip the allocation.
    if (req->method == "POST") req->async_reply = std::make_shared<Reply>(this->shared_from_this());
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    head_request_ = msg.method() == http::verb::head;
    beast::get_lowest_layer(stream_).expires_never();
    if (server_.opts.run_inline && server_.opts.run_inline(*req)) {
      HttpResponse resp;
      try {
        resp = server_.handler(*req);
      } catch (const std::exception& e) {
        spdlog::error("handler for {} {} threw: {}", req->method, req->path, e.what());
        resp.status = 500;
        resp.body =
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"internal error","reason":"InternalError","code":500})";
      }
      Write(std::move(resp));
      return;
    }
    net::post(*server_.workers, [self = this->shared_from_this(), req] {
      HttpResponse resp;
      try {
        resp = self->server_.handler(*req);
      } catch (const std::exception& e) {
        spdlog::error("handler for {} {} threw: {}", req->method, req->path, e.what());
        resp.status = 500;
        resp.body =
            R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"internal error","reason":"InternalError","code":500})";
      }
      net::dispatch(self->stream_.get_executor(), [self, resp = std::move(resp)]() mutable {
        self->Write(std::move(resp));
      });
    });
  }

  // The AsyncReply of one request: posts to this connection's loop and writes from there.
  class Reply : public AsyncReply {
   public:
    explicit Reply(std::shared_ptr<Session> session)
        : exec_(session->stream_.get_executor()), session_(std::move(session)) {}
    void Post(std::function<void()> fn) override { net::post(exec_, std::move(fn)); }
    void Send(HttpResponse resp) override {
      std::shared_ptr<Session> s = std::move(session_);  // one answer; then let the session go
      if (s) s->Write(std::move(resp));
    }

   private:
    net::any_io_executor exec_;
    std::shared_ptr<Session> session_;
  };

  void Write(HttpResponse resp) {
    if (resp.deferred) return;  // the answer comes later through the request's AsyncReply
    if (resp.upgrade) return HandOver(std::move(resp.upgrade));
    if (resp.stream) return StartStream(std::move(resp));
    auto out = std::make_shared<std::string>(
        SerializeResponse(std::move(resp), version_, keep_alive_, head_request_));
    net::async_write(stream_, net::buffer(*out),
                     [self = this->shared_from_this(), out](beast::error_code ec, size_t) {
                       if (ec || !self->keep_alive_) return self->Close();
                       self->DoRead();
                     });
  }

  // ---- protocol upgrades (exec/attach/port-forward) ----
  // The connection leaves this session: the handler answers the upgrade and runs the stream
  // asynchronously on this connection's loop. Bytes read past the request go with it.
  void HandOver(std::shared_ptr<streaming::UpgradeHandler> handler) {
    std::string leftover = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    closed_ = true;  // stream_ is moved out; this session must not touch it again
    auto conn = std::make_unique<streaming::AsioByteStream<Stream>>(std::move(stream_));
    handler->Run(streaming::WithPrefix(std::move(conn), std::move(leftover)));
  }

  // ---- streaming (chunked) responses ----
  void StartStream(HttpResponse resp) {
    stream_body_ = resp.stream;
    auto res = std::make_shared<http::response<http::empty_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(resp.status));
    res->set(http::field::content_type, resp.content_type);
    for (auto& [k, v] : resp.headers) res->insert(k, v);
    res->chunked(true);
    auto sr = std::make_shared<http::response_serializer<http::empty_body>>(*res);
    http::async_write_header(
        stream_, *sr, [self = this->shared_from_this(), res, sr](beast::error_code ec, size_t) {
          if (ec) return self->AbortStream();
          std::weak_ptr<Session> weak = self;
          auto exec = self->stream_.get_executor();
          self->stream_body_->Start([weak, exec] {
            net::post(exec, [weak] {
              if (auto s = weak.lock()) s->Pump();
            });
          });
          self->WatchForDisconnect();
          self->Pump();
        });
  }

  // A streamed response reads nothing more from the client; a read completing (EOF/error)
  // means the client went away.
  void WatchForDisconnect() {
    stream_.async_read_some(net::buffer(probe_),
                            [self = this->shared_from_this()](beast::error_code ec, size_t) {
                              if (ec && self->stream_body_) self->AbortStream();
                              else if (!ec && self->stream_body_) self->WatchForDisconnect();
                            });
  }

  void Pump() {
    if (!stream_body_ || writing_) return;
    std::string data;
    bool more = stream_body_->Pull(&data);
    if (data.empty() && more) return;  // nothing yet; wait for wake
    writing_ = true;
    auto chunk = std::make_shared<std::string>(std::move(data));
    auto after = [self = this->shared_from_this(), more, chunk](beast::error_code ec, size_t) {
      self->writing_ = false;
      if (ec) return self->AbortStream();
      if (more) return self->Pump();
      self->FinishStream();
    };
    if (chunk->empty()) {
      after({}, 0);
      return;
    }
    net::async_write(stream_, http::make_chunk(net::buffer(*chunk)), std::move(after));
  }

  void FinishStream() {
    auto body = std::move(stream_body_);
    if (body) body->Cancel();
    writing_ = true;
    net::async_write(stream_, http::make_chunk_last(),
                     [self = this->shared_from_this()](beast::error_code, size_t) {
                       self->writing_ = false;
                       self->Close();  // the disconnect probe holds a read; start fresh
                     });
  }

  void AbortStream() {
    if (stream_body_) {
      stream_body_->Cancel();
      stream_body_.reset();
    }
    Close();
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(stream_).close();
  }

  HttpServer::Impl& server_;
  Stream stream_;
  bool tls_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool head_request_ = false;  // the request being answered is a HEAD
  std::string user_;  // verified client certificate identity

  std::vector<std::string> groups_;
  std::shared_ptr<ResponseStream> stream_body_;
  bool writing_ = false;
  bool closed_ = false;
  char probe_[64];
};

}  // namespace

void HttpServer::Impl::Accept(tcp::acceptor& acceptor, bool tls) {
  net::io_context& loop = *loops[next_loop++ % loops.size()];
  acceptor.async_accept(loop, [this, &acceptor, tls](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      // The session starts on its own loop's thread and stays there.
      auto exec = socket.get_executor();
      if (tls) {
        auto session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            *this, beast::ssl_stream<beast::tcp_stream>(std::move(socket), ssl_ctx), true);
        net::post(exec, [session] { session->Run(); });
      } else {
        auto session = std::make_shared<Session<beast::tcp_stream>>(
            *this, beast::tcp_stream(std::move(socket)), false);
        net::post(exec, [session] { session->Run(); });
      }
    }
    Accept(acceptor, tls);
  });
}

HttpServer::HttpServer(HttpServerOptions opts, HttpHandler handler)
    : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

namespace {
api::Result<std::unique_ptr<tcp::acceptor>> Listen(net::io_context& ioc, const std::string& addr,
                                                   int port) {
  beast::error_code ec;
  auto address = net::ip::make_address(addr, ec);
  if (ec) return api::Status::BadRequest("invalid bind address " + addr);
  auto acc = std::make_unique<tcp::acceptor>(ioc);
  tcp::endpoint ep(address, static_cast<unsigned short>(port));
  acc->open(ep.protocol(), ec);
  if (!ec) acc->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc->bind(ep, ec);
  if (!ec) acc->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return api::Status::Internal("cannot listen on " + addr + ":" + std::to_string(port) + ": " +
                                 ec.message());
  }
  return acc;
}
}  // namespace

api::Status HttpServer::Start() {
  Impl& s = *impl_;
  for (int i = 0; i < std::max(1, s.opts.io_threads); ++i) {
    s.loops.push_back(std::make_unique<net::io_context>(1));  // run by exactly one thread
  }
  if (s.opts.https_port >= 0) {
    beast::error_code ec;
    s.ssl_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1);
    s.ssl_ctx.use_certificate_chain_file(s.opts.tls_cert_file, ec);
    if (!ec) s.ssl_ctx.use_private_key_file(s.opts.tls_key_file, ssl::context::pem, ec);
    if (ec) return api::Status::Internal("loading serving certificate: " + ec.message());
    if (!s.opts.client_ca_file.empty()) {
      s.ssl_ctx.load_verify_file(s.opts.client_ca_file, ec);
      if (ec) return api::Status::Internal("loading client CA: " + ec.message());
      // Ask for a client certificate but do not require one: unauthenticated requests get 401
      // from the handler (except health and version endpoints).
      s.ssl_ctx.set_verify_mode(ssl::verify_peer);
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(s.opts.client_ca_file.c_str())) {
        SSL_CTX_set_client_CA_list(s.ssl_ctx.native_handle(), names);  // tells clients our CA
      }
      SSL_CTX_set_verify(s.ssl_ctx.native_handle(), SSL_VERIFY_PEER, nullptr);
    }
    auto acc = Listen(*s.loops[0], s.opts.bind_address, s.opts.https_port);
    if (!acc.ok()) return acc.status();
    s.https_acceptor = std::move(*acc);
    s.https_port = s.https_acceptor->local_endpoint().port();
  }
  if (s.opts.http_port >= 0) {
    auto acc = Listen(*s.loops[0], s.opts.http_bind_address, s.opts.http_port);
    if (!acc.ok()) return acc.status();
    s.http_acceptor = std::move(*acc);
    s.http_port = s.http_acceptor->local_endpoint().port();
  }
  s.workers = std::make_unique<net::io_context>(s.opts.worker_threads);
  s.work.push_back(net::make_work_guard(*s.workers));
  for (int i = 0; i < s.opts.worker_threads; ++i) {
    s.worker_threads.emplace_back([w = s.workers.get()] {
      pthread_setname_np(pthread_self(), "http-worker");  // for top -H and perf
      w->run();
    });
  }
  for (auto& loop : s.loops) s.work.push_back(net::make_work_guard(*loop));
  if (s.https_acceptor) s.Accept(*s.https_acceptor, true);
  if (s.http_acceptor) s.Accept(*s.http_acceptor, false);
  for (auto& loop : s.loops) {
    s.io_threads.emplace_back([l = loop.get()] {
      pthread_setname_np(pthread_self(), "http-io");  // for top -H and perf
      l->run();
    });
  }
  return api::Status::Ok();
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  beast::error_code ec;
  if (s.https_acceptor) s.https_acceptor->close(ec);
  if (s.http_acceptor) s.http_acceptor->close(ec);
  s.work.clear();
  for (auto& loop : s.loops) loop->stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  if (s.workers) {
    s.workers->stop();
    for (auto& t : s.worker_threads) t.join();
    s.worker_threads.clear();
  }
}

int HttpServer::https_port() const { return impl_->https_port; }
int HttpServer::http_port() const { return impl_->http_port; }
int64_t HttpServer::open_connections() const { return impl_->connections.load(); }

}  // namespace kc::apiserver
