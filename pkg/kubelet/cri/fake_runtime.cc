#include "pkg/kubelet/cri/fake_runtime.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "pkg/kubelet/cri/image_ref.h"

namespace kc::cri {
namespace {

constexpr const char* kStreamBase = "http://127.0.0.1:10010";
constexpr const char* kImageFsMountpoint =
    "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs";

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// 64 hex digits derived deterministically from `seed`.
std::string Hex64(uint64_t seed) {
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:016x}", SplitMix64(seed));
  return out;
}

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool LabelsMatch(const google::protobuf::Map<std::string, std::string>& selector,
                 const google::protobuf::Map<std::string, std::string>& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

// The repository part of a normalised reference ("docker.io/library/busybox:1.35" →
// "docker.io/library/busybox").
std::string RepoOf(const std::string& normalized) {
  size_t at = normalized.find('@');
  if (at != std::string::npos) return normalized.substr(0, at);
  size_t slash = normalized.rfind('/');
  size_t colon = normalized.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    return normalized.substr(0, colon);
  }
  return normalized;
}

std::string SandboxName(const v1::PodSandboxMetadata& m) {
  return fmt::format("{}_{}_{}_{}", m.name(), m.namespace_(), m.uid(), m.attempt());
}

std::string ContainerName(const v1::ContainerMetadata& c, const v1::PodSandboxMetadata& s) {
  return fmt::format("{}_{}_{}_{}_{}", c.name(), s.name(), s.namespace_(), s.uid(), c.attempt());
}

api::Status NotRunning(const v1::ContainerState state) {
  return api::Status::Internal(
      fmt::format("container is in {} state", v1::ContainerState_Name(state)));
}

}  // namespace

FakeRuntime::FakeRuntime(Clock clock) : clock_(std::move(clock)) {}
FakeRuntime::~FakeRuntime() = default;

// ---- helpers (mu_ held) ---------------------------------------------------------------------

api::Status FakeRuntime::BeginCall(const char* method) {
  calls_.emplace_back(method);
  auto it = fail_next_.find(method);
  if (it == fail_next_.end() || it->second.empty()) return api::Status::Ok();
  api::Status st = std::move(it->second.front());
  it->second.pop_front();
  return st;
}

int64_t FakeRuntime::Now() const {
  if (clock_) return clock_();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FakeRuntime::NewId() { return Hex64(0xc0ffee0000000000ULL + next_id_++); }

std::string FakeRuntime::NewStreamUrl(const char* kind) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t state = 0x5eed000000000000ULL + next_token_++;
  uint64_t bits = SplitMix64(state);
  std::string token;
  for (int i = 0; i < 8; ++i) {
    token += kAlphabet[bits & 63];
    bits >>= 6;
  }
  return fmt::format("{}/{}/{}", kStreamBase, kind, token);
}

v1::Image* FakeRuntime::FindImage(const std::string& ref) {
  if (ref.empty()) return nullptr;
  if (auto it = images_.find(ref); it != images_.end()) return &it->second;  // full ID
  if (auto normalized = NormalizeImageName(ref); normalized.ok()) {
    for (auto& [id, image] : images_) {
      for (const auto& tag : image.repo_tags()) {
        if (tag == *normalized) return &image;
      }
      for (const auto& digest : image.repo_digests()) {
        if (digest == *normalized) return &image;
      }
    }
  }
  // An ID prefix, with or without "sha256:"; must be unambiguous.
  std::string hex = ref.rfind("sha256:", 0) == 0 ? ref.substr(7) : ref;
  if (hex.empty() || hex.find_first_not_of("0123456789abcdef") != std::string::npos) return nullptr;
  v1::Image* found = nullptr;
  for (auto& [id, image] : images_) {
    if (id.compare(7, hex.size(), hex) == 0 && id.size() >= 7 + hex.size()) {
      if (found != nullptr) return nullptr;
      found = &image;
    }
  }
  return found;
}

