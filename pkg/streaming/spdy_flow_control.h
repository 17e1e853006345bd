// SPDY/3.1 flow-control windows: one per stream and one for the whole session, in each
// direction. A sender may only send DATA while both its stream window and the session window
// are positive; the receiver re-opens them with WINDOW_UPDATE as it consumes data.
//
// Interoperability note: the Go SPDY stack Kubernetes and containerd use (moby/spdystream)
// neither sends WINDOW_UPDATE nor looks at the windows. A session therefore only starts
// honouring its send windows once the peer has shown that it maintains them (sent a
// WINDOW_UPDATE); until then it tracks them without blocking. Received data beyond our window is
// tolerated for the same reason.
//
// Thread-safety: value types, owned by one session.
#pragma once

#include <cstdint>

#include "pkg/streaming/spdy_frame.h"

namespace kc::streaming::spdy {

// Bytes we may still send.
class SendWindow {
 public:
  explicit SendWindow(int64_t initial = kDefaultWindow) : window_(initial) {}
  int64_t available() const { return window_; }  // may be negative after SETTINGS shrank it
  void Consume(int64_t n) { window_ -= n; }
  // Applies a WINDOW_UPDATE. False if the window would exceed 2^31-1 (a flow-control error).
  bool Update(int64_t delta) {
    if (delta <= 0 || window_ + delta > kMaxWindow) return false;
    window_ += delta;
    return true;
  }
  // SETTINGS_INITIAL_WINDOW_SIZE changed: streams' windows move by the difference.
  void Rebase(int64_t old_initial, int64_t new_initial) { window_ += new_initial - old_initial; }

  static constexpr int64_t kMaxWindow = 0x7fffffff;

 private:
  int64_t window_;
};

// Bytes the peer may still send, and when to tell it to send more.
class ReceiveWindow {
 public:
  explicit ReceiveWindow(int64_t size = kDefaultWindow) : size_(size), window_(size) {}
  int64_t window() const { return window_; }  // negative: the peer overran it
  void OnReceived(int64_t n) { window_ -= n; }
  // The application consumed `n` received bytes. Returns the WINDOW_UPDATE delta to send now,
  // or 0 while less than half the window awaits re-opening (updates are batched).
  int64_t OnConsumed(int64_t n) {
    pending_ += n;
    if (pending_ < size_ / 2) return 0;
    int64_t d = pending_;
    pending_ = 0;
    window_ += d;
    return d;
  }

 private:
  int64_t size_;
  int64_t window_;
  int64_t pending_ = 0;
};

}  // namespace kc::streaming::spdy
