// Test helpers for the kubelet (tests only): a CRI runtime that records the requests it forwards
// to a FakeRuntime, a fixture wiring FakeClient + FakeRuntime + FakeClock + Kubelet over a
// temporary directory, and small pod builders.
#pragma once

#include <stdlib.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/client/clock.h"
#include "pkg/client/fake_client.h"
#include "pkg/client/informer_factory.h"
#include "pkg/kubelet/cri/fake_runtime.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/time_source.h"

namespace kc::kubelet::testing {

namespace v1 = cri::v1;
namespace json = boost::json;

inline const client::ResourceRef kPods{"", "v1", "pods"};
inline const client::ResourceRef kNodes{"", "v1", "nodes"};
inline const client::ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
inline const client::ResourceRef kConfigMaps{"", "v1", "configmaps"};
inline const client::ResourceRef kSecrets{"", "v1", "secrets"};

inline std::string Label(const json::object& o, const std::string& key) {
  const json::object* meta = api::GetObject(o, "metadata");
  const json::object* labels = meta ? api::GetObject(*meta, "labels") : nullptr;
  return labels ? api::GetString(*labels, key) : "";
}

// A field ("status", "reason", "message", ...) of the status condition `type` of a Pod or Node.
inline std::string Condition(const json::object& obj, const std::string& type,
                             const char* field = "status") {
  const json::object* st = api::GetObject(obj, "status");
  const json::array* conds = st ? api::GetArray(*st, "conditions") : nullptr;
  if (!conds) return "<none>";
  for (const json::value& c : *conds) {
    if (api::GetString(c.as_object(), "type") == type) return api::GetString(c.as_object(), field);
  }
  return "<none>";
}

// Forwards every call to a FakeRuntime and keeps copies of the interesting requests.
class RecordingRuntime : public cri::Runtime {
 public:
  explicit RecordingRuntime(cri::FakeRuntime& inner) : inner_(inner) {}

  std::vector<v1::RunPodSandboxRequest> sandboxes() const {
    std::lock_guard<std::mutex> l(mu_);
    return sandboxes_;
  }
  std::vector<v1::CreateContainerRequest> creates() const {
    std::lock_guard<std::mutex> l(mu_);
    return creates_;
  }
  std::vector<v1::StopContainerRequest> stops() const {
    std::lock_guard<std::mutex> l(mu_);
    return stops_;
  }

