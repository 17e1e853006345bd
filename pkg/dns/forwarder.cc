#include "pkg/dns/forwarder.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <sstream>

#include "pkg/dns/dns_wire.h"

namespace kc::dns {
namespace {

uint16_t RandomId() {
  static std::mutex mu;
  static std::mt19937 rng{std::random_device{}()};
  std::lock_guard<std::mutex> l(mu);
  return static_cast<uint16_t>(rng() & 0xffff);
}

// Whether `answer` answers `query` (sent with `id`).
bool Matches(const ldns_pkt* query, const ldns_pkt* answer, uint16_t id) {
  if (!ldns_pkt_qr(answer) || ldns_pkt_id(answer) != id) return false;
  const ldns_rr_list* qq = ldns_pkt_question(query);
  const ldns_rr_list* aq = ldns_pkt_question(answer);
  if (!qq || !aq || ldns_rr_list_rr_count(qq) != 1 || ldns_rr_list_rr_count(aq) != 1) {
    return false;
  }
  const ldns_rr* q = ldns_rr_list_rr(qq, 0);
  const ldns_rr* a = ldns_rr_list_rr(aq, 0);
  return ldns_rr_get_type(q) == ldns_rr_get_type(a) &&
         ldns_rr_get_class(q) == ldns_rr_get_class(a) &&
         ldns_dname_compare(ldns_rr_owner(q), ldns_rr_owner(a)) == 0;
}

api::Result<UniqueFd> Connect(const SockAddr& server, int type, Clock::time_point deadline,
                              int stop_fd) {
  UniqueFd fd(socket(server.family(), type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return api::Status::Internal(std::string("socket: ") + std::strerror(errno));
  if (connect(fd.get(), server.get(), server.len) == 0) return fd;
  if (errno != EINPROGRESS) {
    return api::Status::Unavailable("connect " + server.ToString() + ": " + std::strerror(errno));
  }
  WaitResult w = WaitFd(fd.get(), POLLOUT, deadline, stop_fd);
  if (w != WaitResult::kReady) return api::Status(api::Reason::kTimeout, "connect timed out");
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    return api::Status::Unavailable("connect " + server.ToString() + ": " + std::strerror(err));
  }
  return fd;
}

}  // namespace

Forwarder::Forwarder(std::vector<SockAddr> servers, std::chrono::milliseconds timeout, int stop_fd)
    : servers_(std::move(servers)), timeout_(timeout), stop_fd_(stop_fd) {}

api::Result<PktPtr> Forwarder::Exchange(const ldns_pkt* query) {
  if (servers_.empty()) return api::Status::Unavailable("no upstream resolvers");
  api::Status last = api::Status::Unavailable("no upstream answered");
  for (const SockAddr& server : servers_) {
    uint16_t id = RandomId();
    api::Result<PktPtr> r = ExchangeUdp(server, query, id);
    if (r.ok() && ldns_pkt_tc(r->get())) {
      api::Result<PktPtr> full = ExchangeTcp(server, query, id);
      if (full.ok()) r = std::move(full);
    }
    if (r.ok()) {
      ldns_pkt_set_id(r->get(), ldns_pkt_id(query));
      return r;
    }
    last = r.status();
    if (Stopped()) break;
  }
  return last;
}

bool Forwarder::Stopped() const {
  if (stop_fd_ < 0) return false;
  pollfd p{stop_fd_, POLLIN, 0};
  return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

api::Result<PktPtr> Forwarder::ExchangeUdp(const SockAddr& server, const ldns_pkt* query,
                                           uint16_t id) {
  Clock::time_point deadline = Clock::now() + timeout_;
  PktPtr out(ldns_pkt_clone(query));
  if (!out) return api::Status::Internal("out of memory");
  ldns_pkt_set_id(out.get(), id);
  api::Result<Wire> wire = EncodeMessage(out.get());
  if (!wire.ok()) return wire.status();
  api::Result<UniqueFd> fd = Connect(server, SOCK_DGRAM, deadline, stop_fd_);
  if (!fd.ok()) return fd.status();
  if (send(fd->get(), wire->data(), wire->size(), 0) < 0) {
    return api::Status::Unavailable("send to " + server.ToString() + ": " + std::strerror(errno));
  }
  std::vector<uint8_t> buf(65535);
  for (;;) {
    WaitResult w = WaitFd(fd->get(), POLLIN, deadline, stop_fd_);
    if (w == WaitResult::kStopped) return api::Status::Unavailable("stopped");
    if (w == WaitResult::kTimeout) {
      return api::Status(api::Reason::kTimeout, server.ToString() + " did not answer in time");
    }
    ssize_t n = recv(fd->get(), buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return api::Status::Unavailable("recv from " + server.ToString() + ": " +
                                      std::strerror(errno));
    }
    PktPtr answer = DecodeMessage(buf.data(), static_cast<size_t>(n));
    // Anything that is not the answer (garbage, a stale or forged reply) is ignored.
    if (answer && Matches(out.get(), answer.get(), id)) return answer;
  }
}

api::Result<PktPtr> Forwarder::ExchangeTcp(const SockAddr& server, const ldns_pkt* query,
                                           uint16_t id) {
  Clock::time_point deadline = Clock::now() + timeout_;
  PktPtr out(ldns_pkt_clone(query));
  if (!out) return api::Status::Internal("out of memory");
  ldns_pkt_set_id(out.get(), id);
  api::Result<Wire> wire = EncodeMessage(out.get());
  if (!wire.ok()) return wire.status();
  api::Result<UniqueFd> fd = Connect(server, SOCK_STREAM, deadline, stop_fd_);
  if (!fd.ok()) return fd.status();
  api::Status st = WriteTcpMessage(fd->get(), *wire, deadline, stop_fd_);
  if (!st.ok()) return st;
  api::Result<Wire> reply = ReadTcpMessage(fd->get(), deadline, stop_fd_);
  if (!reply.ok()) return reply.status();
  PktPtr answer = DecodeMessage(reply->data(), reply->size());
  if (!answer || !Matches(out.get(), answer.get(), id)) {
    return api::Status::Unavailable(server.ToString() + " sent an invalid TCP answer");
  }
  return answer;
}

std::vector<std::string> ParseResolvConfNameservers(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t comment = line.find_first_of("#;");
    if (comment != std::string::npos) line.resize(comment);
    std::istringstream words(line);
    std::string key, value;
    if (!(words >> key >> value)) continue;
    if (key == "nameserver") out.push_back(value);
  }
  return out;
}

}  // namespace kc::dns
