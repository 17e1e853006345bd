// kcluster: one binary, k3s-style. `kcluster server` runs the control plane; `kcluster kubectl`
// runs the machine's kubectl against this server's kubeconfig.
#include <malloc.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pkg/apiserver/server.h"
#include "pkg/controllers/controller_manager.h"
#include "pkg/proxy/proxier.h"
#include "pkg/scheduler/scheduler.h"

namespace {

std::string DefaultDataDir() {
  if (geteuid() == 0) return "/var/lib/kcluster";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.kcluster";
}

// Node-side settings of `kcluster server` (the parts that are not the API server's).
struct NodeFlags {
  std::string cluster_cidr = "10.42.0.0/16";
  bool disable_kube_proxy = false;
};

int RunServer(kc::apiserver::ServerConfig cfg, std::vector<std::string> disabled_controllers,
              const NodeFlags& node) {
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
  kc::controllers::ControllerManager controllers(server.client(), copts);
  if (kc::api::Status cs = controllers.Start(); !cs.ok()) {
    spdlog::critical("controller-manager failed to start: {}", cs.ToString());
    server.Stop();
    return 1;
  }
  // The scheduler shares the controller-manager's informers (one per resource).
  kc::scheduler::Scheduler scheduler(server.client(), controllers.informers(), {});
  scheduler.Start();
  // kube-proxy (iptables) over the same informers.
  std::unique_ptr<kc::proxy::Proxier> proxier;
  if (!node.disable_kube_proxy) {
    kc::proxy::ProxierOptions popts;
    popts.rules.cluster_cidr = node.cluster_cidr;
    proxier = std::make_unique<kc::proxy::Proxier>(controllers.informers(), popts);
    proxier->Start();
  }
  if (!cfg.write_kubeconfig.empty()) spdlog::info("Wrote kubeconfig {}", cfg.write_kubeconfig);
  // Wait for a stop signal; meanwhile hand freed heap back to the OS every 30 s so a burst of
  // load does not leave the idle server with a large RSS.
  int sig = -1;
  while (sig < 0) {
    timespec period{30, 0};
    sig = sigtimedwait(&set, nullptr, &period);
    if (sig < 0) malloc_trim(0);
  }
  spdlog::info("received signal {}, shutting down", sig);
  if (proxier) proxier->Stop();
  scheduler.Stop();
  controllers.Stop();
  server.Stop();
  spdlog::info("kcluster server stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Few malloc arenas: 32 request workers would otherwise each grow their own and keep them.
  mallopt(M_ARENA_MAX, 4);
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

  NodeFlags node;
  server->add_option("--cluster-cidr", node.cluster_cidr, "pod IP range of the cluster")
      ->capture_default_str();
  server->add_flag("--disable-kube-proxy", node.disable_kube_proxy,
                   "do not run the iptables service proxy");

  auto* kubectl = app.add_subcommand("kubectl", "Run kubectl against this server");
  kubectl->prefix_command();
  std::string kubectl_data_dir = DefaultDataDir();

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(verbosity >= 2 ? spdlog::level::trace
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::info);

  cfg.store_sync_full = store_sync == "full";
  if (*server) return RunServer(cfg, disabled_controllers, node);
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
