#include "bench/load_engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace kc::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Shared {
  const std::function<LoadRequest(int)>* make_request;
  int total = 0;
  int expect_status = 200;
  std::atomic<int> next{0};
  std::atomic<int> ok{0}, failed{0};
  std::mutex mu;  // guards first_error and latencies
  std::string first_error;
  std::vector<double> latencies_ms;

  void Fail(const std::string& why) {
    failed.fetch_add(1);
    std::lock_guard<std::mutex> l(mu);
    if (first_error.empty()) first_error = why;
  }
};

// One keep-alive connection running requests back to back. Stream is beast::tcp_stream or
// beast::ssl_stream<beast::tcp_stream>.
template <class Stream>
class Conn : public std::enable_shared_from_this<Conn<Stream>> {
 public:
  template <class... Args>
  Conn(Shared& shared, tcp::endpoint ep, Args&&... args)
      : shared_(shared), ep_(ep), stream_(std::forward<Args>(args)...) {
    latencies_.reserve(1024);
  }
  ~Conn() {
    std::lock_guard<std::mutex> l(shared_.mu);
    shared_.latencies_ms.insert(shared_.latencies_ms.end(), latencies_.begin(), latencies_.end());
  }

  void Start() {
    beast::get_lowest_layer(stream_).async_connect(
        ep_, [self = this->shared_from_this()](beast::error_code ec) {
          if (ec) return self->Abort("connect: " + ec.message());
          beast::get_lowest_layer(self->stream_).socket().set_option(tcp::no_delay(true));
          self->Handshake();
        });
  }

 private:
  void Handshake() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      Next();
    } else {
      stream_.async_handshake(net::ssl::stream_base::client,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->Abort("handshake: " + ec.message());
                                self->Next();
                              });
    }
  }

  void Next() {
    int i = shared_.next.fetch_add(1);
    if (i >= shared_.total) return;  // done; the connection closes when the last ref drops
    LoadRequest r = (*shared_.make_request)(i);
    req_ = {};
    req_.method_string(r.method);
    req_.target(r.target);
    req_.version(11);
    req_.set(http::field::host, "127.0.0.1");
    req_.set(http::field::accept, "application/json");
    if (!r.body.empty()) req_.set(http::field::content_type, "application/json");
    req_.body() = std::move(r.body);
    req_.prepare_payload();
    start_ = Clock::now();
    http::async_write(stream_, req_,
                      [self = this->shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->Abort("write: " + ec.message());
                        self->Read();
                      });
  }

  void Read() {
    res_ = {};
    http::async_read(stream_, buf_, res_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Abort("read: " + ec.message());
                       self->Done();
                     });
  }

  void Done() {
    latencies_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start_).count());
    if (res_.result_int() == static_cast<unsigned>(shared_.expect_status)) {
      shared_.ok.fetch_add(1);
    } else {
      shared_.Fail("HTTP " + std::to_string(res_.result_int()) + ": " + res_.body().substr(0, 200));
    }
    if (!res_.keep_alive()) return Abort("server closed the connection");
    Next();
  }

  // A broken connection fails its current request; the others carry the remaining work.
  void Abort(const std::string& why) { shared_.Fail(why); }

  Shared& shared_;
  tcp::endpoint ep_;
  Stream stream_;
  beast::flat_buffer buf_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
  Clock::time_point start_;
  std::vector<double> latencies_;
};

bool LoadPem(net::ssl::context& ctx, const LoadTarget& t, std::string* err) {
  beast::error_code ec;
  if (!t.ca_pem.empty()) {
    ctx.add_certificate_authority(net::buffer(t.ca_pem), ec);
    if (ec) return *err = "ca: " + ec.message(), false;
    ctx.set_verify_mode(net::ssl::verify_peer);
  } else {
    ctx.set_verify_mode(net::ssl::verify_none);
  }
  if (!t.cert_pem.empty()) {
    ctx.use_certificate_chain(net::buffer(t.cert_pem), ec);
    if (ec) return *err = "cert: " + ec.message(), false;
    ctx.use_private_key(net::buffer(t.key_pem), net::ssl::context::pem, ec);
    if (ec) return *err = "key: " + ec.message(), false;
  }
  return true;
}

}  // namespace

bool ParseServerUrl(const std::string& url, LoadTarget* out) {
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out->tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    out->tls = false;
    rest = url.substr(7);
  } else {
    return false;
  }
  rest = rest.substr(0, rest.find('/'));
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) {
    out->host = rest;
    out->port = out->tls ? 443 : 80;
    return !rest.empty();
  }
  out->host = rest.substr(0, colon);
  try {
    out->port = std::stoi(rest.substr(colon + 1));
  } catch (...) {
    return false;
  }
  return !out->host.empty() && out->port > 0;
}

LoadResult RunLoad(const LoadTarget& target, int connections, int threads, int total,
                   const std::function<LoadRequest(int)>& make_request, int expect_status) {
  LoadResult result;
  Shared shared;
  shared.make_request = &make_request;
  shared.total = total;
  shared.expect_status = expect_status;
  threads = std::max(1, std::min(threads, connections));

  net::ssl::context ctx(net::ssl::context::tls_client);
  std::string err;
  if (target.tls && !LoadPem(ctx, target, &err)) {
    result.failures = total;
    result.first_error = err;
    return result;
  }
  beast::error_code ec;
  tcp::endpoint ep(net::ip::make_address(target.host, ec), static_cast<uint16_t>(target.port));
  if (ec) {
    result.failures = total;
    result.first_error = "address: " + ec.message();
    return result;
  }

  std::vector<std::unique_ptr<net::io_context>> loops;
  for (int t = 0; t < threads; ++t) loops.push_back(std::make_unique<net::io_context>(1));
  for (int c = 0; c < connections; ++c) {
    net::io_context& ioc = *loops[c % threads];
    if (target.tls) {
      std::make_shared<Conn<beast::ssl_stream<beast::tcp_stream>>>(shared, ep, ioc, ctx)->Start();
    } else {
      std::make_shared<Conn<beast::tcp_stream>>(shared, ep, ioc)->Start();
    }
  }
  auto start = Clock::now();
  std::vector<std::thread> ts;
  for (auto& l : loops) ts.emplace_back([&l] { l->run(); });
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  loops.clear();  // destroys the connections, which hand in their latencies

  result.ok = shared.ok.load();
  result.failures = shared.failed.load();
  result.ops_per_sec = secs > 0 ? result.ok / secs : 0;
  result.first_error = shared.first_error;
  std::vector<double>& lat = shared.latencies_ms;
  std::sort(lat.begin(), lat.end());
  if (!lat.empty()) {
    result.p50_ms = lat[lat.size() / 2];
    result.p99_ms = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
  }
  return result;
}

}  // namespace kc::bench