v1::Image& FakeRuntime::PutImage(const std::string& normalized_ref, uint64_t size,
                                 bool with_digest) {
  const bool is_digest = normalized_ref.find('@') != std::string::npos;
  std::string id = "sha256:" + Hex64(Fnv1a(RepoOf(normalized_ref) + "|" + normalized_ref));
  v1::Image& image = images_[id];
  if (image.id().empty()) {
    image.set_id(id);
    image.set_size(size);
    image.mutable_spec()->set_image(id);
  }
  auto contains = [](const auto& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  if (is_digest) {
    if (!contains(image.repo_digests(), normalized_ref)) image.add_repo_digests(normalized_ref);
  } else {
    if (!contains(image.repo_tags(), normalized_ref)) image.add_repo_tags(normalized_ref);
    if (with_digest) {
      std::string digest = RepoOf(normalized_ref) + "@sha256:" + Hex64(Fnv1a(id));
      if (!contains(image.repo_digests(), digest)) image.add_repo_digests(digest);
    }
  }
  return image;
}

void FakeRuntime::StopContainerLocked(Container& c) {
  if (c.state != v1::CONTAINER_RUNNING && c.state != v1::CONTAINER_UNKNOWN) return;
  c.state = v1::CONTAINER_EXITED;
  c.finished_at = Now();
  c.exit_code = stop_exit_code_;
  c.reason = stop_reason_;
}

void FakeRuntime::StopSandboxLocked(Sandbox& s) {
  for (auto& [id, c] : containers_) {
    if (c.sandbox_id == s.id) StopContainerLocked(c);
  }
  s.state = v1::SANDBOX_NOTREADY;
  s.ip.clear();
}

v1::ContainerStats FakeRuntime::StatsLocked(const Container& c) const {
  const int64_t now = Now();
  v1::ContainerStats stats;
  auto* attrs = stats.mutable_attributes();
  attrs->set_id(c.id);
  *attrs->mutable_metadata() = c.config.metadata();
  *attrs->mutable_labels() = c.config.labels();
  *attrs->mutable_annotations() = c.config.annotations();
  stats.mutable_cpu()->set_timestamp(now);
  stats.mutable_cpu()->mutable_usage_core_nano_seconds()->set_value(c.cpu_usage_core_ns);
  stats.mutable_memory()->set_timestamp(now);
  stats.mutable_memory()->mutable_working_set_bytes()->set_value(c.memory_working_set_bytes);
  stats.mutable_writable_layer()->set_timestamp(now);
  stats.mutable_writable_layer()->mutable_fs_id()->set_mountpoint(kImageFsMountpoint);
  stats.mutable_writable_layer()->mutable_used_bytes()->set_value(0);
  stats.mutable_writable_layer()->mutable_inodes_used()->set_value(0);
  return stats;
}

// ---- RuntimeService ---------------------------------------------------------------------------

api::Result<v1::VersionResponse> FakeRuntime::Version(const v1::VersionRequest&) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("Version"); !st.ok()) return st;
  v1::VersionResponse resp;
  resp.set_version("0.1.0");
  resp.set_runtime_name("fake");
  resp.set_runtime_version("1.6.20-fake");
  resp.set_runtime_api_version("v1");
  return resp;
}

api::Result<v1::StatusResponse> FakeRuntime::Status(const v1::StatusRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("Status"); !st.ok()) return st;
  v1::StatusResponse resp;
  auto* runtime = resp.mutable_status()->add_conditions();
  runtime->set_type("RuntimeReady");
  runtime->set_status(true);
  auto* network = resp.mutable_status()->add_conditions();
  network->set_type("NetworkReady");
  network->set_status(network_ready_);
  if (!network_ready_) {
    network->set_reason("NetworkPluginNotReady");
    network->set_message("Network plugin returns error: cni plugin not initialized");
  }
  if (req.verbose()) {
    (*resp.mutable_info())["lastCNILoadStatus"] =
        network_ready_ ? "OK" : "cni config load failed: no network config found";
  }
  return resp;
}

