#include "pkg/dns/net_util.h"

#include <arpa/inet.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kc::dns {

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) close(fd_);
  fd_ = fd;
}

uint16_t SockAddr::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  }
  return 0;
}

void SockAddr::set_port(uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
}

std::string SockAddr::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf, sizeof(buf));
    return std::string(buf) + ":" + std::to_string(port());
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf,
              sizeof(buf));
    return "[" + std::string(buf) + "]:" + std::to_string(port());
  }
  return "?";
}

api::Result<SockAddr> ParseHostPort(const std::string& s, uint16_t default_port) {
  std::string host = s;
  std::string port;
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) return api::Status::Invalid("bad address \"" + s + "\"");
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return api::Status::Invalid("bad address \"" + s + "\"");
      port = s.substr(close + 2);
    }
  } else if (s.find(':') != std::string::npos && s.find(':') == s.rfind(':')) {
    host = s.substr(0, s.find(':'));
    port = s.substr(s.find(':') + 1);
  }
  uint16_t port_num = default_port;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) > 65535) {
      return api::Status::Invalid("bad port in \"" + s + "\"");
    }
    port_num = static_cast<uint16_t>(std::stoi(port));
  }
  SockAddr addr;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    addr.len = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    addr.len = sizeof(sockaddr_in6);
  } else {
    return api::Status::Invalid("not a numeric IP address: \"" + s + "\"");
  }
  addr.set_port(port_num);
  return addr;
}

WaitResult WaitFd(int fd, short events, Clock::time_point deadline, int stop_fd) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return WaitResult::kTimeout;
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    int n = poll(fds, stop_fd >= 0 ? 2 : 1, static_cast<int>(left.count()));
    if (n < 0) {
      if (errno == EINTR) continue;
      return WaitResult::kStopped;
    }
    if (n == 0) continue;  // re-check the deadline
    if (stop_fd >= 0 && (fds[1].revents & POLLIN)) return WaitResult::kStopped;
    if (fds[0].revents) return WaitResult::kReady;
  }
}

namespace {

api::Status WaitError(WaitResult r) {
  return r == WaitResult::kTimeout ? api::Status(api::Reason::kTimeout, "timed out")
                                   : api::Status::Unavailable("stopped");
}

// Reads exactly `len` bytes. `*got` tells how many arrived before an error.
api::Status ReadFull(int fd, uint8_t* buf, size_t len, Clock::time_point deadline, int stop_fd,
                     size_t* got) {
  *got = 0;
  while (*got < len) {
    WaitResult w = WaitFd(fd, POLLIN, deadline, stop_fd);
    if (w != WaitResult::kReady) return WaitError(w);
    ssize_t n = recv(fd, buf + *got, len - *got, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return api::Status::Unavailable(std::string("recv: ") + std::strerror(errno));
    }
    if (n == 0) return api::Status::NotFound("connection closed");
    *got += static_cast<size_t>(n);
  }
  return api::Status::Ok();
}

}  // namespace

api::Result<std::vector<uint8_t>> ReadTcpMessage(int fd, Clock::time_point deadline, int stop_fd) {
  uint8_t len_buf[2];
  size_t got = 0;
  api::Status st = ReadFull(fd, len_buf, 2, deadline, stop_fd, &got);
  if (!st.ok()) {
    if (st.reason() == api::Reason::kNotFound && got > 0) {
      return api::Status::BadRequest("connection closed inside a message");
    }
    return st;
  }
  size_t len = (static_cast<size_t>(len_buf[0]) << 8) | len_buf[1];
  std::vector<uint8_t> msg(len);
  st = ReadFull(fd, msg.data(), len, deadline, stop_fd, &got);
  if (!st.ok()) {
    if (st.reason() == api::Reason::kNotFound) {
      return api::Status::BadRequest("connection closed inside a message");
    }
    return st;
  }
  return msg;
}

api::Status WriteTcpMessage(int fd, const std::vector<uint8_t>& msg, Clock::time_point deadline,
                            int stop_fd) {
  if (msg.size() > 65535) return api::Status::BadRequest("DNS message too large for TCP");
  std::vector<uint8_t> buf;
  buf.reserve(msg.size() + 2);
  buf.push_back(static_cast<uint8_t>(msg.size() >> 8));
  buf.push_back(static_cast<uint8_t>(msg.size() & 0xff));
  buf.insert(buf.end(), msg.begin(), msg.end());
  size_t sent = 0;
  while (sent < buf.size()) {
    WaitResult w = WaitFd(fd, POLLOUT, deadline, stop_fd);
    if (w != WaitResult::kReady) return WaitError(w);
    ssize_t n = send(fd, buf.data() + sent, buf.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return api::Status::Unavailable(std::string("send: ") + std::strerror(errno));
    }
    sent += static_cast<size_t>(n);
  }
  return api::Status::Ok();
}

}  // namespace kc::dns
