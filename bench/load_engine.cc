#include "bench/load_engine.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

namespace kc::bench {
namespace {

namespace net = boost::asio;
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

// What the head of an HTTP/1.1 response says; enough to find where the response ends.
struct ResponseHead {
  size_t head_len = 0;          // bytes up to and including the blank line
  int status = 0;
  int64_t content_length = -1;  // -1: absent
  bool chunked = false;
  bool close = false;
};

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Parses the response head at the start of `buf`; false while it is incomplete or malformed
// (`*bad` tells which).
bool ParseHead(std::string_view buf, ResponseHead* h, bool* bad) {
  *bad = false;
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) return false;
  h->head_len = end + 4;
  std::string_view head = buf.substr(0, end + 2);
  size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return *bad = true, false;
  h->status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  for (size_t pos = eol + 2; pos < head.size();) {
    size_t next = head.find("\r\n", pos);
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (IEquals(name, "content-length")) {
      h->content_length = std::atoll(std::string(value).c_str());
    } else if (IEquals(name, "transfer-encoding")) {
      h->chunked = IEquals(value, "chunked");
    } else if (IEquals(name, "connection")) {
      h->close = IEquals(value, "close");
    }
  }
  return true;
}

// One keep-alive connection running requests back to back, like wrk: the request goes out as
// one prepared buffer and the response is framed by a minimal head parser, so the client costs
// little CPU next to the server. Stream is tcp::socket or ssl::stream<tcp::socket>.
template <class Stream>
class Conn : public std::enable_shared_from_this<Conn<Stream>> {
 public:
  template <class... Args>
  Conn(Shared& shared, tcp::endpoint ep, Args&&... args)
      : shared_(shared), ep_(ep), stream_(std::forward<Args>(args)...) {
    latencies_.reserve(1024);
    in_.reserve(16 * 1024);
  }
  ~Conn() {
    std::lock_guard<std::mutex> l(shared_.mu);
    shared_.latencies_ms.insert(shared_.latencies_ms.end(), latencies_.begin(), latencies_.end());
  }

  void Start() {
    Socket().async_connect(ep_, [self = this->shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->Abort("connect: " + ec.message());
      self->Socket().set_option(tcp::no_delay(true));
      self->Handshake();
    });
  }

 private:
  tcp::socket& Socket() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      return stream_;
    } else {
      return stream_.next_layer();
    }
  }

  void Handshake() {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      Next();
    } else {
      stream_.async_handshake(net::ssl::stream_base::client,
                              [self = this->shared_from_this()](boost::system::error_code ec) {
                                if (ec) return self->Abort("handshake: " + ec.message());
                                self->Next();
                              });
    }
  }

  void Next() {
    int i = shared_.next.fetch_add(1);
    if (i >= shared_.total) return;  // done; the connection closes when the last ref drops
    LoadRequest r = (*shared_.make_request)(i);
    out_.clear();
    out_.append(r.method).append(" ").append(r.target).append(
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n");
    if (!r.body.empty()) {
      out_.append("Content-Type: application/json\r\nContent-Length: ")
          .append(std::to_string(r.body.size()))
          .append("\r\n");
    }
    out_.append("\r\n").append(r.body);
    in_.clear();
    head_ = {};
    start_ = Clock::now();
    net::async_write(stream_, net::buffer(out_),
                     [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                       if (ec) return self->Abort("write: " + ec.message());
                       self->Read();
                     });
  }

  void Read() {
    stream_.async_read_some(
        net::buffer(chunk_), [self = this->shared_from_this()](boost::system::error_code ec,
                                                               size_t n) {
          if (ec) return self->Abort("read: " + ec.message());
          self->in_.append(self->chunk_.data(), n);
          self->OnData();
        });
  }

  void OnData() {
    if (head_.head_len == 0) {
      bool bad = false;
      if (!ParseHead(in_, &head_, &bad)) {
        if (bad) return Abort("read: malformed response head");
        return Read();
      }
    }
    std::string_view body(in_);
    body.remove_prefix(head_.head_len);
    if (head_.chunked) {
      // The small bodies here end with the last-chunk marker; enough to frame them.
      if (body.size() < 5 || body.substr(body.size() - 5) != "0\r\n\r\n") return Read();
    } else if (head_.content_length >= 0) {
      if (body.size() < static_cast<size_t>(head_.content_length)) return Read();
    } else {
      return Abort("read: response without Content-Length");
    }
    Done(body);
  }

  void Done(std::string_view body) {
    latencies_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start_).count());
    if (head_.status == shared_.expect_status) {
      shared_.ok.fetch_add(1);
    } else {
      shared_.Fail("HTTP " + std::to_string(head_.status) + ": " +
                   std::string(body.substr(0, 200)));
    }
    if (head_.close) return Abort("server closed the connection");
    Next();
  }

  // A broken connection fails its current request; the others carry the remaining work.
  void Abort(const std::string& why) { shared_.Fail(why); }

  Shared& shared_;
  tcp::endpoint ep_;
  Stream stream_;
  std::string out_;                 // the request being sent
  std::string in_;                  // the response read so far
  std::array<char, 16384> chunk_;   // one read
  ResponseHead head_;
  Clock::time_point start_;
  std::vector<double> latencies_;
};

bool LoadPem(net::ssl::context& ctx, const LoadTarget& t, std::string* err) {
  boost::system::error_code ec;
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
  boost::system::error_code ec;
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
      std::make_shared<Conn<net::ssl::stream<tcp::socket>>>(shared, ep, ioc, ctx)->Start();
    } else {
      std::make_shared<Conn<tcp::socket>>(shared, ep, ioc)->Start();
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