api::Result<v1::RunPodSandboxResponse> FakeRuntime::RunPodSandbox(
    const v1::RunPodSandboxRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("RunPodSandbox"); !st.ok()) return st;
  if (!req.config().has_metadata()) {
    return api::Status::Internal("sandbox config must include metadata");
  }
  if (!req.runtime_handler().empty() && req.runtime_handler() != "runc") {
    return api::Status::Internal(fmt::format(
        "failed to get sandbox runtime: no runtime for \"{}\" is configured", req.runtime_handler()));
  }
  const std::string name = SandboxName(req.config().metadata());
  for (const auto& [id, s] : sandboxes_) {
    if (SandboxName(s.config.metadata()) == name) {
      return api::Status::Internal(fmt::format(
          "failed to reserve sandbox name \"{}\": name \"{}\" is reserved for \"{}\"", name, name,
          id));
    }
  }
  Sandbox s;
  s.seq = next_id_;
  s.id = NewId();
  s.config = req.config();
  s.runtime_handler = req.runtime_handler();
  s.created_at = Now();
  const auto& ns = req.config().linux().security_context().namespace_options();
  if (ns.network() != v1::NODE) s.ip = fmt::format("10.88.0.{}", next_ip_++ % 250 + 2);
  v1::RunPodSandboxResponse resp;
  resp.set_pod_sandbox_id(s.id);
  sandboxes_.emplace(s.id, std::move(s));
  return resp;
}

api::Status FakeRuntime::StopPodSandbox(const v1::StopPodSandboxRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("StopPodSandbox"); !st.ok()) return st;
  auto it = sandboxes_.find(req.pod_sandbox_id());
  if (it == sandboxes_.end()) {
    return api::Status::NotFound(fmt::format(
        "an error occurred when try to find sandbox \"{}\": not found", req.pod_sandbox_id()));
  }
  StopSandboxLocked(it->second);
  return api::Status::Ok();
}

api::Status FakeRuntime::RemovePodSandbox(const v1::RemovePodSandboxRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("RemovePodSandbox"); !st.ok()) return st;
  auto it = sandboxes_.find(req.pod_sandbox_id());
  if (it == sandboxes_.end()) return api::Status::Ok();
  StopSandboxLocked(it->second);
  std::erase_if(containers_, [&](const auto& kv) { return kv.second.sandbox_id == it->first; });
  sandboxes_.erase(it);
  return api::Status::Ok();
}

api::Result<v1::PodSandboxStatusResponse> FakeRuntime::PodSandboxStatus(
    const v1::PodSandboxStatusRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("PodSandboxStatus"); !st.ok()) return st;
  auto it = sandboxes_.find(req.pod_sandbox_id());
  if (it == sandboxes_.end()) {
    return api::Status::NotFound(fmt::format(
        "an error occurred when try to find sandbox: not found: \"{}\"", req.pod_sandbox_id()));
  }
  const Sandbox& s = it->second;
  v1::PodSandboxStatusResponse resp;
  auto* status = resp.mutable_status();
  status->set_id(s.id);
  *status->mutable_metadata() = s.config.metadata();
  status->set_state(s.state);
  status->set_created_at(s.created_at);
  status->mutable_network()->set_ip(s.ip);
  *status->mutable_linux()->mutable_namespaces()->mutable_options() =
      s.config.linux().security_context().namespace_options();
  *status->mutable_labels() = s.config.labels();
  *status->mutable_annotations() = s.config.annotations();
  status->set_runtime_handler(s.runtime_handler);
  if (req.verbose()) (*resp.mutable_info())["info"] = "{}";
  return resp;
}

api::Result<v1::ListPodSandboxResponse> FakeRuntime::ListPodSandbox(
    const v1::ListPodSandboxRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ListPodSandbox"); !st.ok()) return st;
  const auto& f = req.filter();
  std::vector<const Sandbox*> matched;
  for (const auto& [id, s] : sandboxes_) {
    if (!f.id().empty() && f.id() != id) continue;
    if (f.has_state() && f.state().state() != s.state) continue;
    if (!LabelsMatch(f.label_selector(), s.config.labels())) continue;
    matched.push_back(&s);
  }
  std::stable_sort(matched.begin(), matched.end(),
                   [](const Sandbox* a, const Sandbox* b) { return a->seq < b->seq; });
  v1::ListPodSandboxResponse resp;
  for (const Sandbox* s : matched) {
    auto* item = resp.add_items();
    item->set_id(s->id);
    *item->mutable_metadata() = s->config.metadata();
    item->set_state(s->state);
    item->set_created_at(s->created_at);
    *item->mutable_labels() = s->config.labels();
    *item->mutable_annotations() = s->config.annotations();
    item->set_runtime_handler(s->runtime_handler);
  }
  return resp;
}

