// proxy_bench: cost of kcluster's kube-proxy (pkg/proxy) at 1,000 Services x 10 endpoints.
//
//   proxy_bench [--services 1000] [--endpoints 10] [--changes 20] [--reps 5]
//               [--min-sync-ms <ProxierOptions default>] [--gap-ms <min-sync-ms + 100>]
//               [--chunk-lines <ProxierOptions default>]
//               [--dump-rules FILE]   (also writes the rule text of (a) to FILE)
//
// Measures
//   (a) BuildServicePorts + BuildRules on simulated Service/EndpointSlice objects (in memory);
//   (b) the whole rule set as ONE `iptables-restore --noflush` inside a fresh network namespace
//       (and a re-apply of the same set over it, and `iptables-save -t nat`), for reference;
//       then the Proxier's own full syncs (iptables-save, jump rules, the set written in chunks
//       grouped by service, top-level chains last): the first one into a fresh namespace
//       (target <= 1 s), and a forced full resync with everything already present;
//   (c) endpoint change → rules written: the real Proxier over a FakeClient and shared
//       informers; one EndpointSlice is patched and proxier.writes() polled (partial syncs:
//       only the changed service's chains and the top-level chains are written, no
//       iptables-save). "spaced" waits --gap-ms after the previous write before the change (the
//       min-sync batching window has passed; target <= 200 ms), "back-to-back" changes right
//       after the previous write (the window applies).
// "iptables CPU" is the user+system time of the iptables processes the step ran, which is less
// disturbed than wall time when other work shares the machine.
// (b) and (c) need root, iproute2 and iptables; everything runs in network namespaces the bench
// creates and deletes ("kcbench<pid>-<n>"), so the host's rules are untouched.
// Figures are printed as a table; this is not a test.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/proxy/iptables_rules.h"
#include "pkg/proxy/iptables_runner.h"
#include "pkg/proxy/proxier.h"
#include "pkg/proxy/service_ports.h"

namespace {

using Clock = std::chrono::steady_clock;
using kc::client::Object;
using kc::client::ObjectPtr;

const kc::client::ResourceRef kServices{"", "v1", "services"};
const kc::client::ResourceRef kSlices{"discovery.k8s.io", "v1", "endpointslices"};

std::atomic<bool> g_interrupted{false};
void OnSignal(int) { g_interrupted = true; }

struct Args {
  int services = 1000;
  int endpoints = 10;
  int changes = 20;
  int reps = 5;
  int min_sync_ms = static_cast<int>(kc::proxy::ProxierOptions{}.min_sync_period.count());
  int gap_ms = -1;  // default: min_sync_ms + 100
  int chunk_lines = static_cast<int>(kc::proxy::ProxierOptions{}.restore_chunk_lines);
  std::string dump_rules;  // write the (a) rule text here, for running iptables-restore by hand
};

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// User+system CPU time of waited-for child processes so far, in ms.
double ChildCpuMs() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto ms = [](const timeval& tv) { return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0; };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

// Nearest-rank percentile of a sorted copy.
double Pct(std::vector<double> v, double p) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * v.size());
  return v[std::min(v.size() - 1, i)];
}

std::string ServiceName(int i) { return "svc-" + std::to_string(i); }

// Service i: ClusterIP 10.43.<i/250>.<i%250+1>, one named TCP port 80 → 8080.
std::string ServiceJson(int i) {
  char ip[32];
  std::snprintf(ip, sizeof(ip), "10.43.%d.%d", i / 250, i % 250 + 1);
  return std::string(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":")") +
         ServiceName(i) + R"(","namespace":"bench"},"spec":{"type":"ClusterIP","clusterIP":")" +
         ip + R"(","ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}})";
}

// Endpoint j of service i: a distinct 10.42.x.y address; `variant` shifts the last endpoint so a
// patch really changes the rule set.
std::string EndpointsJson(int i, int n, int variant) {
  std::string out = "[";
  for (int j = 0; j < n; ++j) {
    int k = i * n + j + (j == n - 1 ? variant * 100003 : 0);
    char ip[32];
    std::snprintf(ip, sizeof(ip), "10.42.%d.%d", (k / 250) % 250, k % 250 + 1);
    if (j) out += ",";
    out += std::string(R"({"addresses":[")") + ip +
           R"("],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":"node-)" +
           std::to_string(j % 3) + R"("})";
  }
  return out + "]";
}