  api::Result<v1::VersionResponse> Version(const v1::VersionRequest& r) override { return inner_.Version(r); }
  api::Result<v1::StatusResponse> Status(const v1::StatusRequest& r) override { return inner_.Status(r); }
  api::Result<v1::RunPodSandboxResponse> RunPodSandbox(const v1::RunPodSandboxRequest& r) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      sandboxes_.push_back(r);
    }
    return inner_.RunPodSandbox(r);
  }
  api::Status StopPodSandbox(const v1::StopPodSandboxRequest& r) override { return inner_.StopPodSandbox(r); }
  api::Status RemovePodSandbox(const v1::RemovePodSandboxRequest& r) override { return inner_.RemovePodSandbox(r); }
  api::Result<v1::PodSandboxStatusResponse> PodSandboxStatus(const v1::PodSandboxStatusRequest& r) override {
    return inner_.PodSandboxStatus(r);
  }
  api::Result<v1::ListPodSandboxResponse> ListPodSandbox(const v1::ListPodSandboxRequest& r) override {
    return inner_.ListPodSandbox(r);
  }
  api::Result<v1::CreateContainerResponse> CreateContainer(const v1::CreateContainerRequest& r) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      creates_.push_back(r);
    }
    return inner_.CreateContainer(r);
  }
  api::Status StartContainer(const v1::StartContainerRequest& r) override { return inner_.StartContainer(r); }
  api::Status StopContainer(const v1::StopContainerRequest& r) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stops_.push_back(r);
    }
    return inner_.StopContainer(r);
  }
  api::Status RemoveContainer(const v1::RemoveContainerRequest& r) override { return inner_.RemoveContainer(r); }
  api::Result<v1::ListContainersResponse> ListContainers(const v1::ListContainersRequest& r) override {
    return inner_.ListContainers(r);
  }
  api::Result<v1::ContainerStatusResponse> ContainerStatus(const v1::ContainerStatusRequest& r) override {
    return inner_.ContainerStatus(r);
  }
  api::Status UpdateContainerResources(const v1::UpdateContainerResourcesRequest& r) override {
    return inner_.UpdateContainerResources(r);
  }
  api::Status ReopenContainerLog(const v1::ReopenContainerLogRequest& r) override { return inner_.ReopenContainerLog(r); }
  api::Result<v1::ExecSyncResponse> ExecSync(const v1::ExecSyncRequest& r) override { return inner_.ExecSync(r); }
  api::Result<v1::ExecResponse> Exec(const v1::ExecRequest& r) override { return inner_.Exec(r); }
  api::Result<v1::AttachResponse> Attach(const v1::AttachRequest& r) override { return inner_.Attach(r); }
  api::Result<v1::PortForwardResponse> PortForward(const v1::PortForwardRequest& r) override { return inner_.PortForward(r); }
  api::Result<v1::ContainerStatsResponse> ContainerStats(const v1::ContainerStatsRequest& r) override {
    return inner_.ContainerStats(r);
  }
  api::Result<v1::ListContainerStatsResponse> ListContainerStats(const v1::ListContainerStatsRequest& r) override {
    return inner_.ListContainerStats(r);
  }
  api::Status UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& r) override { return inner_.UpdateRuntimeConfig(r); }
  api::Result<v1::ListImagesResponse> ListImages(const v1::ListImagesRequest& r) override { return inner_.ListImages(r); }
  api::Result<v1::ImageStatusResponse> ImageStatus(const v1::ImageStatusRequest& r) override { return inner_.ImageStatus(r); }
  api::Result<v1::PullImageResponse> PullImage(const v1::PullImageRequest& r) override { return inner_.PullImage(r); }
  api::Status RemoveImage(const v1::RemoveImageRequest& r) override { return inner_.RemoveImage(r); }
  api::Result<v1::ImageFsInfoResponse> ImageFsInfo(const v1::ImageFsInfoRequest& r) override { return inner_.ImageFsInfo(r); }

 private:
  cri::FakeRuntime& inner_;
  mutable std::mutex mu_;
  std::vector<v1::RunPodSandboxRequest> sandboxes_;
  std::vector<v1::CreateContainerRequest> creates_;
  std::vector<v1::StopContainerRequest> stops_;
};

inline bool WaitFor(const std::function<bool()>& cond,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

inline json::object ParseObject(const std::string& s) { return json::parse(s).as_object(); }

// A pod bound to node1 in namespace "ns" with the given spec fields merged in.
inline json::object MakePod(const std::string& name, const std::string& spec_json) {
  json::object pod = ParseObject(R"({"apiVersion":"v1","kind":"Pod",
      "metadata":{"name":")" + name + R"(","namespace":"ns","labels":{"app":"web"}},
      "spec":)" + spec_json + R"(,"status":{"phase":"Pending"}})");
  json::object& spec = pod["spec"].as_object();
  spec["nodeName"] = "node1";
  if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
  return pod;
}

