// Proxier against real iptables, inside a network namespace the test makes (so the host's rules
// are untouched): rules appear, traffic to a ClusterIP reaches the endpoint, a Service without
// endpoints is refused, removed Services leave no chains behind.
#include "pkg/proxy/proxier.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <thread>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"

namespace kc::proxy {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

client::Object Json(const std::string& s) { return boost::json::parse(s).as_object(); }

bool CanRun() {
  return geteuid() == 0 && std::system("command -v iptables-restore >/dev/null 2>&1") == 0 &&
         std::system("command -v ip >/dev/null 2>&1") == 0;
}

struct Netns {
  std::string name = "kcpx" + std::to_string(getpid());
  bool ok = false;
  Netns() {
    std::string n = name;
    ok = std::system(("ip netns add " + n + " && ip -n " + n + " link set lo up && ip -n " + n +
                      " link add dummy0 type veth peer name dummy1 && ip -n " + n + " link set dummy1 up && ip -n " + n +
                      " addr add 10.42.0.5/24 dev dummy0 && ip -n " + n +
                      " link set dummy0 up && ip -n " + n + " route add default dev dummy0")
                         .c_str()) == 0;
  }
  ~Netns() {
    std::system(("ip netns pids " + name + " 2>/dev/null | xargs -r kill -9").c_str());
    std::system(("ip netns del " + name).c_str());
  }
  std::string Exec(const std::string& cmd) const {
    std::string full = "ip netns exec " + name + " " + cmd + " 2>&1";
    std::string out;
    FILE* f = popen(full.c_str(), "r");
    if (!f) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
    pclose(f);
    return out;
  }
};

const char kConnect[] =
    "/usr/bin/python3 -c \"import socket,sys\n"
    "try:\n"
    "  s=socket.create_connection(('10.43.0.99',%d),2); print('got:'+s.recv(100).decode())\n"
    "except Exception as e: print('error:'+type(e).__name__)\"";

std::string Connect(const Netns& ns, int port) {
  char cmd[512];
  std::snprintf(cmd, sizeof(cmd), kConnect, port);
  return ns.Exec(cmd);
}

TEST_CASE("proxier: real iptables in a network namespace") {
  if (!CanRun()) {
    MESSAGE("skipped: needs root, iproute2 and iptables");
    return;
  }
  Netns ns;
  REQUIRE(ns.ok);
  // A TCP server on the "pod" address answering "hello".
  std::system(("ip netns exec " + ns.name +
               " /usr/bin/python3 -c \"import socket\n"
               "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
               "s.bind(('10.42.0.5',8080)); s.listen(8)\n"
               "while True:\n"
               "  c,_=s.accept(); c.sendall(b'hello'); c.close()\" >/dev/null 2>&1 &")
                  .c_str());

  client::FakeClient fake;
  client::SharedInformerFactory factory(fake);
  ProxierOptions opts;
  opts.command_prefix = {"ip", "netns", "exec", ns.name};
  Proxier proxier(factory, opts);
  factory.Start();
  REQUIRE(factory.WaitForCacheSync(std::chrono::seconds(5)));

  REQUIRE(fake.Create(kServices, "default",
                      Json(R"({"metadata":{"name":"web","namespace":"default"},"spec":{"clusterIP":"10.43.0.99","ports":[{"name":"http","port":80,"targetPort":8080}]}})"))
              .ok());
  REQUIRE(fake.Create(kServices, "default",
                      Json(R"({"metadata":{"name":"empty","namespace":"default"},"spec":{"clusterIP":"10.43.0.99","ports":[{"port":81}]}})"))
              .ok());
  REQUIRE(fake.Create(kSlices, "default",
                      Json(R"({"metadata":{"name":"web-1","namespace":"default","labels":{"kubernetes.io/service-name":"web"}},"addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],"endpoints":[{"addresses":["10.42.0.5"],"conditions":{"ready":true}}]})"))
              .ok());
  auto caught_up = [&](size_t svcs, size_t slices) {
    for (int i = 0; i < 500; ++i) {
      if (factory.ForResource(kServices)->List().size() == svcs &&
          factory.ForResource(kSlices)->List().size() == slices) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  };
  REQUIRE(caught_up(2, 1));
  api::Status st = proxier.SyncOnce();
  REQUIRE_MESSAGE(st.ok(), st.ToString());
  CHECK(proxier.writes() == 1);
  // Same state → nothing rewritten.
  REQUIRE(proxier.SyncOnce().ok());
  CHECK(proxier.writes() == 1);

  std::string nat = ns.Exec("iptables-save -t nat");
  CHECK(nat.find("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES") !=
        std::string::npos);
  CHECK(nat.find("--to-destination 10.42.0.5:8080") != std::string::npos);

  std::string got;
  for (int i = 0; i < 50 && got.find("got:hello") == std::string::npos; ++i) {
    got = Connect(ns, 80);  // the server may still be starting
    if (got.find("got:hello") == std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  CHECK_MESSAGE(got.find("got:hello") != std::string::npos, got);
  // No endpoints: refused at once, not a timeout.
  std::string refused = Connect(ns, 81);
  CHECK_MESSAGE(refused.find("error:ConnectionRefusedError") != std::string::npos, refused);

  // The Service goes: its chains go.
  REQUIRE(fake.Delete(kServices, "default", "web").ok());
  REQUIRE(caught_up(1, 1));
  REQUIRE(proxier.SyncOnce().ok());
  nat = ns.Exec("iptables-save -t nat");
  CHECK(nat.find("KUBE-SVC-") == std::string::npos);
  CHECK(nat.find("KUBE-SEP-") == std::string::npos);

  REQUIRE(proxier.Cleanup().ok());
  CHECK(ns.Exec("iptables-save").find("KUBE-") == std::string::npos);
  proxier.Stop();
  factory.Stop();
}

}  // namespace
}  // namespace kc::proxy
