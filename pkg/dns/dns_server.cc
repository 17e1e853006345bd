#include "pkg/dns/dns_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pkg/dns/dns_wire.h"

namespace kc::dns {
namespace {

constexpr int kBindAttempts = 16;

// Far enough that a wait only ends on readiness or the stop signal.
Clock::time_point Forever() { return Clock::now() + std::chrono::hours(24); }

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

api::Result<UniqueFd> OpenSocket(const SockAddr& addr, int type) {
  UniqueFd fd(socket(addr.family(), type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) return api::Status::Internal(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  // Lets the server bind the service IP before it is put on an interface.
  setsockopt(fd.get(), SOL_IP, IP_FREEBIND, &one, sizeof(one));
  if (addr.family() == AF_INET6) setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (bind(fd.get(), addr.get(), addr.len) != 0) {
    return api::Status(errno == EADDRINUSE ? api::Reason::kConflict : api::Reason::kInternalError,
                       "bind " + addr.ToString() + ": " + std::strerror(errno));
  }
  return fd;
}

}  // namespace

DnsServer::DnsServer(client::SharedInformerFactory& factory, DnsOptions options)
    : view_(factory), options_(std::move(options)) {}

DnsServer::~DnsServer() { Stop(); }

api::Status DnsServer::Bind(const std::string& address, Listener* out) {
  api::Result<SockAddr> addr = ParseHostPort(address, 53);
  if (!addr.ok()) return addr.status();
  const bool pick_port = addr->port() == 0;
  api::Status last;
  for (int attempt = 0; attempt < (pick_port ? kBindAttempts : 1); ++attempt) {
    SockAddr a = *addr;
    api::Result<UniqueFd> udp = OpenSocket(a, SOCK_DGRAM);
    if (!udp.ok()) return udp.status();
    if (pick_port) {
      a.len = sizeof(a.storage);
      if (getsockname(udp->get(), a.get(), &a.len) != 0) {
        return api::Status::Internal(std::string("getsockname: ") + std::strerror(errno));
      }
    }
    api::Result<UniqueFd> tcp = OpenSocket(a, SOCK_STREAM);
    if (!tcp.ok()) {
      last = tcp.status();
      if (pick_port && last.reason() == api::Reason::kConflict) continue;  // try another port
      return last;
    }
    if (listen(tcp->get(), 128) != 0) {
      return api::Status::Internal("listen " + a.ToString() + ": " + std::strerror(errno));
    }
    out->addr = a;
    out->udp = std::move(*udp);
    out->tcp = std::move(*tcp);
    return api::Status::Ok();
  }
  return last;
}

api::Status DnsServer::LoadUpstreams(std::vector<SockAddr>* out) const {
  std::vector<std::string> names = options_.upstreams;
  if (names.empty()) {
    std::ifstream in(options_.resolv_conf_path);
    if (!in) {
      spdlog::warn("dns: cannot read {}: no upstream resolvers", options_.resolv_conf_path);
    } else {
      std::stringstream text;
      text << in.rdbuf();
      names = ParseResolvConfNameservers(text.str());
    }
  }
  for (const std::string& n : names) {
    api::Result<SockAddr> a = ParseHostPort(n, 53);
    if (!a.ok()) {
      if (!options_.upstreams.empty()) return a.status();
      spdlog::warn("dns: ignoring nameserver {}: {}", n, a.status().message());
      continue;
    }
    bool self = false;
    for (const std::unique_ptr<Listener>& l : listeners_) {
      self = self || l->addr.ToString() == a->ToString();
    }
    if (self) {
      spdlog::info("dns: not forwarding to {}: that is this server", a->ToString());
      continue;
    }
    out->push_back(*a);
  }
  return api::Status::Ok();
}

api::Status DnsServer::Start() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (started_ || stopping_) return api::Status::Conflict("dns server already started");
  }
  std::string zone = options_.cluster_domain;
  RdfPtr zone_rdf(ldns_dname_new_frm_str(zone.c_str()));
  if (zone.empty() || zone == "." || !zone_rdf) {
    return api::Status::Invalid("invalid cluster domain \"" + zone + "\"");
  }
  if (options_.listen.empty()) return api::Status::Invalid("dns server has no listen address");
  stop_fd_.Reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop_fd_.valid()) {
    return api::Status::Internal(std::string("eventfd: ") + std::strerror(errno));
  }
  for (const std::string& address : options_.listen) {
    auto l = std::make_unique<Listener>();
    api::Status st = Bind(address, l.get());
    if (!st.ok()) {
      CloseAll();
      return st;
    }
    listeners_.push_back(std::move(l));
  }
  std::vector<SockAddr> upstreams;
  if (api::Status st = LoadUpstreams(&upstreams); !st.ok()) {
    CloseAll();
    return st;
  }
  if (upstreams.empty()) spdlog::warn("dns: no upstream resolvers: other names get SERVFAIL");
  forwarder_ =
      std::make_unique<Forwarder>(std::move(upstreams), options_.upstream_timeout, stop_fd_.get());
  handler_ = std::make_unique<QueryHandler>(view_, options_, forwarder_.get());