std::string SliceJson(int i, int n) {
  return std::string(R"({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":")") +
         ServiceName(i) + R"(-abcde","namespace":"bench","labels":{"kubernetes.io/service-name":")" +
         ServiceName(i) + R"("}},"addressType":"IPv4","ports":[{"name":"http","port":8080,"protocol":"TCP"}],"endpoints":)" +
         EndpointsJson(i, n, 0) + "}";
}

Object Parse(const std::string& s) { return boost::json::parse(s).as_object(); }

bool CanRunIptables() {
  return geteuid() == 0 && std::system("command -v iptables-restore >/dev/null 2>&1") == 0 &&
         std::system("command -v ip >/dev/null 2>&1") == 0;
}

// A network namespace for the lifetime of the object (only loopback, up).
class Netns {
 public:
  explicit Netns(int n) : name_("kcbench" + std::to_string(getpid()) + "-" + std::to_string(n)) {
    ok_ = std::system(("ip netns add " + name_ + " && ip -n " + name_ + " link set lo up").c_str()) == 0;
  }
  ~Netns() {
    if (!ok_) return;
    std::system(("ip netns pids " + name_ + " 2>/dev/null | xargs -r kill -9").c_str());
    std::system(("ip netns del " + name_).c_str());
  }
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;
  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }
  // The namespace file: IptablesRunner enters it with setns(2) in the child process, which costs
  // less than an `ip netns exec` wrapper (the host namespace, as in production, needs neither).
  std::string Path() const { return "/run/netns/" + name_; }

 private:
  std::string name_;
  bool ok_ = false;
};

struct Row {
  std::string what;
  double p50 = -1, p99 = -1;  // ms; p99 < 0: a single figure
  std::string note;
};

void PrintTable(std::vector<Row> rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& x, const Row& y) { return x.what.substr(0, 3) < y.what.substr(0, 3); });
  std::printf("%-52s %10s %10s  %s\n", "step", "p50 ms", "p99 ms", "note");
  for (const Row& r : rows) {
    char p99[32] = "-";
    if (r.p99 >= 0) std::snprintf(p99, sizeof(p99), "%.1f", r.p99);
    std::printf("%-52s %10.1f %10s  %s\n", r.what.c_str(), r.p50, p99, r.note.c_str());
  }
  std::fflush(stdout);
}

