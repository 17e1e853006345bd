// AsyncByteStream: presents a ByteStream (by reference) as an Asio AsyncReadStream /
// AsyncWriteStream, so Beast's websocket::stream and http::async_read/async_write, and
// asio::async_write, run on top of it.
//
// Multi-buffer sequences are served one buffer at a time (a legal partial read/write).
//
// Thread-safety: as the ByteStream it refers to.
#pragma once

#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/system/error_code.hpp>

#include "pkg/streaming/byte_stream.h"

namespace kc::streaming {

class AsyncByteStream {
 public:
  using executor_type = boost::asio::any_io_executor;

  explicit AsyncByteStream(ByteStream& stream) : stream_(&stream) {}

  executor_type get_executor() const noexcept { return stream_->get_executor(); }
  ByteStream& stream() const { return *stream_; }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        [](auto handler, ByteStream* s, const MutableBufferSequence& bufs) {
          s->AsyncReadSome(First<boost::asio::mutable_buffer>(bufs), std::move(handler));
        },
        token, stream_, buffers);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        [](auto handler, ByteStream* s, const ConstBufferSequence& bufs) {
          s->AsyncWriteSome(First<boost::asio::const_buffer>(bufs), std::move(handler));
        },
        token, stream_, buffers);
  }

 private:
  template <class Buffer, class Sequence>
  static Buffer First(const Sequence& seq) {
    for (auto it = boost::asio::buffer_sequence_begin(seq); it != boost::asio::buffer_sequence_end(seq);
         ++it) {
      Buffer b(*it);
      if (b.size() > 0) return b;
    }
    return Buffer();
  }

  ByteStream* stream_;
};

// Beast's websocket close handshake tears the transport down through these (found by ADL).
inline void teardown(boost::beast::role_type, AsyncByteStream& s, boost::system::error_code& ec) {
  s.stream().Close();
  ec = {};
}

template <class TeardownHandler>
void async_teardown(boost::beast::role_type, AsyncByteStream& s, TeardownHandler&& handler) {
  s.stream().Close();
  boost::asio::post(s.get_executor(),
                    boost::beast::bind_front_handler(std::forward<TeardownHandler>(handler),
                                                     boost::system::error_code()));
}

// Beast's timeout machinery closes the lowest layer through this (found by ADL).
inline void beast_close_socket(AsyncByteStream& s) { s.stream().Close(); }

}  // namespace kc::streaming