  {
    std::lock_guard<std::mutex> l(mu_);
    started_ = true;
  }
  for (int i = 0; i < std::max(1, options_.forward_workers); ++i) {
    workers_.emplace_back([this] { ForwardWorker(); });
  }
  for (const std::unique_ptr<Listener>& l : listeners_) {
    Listener* raw = l.get();
    l->udp_thread = std::thread([this, raw] { UdpLoop(raw); });
    l->tcp_thread = std::thread([this, raw] { TcpAcceptLoop(raw); });
  }
  spdlog::info("dns: serving {} on {} (udp, tcp); upstreams: {}", options_.cluster_domain,
               Join(ListenAddresses()), Join(Upstreams()));
  return api::Status::Ok();
}

void DnsServer::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!started_ || stopping_) return;
    stopping_ = true;
  }
  uint64_t one = 1;
  if (write(stop_fd_.get(), &one, sizeof(one)) != sizeof(one)) {
    spdlog::error("dns: cannot signal stop: {}", std::strerror(errno));
  }
  cv_.notify_all();
  for (const std::unique_ptr<Listener>& l : listeners_) {
    if (l->udp_thread.joinable()) l->udp_thread.join();
    if (l->tcp_thread.joinable()) l->tcp_thread.join();
  }
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  ReapConnections(true);
  {
    std::lock_guard<std::mutex> l(mu_);
    jobs_.clear();
  }
  CloseAll();
}

void DnsServer::CloseAll() { listeners_.clear(); }

std::vector<std::string> DnsServer::ListenAddresses() const {
  std::vector<std::string> out;
  for (const std::unique_ptr<Listener>& l : listeners_) out.push_back(l->addr.ToString());
  return out;
}

std::vector<std::string> DnsServer::Upstreams() const {
  std::vector<std::string> out;
  if (!forwarder_) return out;
  for (const SockAddr& a : forwarder_->servers()) out.push_back(a.ToString());
  return out;
}

void DnsServer::SendUdp(int fd, const SockAddr& client, const ldns_pkt* query,
                        const ldns_pkt* response) {
  api::Result<Wire> wire =
      query ? EncodeWithLimit(query, response, UdpLimitFor(query)) : EncodeMessage(response);
  if (!wire.ok()) {
    spdlog::debug("dns: {}", wire.status().ToString());
    return;
  }
  if (sendto(fd, wire->data(), wire->size(), 0, client.get(), client.len) < 0) {
    spdlog::debug("dns: sendto {}: {}", client.ToString(), std::strerror(errno));
  }
}