// Waits until writes() passes `before`; returns false after 60 s or on a signal.
bool WaitWrite(const kc::proxy::Proxier& p, int before) {
  auto deadline = Clock::now() + std::chrono::seconds(60);
  while (p.writes() <= before) {
    if (Clock::now() > deadline || g_interrupted) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

// A Proxier over a FakeClient seeded with the bench's objects, in its own network namespace.
// Members are destroyed in reverse order: the proxier first, the namespace last (which drops the
// rules, so no Cleanup is needed).
struct Rig {
  std::unique_ptr<Netns> ns;
  std::unique_ptr<kc::client::FakeClient> fake;
  std::unique_ptr<kc::client::SharedInformerFactory> factory;
  std::unique_ptr<kc::proxy::Proxier> proxier;
  double sync_ms = 0;  // informers list+sync

  ~Rig() {
    if (proxier) proxier->Stop();
    if (factory) factory->Stop();
  }
};

std::unique_ptr<Rig> MakeRig(const Args& a, int seq, kc::proxy::ProxierOptions opts,
                             std::string* err) {
  auto rig = std::make_unique<Rig>();
  rig->ns = std::make_unique<Netns>(seq);
  if (!rig->ns->ok()) {
    *err = "could not create network namespace " + rig->ns->name();
    return nullptr;
  }
  rig->fake = std::make_unique<kc::client::FakeClient>();
  for (int i = 0; i < a.services; ++i) {
    if (!rig->fake->Seed(kServices, Parse(ServiceJson(i))).ok() ||
        !rig->fake->Seed(kSlices, Parse(SliceJson(i, a.endpoints))).ok()) {
      *err = "seeding the fake client failed";
      return nullptr;
    }
  }
  rig->factory = std::make_unique<kc::client::SharedInformerFactory>(*rig->fake);
  opts.netns_path = rig->ns->Path();
  rig->proxier = std::make_unique<kc::proxy::Proxier>(*rig->factory, opts);
  auto t0 = Clock::now();
  rig->factory->Start();
  if (!rig->factory->WaitForCacheSync(std::chrono::seconds(60))) {
    *err = "informers did not sync";
    return nullptr;
  }
  rig->sync_ms = Ms(t0, Clock::now());
  return rig;
}

int Run(const Args& a) {
  const int total_eps = a.services * a.endpoints;
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  std::printf("proxy_bench: %d services x %d endpoints = %d endpoints; %u CPUs (load %.2f); "
              "min_sync_period %d ms; restore chunks of ~%d lines\n",
              a.services, a.endpoints, total_eps, std::thread::hardware_concurrency(), load[0],
              a.min_sync_ms, a.chunk_lines);
  std::vector<Row> rows;

  // --- (a) in-memory model and rule text ----------------------------------------------------
  std::vector<ObjectPtr> services, slices;
  for (int i = 0; i < a.services; ++i) {
    services.push_back(std::make_shared<const Object>(Parse(ServiceJson(i))));
    slices.push_back(std::make_shared<const Object>(Parse(SliceJson(i, a.endpoints))));
  }
  std::vector<double> t_ports, t_rules, t_both;
  kc::proxy::RuleSet rules;
  std::vector<kc::proxy::ServicePort> ports;
  kc::proxy::RulesConfig cfg;
  for (int r = 0; r < a.reps && !g_interrupted; ++r) {
    auto t0 = Clock::now();
    ports = kc::proxy::BuildServicePorts(services, slices);
    auto t1 = Clock::now();
    rules = kc::proxy::BuildRules(ports, cfg);
    auto t2 = Clock::now();
    t_ports.push_back(Ms(t0, t1));
    t_rules.push_back(Ms(t1, t2));
    t_both.push_back(Ms(t0, t2));
  }
  if (!a.dump_rules.empty()) {
    if (FILE* f = std::fopen(a.dump_rules.c_str(), "w")) {
      std::fwrite(rules.text.data(), 1, rules.text.size(), f);
      std::fclose(f);
    }
  }
  size_t eps_built = 0;
  for (const auto& sp : ports) eps_built += sp.endpoints.size();
  size_t rule_lines = std::count(rules.text.begin(), rules.text.end(), '\n');
  if (eps_built != static_cast<size_t>(total_eps)) {
    std::fprintf(stderr, "BuildServicePorts gave %zu endpoints, want %d\n", eps_built, total_eps);
    return 1;
  }
  char note[256];
  std::snprintf(note, sizeof(note), "%zu service ports, %zu endpoints (median of %d)", ports.size(),
                eps_built, a.reps);
  rows.push_back({"(a) BuildServicePorts", Pct(t_ports, 0.5), -1, note});
  std::snprintf(note, sizeof(note), "%zu lines, %.1f MiB of restore input", rule_lines,
                rules.text.size() / 1048576.0);
  rows.push_back({"(a) BuildRules", Pct(t_rules, 0.5), -1, note});
  rows.push_back({"(a) BuildServicePorts + BuildRules", Pct(t_both, 0.5), -1, ""});

  if (!CanRunIptables()) {
    rows.push_back({"(b)/(c) skipped: need root, iproute2 and iptables", 0, -1, ""});
    PrintTable(rows);
    return 0;
  }

  // --- (b) iptables-restore of the full set into a fresh namespace ----------------------------
  int ns_seq = 0;
  std::vector<double> t_exec, t_full, t_again, t_save;
  for (int r = 0; r < std::max(1, a.reps / 2) && !g_interrupted; ++r) {
    Netns ns(++ns_seq);
    if (!ns.ok()) {
      std::fprintf(stderr, "could not create network namespace %s\n", ns.name().c_str());
      return 1;
    }
    kc::proxy::IptablesRunner runner({}, nullptr, ns.Path());
    auto t0 = Clock::now();
    (void)runner.Run({"true"});
    auto t1 = Clock::now();
    kc::api::Status st = runner.Restore(rules.text);
    auto t2 = Clock::now();
    if (!st.ok()) {
      std::fprintf(stderr, "iptables-restore: %s\n", st.ToString().c_str());
      return 1;
    }
    st = runner.Restore(rules.text);
    auto t3 = Clock::now();
    if (!st.ok()) {
      std::fprintf(stderr, "iptables-restore (again): %s\n", st.ToString().c_str());
      return 1;
    }
    auto saved = runner.Save("nat");
    auto t4 = Clock::now();
    if (!saved.ok()) {
      std::fprintf(stderr, "iptables-save: %s\n", saved.status().ToString().c_str());
      return 1;
    }
    if (r == 0) {
      size_t seps = kc::proxy::ParseSaveChains(*saved, "nat").size();
      std::snprintf(note, sizeof(note), "%zu nat chains after restore", seps);
    }
    t_exec.push_back(Ms(t0, t1));
    t_full.push_back(Ms(t1, t2));
    t_again.push_back(Ms(t2, t3));
    t_save.push_back(Ms(t3, t4));
  }
  std::string reps_note = " (median of " + std::to_string(t_full.size()) + ", fresh netns each)";
  rows.push_back({"(b) run `true` in the netns (exec overhead)", Pct(t_exec, 0.5), -1,
                  "fork, setns, exec: paid by every iptables command below"});
  rows.push_back({"(b) one iptables-restore of the whole set, empty netns", Pct(t_full, 0.5), -1,
                  note + reps_note});
  rows.push_back({"(b) one iptables-restore of it again (chains exist)", Pct(t_again, 0.5), -1, ""});
  rows.push_back({"(b) iptables-save -t nat", Pct(t_save, 0.5), -1, ""});

  // --- (b)/(c) the real Proxier over a fake API ------------------------------------------------
  kc::proxy::ProxierOptions opts;
  opts.set_sysctls = false;
  opts.min_sync_period = std::chrono::milliseconds(a.min_sync_ms);
  opts.restore_chunk_lines = static_cast<size_t>(a.chunk_lines);
  std::unique_ptr<Rig> rig;
  std::vector<double> t_first, cpu_first, build_first;
  kc::proxy::SyncStats first_stats;
  for (int r = 0; r < std::max(1, a.reps / 2) && !g_interrupted; ++r) {
    rig.reset();  // the previous namespace goes first
    std::string err;
    rig = MakeRig(a, ++ns_seq, opts, &err);
    if (!rig) {
      std::fprintf(stderr, "%s\n", err.c_str());
      return 1;
    }
    if (r == 0) rows.push_back({"(c) informers list+sync (fake client)", rig->sync_ms, -1, ""});
    // First full sync on this thread (what the proxier does at start-up).
    double c0 = ChildCpuMs();
    auto t0 = Clock::now();
    kc::api::Status st = rig->proxier->SyncOnce();
    t_first.push_back(Ms(t0, Clock::now()));
    cpu_first.push_back(ChildCpuMs() - c0);
    if (!st.ok()) {
      std::fprintf(stderr, "first sync: %s\n", st.ToString().c_str());
      return 1;
    }
    first_stats = rig->proxier->last_sync();
    build_first.push_back(first_stats.build.count() / 1000.0);
  }
  std::snprintf(note, sizeof(note),
                "build %.0f ms, %d restores, iptables CPU %.0f ms (median of %zu, fresh netns each); "
                "target <= 1000 ms",
                Pct(build_first, 0.5), first_stats.restores, Pct(cpu_first, 0.5), t_first.size());
  const double first_p50 = Pct(t_first, 0.5);
  rows.push_back({"(b) Proxier first full sync (empty netns)", first_p50, -1, note});

  kc::proxy::Proxier& proxier = *rig->proxier;
  std::vector<double> t_resync, cpu_resync;
  kc::proxy::SyncStats resync_stats;
  for (int r = 0; r < std::max(1, a.reps / 2) && !g_interrupted; ++r) {
    proxier.RequestFullSync();
    double c0 = ChildCpuMs();
    auto t0 = Clock::now();
    kc::api::Status st = proxier.SyncOnce();
    t_resync.push_back(Ms(t0, Clock::now()));
    cpu_resync.push_back(ChildCpuMs() - c0);
    if (!st.ok()) {
      std::fprintf(stderr, "full resync: %s\n", st.ToString().c_str());
      return 1;
    }
    resync_stats = proxier.last_sync();
  }
  std::snprintf(note, sizeof(note),
                "iptables-save + %d restores, %zu chains deleted, iptables CPU %.0f ms (median of %zu)",
                resync_stats.restores, resync_stats.chains_deleted, Pct(cpu_resync, 0.5),
                t_resync.size());
  rows.push_back({"(b) Proxier full resync, everything present", Pct(t_resync, 0.5), -1, note});

  std::vector<double> t_same;
  for (int r = 0; r < a.reps && !g_interrupted; ++r) {
    auto t0 = Clock::now();
    kc::api::Status st = proxier.SyncOnce();
    t_same.push_back(Ms(t0, Clock::now()));
    if (!st.ok() || proxier.last_sync().wrote) {
      std::fprintf(stderr, "a sync without changes wrote rules or failed: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  std::snprintf(note, sizeof(note), "per-port rules from the cache, no write (median of %zu)",
                t_same.size());
  rows.push_back({"(b) Proxier::SyncOnce, nothing changed", Pct(t_same, 0.5), -1, note});

  // Endpoint changes through the sync thread.
  proxier.Start();
  const int gap_ms = a.gap_ms >= 0 ? a.gap_ms : a.min_sync_ms + 100;
  std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
  int variant = 0;
  bool failed = false;
  double spaced_p50 = -1, spaced_p99 = -1;
  std::vector<double> sync_ms, sync_cpu_ms, build_ms;
  int partial_restores = 0;
  size_t partial_chains = 0;
  for (int mode = 0; mode < 2 && !failed; ++mode) {
    std::vector<double> lat;
    for (int c = 0; c < a.changes && !g_interrupted; ++c) {
      int svc = (c * 37 + mode * 11) % a.services;
      ++variant;
      std::string patch = R"({"endpoints":)" + EndpointsJson(svc, a.endpoints, variant) + "}";
      int before = proxier.writes();
      double c0 = ChildCpuMs();
      auto c_start = Clock::now();
      auto r = rig->fake->Patch(kSlices, "bench", ServiceName(svc) + "-abcde",
                                kc::client::PatchType::kMerge, patch);
      if (!r.ok()) {
        std::fprintf(stderr, "patch: %s\n", r.status().ToString().c_str());
        failed = true;
        break;
      }
      if (!WaitWrite(proxier, before)) {
        std::fprintf(stderr, "no rules written within 60 s of a change\n");
        failed = true;
        break;
      }
      lat.push_back(Ms(c_start, Clock::now()));
      if (mode == 0) {
        kc::proxy::SyncStats s = proxier.last_sync();
        sync_ms.push_back(s.duration.count() / 1000.0);
        build_ms.push_back(s.build.count() / 1000.0);
        sync_cpu_ms.push_back(ChildCpuMs() - c0);
        partial_restores = s.restores;
        partial_chains = s.chains_written + s.chains_deleted;
        if (s.full) {
          std::fprintf(stderr, "an endpoint change caused a full sync\n");
          failed = true;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
      }
    }
    std::snprintf(note, sizeof(note), "%zu changes%s%s", lat.size(),
                  mode == 0 ? (", " + std::to_string(gap_ms) + " ms after the previous write").c_str()
                            : ", each right after the previous write",
                  mode == 0 ? "; target <= 200 ms" : "");
    if (mode == 0) {
      spaced_p50 = Pct(lat, 0.5);
      spaced_p99 = Pct(lat, 0.99);
    }
    rows.push_back({mode == 0 ? "(c) endpoint change -> rules written (spaced)"
                              : "(c) endpoint change -> rules written (back-to-back)",
                    Pct(lat, 0.5), Pct(lat, 0.99), note});
  }
  std::snprintf(note, sizeof(note),
                "%d restore, %zu chains written/deleted, no iptables-save; build %.1f ms, "
                "iptables CPU %.0f ms",
                partial_restores, partial_chains, Pct(build_ms, 0.5), Pct(sync_cpu_ms, 0.5));
  rows.push_back({"(c) partial sync of one change (SyncOnce time)", Pct(sync_ms, 0.5),
                  Pct(sync_ms, 0.99), note});
  rig.reset();
  PrintTable(rows);
  if (failed) return 1;
  std::printf("\ntarget first full sync <= 1000 ms: p50 %.1f ms -> %s\n", first_p50,
              first_p50 <= 1000 ? "MET" : "NOT MET");
  std::printf("target endpoint change -> rules written <= 200 ms: p50 %.1f ms, p99 %.1f ms -> %s\n",
              spaced_p50, spaced_p99, spaced_p50 >= 0 && spaced_p50 <= 200 ? "MET" : "NOT MET");
  return g_interrupted ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string k = argv[i];
    if (k == "-h" || k == "--help" || i + 1 >= argc) {
      std::fprintf(stderr,
                   "usage: proxy_bench [--services N] [--endpoints N] [--changes N] [--reps N]"
                   " [--min-sync-ms MS] [--gap-ms MS] [--chunk-lines N] [--dump-rules FILE]\n");
      return 2;
    }
    std::string val = argv[++i];
    int v = std::atoi(val.c_str());
    if (k == "--dump-rules") a.dump_rules = val;
    else if (k == "--services") a.services = v;
    else if (k == "--endpoints") a.endpoints = v;
    else if (k == "--changes") a.changes = v;
    else if (k == "--reps") a.reps = v;
    else if (k == "--min-sync-ms") a.min_sync_ms = v;
    else if (k == "--gap-ms") a.gap_ms = v;
    else if (k == "--chunk-lines") a.chunk_lines = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (a.services < 1 || a.services > 60000 || a.endpoints < 1 || a.endpoints > 200 ||
      a.changes < 1 || a.reps < 1 || a.min_sync_ms < 0 || a.chunk_lines < 1) {
    std::fprintf(stderr, "flag out of range\n");
    return 2;
  }
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  return Run(a);
}
