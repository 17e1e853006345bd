// Kubelet: starting one container of a pod (upstream kuberuntime startContainer): restart
// back-off, image, restart count, env, mounts, config, CreateContainer, StartContainer and the
// postStart hook. Each failure leaves the waiting reason the status shows.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "pkg/api/json_path.h"
#include "pkg/kubelet/container_config.h"
#include "pkg/kubelet/go_duration.h"
#include "pkg/kubelet/handler_runner.h"
#include "pkg/kubelet/kubelet.h"
#include "pkg/kubelet/log_symlinks.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/termination_message.h"

namespace kc::kubelet {
namespace {

constexpr std::chrono::milliseconds kRetrySoon{1000};

void Lower(std::chrono::milliseconds* requeue, std::chrono::milliseconds d) {
  if (d.count() <= 0) d = std::chrono::milliseconds(1);
  if (requeue->count() == 0 || d < *requeue) *requeue = d;
}

// Upstream calcRestartCountByLogDir: one past the highest "<n>.log" in the container's log dir.
int RestartCountFromLogDir(const std::string& dir) {
  std::error_code ec;
  int next = 0;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    size_t dot = name.find(".log");
    if (dot == std::string::npos || dot == 0) continue;
    std::string num = name.substr(0, dot);
    if (num.find_first_not_of("0123456789") != std::string::npos) continue;
    next = std::max(next, std::atoi(num.c_str()) + 1);
  }
  return next;
}

std::string CommandText(const json::object& handler) {
  std::string out;
  if (const json::object* exec = api::GetObject(handler, "exec")) {
    if (const json::array* cmd = api::GetArray(*exec, "command")) {
      for (const json::value& v : *cmd) {
        if (!v.is_string()) continue;
        if (!out.empty()) out += " ";
        out += std::string(v.get_string());
      }
    }
  }
  return out;
}

}  // namespace

