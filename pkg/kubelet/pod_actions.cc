#include "pkg/kubelet/pod_actions.h"

#include "pkg/kubelet/pod_status.h"
#include "pkg/kubelet/pod_util.h"

namespace kc::kubelet {
namespace {

bool InitFailed(const RuntimeContainer& c) {
  if (c.state == ContainerState::kExited && c.exit_code != 0) return true;
  return c.state == ContainerState::kUnknown;
}

bool Succeeded(const RuntimeContainer* c) {
  return c && c->state == ContainerState::kExited && c->exit_code == 0;
}

struct InitProgress {
  const RuntimeContainer* last_status = nullptr;  // of the failed one, if any
  std::string next;                               // "" = none to start now
  bool done = false;
};

// Upstream findNextInitContainerToRun, with sidecars (restartPolicy Always init containers)
// counting as done once running.
InitProgress FindNextInit(const json::object& pod, const RuntimePod& rt) {
  InitProgress p;
  const json::array& inits = InitContainers(pod);
  if (inits.empty()) {
    p.done = true;
    return p;
  }
  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    const RuntimeContainer* c = rt.Latest(ContainerName(cv.get_object()));
    if (c && (c->state == ContainerState::kRunning || c->state == ContainerState::kExited)) {
      p.done = true;  // regular containers ran: initialisation happened before
      return p;
    }
  }
  for (size_t i = inits.size(); i-- > 0;) {
    if (!inits[i].is_object()) continue;
    const json::object& spec = inits[i].get_object();
    const RuntimeContainer* c = rt.Latest(ContainerName(spec));
    if (c && !IsRestartableInitContainer(spec) && InitFailed(*c)) {
      p.last_status = c;
      p.next = ContainerName(spec);
      return p;
    }
  }
  for (size_t i = inits.size(); i-- > 0;) {
    if (!inits[i].is_object()) continue;
    const json::object& spec = inits[i].get_object();
    const RuntimeContainer* c = rt.Latest(ContainerName(spec));
    if (!c) continue;
    bool sidecar = IsRestartableInitContainer(spec);
    if (c->state == ContainerState::kRunning && !sidecar) return p;  // still running
    if (c->state == ContainerState::kExited || (sidecar && c->state == ContainerState::kRunning)) {
      if (sidecar && c->state == ContainerState::kExited) {
        p.next = ContainerName(spec);  // restart the sidecar
        return p;
      }
      if (i + 1 == inits.size()) {
        p.done = true;
        return p;
      }
      if (inits[i + 1].is_object()) p.next = ContainerName(inits[i + 1].get_object());
      return p;
    }
    if (c->state == ContainerState::kCreated) {
      p.next = ContainerName(spec);
      return p;
    }
  }
  if (inits[0].is_object()) p.next = ContainerName(inits[0].get_object());
  return p;
}

}  // namespace

PodActions ComputePodActions(const json::object& pod, const RuntimePod& rt,
                             const ProbeVerdicts& probes) {
  PodActions a;
  uint32_t attempt = 0;
  bool create = SandboxNeedsCreate(pod, rt, &attempt);
  a.kill_pod = create;
  a.create_sandbox = create;
  a.attempt = attempt;
  if (!rt.sandboxes.empty()) a.sandbox_id = rt.sandboxes.front().id;
  std::string policy = RestartPolicy(pod);

  if (create) {
    if (policy == "Never" && attempt != 0 && !rt.containers.empty()) {
      a.create_sandbox = false;  // finished for good: do not bring it back
      return a;
    }
    std::vector<std::string> to_start;
    for (const json::value& cv : Containers(pod)) {
      if (!cv.is_object()) continue;
      std::string name = ContainerName(cv.get_object());
      if (policy == "OnFailure" && Succeeded(rt.Latest(name))) continue;
      to_start.push_back(name);
    }
    if (to_start.empty()) {
      bool initialized = true;
      for (const json::value& cv : InitContainers(pod)) {
        if (cv.is_object() && !Succeeded(rt.Latest(ContainerName(cv.get_object())))) {
          initialized = false;
        }
      }
      if (initialized) {
        a.create_sandbox = false;
        return a;
      }
    }
    const json::array& inits = InitContainers(pod);
    if (!inits.empty() && inits[0].is_object()) {
      a.init_to_start.push_back(ContainerName(inits[0].get_object()));
      return a;
    }
    a.containers_to_start = std::move(to_start);
    return a;
  }

  InitProgress init = FindNextInit(pod, rt);
  if (!init.done) {
    if (!init.next.empty()) {
      if (init.last_status && policy == "Never") {
        a.kill_pod = true;
        a.init_failed_for_good = true;
      } else {
        if (init.last_status && init.last_status->state == ContainerState::kUnknown) {
          a.containers_to_kill.push_back({init.last_status->id, init.last_status->name, "", ""});
        }
        a.init_to_start.push_back(init.next);
      }
    }
    return a;
  }
  // Sidecars that stopped after initialisation are restarted (they always restart).
  for (const json::value& cv : InitContainers(pod)) {
    if (!cv.is_object() || !IsRestartableInitContainer(cv.get_object())) continue;
    const RuntimeContainer* c = rt.Latest(ContainerName(cv.get_object()));
    if (!c || c->state != ContainerState::kRunning) {
      a.init_to_start.push_back(ContainerName(cv.get_object()));
    }
  }

  int keep = 0;
  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    const json::object& spec = cv.get_object();
    std::string name = ContainerName(spec);
    const RuntimeContainer* c = rt.Latest(name);
    if (!c || c->state != ContainerState::kRunning) {
      if (ShouldContainerBeRestarted(spec, pod, rt)) {
        a.containers_to_start.push_back(name);
        if (c && c->state == ContainerState::kUnknown) {
          a.containers_to_kill.push_back({c->id, name, "", ""});
        }
      }
      continue;
    }
    std::string message, reason;
    bool restart = policy != "Never";
    if (!c->hash.empty() && c->hash != ContainerHash(spec)) {
      message = "Container " + name + " definition changed";
      restart = true;
    } else if (probes.liveness_failed.count(c->id)) {
      message = "Container " + name + " failed liveness probe";
      reason = "Unhealthy";
    } else if (probes.startup_failed.count(c->id)) {
      message = "Container " + name + " failed startup probe";
      reason = "Unhealthy";
    } else {
      keep++;
      continue;
    }
    if (restart) {
      message += ", will be restarted";
      a.containers_to_start.push_back(name);
    }
    a.containers_to_kill.push_back({c->id, name, reason, message});
  }
  if (keep == 0 && a.containers_to_start.empty()) {
    a.kill_pod = true;
    a.init_to_start.clear();
  }
  return a;
}

}  // namespace kc::kubelet
