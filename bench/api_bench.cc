// api_bench: load generator for kcluster's API server (and a local etcd as the reference peer).
//
//   api_bench --kubeconfig FILE [--clients 32] [--load-threads 1] [--creates 20000]
//             [--gets 50000] [--list 10000] [--watches 1000] [--namespace bench]
//             [--only creates|gets]   (one phase; for profiling)
//   api_bench --etcd http://127.0.0.1:2379 [--clients 32] [--load-threads 1] [--puts 20000]
//
// Creates, gets and etcd puts are driven by LoadEngine (keep-alive connections on Asio event
// loops, like wrk: `--clients` connections on `--load-threads` threads), so the load generator
// costs little of the CPU the server needs; kcluster over HTTPS with the admin client
// certificate, etcd over its plain-HTTP JSON gateway. The list and watch figures use the
// libcurl client. 1 KiB ConfigMaps. Prints one "name: value" line per figure.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "bench/load_engine.h"
#include "pkg/client/http_client.h"

using Clock = std::chrono::steady_clock;
using kc::client::HttpClient;

namespace {

struct Args {
  std::string kubeconfig, etcd, ns = "bench";
  std::string only;  // "creates" or "gets" (gets of names an earlier --only creates run made)
  int clients = 32;
  int load_threads = 1;
  int creates = 20000, gets = 50000, list = 10000, watches = 1000, puts = 20000;
};

std::string Base64(const std::string& in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t j = 0; j < in.size(); j += 3) {
    uint32_t v = static_cast<uint8_t>(in[j]) << 16;
    if (j + 1 < in.size()) v |= static_cast<uint8_t>(in[j + 1]) << 8;
    if (j + 2 < in.size()) v |= static_cast<uint8_t>(in[j + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += j + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
    out += j + 2 < in.size() ? tbl[v & 63] : '=';
  }
  return out;
}

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Payload() { return std::string(1024, 'x'); }

std::string ConfigMapJson(const std::string& name) {
  return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name +
         "\"},\"data\":{\"payload\":\"" + Payload() + "\"}}";
}

// Runs `total` operations split over `threads` threads; returns ops/s. `op(i)` returns success.
template <class Op>
double RunParallel(int threads, int total, Op op, int* failures) {
  std::atomic<int> next{0}, failed{0};
  auto start = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      for (;;) {
        int i = next.fetch_add(1);
        if (i >= total) break;
        if (!op(i)) ++failed;
      }
    });
  }
  for (auto& t : ts) t.join();
  *failures = failed.load();
  return total / Seconds(start, Clock::now());
}