api::Result<v1::CreateContainerResponse> FakeRuntime::CreateContainer(
    const v1::CreateContainerRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("CreateContainer"); !st.ok()) return st;
  auto sit = sandboxes_.find(req.pod_sandbox_id());
  if (sit == sandboxes_.end()) {
    return api::Status::NotFound(
        fmt::format("failed to find sandbox id \"{}\": not found", req.pod_sandbox_id()));
  }
  const Sandbox& sandbox = sit->second;
  if (!req.config().has_metadata()) {
    return api::Status::Internal("container config must include metadata");
  }
  const std::string name = ContainerName(req.config().metadata(), sandbox.config.metadata());
  for (const auto& [id, c] : containers_) {
    auto owner = sandboxes_.find(c.sandbox_id);
    if (owner != sandboxes_.end() &&
        ContainerName(c.config.metadata(), owner->second.config.metadata()) == name) {
      return api::Status::Internal(fmt::format(
          "failed to reserve container name \"{}\": name \"{}\" is reserved for \"{}\"", name, name,
          id));
    }
  }
  const std::string& image_ref = req.config().image().image();
  const v1::Image* image = FindImage(image_ref);
  if (image == nullptr) {
    return api::Status::NotFound(
        fmt::format("failed to resolve image \"{}\": not found", image_ref));
  }
  Container c;
  c.seq = next_id_;
  c.id = NewId();
  c.config = req.config();
  c.sandbox_id = sandbox.id;
  c.image_id = image->id();
  const std::string& dir = req.sandbox_config().log_directory();
  if (!dir.empty() && !req.config().log_path().empty()) {
    c.log_path = dir + (dir.back() == '/' ? "" : "/") + req.config().log_path();
  }
  c.created_at = Now();
  c.resources = req.config().linux().resources();
  v1::CreateContainerResponse resp;
  resp.set_container_id(c.id);
  containers_.emplace(c.id, std::move(c));
  return resp;
}

api::Status FakeRuntime::StartContainer(const v1::StartContainerRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("StartContainer"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(
        fmt::format("an error occurred when try to find container \"{}\": not found",
                    req.container_id()));
  }
  Container& c = it->second;
  if (c.state != v1::CONTAINER_CREATED) return NotRunning(c.state);
  auto sit = sandboxes_.find(c.sandbox_id);
  if (sit == sandboxes_.end() || sit->second.state != v1::SANDBOX_READY) {
    return api::Status::Internal(
        fmt::format("sandbox container \"{}\" is not running", c.sandbox_id));
  }
  c.state = v1::CONTAINER_RUNNING;
  c.started_at = Now();
  return api::Status::Ok();
}

api::Status FakeRuntime::StopContainer(const v1::StopContainerRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("StopContainer"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(
        fmt::format("an error occurred when try to find container \"{}\": not found",
                    req.container_id()));
  }
  StopContainerLocked(it->second);
  return api::Status::Ok();
}

api::Status FakeRuntime::RemoveContainer(const v1::RemoveContainerRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("RemoveContainer"); !st.ok()) return st;
  containers_.erase(req.container_id());
  return api::Status::Ok();
}

api::Result<v1::ListContainersResponse> FakeRuntime::ListContainers(
    const v1::ListContainersRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ListContainers"); !st.ok()) return st;
  const auto& f = req.filter();
  std::vector<const Container*> matched;
  for (const auto& [id, c] : containers_) {
    if (!f.id().empty() && f.id() != id) continue;
    if (f.has_state() && f.state().state() != c.state) continue;
    if (!f.pod_sandbox_id().empty() && f.pod_sandbox_id() != c.sandbox_id) continue;
    if (!LabelsMatch(f.label_selector(), c.config.labels())) continue;
    matched.push_back(&c);
  }
  std::stable_sort(matched.begin(), matched.end(), [](const Container* a, const Container* b) {
    return a->seq < b->seq;
  });
  v1::ListContainersResponse resp;
  for (const Container* c : matched) {
    auto* item = resp.add_containers();
    item->set_id(c->id);
    item->set_pod_sandbox_id(c->sandbox_id);
    *item->mutable_metadata() = c->config.metadata();
    *item->mutable_image() = c->config.image();
    item->set_image_ref(c->image_id);
    item->set_state(c->state);
    item->set_created_at(c->created_at);
    *item->mutable_labels() = c->config.labels();
    *item->mutable_annotations() = c->config.annotations();
  }
  return resp;
}

