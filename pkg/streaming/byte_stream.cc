#include "pkg/streaming/byte_stream.h"

#include <algorithm>
#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>
#include <cstring>

namespace kc::streaming {

namespace {

class PrefixedByteStream final : public ByteStream {
 public:
  PrefixedByteStream(std::unique_ptr<ByteStream> inner, std::string prefix)
      : inner_(std::move(inner)), prefix_(std::move(prefix)) {}

  boost::asio::any_io_executor get_executor() override { return inner_->get_executor(); }

  void AsyncReadSome(boost::asio::mutable_buffer buf, Handler handler) override {
    if (offset_ >= prefix_.size() || buf.size() == 0) {
      if (!prefix_.empty()) {
        prefix_.clear();
        prefix_.shrink_to_fit();
      }
      return inner_->AsyncReadSome(buf, std::move(handler));
    }
    size_t n = std::min(buf.size(), prefix_.size() - offset_);
    std::memcpy(buf.data(), prefix_.data() + offset_, n);
    offset_ += n;
    boost::asio::post(inner_->get_executor(),
                      boost::asio::append(std::move(handler), boost::system::error_code(), n));
  }
  void AsyncWriteSome(boost::asio::const_buffer buf, Handler handler) override {
    inner_->AsyncWriteSome(buf, std::move(handler));
  }
  void ShutdownSend() override { inner_->ShutdownSend(); }
  void Close() override { inner_->Close(); }

 private:
  std::unique_ptr<ByteStream> inner_;
  std::string prefix_;
  size_t offset_ = 0;
};

}  // namespace

std::unique_ptr<ByteStream> WithPrefix(std::unique_ptr<ByteStream> inner, std::string prefix) {
  if (prefix.empty()) return inner;
  return std::make_unique<PrefixedByteStream>(std::move(inner), std::move(prefix));
}

}  // namespace kc::streaming
