// kcluster: one binary, k3s-style. `kcluster server` runs the control plane; `kcluster kubectl`
// runs the machine's kubectl against this server's kubeconfig.
#include <malloc.h>
#ifdef KC_WITH_MIMALLOC
#include <mimalloc.h>
#endif
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>
#include <vector>

#include "pkg/apiserver/server.h"
#include "pkg/controllers/controller_manager.h"
#include "cmd/node.h"
#include "pkg/containerd/containerd_config.h"
#include "pkg/containerd/image_import.h"
#include "pkg/scheduler/scheduler.h"

namespace {

// Hands freed heap back to the OS, so a burst of load does not leave the idle server large.
void ReleaseFreeMemory() {
#ifdef KC_WITH_MIMALLOC
  mi_collect(/*force=*/true);
#else
  malloc_trim(0);
#endif
}

std::string DefaultDataDir() {
  if (geteuid() == 0) return "/var/lib/kcluster";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.kcluster";
}

int RunServer(kc::apiserver::ServerConfig cfg, std::vector<std::string> disabled_controllers,
              kc::cmd::NodeFlags node_flags) {
  // Block the stop signals before any thread starts, then wait for them here.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  kc::apiserver::Server server(cfg);
  kc::api::Status st = server.Start();
  if (!st.ok()) {
    spdlog::critical("kcluster server failed to start: {}", st.ToString());
    return 1;
  }
  spdlog::info("Wrote kubeconfig {}", server.kubeconfig_path());
  // Components start after the API server, each through the in-process client.
  kc::controllers::ControllerManager::Options copts;
  copts.disabled = std::move(disabled_controllers);
  {
    std::ifstream ca(cfg.data_dir + "/server/tls/server-ca.crt");
    std::stringstream pem;
    pem << ca.rdbuf();
    copts.root_ca_pem = pem.str();
  }
  kc::controllers::ControllerManager controllers(server.client(), copts);
  if (kc::api::Status cs = controllers.Start(); !cs.ok()) {
    spdlog::critical("controller-manager failed to start: {}", cs.ToString());
    server.Stop();
    return 1;
  }
  // The scheduler shares the controller-manager's informers (one per resource).
  kc::scheduler::Scheduler scheduler(server.client(), controllers.informers(), {});
  scheduler.Start();
  // The node: containerd, kubelet, kube-proxy, over the same informers.
  node_flags.data_dir = cfg.data_dir;
  kc::cmd::Node node(node_flags);
  if (kc::api::Status ns = node.Start(server.client(), controllers.informers()); !ns.ok()) {
    spdlog::critical("node components failed to start: {}", ns.ToString());
    node.Stop();
    scheduler.Stop();
    controllers.Stop();
    server.Stop();
    return 1;
  }
  server.SetPodStreams(node.streams());
  if (!cfg.write_kubeconfig.empty()) spdlog::info("Wrote kubeconfig {}", cfg.write_kubeconfig);
  // Wait for a stop signal, releasing free memory every 30 s.
  int sig = -1;
  while (sig < 0) {
    timespec period{30, 0};
    sig = sigtimedwait(&set, nullptr, &period);
    if (sig < 0) ReleaseFreeMemory();
  }
  spdlog::info("received signal {}, shutting down", sig);
  server.SetPodStreams(nullptr);
  node.Stop();
  scheduler.Stop();
  controllers.Stop();
  server.Stop();
  spdlog::info("kcluster server stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef KC_WITH_MIMALLOC
  // Give freed pages back at once: otherwise a thread that goes idle after a burst (an HTTP
  // loop after a large list) keeps them until it allocates again, and the idle server stays
  // large (495 vs 290 MiB after bench/run.sh). Costs no measurable throughput.
  mi_option_set(mi_option_decommit_delay, 0);
#else
  // Few malloc arenas: 32 request workers would otherwise each grow their own and keep them.
  mallopt(M_ARENA_MAX, 4);
#endif
  CLI::App app{"kcluster: a lightweight Kubernetes in one binary"};
  app.require_subcommand(1);
  int verbosity = 0;
  app.add_flag("-v,--verbose", verbosity, "log verbosity (repeat for more)");

  kc::apiserver::ServerConfig cfg;
  cfg.data_dir = DefaultDataDir();
  auto* server = app.add_subcommand("server", "Run the control plane");
  server->add_option("--data-dir,-d", cfg.data_dir, "data directory")->capture_default_str();
  server->add_option("--bind-address", cfg.bind_address, "address to serve HTTPS on")
      ->capture_default_str();
  server->add_option("--https-port", cfg.https_port, "HTTPS port (0 = any free port)")
      ->capture_default_str();
  server->add_option("--insecure-port", cfg.insecure_port,
                     "plain HTTP port on 127.0.0.1 (off unless given)");
  server->add_option("--tls-san", cfg.tls_sans, "extra subject alternative names")
      ->delimiter(',');
  server->add_option("--runtime-config", cfg.runtime_config,
                     "group/version[/resource]=true|false,...");
  server->add_option("--write-kubeconfig,-o", cfg.write_kubeconfig,
                     "also write the admin kubeconfig here");
  server->add_option("--compaction-window", cfg.compaction_window,
                     "revisions kept watchable before compaction")
      ->capture_default_str();
  server->add_option("--store-cache-mb", cfg.store_cache_mb,
                     "memory for the newest value of each object (GETs skip SQLite); 0 = off")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 20))
      ->capture_default_str();
  server->add_option("--service-cidr", cfg.service_cidr, "ClusterIP range")->capture_default_str();
  server->add_option("--service-node-port-range", cfg.service_node_port_range, "NodePort range")
      ->capture_default_str();
  std::string store_sync = "full";
  server->add_option("--store-sync", store_sync,
                     "full: fsync every group commit (power-loss safe); normal: crash safe, faster")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  server->add_option("--worker-threads", cfg.worker_threads, "request worker threads")
      ->capture_default_str();

