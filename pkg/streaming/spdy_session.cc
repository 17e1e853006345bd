#include "pkg/streaming/spdy_session.h"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

#include "pkg/streaming/async_byte_stream.h"

namespace kc::streaming::spdy {

namespace {
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxDataFrame = 32 * 1024;
}  // namespace

SpdyClientSession::SpdyClientSession(std::unique_ptr<ByteStream> conn, Handler& handler)
    : conn_(std::move(conn)), handler_(handler), read_buf_(kReadChunk, '\0') {}

SpdyClientSession::~SpdyClientSession() = default;

void SpdyClientSession::Start() { Read(); }

uint32_t SpdyClientSession::OpenStream(HeaderBlock headers) {
  const uint32_t id = next_stream_id_;
  next_stream_id_ += 2;
  Stream& s = streams_[id];
  s.send = SendWindow(initial_send_window_);
  QueueFrame(Frame::SynStream(id, std::move(headers)));
  Write();
  return id;
}

void SpdyClientSession::Send(uint32_t stream_id, std::string data, bool fin) {
  auto it = streams_.find(stream_id);
  if (closed_ || it == streams_.end() || it->second.local_closed) return;
  Stream& s = it->second;
  queued_bytes_ += data.size();
  // Split into frames now, so PumpData can hand out window-sized pieces.
  for (size_t pos = 0; pos < data.size(); pos += kMaxDataFrame) {
    s.pending.push_back(data.substr(pos, kMaxDataFrame));
  }
  if (fin) {
    s.fin_pending = true;
    s.local_closed = true;
  }
  if (queued_bytes_ > kHighWater) above_high_water_ = true;
  PumpData();
  Write();
}

void SpdyClientSession::Consumed(uint32_t stream_id, size_t n) {
  if (closed_ || n == 0) return;
  auto it = streams_.find(stream_id);
  if (it != streams_.end() && !it->second.remote_closed) {
    if (int64_t d = it->second.receive.OnConsumed(static_cast<int64_t>(n))) {
      QueueFrame(Frame::WindowUpdate(stream_id, static_cast<uint32_t>(d)));
    }
  }
  if (int64_t d = session_receive_.OnConsumed(static_cast<int64_t>(n))) {
    QueueFrame(Frame::WindowUpdate(0, static_cast<uint32_t>(d)));
  }
  Write();
}

void SpdyClientSession::PauseReading(bool paused) {
  read_paused_ = paused;
  if (!paused) Read();
}

void SpdyClientSession::GoAwayAndClose() {
  if (closed_ || close_after_flush_) return;
  QueueFrame(Frame::GoAway(0, 0));
  close_after_flush_ = true;
  Write();
}

void SpdyClientSession::Close() {
  if (closed_) return;
  closed_ = true;
  conn_->Close();
}

void SpdyClientSession::Read() {
  if (closed_ || reading_ || read_paused_) return;
  reading_ = true;
  conn_->AsyncReadSome(boost::asio::buffer(read_buf_),
                       [self = shared_from_this()](boost::system::error_code ec, size_t n) {
                         self->OnRead(ec, n);
                       });
}

void SpdyClientSession::OnRead(boost::system::error_code ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    if (ec == boost::asio::error::eof) return End(api::Status::Ok());
    return End(api::Status::Unavailable("spdy connection: " + ec.message()));
  }
  reader_.Feed(std::string_view(read_buf_.data(), n));
  for (;;) {
    auto next = reader_.Next();
    if (!next.ok()) return End(next.status());
    if (!next->has_value()) break;
    HandleFrame(**next);
    if (closed_) return;
  }
  Write();
  Read();
}