// FakeClient + FakeRuntime (behind a RecordingRuntime) + FakeClock + a Kubelet.
class KubeletFixture {
 public:
  KubeletFixture()
      : time_(&clock_),
        runtime_([this] { return time_.WallNanos(); }),
        recorder_(runtime_),
        factory_(client_) {
    char tmpl[] = "/tmp/kc-kubelet-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::ofstream(dir_ + "/resolv.conf") << "nameserver 192.168.1.1\nsearch example.com\n";
  }
  ~KubeletFixture() {
    kubelets_.clear();
    factory_.Stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  KubeletOptions Options() {
    KubeletOptions o;
    o.node_name = "node1";
    o.node_ip = "10.0.0.5";
    o.root_dir = dir_ + "/agent";
    o.pod_log_dir = dir_ + "/pods";
    o.container_log_dir = dir_ + "/containers";
    o.host_resolv_conf = dir_ + "/resolv.conf";
    o.clock = &clock_;
    o.control_plane = true;
    return o;
  }

  // A new Kubelet over the same client and runtime (like a restarted kcluster), with its pod
  // informer synced.
  Kubelet& NewKubelet() {
    kubelets_.push_back(std::make_unique<Kubelet>(client_, factory_, recorder_, Options()));
    Kubelet& k = *kubelets_.back();
    REQUIRE(k.StartInformerAndWait(std::chrono::seconds(5)));
    return k;
  }

  json::object CreatePod(const json::object& pod) {
    auto r = client_.Seed(kPods, pod);
    REQUIRE(r.ok());
    return *r;
  }
  json::object GetPod(const std::string& name) {
    auto r = client_.Get(kPods, "ns", name);
    REQUIRE(r.ok());
    return *r;
  }
  // Waits until `kubelet`'s pod cache shows the pod at the client's current resourceVersion.
  void WaitCached(Kubelet& kubelet, const std::string& name) {
    auto r = client_.Get(kPods, "ns", name);
    std::string rv = r.ok() ? client::ObjectMetaString(*r, "resourceVersion") : "";
    REQUIRE(WaitFor([&] {
      client::ObjectPtr p = kubelet.CachedPod("ns", name);
      if (!r.ok()) return p == nullptr;
      return p && client::ObjectMetaString(*p, "resourceVersion") == rv;
    }));
  }

  static std::string Uid(const json::object& pod) {
    return client::ObjectMetaString(pod, "uid");
  }
  static const json::object& ContainerStatus(const json::object& pod, size_t i = 0,
                                             const char* list = "containerStatuses") {
    return pod.at("status").at(list).at(i).as_object();
  }
  static std::string WaitingReason(const json::object& pod, size_t i = 0) {
    const json::value* w = api::Lookup(ContainerStatus(pod, i), "state.waiting.reason");
    return w && w->is_string() ? std::string(w->get_string()) : "";
  }
  static std::string Phase(const json::object& pod) {
    return std::string(pod.at("status").at("phase").as_string());
  }
  // The ids of the pod's containers in the runtime with this name, newest first.
  std::vector<v1::Container> RuntimeContainers(const std::string& uid, const std::string& name) {
    v1::ListContainersRequest req;
    (*req.mutable_filter()->mutable_label_selector())["io.kubernetes.pod.uid"] = uid;
    (*req.mutable_filter()->mutable_label_selector())["io.kubernetes.container.name"] = name;
    auto r = runtime_.ListContainers(req);
    REQUIRE(r.ok());
    std::vector<v1::Container> out(r->containers().begin(), r->containers().end());
    // Newest first; the fake clock often gives equal creation times, so the restart count
    // annotation breaks ties.
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      if (a.created_at() != b.created_at()) return a.created_at() > b.created_at();
      auto count = [](const v1::Container& c) {
        auto it = c.annotations().find("io.kubernetes.container.restartCount");
        return it == c.annotations().end() ? 0 : std::stoi(it->second);
      };
      return count(a) > count(b);
    });
    return out;
  }

  client::FakeClock clock_;
  TimeSource time_;
  client::FakeClient client_;
  cri::FakeRuntime runtime_;
  RecordingRuntime recorder_;
  client::SharedInformerFactory factory_;
  std::string dir_;
  std::vector<std::unique_ptr<Kubelet>> kubelets_;
};

}  // namespace kc::kubelet::testing