int RunApi(const Args& a) {
  auto cfg = HttpClient::LoadKubeconfig(a.kubeconfig);
  if (!cfg.ok()) {
    std::fprintf(stderr, "kubeconfig: %s\n", cfg.status().ToString().c_str());
    return 1;
  }
  cfg->max_idle_handles = 64;
  HttpClient c(*cfg);
  int code = 0;
  c.Request("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + a.ns + "\"}}",
            "application/json", &code);
  const std::string base = "/api/v1/namespaces/" + a.ns + "/configmaps";
  kc::bench::LoadTarget target;
  if (!kc::bench::ParseServerUrl(cfg->server, &target)) {
    std::fprintf(stderr, "cannot parse server URL %s\n", cfg->server.c_str());
    return 1;
  }
  target.ca_pem = cfg->ca_pem;
  target.cert_pem = cfg->cert_pem;
  target.key_pem = cfg->key_pem;
  int fails = 0;
  auto print = [](const char* what, int clients, const kc::bench::LoadResult& r) {
    std::printf("%s_per_sec_%d_clients: %.0f (failures %d, p50 %.2f ms, p99 %.2f ms)%s%s\n", what,
                clients, r.ops_per_sec, r.failures, r.p50_ms, r.p99_ms,
                r.first_error.empty() ? "" : " first error: ", r.first_error.c_str());
    std::fflush(stdout);
  };
  for (int clients : {1, a.clients}) {
    if (a.only == "gets") break;
    int n = clients == 1 ? std::min(a.creates / 5, 3000) : a.creates;
    std::string prefix = "c" + std::to_string(clients) + "-";
    auto r = kc::bench::RunLoad(target, clients, a.load_threads, n, [&](int i) {
      return kc::bench::LoadRequest{"POST", base, ConfigMapJson(prefix + std::to_string(i))};
    }, 201);
    print("creates", clients, r);
  }
  for (int clients : {1, a.clients}) {
    if (a.only == "creates" || a.creates == 0) break;
    int n = clients == 1 ? std::min(a.gets / 5, 5000) : a.gets;
    int pool = a.creates;  // the names the 32-client create phase made (maybe in an earlier run)
    std::string prefix = base + "/c" + std::to_string(a.clients) + "-";
    auto r = kc::bench::RunLoad(target, clients, a.load_threads, n, [&](int i) {
      return kc::bench::LoadRequest{"GET", prefix + std::to_string(i % pool), ""};
    }, 200);
    print("gets", clients, r);
  }
  if (!a.only.empty()) return 0;
  {
    // Top up to `list` objects in one namespace, then time a full list.
    std::string lns = a.ns + "-list";
    c.Request("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + lns + "\"}}",
              "application/json", &code);
    RunParallel(a.clients, a.list, [&](int i) {
      int hc = 0;
      auto r = c.Request("POST", "/api/v1/namespaces/" + lns + "/configmaps",
                         ConfigMapJson("l" + std::to_string(i)), "application/json", &hc);
      return r.ok();
    }, &fails);
    double best = 1e9;
    size_t bytes = 0;
    for (int rep = 0; rep < 3; ++rep) {
      auto t0 = Clock::now();
      auto r = c.Request("GET", "/api/v1/namespaces/" + lns + "/configmaps", "", "", &code);
      best = std::min(best, Seconds(t0, Clock::now()));
      if (r.ok()) bytes = r->size();
    }
    std::printf("list_%d_objects_seconds: %.3f (%zu bytes)\n", a.list, best, bytes);
    std::fflush(stdout);
  }
  if (a.watches > 0) {
    std::string wns = a.ns + "-watch";
    c.Request("POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + wns + "\"}}",
              "application/json", &code);
    kc::client::ResourceRef cms{"", "v1", "configmaps"};
    auto list = c.List(cms, wns, {});
    std::string rv = list.ok() ? list->resource_version : "";
    std::vector<std::unique_ptr<kc::client::WatchStream>> ws;
    for (int i = 0; i < a.watches; ++i) {
      kc::client::ListOptions lo;
      lo.resource_version = rv;
      auto w = c.Watch(cms, wns, lo);
      if (w.ok()) ws.push_back(std::move(*w));
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::vector<double> lat;
    for (int round = 0; round < 5; ++round) {
      auto t0 = Clock::now();
      c.Request("POST", "/api/v1/namespaces/" + wns + "/configmaps",
                ConfigMapJson("w" + std::to_string(round)), "application/json", &code);
      std::atomic<int> idx{0};
      std::vector<double> local(ws.size(), -1);
      std::vector<std::thread> readers;
      for (int t = 0; t < 8; ++t) {
        readers.emplace_back([&] {
          for (;;) {
            int i = idx.fetch_add(1);
            if (i >= static_cast<int>(ws.size())) break;
            kc::client::WatchEvent ev;
            if (ws[i]->Next(&ev, 10000)) local[i] = Seconds(t0, Clock::now());
          }
        });
      }
      for (auto& t : readers) t.join();
      for (double d : local) {
        if (d >= 0) lat.push_back(d);
      }
    }
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat.empty() ? -1.0 : lat[std::min(lat.size() - 1, size_t(p * lat.size()))]; };
    std::printf("watch_open: %zu\nwatch_delivery_p50_ms: %.1f\nwatch_delivery_p99_ms: %.1f\nwatch_delivered: %zu/%zu\n",
                ws.size(), pct(0.5) * 1000, pct(0.99) * 1000, lat.size(), ws.size() * 5);
    for (auto& w : ws) w->Stop();
  }
  return 0;
}

int RunEtcd(const Args& a) {
  kc::bench::LoadTarget target;
  if (!kc::bench::ParseServerUrl(a.etcd, &target)) {
    std::fprintf(stderr, "cannot parse etcd URL %s\n", a.etcd.c_str());
    return 1;
  }
  // etcd's JSON gateway wants base64 key/value; a 1 KiB value of 'x' encodes to 'eHh4'...
  std::string value_b64;
  for (int i = 0; i < 1024 / 3; ++i) value_b64 += "eHh4";
  for (int clients : {1, a.clients}) {
    int n = clients == 1 ? std::min(a.puts / 5, 3000) : a.puts;
    auto r = kc::bench::RunLoad(target, clients, a.load_threads, n, [&](int i) {
      std::string key = "/registry/bench/" + std::to_string(clients) + "/" + std::to_string(i);
      return kc::bench::LoadRequest{"POST", "/v3/kv/put",
                                    "{\"key\":\"" + Base64(key) + "\",\"value\":\"" + value_b64 + "\"}"};
    }, 200);
    std::printf("etcd_puts_per_sec_%d_clients: %.0f (failures %d, p50 %.2f ms, p99 %.2f ms)%s%s\n",
                clients, r.ops_per_sec, r.failures, r.p50_ms, r.p99_ms,
                r.first_error.empty() ? "" : " first error: ", r.first_error.c_str());
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--kubeconfig") a.kubeconfig = v;
    else if (k == "--etcd") a.etcd = v;
    else if (k == "--clients") a.clients = std::stoi(v);
    else if (k == "--load-threads") a.load_threads = std::stoi(v);
    else if (k == "--creates") a.creates = std::stoi(v);
    else if (k == "--gets") a.gets = std::stoi(v);
    else if (k == "--list") a.list = std::stoi(v);
    else if (k == "--watches") a.watches = std::stoi(v);
    else if (k == "--puts") a.puts = std::stoi(v);
    else if (k == "--namespace") a.ns = v;
    else if (k == "--only") a.only = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (!a.etcd.empty()) return RunEtcd(a);
  if (a.kubeconfig.empty()) {
    std::fprintf(stderr, "usage: api_bench --kubeconfig FILE | --etcd URL [...]\n");
    return 2;
  }
  return RunApi(a);
}
