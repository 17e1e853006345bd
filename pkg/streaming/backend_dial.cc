#include "pkg/streaming/backend_dial.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

#include "pkg/streaming/asio_byte_stream.h"

namespace kc::streaming {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

api::Result<ParsedUrl> ParseStreamUrl(const std::string& url) {
  constexpr std::string_view kHttp = "http://";
  if (url.rfind("https://", 0) == 0) {
    return api::Status::Internal("TLS streaming URLs are not supported: " + url);
  }
  if (url.rfind(kHttp, 0) != 0) return api::Status::Internal("invalid streaming URL: " + url);
  std::string rest = url.substr(kHttp.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  ParsedUrl out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!authority.empty() && authority.front() == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) return api::Status::Internal("invalid streaming URL: " + url);
    out.host = authority.substr(1, close - 1);
    out.port = close + 1 < authority.size() && authority[close + 1] == ':'
                   ? authority.substr(close + 2)
                   : "80";
  } else {
    size_t colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    out.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (out.host.empty() || out.port.empty()) {
    return api::Status::Internal("invalid streaming URL: " + url);
  }
  return out;
}

namespace {

class DialOp : public std::enable_shared_from_this<DialOp> {
 public:
  DialOp(net::any_io_executor ex, ParsedUrl url, std::string protocol, DialCallback done)
      : resolver_(ex),
        stream_(ex),
        url_(std::move(url)),
        protocol_(std::move(protocol)),
        done_(std::move(done)) {}

  void Start() {
    resolver_.async_resolve(url_.host, url_.port,
                            [self = shared_from_this()](beast::error_code ec,
                                                        tcp::resolver::results_type results) {
                              self->OnResolve(ec, std::move(results));
                            });
  }

 private:
  void OnResolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return Fail("resolving " + url_.host + ": " + ec.message());
    stream_.expires_after(std::chrono::seconds(30));
    stream_.async_connect(results, [self = shared_from_this()](beast::error_code ec,
                                                               const tcp::endpoint&) {
      self->OnConnect(ec);
    });
  }

  void OnConnect(beast::error_code ec) {
    if (ec) return Fail("connecting to " + url_.host + ":" + url_.port + ": " + ec.message());
    req_.method(http::verb::post);
    req_.target(url_.target);
    req_.version(11);
    req_.set(http::field::host, url_.host + ":" + url_.port);
    req_.set(http::field::connection, "Upgrade");
    req_.set(http::field::upgrade, "SPDY/3.1");
    req_.set("X-Stream-Protocol-Version", protocol_);
    req_.set(http::field::content_length, "0");
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->OnWrite(ec);
    });
  }

  void OnWrite(beast::error_code ec) {
    if (ec) return Fail("sending upgrade request: " + ec.message());
    parser_.body_limit(64 * 1024);
    http::async_read(stream_, buffer_, parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->OnResponse(ec);
                     });
  }

  void OnResponse(beast::error_code ec) {
    if (ec) return Fail("reading upgrade response: " + ec.message());
    const auto& res = parser_.get();
    if (res.result() != http::status::switching_protocols) {
      std::string body = res.body();
      while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
      return Fail("container runtime answered " + std::to_string(res.result_int()) +
                  (body.empty() ? "" : ": " + body));
    }
    stream_.expires_never();
    std::string leftover = beast::buffers_to_string(buffer_.data());
    auto conn = std::make_unique<AsioByteStream<tcp::socket>>(stream_.release_socket());
    auto done = std::move(done_);
    done(WithPrefix(std::move(conn), std::move(leftover)));
  }

  void Fail(const std::string& why) {
    auto done = std::move(done_);
    done(api::Status::Internal("unable to upgrade connection: " + why));
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  ParsedUrl url_;
  std::string protocol_;
  DialCallback done_;
  http::request<http::empty_body> req_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void DialSpdyUpgrade(net::any_io_executor ex, const std::string& url,
                     const std::string& protocol_version, DialCallback done) {
  auto parsed = ParseStreamUrl(url);
  if (!parsed.ok()) {
    net::post(ex, [done = std::move(done), st = parsed.status()] { done(st); });
    return;
  }
  std::make_shared<DialOp>(ex, std::move(*parsed), protocol_version, std::move(done))->Start();
}

}  // namespace kc::streaming
