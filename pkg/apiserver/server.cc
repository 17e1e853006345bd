#include "pkg/apiserver/server.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "pkg/apiserver/api_handler.h"
#include "pkg/apiserver/discovery.h"
#include "pkg/apiserver/http_server.h"
#include "pkg/apiserver/local_client.h"
#include "pkg/apiserver/metrics.h"
#include "pkg/apiserver/registry.h"
#include "pkg/apiserver/service_allocation.h"
#include "pkg/pki/kubeconfig.h"
#include "pkg/pki/server_pki.h"
#include "pkg/store/sqlite_backend.h"

namespace kc::apiserver {
namespace fs = std::filesystem;

struct Server::Impl {
  ServerConfig config;
  std::unique_ptr<store::SqliteBackend> backend;
  std::unique_ptr<ApiSurface> surface;
  std::unique_ptr<ServiceAllocation> services;
  std::unique_ptr<Registry> registry;
  Metrics metrics;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<Authorizer> authorizer;
  std::unique_ptr<ApiHandler> handler;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<LocalClient> local_client;
  std::string kubeconfig;
  streaming::PodStreams* pod_streams = nullptr;
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
}

Server::~Server() { Stop(); }

api::Status Server::Start() {
  Impl& s = *impl_;
  const fs::path data(s.config.data_dir);
  std::error_code ec;
  for (const char* sub : {"server/db", "server/tls", "server/manifests", "agent/images",
                          "agent/containerd"}) {
    fs::create_directories(data / sub, ec);
    if (ec) return api::Status::Internal("creating " + (data / sub).string() + ": " + ec.message());
  }
  const std::string tls_dir = (data / "server/tls").string();
  if (auto st = pki::EnsureServerPki(tls_dir, s.config.tls_sans); !st.ok()) return st;

  store::SqliteBackend::Options so;
  so.path = (data / "server/db/state.db").string();
  so.compaction_window = s.config.compaction_window;
  so.sync_full = s.config.store_sync_full;
  so.value_cache_bytes = static_cast<size_t>(std::max<int64_t>(0, s.config.store_cache_mb)) << 20;
  auto backend = store::SqliteBackend::Open(so);
  if (!backend.ok()) return backend.status();
  s.backend = std::move(*backend);

  auto surface = ApiSurface::Build(s.config.runtime_config);
  if (!surface.ok()) return surface.status();
  s.surface = std::make_unique<ApiSurface>(std::move(*surface));
  s.registry = std::make_unique<Registry>(*s.backend);
  auto services = ServiceAllocation::Create(s.config.service_cidr, s.config.service_node_port_range);
  if (!services.ok()) return services.status();
  s.services = std::move(*services);
  s.registry->SetServiceAllocation(s.services.get());
  if (auto st = s.registry->Bootstrap(); !st.ok()) return st;
  s.local_client = std::make_unique<LocalClient>(*s.registry, *s.surface, "system:kcluster");

  s.authenticator = std::make_unique<ClientCertAuthenticator>();
  s.authorizer = std::make_unique<AlwaysAllowAuthorizer>();
  s.handler = std::make_unique<ApiHandler>(*s.registry, *s.surface, s.metrics, *s.authenticator,
                                           *s.authorizer);
  s.handler->SetPodStreams(s.pod_streams);
  HttpServerOptions ho;
  ho.bind_address = s.config.bind_address;
  ho.https_port = s.config.https_port;
  ho.http_port = s.config.insecure_port;
  ho.tls_cert_file = tls_dir + "/" + pki::kServingCert;
  ho.tls_key_file = tls_dir + "/" + pki::kServingKey;
  ho.client_ca_file = tls_dir + "/" + pki::kClientCaCert;
  ho.worker_threads = s.config.worker_threads;
  ho.run_inline = [](const HttpRequest& req) { return ApiHandler::RunsOnIoThread(req); };
  ApiHandler* handler = s.handler.get();
  s.http = std::make_unique<HttpServer>(ho, [handler](HttpRequest& req) {
    return handler->Handle(req);
  });
  if (auto st = s.http->Start(); !st.ok()) return st;

  const std::string url = "https://127.0.0.1:" + std::to_string(s.http->https_port());
  s.kubeconfig = (data / "kubeconfig.yaml").string();
  if (auto st = pki::WriteAdminKubeconfig(tls_dir, s.kubeconfig, url); !st.ok()) return st;
  if (!s.config.write_kubeconfig.empty()) {
    if (auto st = pki::WriteAdminKubeconfig(tls_dir, s.config.write_kubeconfig, url); !st.ok()) {
      return st;
    }
  }
  s.handler->SetReady(true);
  spdlog::info("kcluster API server listening on https://{}:{}", s.config.bind_address,
               s.http->https_port());
  if (s.http->http_port() >= 0) {
    spdlog::info("insecure HTTP on http://127.0.0.1:{}", s.http->http_port());
  }
  return api::Status::Ok();
}

void Server::Stop() {
  Impl& s = *impl_;
  if (s.http) {
    s.http->Stop();
    s.http.reset();
  }
  if (s.backend) {
    s.backend->Close();
  }
}

int Server::https_port() const { return impl_->http ? impl_->http->https_port() : -1; }
std::string Server::kubeconfig_path() const { return impl_->kubeconfig; }
client::Client& Server::client() { return *impl_->local_client; }

void Server::SetPodStreams(streaming::PodStreams* streams) {
  impl_->pod_streams = streams;
  if (impl_->handler) impl_->handler->SetPodStreams(streams);
}

}  // namespace kc::apiserver