api::Result<v1::ContainerStatusResponse> FakeRuntime::ContainerStatus(
    const v1::ContainerStatusRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ContainerStatus"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(fmt::format(
        "an error occurred when try to find container \"{}\": not found", req.container_id()));
  }
  const Container& c = it->second;
  v1::ContainerStatusResponse resp;
  auto* s = resp.mutable_status();
  s->set_id(c.id);
  *s->mutable_metadata() = c.config.metadata();
  s->set_state(c.state);
  s->set_created_at(c.created_at);
  s->set_started_at(c.started_at);
  s->set_finished_at(c.finished_at);
  s->set_exit_code(c.exit_code);
  // As containerd: image = first repo tag, image_ref = first repo digest, else the image ID.
  *s->mutable_image() = c.config.image();
  s->set_image_ref(c.image_id);
  if (auto iit = images_.find(c.image_id); iit != images_.end()) {
    if (iit->second.repo_tags_size() > 0) s->mutable_image()->set_image(iit->second.repo_tags(0));
    if (iit->second.repo_digests_size() > 0) s->set_image_ref(iit->second.repo_digests(0));
  }
  s->set_reason(c.reason);
  s->set_message(c.message);
  *s->mutable_labels() = c.config.labels();
  *s->mutable_annotations() = c.config.annotations();
  *s->mutable_mounts() = c.config.mounts();
  s->set_log_path(c.log_path);
  *s->mutable_resources()->mutable_linux() = c.resources;
  if (req.verbose()) (*resp.mutable_info())["info"] = "{}";
  return resp;
}

api::Status FakeRuntime::UpdateContainerResources(const v1::UpdateContainerResourcesRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("UpdateContainerResources"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(fmt::format(
        "an error occurred when try to find container \"{}\": not found", req.container_id()));
  }
  if (req.has_linux()) it->second.resources = req.linux();
  return api::Status::Ok();
}

api::Status FakeRuntime::ReopenContainerLog(const v1::ReopenContainerLogRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ReopenContainerLog"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(fmt::format(
        "an error occurred when try to find container \"{}\": not found", req.container_id()));
  }
  if (it->second.state != v1::CONTAINER_RUNNING) {
    return api::Status::Internal("container is not running");
  }
  return api::Status::Ok();
}

api::Result<v1::ExecSyncResponse> FakeRuntime::ExecSync(const v1::ExecSyncRequest& req) {
  ExecSyncHandler handler;
  {
    std::lock_guard lock(mu_);
    if (auto st = BeginCall("ExecSync"); !st.ok()) return st;
    auto it = containers_.find(req.container_id());
    if (it == containers_.end()) {
      return api::Status::NotFound(fmt::format(
          "failed to find container \"{}\" in store: not found", req.container_id()));
    }
    if (it->second.state != v1::CONTAINER_RUNNING) return NotRunning(it->second.state);
    handler = exec_sync_handler_;
  }
  if (handler) return handler(req);
  return v1::ExecSyncResponse();
}

api::Result<v1::ExecResponse> FakeRuntime::Exec(const v1::ExecRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("Exec"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(fmt::format(
        "failed to find container \"{}\" in store: not found", req.container_id()));
  }
  if (it->second.state != v1::CONTAINER_RUNNING) return NotRunning(it->second.state);
  if (req.tty() && req.stderr()) {
    return api::Status::BadRequest("tty and stderr cannot both be true");
  }
  if (!req.stdin() && !req.stdout() && !req.stderr()) {
    return api::Status::BadRequest("one of stdin, stdout, or stderr must be set");
  }
  v1::ExecResponse resp;
  resp.set_url(NewStreamUrl("exec"));
  return resp;
}

api::Result<v1::AttachResponse> FakeRuntime::Attach(const v1::AttachRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("Attach"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(fmt::format(
        "failed to find container \"{}\" in store: not found", req.container_id()));
  }
  if (it->second.state != v1::CONTAINER_RUNNING) return NotRunning(it->second.state);
  if (req.tty() && req.stderr()) {
    return api::Status::BadRequest("tty and stderr cannot both be true");
  }
  if (!req.stdin() && !req.stdout() && !req.stderr()) {
    return api::Status::BadRequest("one of stdin, stdout, and stderr must be set");
  }
  v1::AttachResponse resp;
  resp.set_url(NewStreamUrl("attach"));
  return resp;
}

