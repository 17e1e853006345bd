// Test helpers of pkg/dns (header only, for the *_test.cc files): Service and EndpointSlice
// builders, DNS queries over UDP/TCP, packets as comparable strings, and FakeUpstreamServer, a
// tiny ldns-based resolver on 127.0.0.1 for forwarding tests.
//
// Thread-safety: FakeUpstreamServer's accessors may be called from any thread; the rest are
// free functions.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/dns/dns_wire.h"
#include "pkg/dns/ldns_ptr.h"
#include "pkg/dns/net_util.h"

namespace kc::dns::testing {

inline const client::ResourceRef kServices{"", "v1", "services"};
inline const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

struct PortSpec {
  std::string name;
  int port;
  std::string protocol = "TCP";
};

inline boost::json::array PortsJson(const std::vector<PortSpec>& ports) {
  boost::json::array out;
  for (const PortSpec& p : ports) {
    boost::json::object o{{"port", p.port}, {"protocol", p.protocol}};
    if (!p.name.empty()) o["name"] = p.name;
    out.push_back(std::move(o));
  }
  return out;
}

// clusterIP "None" makes a headless service.
inline client::Object Service(const std::string& ns, const std::string& name,
                              const std::string& cluster_ip,
                              const std::vector<PortSpec>& ports = {}) {
  boost::json::object spec{
      {"type", "ClusterIP"}, {"clusterIP", cluster_ip}, {"ports", PortsJson(ports)}};
  if (cluster_ip != "None") spec["clusterIPs"] = boost::json::array{boost::json::value(cluster_ip)};
  return client::Object{{"apiVersion", "v1"},
                        {"kind", "Service"},
                        {"metadata", boost::json::object{{"namespace", ns}, {"name", name}}},
                        {"spec", std::move(spec)}};
}

inline client::Object ExternalNameService(const std::string& ns, const std::string& name,
                                          const std::string& target) {
  return client::Object{
      {"apiVersion", "v1"},
      {"kind", "Service"},
      {"metadata", boost::json::object{{"namespace", ns}, {"name", name}}},
      {"spec", boost::json::object{{"type", "ExternalName"}, {"externalName", target}}}};
}

struct EndpointSpec {
  std::string ip;
  std::string hostname;
  bool ready = true;
};

inline client::Object Slice(const std::string& ns, const std::string& name,
                            const std::string& service, const std::vector<EndpointSpec>& eps,
                            const std::vector<PortSpec>& ports = {},
                            const std::string& address_type = "IPv4") {
  boost::json::array endpoints;
  for (const EndpointSpec& e : eps) {
    boost::json::object o{{"addresses", boost::json::array{boost::json::value(e.ip)}},
                          {"conditions", boost::json::object{{"ready", e.ready}}}};
    if (!e.hostname.empty()) o["hostname"] = e.hostname;
    endpoints.push_back(std::move(o));
  }
  return client::Object{
      {"apiVersion", "discovery.k8s.io/v1"},
      {"kind", "EndpointSlice"},
      {"metadata", boost::json::object{{"namespace", ns},
                                       {"name", name},
                                       {"labels", boost::json::object{{"kubernetes.io/service-name",
                                                                       service}}}}},
      {"addressType", address_type},
      {"endpoints", std::move(endpoints)},
      {"ports", PortsJson(ports)}};
}

inline bool Eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

inline PktPtr MakeQuery(const std::string& name, ldns_rr_type type,
                        ldns_rr_class cls = LDNS_RR_CLASS_IN) {
  return PktPtr(ldns_pkt_query_new(ldns_dname_new_frm_str(name.c_str()), type, cls, LDNS_RD));
}

inline std::string RdfText(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  std::string out = s ? s : "";
  free(s);
  return out;
}

// Each record of a section as "owner TYPE rdata ...", sorted (TTL left out: see Ttls).
inline std::vector<std::string> Records(const ldns_pkt* pkt, ldns_pkt_section section) {
  std::vector<std::string> out;
  const ldns_rr_list* list = nullptr;
  switch (section) {
    case LDNS_SECTION_ANSWER:
      list = ldns_pkt_answer(pkt);
      break;
    case LDNS_SECTION_AUTHORITY:
      list = ldns_pkt_authority(pkt);
      break;
    case LDNS_SECTION_ADDITIONAL:
      list = ldns_pkt_additional(pkt);
      break;
    default:
      list = ldns_pkt_question(pkt);
      break;
  }
  for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
    const ldns_rr* rr = ldns_rr_list_rr(list, i);
    char* type = ldns_rr_type2str(ldns_rr_get_type(rr));
    std::string line = RdfText(ldns_rr_owner(rr)) + " " + type;
    free(type);
    for (size_t j = 0; j < ldns_rr_rd_count(rr); ++j) line += " " + RdfText(ldns_rr_rdf(rr, j));
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline std::vector<std::string> Answers(const ldns_pkt* pkt) {
  return Records(pkt, LDNS_SECTION_ANSWER);
}

inline std::vector<uint32_t> Ttls(const ldns_pkt* pkt) {
  std::vector<uint32_t> out;
  const ldns_rr_list* list = ldns_pkt_answer(pkt);
  for (size_t i = 0; list && i < ldns_rr_list_rr_count(list); ++i) {
    out.push_back(ldns_rr_ttl(ldns_rr_list_rr(list, i)));
  }
  return out;
}

inline SockAddr Loopback(uint16_t port) {
  api::Result<SockAddr> a = ParseHostPort("127.0.0.1", port);
  return *a;
}

// Sends raw bytes over UDP and waits for one datagram; empty when none came within `timeout`.
inline std::vector<uint8_t> UdpExchangeRaw(
    const std::string& server, const std::vector<uint8_t>& msg,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  api::Result<SockAddr> addr = ParseHostPort(server, 53);
  if (!addr.ok()) return {};
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (connect(fd.get(), addr->get(), addr->len) != 0) return {};
  if (send(fd.get(), msg.data(), msg.size(), 0) < 0) return {};
  if (WaitFd(fd.get(), POLLIN, Clock::now() + timeout, -1) != WaitResult::kReady) return {};
  std::vector<uint8_t> buf(65535);
  ssize_t n = recv(fd.get(), buf.data(), buf.size(), 0);
  if (n <= 0) return {};
  buf.resize(static_cast<size_t>(n));
  return buf;
}

inline PktPtr UdpQuery(const std::string& server, const ldns_pkt* query) {
  api::Result<Wire> wire = EncodeMessage(query);
  if (!wire.ok()) return nullptr;
  std::vector<uint8_t> reply = UdpExchangeRaw(server, *wire);
  return DecodeMessage(reply.data(), reply.size());
}

inline PktPtr UdpQuery(const std::string& server, const std::string& name, ldns_rr_type type) {
  PktPtr q = MakeQuery(name, type);
  return UdpQuery(server, q.get());
}

// Sends each message over one TCP connection and collects the replies (nullptr for a missing
// or undecodable one).
inline std::vector<PktPtr> TcpExchange(const std::string& server,
                                       const std::vector<std::vector<uint8_t>>& msgs) {
  std::vector<PktPtr> out;
  api::Result<SockAddr> addr = ParseHostPort(server, 53);
  if (!addr.ok()) return out;
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (connect(fd.get(), addr->get(), addr->len) != 0) return out;
  auto deadline = Clock::now() + std::chrono::seconds(5);
  for (const std::vector<uint8_t>& m : msgs) {
    if (!WriteTcpMessage(fd.get(), m, deadline, -1).ok()) break;
    api::Result<Wire> reply = ReadTcpMessage(fd.get(), deadline, -1);
    out.push_back(reply.ok() ? DecodeMessage(reply->data(), reply->size()) : nullptr);
  }
  return out;
}

// A resolver for tests: answers A queries for any name with `address` (TTL 60), NXDOMAIN for
// names starting with "nx.", and for names starting with "big." a 60-record answer that it
// truncates (TC, no records) over UDP. When silent it reads queries and never answers.
class FakeUpstreamServer {
 public:
  explicit FakeUpstreamServer(std::string address = "192.0.2.1") : address_(std::move(address)) {
    udp_.Reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    SockAddr a = Loopback(0);
    bind(udp_.get(), a.get(), a.len);
    a.len = sizeof(a.storage);
    getsockname(udp_.get(), a.get(), &a.len);
    port_ = a.port();
    tcp_.Reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    setsockopt(tcp_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    tcp_ok_ = bind(tcp_.get(), a.get(), a.len) == 0 && listen(tcp_.get(), 8) == 0;
    int fds[2];
    if (pipe(fds) == 0) {
      stop_r_.Reset(fds[0]);
      stop_w_.Reset(fds[1]);
    }
    udp_thread_ = std::thread([this] { ServeUdp(); });
    tcp_thread_ = std::thread([this] { ServeTcp(); });
  }
  ~FakeUpstreamServer() {
    if (write(stop_w_.get(), "x", 1) != 1) return;
    udp_thread_.join();
    tcp_thread_.join();
  }

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }
  bool tcp_ok() const { return tcp_ok_; }
  void set_silent(bool s) { silent_ = s; }
  int udp_queries() const { return udp_queries_; }
  int tcp_queries() const { return tcp_queries_; }
  std::vector<std::string> names() const {
    std::lock_guard<std::mutex> l(mu_);
    return names_;
  }

 private:
  PktPtr Answer(const ldns_pkt* q, bool over_udp) {
    PktPtr resp = NewResponse(q, LDNS_RCODE_NOERROR);
    const ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(q), 0);
    std::string name = RdfText(ldns_rr_owner(question));
    {
      std::lock_guard<std::mutex> l(mu_);
      names_.push_back(name);
    }
    if (name.rfind("nx.", 0) == 0) {
      ldns_pkt_set_rcode(resp.get(), LDNS_RCODE_NXDOMAIN);
      return resp;
    }
    if (ldns_rr_get_type(question) != LDNS_RR_TYPE_A) return resp;
    bool big = name.rfind("big.", 0) == 0;
    if (big && over_udp) {
      ldns_pkt_set_tc(resp.get(), true);
      return resp;
    }
    for (int i = 0; i < (big ? 60 : 1); ++i) {
      std::string ip = big ? "198.51.100." + std::to_string(i + 1) : address_;
      ldns_rr* rr = nullptr;
      if (ldns_rr_new_frm_str(&rr, (name + " 60 IN A " + ip).c_str(), 0, nullptr, nullptr) ==
          LDNS_STATUS_OK) {
        ldns_pkt_push_rr(resp.get(), LDNS_SECTION_ANSWER, rr);
      }
    }
    return resp;
  }

  void ServeUdp() {
    std::vector<uint8_t> buf(65535);
    for (;;) {
      pollfd fds[2] = {{udp_.get(), POLLIN, 0}, {stop_r_.get(), POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN)) return;
      SockAddr from;
      from.len = sizeof(from.storage);
      ssize_t n = recvfrom(udp_.get(), buf.data(), buf.size(), 0, from.get(), &from.len);
      if (n <= 0) continue;
      ++udp_queries_;
      PktPtr q = DecodeMessage(buf.data(), static_cast<size_t>(n));
      if (!q || silent_) continue;
      PktPtr resp = Answer(q.get(), true);
      api::Result<Wire> wire = EncodeMessage(resp.get());
      if (wire.ok()) sendto(udp_.get(), wire->data(), wire->size(), 0, from.get(), from.len);
    }
  }

  void ServeTcp() {
    for (;;) {
      pollfd fds[2] = {{tcp_.get(), POLLIN, 0}, {stop_r_.get(), POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN)) return;
      UniqueFd conn(accept(tcp_.get(), nullptr, nullptr));
      if (!conn.valid()) continue;
      auto deadline = Clock::now() + std::chrono::seconds(3);
      api::Result<Wire> msg = ReadTcpMessage(conn.get(), deadline, stop_r_.get());
      if (!msg.ok()) continue;
      ++tcp_queries_;
      PktPtr q = DecodeMessage(msg->data(), msg->size());
      if (!q || silent_) continue;
      PktPtr resp = Answer(q.get(), false);
      api::Result<Wire> wire = EncodeMessage(resp.get());
      if (wire.ok()) (void)WriteTcpMessage(conn.get(), *wire, deadline, stop_r_.get());
    }
  }

  const std::string address_;
  UniqueFd udp_, tcp_, stop_r_, stop_w_;
  uint16_t port_ = 0;
  bool tcp_ok_ = false;
  std::atomic<bool> silent_{false};
  std::atomic<int> udp_queries_{0};
  std::atomic<int> tcp_queries_{0};
  mutable std::mutex mu_;
  std::vector<std::string> names_;
  std::thread udp_thread_, tcp_thread_;
};

}  // namespace kc::dns::testing
