// Socket plumbing of the DNS server: owned file descriptors, "ip:port" addresses, waiting with a
// deadline that a stop descriptor can cut short, and DNS-over-TCP framing (RFC 1035 4.2.2: a
// two-byte length before each message).
//
// Thread-safety: free functions and value types; a descriptor is used by one thread at a time
// (apart from the stop descriptor, which any thread may poll).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::dns {

using Clock = std::chrono::steady_clock;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) Reset(o.Release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = 0;

  int family() const { return storage.ss_family; }
  uint16_t port() const;
  void set_port(uint16_t port);
  // "1.2.3.4:53" or "[fd00::1]:53".
  std::string ToString() const;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

// "1.2.3.4", "1.2.3.4:53", "fd00::1", "[fd00::1]:53" (numeric addresses only).
api::Result<SockAddr> ParseHostPort(const std::string& s, uint16_t default_port);

enum class WaitResult { kReady, kTimeout, kStopped };
// Waits for `events` (POLLIN/POLLOUT) on `fd` until `deadline`, or until `stop_fd` (when >= 0)
// becomes readable.
WaitResult WaitFd(int fd, short events, Clock::time_point deadline, int stop_fd);

// Reads one length-prefixed DNS message. A clean close before the first byte is NotFound.
api::Result<std::vector<uint8_t>> ReadTcpMessage(int fd, Clock::time_point deadline, int stop_fd);
api::Status WriteTcpMessage(int fd, const std::vector<uint8_t>& msg, Clock::time_point deadline,
                            int stop_fd);

}  // namespace kc::dns