api::Result<v1::PortForwardResponse> FakeRuntime::PortForward(const v1::PortForwardRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("PortForward"); !st.ok()) return st;
  auto it = sandboxes_.find(req.pod_sandbox_id());
  if (it == sandboxes_.end()) {
    return api::Status::NotFound(
        fmt::format("failed to find sandbox \"{}\": not found", req.pod_sandbox_id()));
  }
  if (it->second.state != v1::SANDBOX_READY) {
    return api::Status::Internal("sandbox container is not running");
  }
  v1::PortForwardResponse resp;
  resp.set_url(NewStreamUrl("portforward"));
  return resp;
}

api::Result<v1::ContainerStatsResponse> FakeRuntime::ContainerStats(
    const v1::ContainerStatsRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ContainerStats"); !st.ok()) return st;
  auto it = containers_.find(req.container_id());
  if (it == containers_.end()) {
    return api::Status::NotFound(
        fmt::format("failed to find container: \"{}\": not found", req.container_id()));
  }
  v1::ContainerStatsResponse resp;
  *resp.mutable_stats() = StatsLocked(it->second);
  return resp;
}

api::Result<v1::ListContainerStatsResponse> FakeRuntime::ListContainerStats(
    const v1::ListContainerStatsRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ListContainerStats"); !st.ok()) return st;
  const auto& f = req.filter();
  v1::ListContainerStatsResponse resp;
  for (const auto& [id, c] : containers_) {
    if (c.state != v1::CONTAINER_RUNNING) continue;  // only containers with a live task
    if (!f.id().empty() && f.id() != id) continue;
    if (!f.pod_sandbox_id().empty() && f.pod_sandbox_id() != c.sandbox_id) continue;
    if (!LabelsMatch(f.label_selector(), c.config.labels())) continue;
    *resp.add_stats() = StatsLocked(c);
  }
  return resp;
}

api::Status FakeRuntime::UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("UpdateRuntimeConfig"); !st.ok()) return st;
  pod_cidr_ = req.runtime_config().network_config().pod_cidr();
  return api::Status::Ok();
}

// ---- ImageService -----------------------------------------------------------------------------

api::Result<v1::ListImagesResponse> FakeRuntime::ListImages(const v1::ListImagesRequest&) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ListImages"); !st.ok()) return st;
  v1::ListImagesResponse resp;  // the filter is ignored, as in containerd 1.6
  for (const auto& [id, image] : images_) *resp.add_images() = image;
  return resp;
}

api::Result<v1::ImageStatusResponse> FakeRuntime::ImageStatus(const v1::ImageStatusRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ImageStatus"); !st.ok()) return st;
  v1::ImageStatusResponse resp;
  if (const v1::Image* image = FindImage(req.image().image())) *resp.mutable_image() = *image;
  return resp;
}

api::Result<v1::PullImageResponse> FakeRuntime::PullImage(const v1::PullImageRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("PullImage"); !st.ok()) return st;
  const std::string& ref = req.image().image();
  auto normalized = NormalizeImageName(ref);
  if (!normalized.ok()) {
    return api::Status::Internal(fmt::format("failed to parse image reference \"{}\": {}", ref,
                                             normalized.status().message()));
  }
  v1::PullImageResponse resp;
  if (const v1::Image* existing = FindImage(*normalized)) {
    resp.set_image_ref(existing->id());
    return resp;
  }
  const bool pullable = pull_any_ || std::find(pullable_.begin(), pullable_.end(), *normalized) !=
                                         pullable_.end();
  if (!pullable) {
    const std::string& n = *normalized;
    return api::Status::NotFound(fmt::format(
        "failed to pull and unpack image \"{}\": failed to resolve reference \"{}\": {}: not found",
        n, n, n));
  }
  resp.set_image_ref(PutImage(*normalized, 1 << 20, /*with_digest=*/true).id());
  return resp;
}

api::Status FakeRuntime::RemoveImage(const v1::RemoveImageRequest& req) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("RemoveImage"); !st.ok()) return st;
  if (const v1::Image* image = FindImage(req.image().image())) {
    std::string id = image->id();
    images_.erase(id);
  }
  return api::Status::Ok();
}

