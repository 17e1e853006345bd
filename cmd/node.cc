#include "cmd/node.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <cstdlib>

#include "pkg/containerd/cni_config.h"
#include "pkg/containerd/image_dir_watcher.h"
#include "pkg/containerd/supervisor.h"
#include "pkg/dns/dns_server.h"
#include "pkg/kubelet/cri/grpc_runtime.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/proxy/proxier.h"

namespace kc::cmd {
namespace {

const client::ResourceRef kServices{"", "v1", "services"};
const client::ResourceRef kEndpoints{"", "v1", "endpoints"};

// The kube-dns Service in kube-system at the cluster DNS IP, as kubeadm/k3s clusters have it.
// Its endpoint is the DNS IP itself (the in-process server listens there, the address lives on
// lo), so kube-proxy DNATs to itself instead of rejecting a Service without endpoints.
api::Status EnsureKubeDnsService(client::Client& client, const std::string& ip) {
  std::string svc =
      R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"kube-dns","namespace":"kube-system","labels":{"k8s-app":"kube-dns","kubernetes.io/name":"CoreDNS","kubernetes.io/cluster-service":"true"}},"spec":{"clusterIP":")" +
      ip +
      R"(","ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53}]}})";
  // Get first: creating an existing Service fails on its ClusterIP before its name.
  api::Result<client::Object> r = client.Get(kServices, "kube-system", "kube-dns");
  if (!r.ok()) r = client.Create(kServices, "kube-system", boost::json::parse(svc).as_object());
  if (!r.ok() && r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  std::string ep =
      R"({"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"kube-dns","namespace":"kube-system","labels":{"k8s-app":"kube-dns"}},"subsets":[{"addresses":[{"ip":")" +
      ip +
      R"("}],"ports":[{"name":"dns","port":53,"protocol":"UDP"},{"name":"dns-tcp","port":53,"protocol":"TCP"}]}]})";
  r = client.Get(kEndpoints, "kube-system", "kube-dns");
  if (!r.ok()) r = client.Create(kEndpoints, "kube-system", boost::json::parse(ep).as_object());
  if (!r.ok() && r.status().reason() != api::Reason::kAlreadyExists) return r.status();
  return api::Status::Ok();
}

}  // namespace

struct Node::Impl {
  NodeFlags flags;
  std::unique_ptr<containerd::Supervisor> containerd;
  std::unique_ptr<containerd::ImageDirWatcher> images;
  std::unique_ptr<cri::GrpcRuntime> runtime;
  std::unique_ptr<kubelet::Kubelet> kubelet;
  std::unique_ptr<proxy::Proxier> proxier;
  std::unique_ptr<dns::DnsServer> dns;
  bool dns_address_added = false;
};

Node::Node(NodeFlags flags) : impl_(std::make_unique<Impl>()) { impl_->flags = std::move(flags); }

Node::~Node() { Stop(); }

api::Status Node::Start(client::Client& client, client::SharedInformerFactory& informers) {
  const NodeFlags& f = impl_->flags;
  if (!f.disable_dns) {
    if (api::Status st = EnsureKubeDnsService(client, f.cluster_dns); !st.ok()) {
      return api::Status::Internal("kube-dns service: " + st.message());
    }
    // The DNS IP on lo, so pods' queries (DNATed to it by kube-proxy) are delivered locally.
    std::string add = "ip addr replace " + f.cluster_dns + "/32 dev lo 2>/dev/null";
    impl_->dns_address_added = std::system(add.c_str()) == 0;
    if (!impl_->dns_address_added) spdlog::warn("could not add {} to lo", f.cluster_dns);
    dns::DnsOptions dopts;
    dopts.cluster_domain = f.cluster_domain;
    dopts.listen = {f.cluster_dns + ":53"};
    impl_->dns = std::make_unique<dns::DnsServer>(informers, dopts);
    if (api::Status st = impl_->dns->Start(); !st.ok()) return st;
    spdlog::info("cluster DNS on {}:53 for {}", f.cluster_dns, f.cluster_domain);
  }
  if (!f.disable_agent) {
    containerd::Supervisor::Options o;
    o.containerd.paths = containerd::PathsForDataDir(f.data_dir);
    o.containerd.sandbox_image = f.pause_image;
    // A free port for the CRI stream server (only the kubelet and API server use its URLs), so
    // two kcluster nodes on one machine do not collide.
    o.containerd.stream_server_port = 0;
    o.registries_yaml = f.registries_config;
    o.cni_pod_cidr = f.pod_cidr;
    o.external_endpoint = f.container_runtime_endpoint;
    impl_->containerd = std::make_unique<containerd::Supervisor>(o);
    if (api::Status st = impl_->containerd->Start(); !st.ok()) return st;
    spdlog::info("containerd ready on {}", impl_->containerd->socket());
    if (f.container_runtime_endpoint.empty()) {
      containerd::ImageDirWatcher::Options wo;
      wo.dir = o.containerd.paths.images_dir;
      impl_->images = std::make_unique<containerd::ImageDirWatcher>(
          wo, containerd::ImageDirWatcher::CtrImporter(impl_->containerd->socket()));
      impl_->images->Start();
    }
    api::Result<std::unique_ptr<cri::GrpcRuntime>> rt =
        cri::GrpcRuntime::Connect(impl_->containerd->socket());
    if (!rt.ok()) return rt.status();
    impl_->runtime = std::move(*rt);
    kubelet::KubeletOptions kopts;
    kopts.node_name = f.node_name;
    kopts.node_ip = f.node_ip;
    kopts.pod_cidr = f.pod_cidr;
    kopts.cluster_dns = f.cluster_dns;
    kopts.cluster_domain = f.cluster_domain;
    kopts.control_plane = true;
    kopts.root_dir = f.data_dir + "/agent";
    impl_->kubelet =
        std::make_unique<kubelet::Kubelet>(client, informers, *impl_->runtime, kopts);
    impl_->kubelet->Start();
    spdlog::info("kubelet started for node {}", impl_->kubelet->node_name());
  }
  if (!f.disable_kube_proxy) {
    proxy::ProxierOptions popts;
    popts.rules.cluster_cidr = f.cluster_cidr;
    impl_->proxier = std::make_unique<proxy::Proxier>(informers, popts);
    impl_->proxier->Start();
  }
  return api::Status::Ok();
}

streaming::PodStreams* Node::streams() {
  return impl_ && impl_->kubelet ? &impl_->kubelet->streams() : nullptr;
}

void Node::Stop() {
  if (!impl_) return;
  if (impl_->dns) impl_->dns->Stop();
  if (impl_->dns_address_added) {
    std::system(("ip addr del " + impl_->flags.cluster_dns + "/32 dev lo 2>/dev/null").c_str());
    impl_->dns_address_added = false;
  }
  if (impl_->proxier) impl_->proxier->Stop();
  if (impl_->kubelet) impl_->kubelet->Stop();
  if (impl_->images) impl_->images->Stop();
  if (impl_->containerd) impl_->containerd->Stop();
  impl_->dns.reset();
  impl_->proxier.reset();
  impl_->kubelet.reset();
  impl_->runtime.reset();
  impl_->images.reset();
  impl_->containerd.reset();
}

}  // namespace kc::cmd