  std::vector<std::string> disabled_controllers;
  server->add_option("--disable-controllers", disabled_controllers,
                     "controllers not to run (e.g. garbagecollector,namespace,endpoint)")
      ->delimiter(',');

  kc::cmd::NodeFlags node;
  server->add_option("--cluster-cidr", node.cluster_cidr, "pod IP range of the cluster")
      ->capture_default_str();
  server->add_option("--pod-cidr", node.pod_cidr, "this node's pod IP range")
      ->capture_default_str();
  server->add_option("--cluster-dns", node.cluster_dns, "cluster DNS service IP")
      ->capture_default_str();
  server->add_option("--cluster-domain", node.cluster_domain, "cluster DNS domain")
      ->capture_default_str();
  server->add_option("--node-name", node.node_name, "node name (default: hostname)");
  server->add_option("--node-ip", node.node_ip, "node address (default: default route's)");
  server->add_option("--container-runtime-endpoint", node.container_runtime_endpoint,
                     "use this CRI socket instead of starting containerd");
  server->add_option("--registries-config", node.registries_config,
                     "k3s-style registries.yaml")
      ->capture_default_str();
  server->add_option("--pause-image", node.pause_image, "sandbox image")->capture_default_str();
  server->add_flag("--disable-agent", node.disable_agent,
                   "control plane only: no containerd and no kubelet");
  server->add_flag("--disable-kube-proxy", node.disable_kube_proxy,
                   "do not run the iptables service proxy");
  server->add_flag("--disable-dns", node.disable_dns, "do not run the cluster DNS server");

  std::string node_data_dir = DefaultDataDir();
  auto* ctr = app.add_subcommand("ctr", "Run ctr against kcluster's containerd");
  ctr->add_option("--data-dir,-d", node_data_dir, "data directory")->capture_default_str();
  ctr->prefix_command();
  auto* images = app.add_subcommand("images", "Manage node images");
  images->require_subcommand(1);
  auto* images_import = images->add_subcommand("import", "Import image tarballs into containerd");
  std::vector<std::string> import_files;
  images_import->add_option("--data-dir,-d", node_data_dir, "data directory")
      ->capture_default_str();
  images_import->add_option("FILE", import_files, "docker-archive/OCI tarballs")->required();

  auto* kubectl = app.add_subcommand("kubectl", "Run kubectl against this server");
  kubectl->prefix_command();
  std::string kubectl_data_dir = DefaultDataDir();

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(verbosity >= 2 ? spdlog::level::trace
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::info);

  cfg.store_sync_full = store_sync == "full";
  if (*server) return RunServer(cfg, disabled_controllers, node);
  if (*ctr) {
    return kc::containerd::ExecCtr(kc::containerd::PathsForDataDir(node_data_dir).socket,
                                   ctr->remaining());
  }
  if (*images_import) {
    int rc = 0;
    for (const std::string& f : import_files) {
      auto names = kc::containerd::ImportImageTarball(
          kc::containerd::PathsForDataDir(node_data_dir).socket, f);
      if (!names.ok()) {
        std::fprintf(stderr, "%s: %s\n", f.c_str(), names.status().message().c_str());
        rc = 1;
        continue;
      }
      for (const std::string& n : *names) std::printf("imported %s\n", n.c_str());
    }
    return rc;
  }
  if (*kubectl) {
    std::vector<std::string> rest = kubectl->remaining();
    std::string kubeconfig = kubectl_data_dir + "/kubeconfig.yaml";
    if (const char* env = std::getenv("KUBECONFIG"); env && *env) kubeconfig = env;
    std::vector<char*> args;
    std::string prog = "kubectl", flag = "--kubeconfig=" + kubeconfig;
    args.push_back(prog.data());
    args.push_back(flag.data());
    for (auto& a : rest) args.push_back(a.data());
    args.push_back(nullptr);
    execvp("kubectl", args.data());
    spdlog::critical("cannot run kubectl: {}", std::strerror(errno));
    return 127;
  }
  return 0;
}