api::Result<v1::ImageFsInfoResponse> FakeRuntime::ImageFsInfo(const v1::ImageFsInfoRequest&) {
  std::lock_guard lock(mu_);
  if (auto st = BeginCall("ImageFsInfo"); !st.ok()) return st;
  uint64_t used = 0;
  for (const auto& [id, image] : images_) used += image.size();
  v1::ImageFsInfoResponse resp;
  auto* fs = resp.add_image_filesystems();
  fs->set_timestamp(Now());
  fs->mutable_fs_id()->set_mountpoint(kImageFsMountpoint);
  fs->mutable_used_bytes()->set_value(used);
  fs->mutable_inodes_used()->set_value(images_.size());
  return resp;
}

// ---- Test controls ----------------------------------------------------------------------------

std::string FakeRuntime::AddImage(const std::string& ref, uint64_t size) {
  auto normalized = NormalizeImageName(ref);
  std::lock_guard lock(mu_);
  return PutImage(normalized.ok() ? *normalized : ref, size, /*with_digest=*/false).id();
}

api::Status FakeRuntime::AddImageTag(const std::string& image_id, const std::string& ref) {
  auto normalized = NormalizeImageName(ref);
  if (!normalized.ok()) return normalized.status();
  std::lock_guard lock(mu_);
  auto it = images_.find(image_id);
  if (it == images_.end()) return api::Status::NotFound("image \"" + image_id + "\" not found");
  for (auto& [id, image] : images_) {  // a tag names one image only
    auto* tags = image.mutable_repo_tags();
    for (int i = tags->size() - 1; i >= 0; --i) {
      if ((*tags)[i] == *normalized) tags->erase(tags->begin() + i);
    }
  }
  it->second.add_repo_tags(*normalized);
  return api::Status::Ok();
}

void FakeRuntime::SetPullAnyImage(bool pull_any) {
  std::lock_guard lock(mu_);
  pull_any_ = pull_any;
}

void FakeRuntime::AddPullableImage(const std::string& ref) {
  auto normalized = NormalizeImageName(ref);
  std::lock_guard lock(mu_);
  pullable_.push_back(normalized.ok() ? *normalized : ref);
}

api::Status FakeRuntime::SetContainerExited(const std::string& container_id, int32_t exit_code,
                                            const std::string& reason) {
  std::lock_guard lock(mu_);
  auto it = containers_.find(container_id);
  if (it == containers_.end()) {
    return api::Status::NotFound("container \"" + container_id + "\" not found");
  }
  Container& c = it->second;
  const int64_t now = Now();
  if (c.started_at == 0) c.started_at = now;
  c.state = v1::CONTAINER_EXITED;
  c.finished_at = now;
  c.exit_code = exit_code;
  c.reason = !reason.empty() ? reason : (exit_code == 0 ? "Completed" : "Error");
  return api::Status::Ok();
}

void FakeRuntime::SetStopResult(int32_t exit_code, const std::string& reason) {
  std::lock_guard lock(mu_);
  stop_exit_code_ = exit_code;
  stop_reason_ = reason;
}

void FakeRuntime::FailNext(const std::string& method, api::Status status) {
  std::lock_guard lock(mu_);
  fail_next_[method].push_back(std::move(status));
}

void FakeRuntime::SetNetworkReady(bool ready) {
  std::lock_guard lock(mu_);
  network_ready_ = ready;
}

void FakeRuntime::SetExecSyncHandler(ExecSyncHandler handler) {
  std::lock_guard lock(mu_);
  exec_sync_handler_ = std::move(handler);
}

api::Status FakeRuntime::SetContainerUsage(const std::string& container_id,
                                           uint64_t cpu_usage_core_nano_seconds,
                                           uint64_t memory_working_set_bytes) {
  std::lock_guard lock(mu_);
  auto it = containers_.find(container_id);
  if (it == containers_.end()) {
    return api::Status::NotFound("container \"" + container_id + "\" not found");
  }
  it->second.cpu_usage_core_ns = cpu_usage_core_nano_seconds;
  it->second.memory_working_set_bytes = memory_working_set_bytes;
  return api::Status::Ok();
}

std::vector<std::string> FakeRuntime::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

int FakeRuntime::CallCount(const std::string& method) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count(calls_.begin(), calls_.end(), method));
}

void FakeRuntime::ClearCalls() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

std::string FakeRuntime::pod_cidr() const {
  std::lock_guard lock(mu_);
  return pod_cidr_;
}

}  // namespace kc::cri
