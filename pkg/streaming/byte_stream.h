// ByteStream: one ordered, reliable byte connection (a TCP socket, a TLS stream, an upgraded
// HTTP connection) behind a small virtual interface, so the relays in this library work the same
// over the API server's TLS connections, plain TCP to containerd, and test sockets.
//
// Operations are asynchronous in the Asio style: a completion handler is invoked through the
// stream's executor (normally a strand), never from inside the initiating call. At most one
// read and one write may be outstanding at a time.
//
// Thread-safety: not thread-safe; call only on the stream's executor.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <string>

namespace kc::streaming {

class ByteStream {
 public:
  using Handler =
      boost::asio::any_completion_handler<void(boost::system::error_code, std::size_t)>;

  virtual ~ByteStream() = default;

  virtual boost::asio::any_io_executor get_executor() = 0;
  // Reads at least one byte (or fails; end of stream is boost::asio::error::eof).
  virtual void AsyncReadSome(boost::asio::mutable_buffer buf, Handler handler) = 0;
  // Writes at least one byte of `buf`.
  virtual void AsyncWriteSome(boost::asio::const_buffer buf, Handler handler) = 0;
  // Half-close: tells the peer no more bytes follow (TCP FIN); reading stays possible.
  virtual void ShutdownSend() = 0;
  // Closes the connection; outstanding operations complete with operation_aborted.
  virtual void Close() = 0;
};

// A stream whose first reads return `prefix` (bytes already read past an HTTP message by
// whoever parsed it) before reading from `inner`.
std::unique_ptr<ByteStream> WithPrefix(std::unique_ptr<ByteStream> inner, std::string prefix);

}  // namespace kc::streaming