void DnsServer::UdpLoop(Listener* l) {
  std::vector<uint8_t> buf(65535);
  const int fd = l->udp.get();
  for (;;) {
    if (WaitFd(fd, POLLIN, Forever(), stop_fd_.get()) == WaitResult::kStopped) return;
    SockAddr client;
    client.len = sizeof(client.storage);
    ssize_t n = recvfrom(fd, buf.data(), buf.size(), 0, client.get(), &client.len);
    if (n < 0) continue;  // EAGAIN, or an ICMP error from an earlier send
    const size_t len = static_cast<size_t>(n);
    PktPtr query = DecodeMessage(buf.data(), len);
    if (!query) {
      if (PktPtr formerr = FormatErrorFor(buf.data(), len)) {
        SendUdp(fd, client, nullptr, formerr.get());
      }
      continue;
    }
    Outcome o = handler_->Handle(query.get(), /*may_block=*/false);
    if (o.disposition == Disposition::kReply) {
      SendUdp(fd, client, query.get(), o.response.get());
      continue;
    }
    if (o.disposition != Disposition::kNeedsUpstream) continue;
    bool queued = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (static_cast<int>(jobs_.size()) < std::max(1, options_.max_pending_forwards)) {
        jobs_.push_back({fd, client, std::move(query)});
        queued = true;
      }
    }
    if (queued) {
      cv_.notify_one();
    } else {
      PktPtr busy = NewResponse(query.get(), LDNS_RCODE_SERVFAIL);
      if (busy) SendUdp(fd, client, query.get(), busy.get());
    }
  }
}

void DnsServer::ForwardWorker() {
  for (;;) {
    ForwardJob job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Outcome o = handler_->Handle(job.query.get(), /*may_block=*/true);
    if (o.disposition == Disposition::kReply) {
      SendUdp(job.udp_fd, job.client, job.query.get(), o.response.get());
    }
  }
}

void DnsServer::TcpAcceptLoop(Listener* l) {
  const int lfd = l->tcp.get();
  for (;;) {
    if (WaitFd(lfd, POLLIN, Forever(), stop_fd_.get()) == WaitResult::kStopped) return;
    UniqueFd conn(accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!conn.valid()) continue;
    ReapConnections(false);
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    if (static_cast<int>(connections_.size()) >= std::max(1, options_.max_tcp_connections)) {
      continue;  // `conn` closes: too many clients at once
    }
    int id = next_connection_id_++;
    Connection& c = connections_[id];
    int raw = conn.get();
    c.fd = std::move(conn);
    c.thread = std::thread([this, id, raw] { ServeConnection(id, raw); });
  }
}

void DnsServer::ServeConnection(int id, int fd) {
  for (;;) {
    api::Result<Wire> msg =
        ReadTcpMessage(fd, Clock::now() + options_.tcp_idle_timeout, stop_fd_.get());
    if (!msg.ok()) break;  // closed, idle, stopped or broken framing
    PktPtr query = DecodeMessage(msg->data(), msg->size());
    PktPtr reply;
    if (!query) {
      reply = FormatErrorFor(msg->data(), msg->size());
    } else {
      Outcome o = handler_->Handle(query.get(), /*may_block=*/true);
      if (o.disposition == Disposition::kReply) reply = std::move(o.response);
    }
    if (!reply) continue;
    api::Result<Wire> wire = EncodeMessage(reply.get());
    if (!wire.ok()) {
      spdlog::debug("dns: {}", wire.status().ToString());
      continue;
    }
    if (!WriteTcpMessage(fd, *wire, Clock::now() + options_.tcp_idle_timeout, stop_fd_.get())
             .ok()) {
      break;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = connections_.find(id);
  if (it != connections_.end()) it->second.done = true;
}

void DnsServer::ReapConnections(bool all) {
  std::vector<Connection> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (all || it->second.done) {
        finished.push_back(std::move(it->second));
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Connection& c : finished) {
    if (c.thread.joinable()) c.thread.join();
  }
}

}  // namespace kc::dns
