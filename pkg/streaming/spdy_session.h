// SpdyClientSession: the client end of one SPDY/3.1 connection whose HTTP upgrade already
// happened (the API server's connection to containerd's stream server). It opens streams
// (odd ids), sends DATA with FIN, answers PINGs, honours the peer's flow-control windows once the
// peer maintains them (see spdy_flow_control.h), re-opens our receive windows as the
// application reports consumption, and refuses server-initiated streams.
//
// Everything runs asynchronously on the connection's executor; no thread is held. The
// Handler's callbacks are invoked on that executor and never after Close().
//
// Thread-safety: not thread-safe; call only on the connection's executor.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>

#include "pkg/api/status.h"
#include "pkg/streaming/byte_stream.h"
#include "pkg/streaming/spdy_flow_control.h"
#include "pkg/streaming/spdy_frame.h"

namespace kc::streaming::spdy {

class SpdyClientSession : public std::enable_shared_from_this<SpdyClientSession> {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // DATA received on a stream (non-empty).
    virtual void OnStreamData(uint32_t stream_id, std::string data) = 0;
    // The peer finished its side of the stream: FIN (reset = false) or RST_STREAM.
    virtual void OnStreamEnd(uint32_t stream_id, bool reset) = 0;
    // The connection ended: EOF (OK) or an I/O or protocol error. The last callback.
    virtual void OnSessionEnd(const api::Status& status) = 0;
    // The send queue fell below the low-water mark after having been above the high one.
    virtual void OnWritable() {}
  };

  // Bytes queued for sending above which callers should stop producing (queued_bytes()), and
  // below which OnWritable fires again.
  static constexpr size_t kHighWater = 1024 * 1024;
  static constexpr size_t kLowWater = 256 * 1024;

  SpdyClientSession(std::unique_ptr<ByteStream> conn, Handler& handler);
  ~SpdyClientSession();

  void Start();
  // Sends SYN_STREAM with `headers`; returns the new stream's id.
  uint32_t OpenStream(HeaderBlock headers);
  // Queues DATA for the stream (split into frames within the flow-control windows); `fin`
  // half-closes our side after it. Ignored after our side is closed.
  void Send(uint32_t stream_id, std::string data, bool fin);
  // The application consumed `n` bytes delivered by OnStreamData: may send WINDOW_UPDATEs.
  void Consumed(uint32_t stream_id, size_t n);
  // Stops (true) or resumes reading from the connection (backpressure).
  void PauseReading(bool paused);
  size_t queued_bytes() const { return queued_bytes_; }
  // Sends GOAWAY, then closes once everything queued has been written.
  void GoAwayAndClose();
  // Closes the connection now; no more callbacks.
  void Close();

 private:
  struct Stream {
    SendWindow send;
    ReceiveWindow receive;
    std::deque<std::string> pending;  // DATA not yet allowed by the windows
    bool fin_pending = false;         // send FIN after `pending`
    bool local_closed = false;        // FIN queued
    bool remote_closed = false;
  };

  void Read();
  void OnRead(boost::system::error_code ec, size_t n);
  void HandleFrame(Frame& f);
  void QueueFrame(const Frame& f);
  void PumpData();
  void Write();
  void End(const api::Status& status);
  bool Enforcing() const { return peer_flow_control_; }

  std::unique_ptr<ByteStream> conn_;
  Handler& handler_;
  FrameWriter writer_;
  FrameReader reader_;
  std::map<uint32_t, Stream> streams_;
  uint32_t next_stream_id_ = 1;
  SendWindow session_send_;
  ReceiveWindow session_receive_;
  int64_t initial_send_window_ = kDefaultWindow;
  bool peer_flow_control_ = false;

  std::deque<std::string> out_;  // encoded frames
  size_t queued_bytes_ = 0;      // out_ plus streams' pending data
  bool above_high_water_ = false;
  bool writing_ = false;
  bool reading_ = false;
  bool read_paused_ = false;
  bool close_after_flush_ = false;
  bool closed_ = false;  // Close() or End(): no more callbacks, no more I/O
  std::string read_buf_;
};

}  // namespace kc::streaming::spdy
