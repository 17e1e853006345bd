#include "pkg/kubelet/runtime_reader.h"

#include <algorithm>
#include <cstdlib>

#include "pkg/kubelet/labels.h"

namespace kc::kubelet {
namespace {

template <typename Map>
std::string Get(const Map& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

ContainerState FromCri(cri::v1::ContainerState s) {
  switch (s) {
    case cri::v1::CONTAINER_CREATED:
      return ContainerState::kCreated;
    case cri::v1::CONTAINER_RUNNING:
      return ContainerState::kRunning;
    case cri::v1::CONTAINER_EXITED:
      return ContainerState::kExited;
    default:
      return ContainerState::kUnknown;
  }
}

int ParseInt(const std::string& s) { return s.empty() ? 0 : std::atoi(s.c_str()); }

template <typename Annotations>
void FillAnnotations(const Annotations& a, RuntimeContainer* c) {
  c->restart_count = ParseInt(Get(a, kContainerRestartCountAnnotation));
  c->hash = Get(a, kContainerHashAnnotation);
  for (const auto& kv : a) c->annotations[kv.first] = kv.second;
}

void SortNewestFirst(RuntimePod* pod) {
  std::stable_sort(pod->sandboxes.begin(), pod->sandboxes.end(),
                   [](const RuntimeSandbox& a, const RuntimeSandbox& b) {
                     if (a.created_at != b.created_at) return a.created_at > b.created_at;
                     return a.attempt > b.attempt;
                   });
  std::stable_sort(pod->containers.begin(), pod->containers.end(),
                   [](const RuntimeContainer& a, const RuntimeContainer& b) {
                     if (a.created_at != b.created_at) return a.created_at > b.created_at;
                     return a.restart_count > b.restart_count;
                   });
}

// What a ListPodSandbox item says about a sandbox.
RuntimeSandbox FromListed(const cri::v1::PodSandbox& s) {
  RuntimeSandbox sb;
  sb.id = s.id();
  sb.ready = s.state() == cri::v1::SANDBOX_READY;
  sb.attempt = s.metadata().attempt();
  sb.created_at = s.created_at();
  return sb;
}

// What a ListContainers item says about a container (ContainerStatus adds the rest).
RuntimeContainer FromListed(const cri::v1::Container& c) {
  RuntimeContainer rc;
  rc.id = c.id();
  rc.sandbox_id = c.pod_sandbox_id();
  rc.name = Get(c.labels(), kContainerNameLabel);
  rc.state = FromCri(c.state());
  rc.created_at = c.created_at();
  rc.image = c.image().image();
  rc.image_ref = c.image_ref();
  FillAnnotations(c.annotations(), &rc);
  return rc;
}

}  // namespace

api::Result<std::map<std::string, RuntimePod>> ListRuntimePods(cri::Runtime& runtime) {
  std::map<std::string, RuntimePod> pods;
  auto sandboxes = runtime.ListPodSandbox(cri::v1::ListPodSandboxRequest());
  if (!sandboxes.ok()) return sandboxes.status();
  for (const auto& s : sandboxes->items()) {
    std::string uid = Get(s.labels(), kPodUidLabel);
    if (uid.empty()) continue;
    RuntimePod& pod = pods[uid];
    pod.uid = uid;
    pod.name = Get(s.labels(), kPodNameLabel);
    pod.ns = Get(s.labels(), kPodNamespaceLabel);
    RuntimeSandbox sb = FromListed(s);
    pod.sandboxes.push_back(std::move(sb));
  }
  auto containers = runtime.ListContainers(cri::v1::ListContainersRequest());
  if (!containers.ok()) return containers.status();
  for (const auto& c : containers->containers()) {
    std::string uid = Get(c.labels(), kPodUidLabel);
    if (uid.empty()) continue;
    RuntimePod& pod = pods[uid];
    pod.uid = uid;
    if (pod.name.empty()) pod.name = Get(c.labels(), kPodNameLabel);
    if (pod.ns.empty()) pod.ns = Get(c.labels(), kPodNamespaceLabel);
    RuntimeContainer rc = FromListed(c);
    pod.containers.push_back(std::move(rc));
  }
  for (auto& [uid, pod] : pods) SortNewestFirst(&pod);
  return pods;
}

api::Result<RuntimePod> GetRuntimePod(cri::Runtime& runtime, const std::string& uid) {
  RuntimePod pod;
  pod.uid = uid;
  cri::v1::ListPodSandboxRequest sreq;
  (*sreq.mutable_filter()->mutable_label_selector())[kPodUidLabel] = uid;
  auto sandboxes = runtime.ListPodSandbox(sreq);
  if (!sandboxes.ok()) return sandboxes.status();
  for (const auto& s : sandboxes->items()) {
    pod.name = Get(s.labels(), kPodNameLabel);
    pod.ns = Get(s.labels(), kPodNamespaceLabel);
    RuntimeSandbox sb = FromListed(s);
    cri::v1::PodSandboxStatusRequest req;
    req.set_pod_sandbox_id(s.id());
    auto st = runtime.PodSandboxStatus(req);
    if (st.ok() && st->has_status()) {
      const auto& status = st->status();
      sb.status_known = true;
      sb.ready = status.state() == cri::v1::SANDBOX_READY;
      if (status.has_network()) {
        sb.has_network = true;
        sb.ip = status.network().ip();
        for (const auto& ip : status.network().additional_ips()) sb.additional_ips.push_back(ip.ip());
      }
      sb.host_network = status.linux().namespaces().options().network() == cri::v1::NODE;
    } else if (!st.ok() && st.status().reason() != api::Reason::kNotFound) {
      return st.status();
    }
    pod.sandboxes.push_back(std::move(sb));
  }
  cri::v1::ListContainersRequest creq;
  (*creq.mutable_filter()->mutable_label_selector())[kPodUidLabel] = uid;
  auto containers = runtime.ListContainers(creq);
  if (!containers.ok()) return containers.status();
  for (const auto& c : containers->containers()) {
    if (pod.name.empty()) pod.name = Get(c.labels(), kPodNameLabel);
    if (pod.ns.empty()) pod.ns = Get(c.labels(), kPodNamespaceLabel);
    RuntimeContainer rc = FromListed(c);
    cri::v1::ContainerStatusRequest req;
    req.set_container_id(c.id());
    auto st = runtime.ContainerStatus(req);
    if (st.ok() && st->has_status()) {
      const auto& s = st->status();
      rc.state = FromCri(s.state());
      rc.created_at = s.created_at();
      rc.started_at = s.started_at();
      rc.finished_at = s.finished_at();
      rc.exit_code = s.exit_code();
      rc.reason = s.reason();
      rc.message = s.message();
      if (!s.image().image().empty()) rc.image = s.image().image();
      if (!s.image_ref().empty()) rc.image_ref = s.image_ref();
      rc.log_path = s.log_path();
    } else if (!st.ok() && st.status().reason() != api::Reason::kNotFound) {
      return st.status();
    } else if (!st.ok()) {
      continue;  // removed between List and Status
    }
    pod.containers.push_back(std::move(rc));
  }
  SortNewestFirst(&pod);
  return pod;
}

std::string RuntimeFingerprint(const RuntimePod& pod) {
  std::string out;
  for (const RuntimeSandbox& s : pod.sandboxes) {
    out += "s:" + s.id + (s.ready ? ":r;" : ":n;");
  }
  for (const RuntimeContainer& c : pod.containers) {
    out += "c:" + c.id + ":" + std::to_string(static_cast<int>(c.state)) + ";";
  }
  return out;
}

}  // namespace kc::kubelet