void SpdyClientSession::HandleFrame(Frame& f) {
  switch (f.type) {
    case FrameType::kData: {
      const auto len = static_cast<int64_t>(f.data.size());
      session_receive_.OnReceived(len);
      auto it = streams_.find(f.stream_id);
      if (it == streams_.end() || it->second.remote_closed) return;  // late data: drop
      it->second.receive.OnReceived(len);
      const bool fin = f.fin();
      if (fin) it->second.remote_closed = true;
      if (!f.data.empty()) handler_.OnStreamData(f.stream_id, std::move(f.data));
      if (fin && !closed_) handler_.OnStreamEnd(f.stream_id, false);
      return;
    }
    case FrameType::kSynReply:
    case FrameType::kHeaders: {
      auto it = streams_.find(f.stream_id);
      if (it != streams_.end() && f.fin() && !it->second.remote_closed) {
        it->second.remote_closed = true;
        handler_.OnStreamEnd(f.stream_id, false);
      }
      return;
    }
    case FrameType::kRstStream: {
      auto it = streams_.find(f.stream_id);
      if (it == streams_.end()) return;
      Stream& s = it->second;
      for (const auto& p : s.pending) queued_bytes_ -= p.size();
      s.pending.clear();
      s.fin_pending = false;
      s.local_closed = true;
      if (!s.remote_closed) {
        s.remote_closed = true;
        handler_.OnStreamEnd(f.stream_id, true);
      }
      return;
    }
    case FrameType::kSettings:
      for (const Setting& s : f.settings) {
        if (s.id == kSettingsInitialWindowSize && s.value <= SendWindow::kMaxWindow) {
          for (auto& [id, st] : streams_) st.send.Rebase(initial_send_window_, s.value);
          initial_send_window_ = s.value;
        }
      }
      PumpData();
      return;
    case FrameType::kPing:
      // Our (client) ping ids are odd; an even id is the server's and is echoed back.
      if (f.value % 2 == 0) QueueFrame(Frame::Ping(f.value));
      return;
    case FrameType::kGoAway:
      return;  // the server closes the connection next; streams end with it
    case FrameType::kWindowUpdate: {
      peer_flow_control_ = true;
      if (f.stream_id == 0) {
        session_send_.Update(f.value);
      } else if (auto it = streams_.find(f.stream_id); it != streams_.end()) {
        it->second.send.Update(f.value);
      }
      PumpData();
      return;
    }
    case FrameType::kSynStream:
      QueueFrame(Frame::RstStream(f.stream_id, kRefusedStream));
      return;
    default:
      return;  // unknown control frames are ignored
  }
}

void SpdyClientSession::QueueFrame(const Frame& f) {
  if (closed_) return;
  auto bytes = writer_.Encode(f);
  if (!bytes.ok()) return End(bytes.status());
  queued_bytes_ += bytes->size();
  out_.push_back(std::move(*bytes));
}

// Moves DATA from the streams' pending queues into the output as the windows allow.
void SpdyClientSession::PumpData() {
  for (auto& [id, s] : streams_) {
    while (!s.pending.empty()) {
      std::string& chunk = s.pending.front();
      int64_t allowed = static_cast<int64_t>(chunk.size());
      if (Enforcing()) {
        allowed = std::min({allowed, s.send.available(), session_send_.available()});
        if (allowed <= 0) break;
      }
      std::string piece = chunk.substr(0, static_cast<size_t>(allowed));
      chunk.erase(0, static_cast<size_t>(allowed));
      const bool last = chunk.empty() && s.pending.size() == 1;
      if (chunk.empty()) s.pending.pop_front();
      s.send.Consume(allowed);
      session_send_.Consume(allowed);
      queued_bytes_ -= piece.size();
      const bool fin = last && s.fin_pending;
      if (fin) s.fin_pending = false;
      QueueFrame(Frame::Data(id, std::move(piece), fin));
    }
    if (s.pending.empty() && s.fin_pending) {
      s.fin_pending = false;
      QueueFrame(Frame::Data(id, std::string(), true));
    }
  }
}

void SpdyClientSession::Write() {
  if (closed_ || writing_) return;
  if (out_.empty()) {
    if (close_after_flush_) Close();
    return;
  }
  writing_ = true;
  auto self = shared_from_this();
  AsyncByteStream stream(*conn_);
  boost::asio::async_write(stream, boost::asio::buffer(out_.front()),
                           [self](boost::system::error_code ec, size_t) {
                             self->writing_ = false;
                             if (self->closed_) return;
                             if (ec) {
                               return self->End(
                                   api::Status::Unavailable("spdy connection: " + ec.message()));
                             }
                             self->queued_bytes_ -= self->out_.front().size();
                             self->out_.pop_front();
                             if (self->above_high_water_ && self->queued_bytes_ < kLowWater) {
                               self->above_high_water_ = false;
                               self->handler_.OnWritable();
                               if (self->closed_) return;
                             }
                             self->Write();
                           });
}

void SpdyClientSession::End(const api::Status& status) {
  if (closed_) return;
  closed_ = true;
  conn_->Close();
  handler_.OnSessionEnd(status);
}

}  // namespace kc::streaming::spdy