bool Kubelet::StartContainer(SyncContext& ctx, const json::object& container,
                             const RuntimePod& rt, const std::string& sandbox_id,
                             const cri::v1::PodSandboxConfig& sandbox_config,
                             const VolumePaths& volumes, const EnvContext& env_ctx,
                             std::chrono::milliseconds* requeue) {
  const json::object& pod = *ctx.pod;
  std::string name = ContainerName(container);
  auto fail = [&](const std::string& reason, const std::string& message) {
    ctx.reasons[name] = WaitingReason{reason, message};
    if (reason == "CrashLoopBackOff") {
      events_->Warning(pod, name, "BackOff",
                       "Back-off restarting failed container " + name + " in pod " + PodDesc(pod));
    } else if (reason == "PostStartHookError") {
      events_->Warning(pod, name, "FailedPostStartHook", message);
    } else if (reason == "CreateContainerConfigError" || reason == "CreateContainerError" ||
               reason == "RunContainerError") {
      events_->Warning(pod, name, "Failed", "Error: " + message);
    } else {
      events_->Warning(pod, name, "Failed", "Error: " + reason);
    }
    return false;
  };

  // Restart back-off, measured from when the last instance exited.
  for (const RuntimeContainer& c : rt.containers) {
    if (c.name != name || c.state != ContainerState::kExited) continue;
    std::string key = BackoffKey(pod, container);
    auto finished = FromNanos(c.finished_at);
    if (container_backoff_.IsInBackOffSince(key, finished)) {
      Lower(requeue, container_backoff_.Remaining(key, finished));
      return fail("CrashLoopBackOff", "back-off " + GoDuration(container_backoff_.Get(key)) +
                                          " restarting failed container=" + name +
                                          " pod=" + PodDesc(pod));
    }
    container_backoff_.Next(key, finished);
    break;
  }

  ImageResult image =
      puller_.EnsureImage(pod, container, sandbox_config, events_.get(), env_ctx.config);
  if (!image.ok) {
    if (image.failure.reason == "ErrImagePull") {
      Lower(requeue, kRetrySoon);
    } else if (image.failure.reason == "ImagePullBackOff") {
      Lower(requeue, image_backoff_.RemainingSinceUpdate(PodUid(pod) + "_" +
                                                         api::GetString(container, "image")));
    }
    return fail(image.failure.reason, image.failure.message);
  }

  int restart_count = 0;
  if (const RuntimeContainer* latest = rt.Latest(name)) {
    restart_count = latest->restart_count + 1;
  } else {
    restart_count = RestartCountFromLogDir(sandbox_config.log_directory() + "/" + name);
  }

  auto env = MakeEnvironment(container, env_ctx);
  if (!env.ok()) return fail("CreateContainerConfigError", env.status().message());
  auto mounts = ContainerMounts(container, volumes, *env);
  if (!mounts.ok()) return fail("CreateContainerConfigError", mounts.status().message());
  std::string tm_path = api::GetString(container, "terminationMessagePath");
  if (tm_path.empty()) tm_path = "/dev/termination-log";
  bool tm_mounted = false;
  for (const cri::v1::Mount& m : *mounts) tm_mounted = tm_mounted || m.container_path() == tm_path;
  if (!tm_mounted) {
    std::string host = TerminationMessageHostPath(opts_.root_dir, PodUid(pod), name, restart_count);
    if (PrepareTerminationMessageFile(host).ok()) {
      cri::v1::Mount m;
      m.set_container_path(tm_path);
      m.set_host_path(host);
      mounts->push_back(std::move(m));
    }
  }
  ContainerConfigInput in;
  in.pod = &pod;
  in.container = &container;
  in.restart_count = restart_count;
  in.image = image.image_ref;
  in.env = std::move(*env);
  in.mounts = std::move(*mounts);
  in.memory_capacity = machine_.memory_bytes;
  in.image_uid = image.uid;
  in.image_username = image.username;
  auto config = BuildContainerConfig(in);
  if (!config.ok()) return fail("CreateContainerConfigError", config.status().message());

  cri::v1::CreateContainerRequest creq;
  creq.set_pod_sandbox_id(sandbox_id);
  *creq.mutable_config() = std::move(*config);
  *creq.mutable_sandbox_config() = sandbox_config;
  auto created = runtime_.CreateContainer(creq);
  if (!created.ok()) {
    Lower(requeue, kRetrySoon);
    return fail("CreateContainerError", created.status().message());
  }
  std::string id = created->container_id();
  events_->Normal(pod, name, "Created", "Created container: " + name);
  cri::v1::StartContainerRequest sreq;
  sreq.set_container_id(id);
  if (api::Status s = runtime_.StartContainer(sreq); !s.ok()) {
    Lower(requeue, kRetrySoon);
    return fail("RunContainerError", s.message());
  }
  spdlog::info("kubelet: started container {} of pod {} (restart {})", name, PodDesc(pod),
               restart_count);
  events_->Normal(pod, name, "Started", "Started container " + name);
  if (!opts_.container_log_dir.empty()) {
    CreateContainerLogSymlink(
        ContainerLogSymlinkPath(opts_.container_log_dir, PodName(pod), PodNamespace(pod), name, id),
        sandbox_config.log_directory() + "/" + ContainerLogPath(name, restart_count));
  }

  if (const json::object* lc = api::GetObject(container, "lifecycle")) {
    if (const json::object* post = api::GetObject(*lc, "postStart")) {
      HandlerTarget target{&pod, &container, id, env_ctx.pod_ip};
      std::string output;
      HandlerResult hr = RunHandler(runtime_, *post, target, 30, &output);
      if (hr != HandlerResult::kSuccess) {
        std::string msg = api::GetObject(*post, "exec")
                              ? "Exec lifecycle hook ([" + CommandText(*post) +
                                    "]) for Container \"" + name + "\" in Pod \"" + PodDesc(pod) +
                                    "\" failed - error: " + output
                              : "HTTP lifecycle hook for Container \"" + name + "\" in Pod \"" +
                                    PodDesc(pod) + "\" failed - error: " + output;
        RuntimeContainer rc;
        rc.id = id;
        rc.name = name;
        rc.state = ContainerState::kRunning;
        KillContainer(&pod, rc, GracePeriodSeconds(pod), env_ctx.pod_ip);
        return fail("PostStartHookError", msg);
      }
    }
  }
  ctx.reasons.erase(name);
  return true;
}

}  // namespace kc::kubelet
