// AsioByteStream<S>: a ByteStream over any Asio/Beast stream object S (tcp::socket,
// beast::tcp_stream, beast::ssl_stream<beast::tcp_stream>), owning it.
//
// Completion handlers run on S's executor.
//
// Thread-safety: as ByteStream.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <utility>

#include "pkg/streaming/byte_stream.h"

namespace kc::streaming {

template <class S>
class AsioByteStream final : public ByteStream {
 public:
  explicit AsioByteStream(S stream) : stream_(std::move(stream)) {}

  boost::asio::any_io_executor get_executor() override { return stream_.get_executor(); }
  // The type-erased handler is wrapped rather than passed on: in Boost 1.81 its associated
  // executor (any_completion_executor) cannot be required to be non-blocking, which Beast's
  // basic_stream and Asio's SSL stream ask for. All handlers of a connection run on the
  // connection's executor (a strand) anyway.
  void AsyncReadSome(boost::asio::mutable_buffer buf, Handler handler) override {
    stream_.async_read_some(buf, [h = std::move(handler)](boost::system::error_code ec,
                                                          std::size_t n) mutable {
      std::move(h)(ec, n);
    });
  }
  void AsyncWriteSome(boost::asio::const_buffer buf, Handler handler) override {
    stream_.async_write_some(buf, [h = std::move(handler)](boost::system::error_code ec,
                                                           std::size_t n) mutable {
      std::move(h)(ec, n);
    });
  }
  void ShutdownSend() override {
    boost::system::error_code ec;
    Socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  }
  void Close() override {
    boost::system::error_code ec;
    Socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    Socket().close(ec);
  }

  S& stream() { return stream_; }

 private:
  boost::asio::ip::tcp::socket& Socket() {
    auto& lowest = boost::beast::get_lowest_layer(stream_);
    if constexpr (std::is_same_v<std::decay_t<decltype(lowest)>, boost::asio::ip::tcp::socket>) {
      return lowest;
    } else {
      return lowest.socket();
    }
  }

  S stream_;
};

}  // namespace kc::streaming
