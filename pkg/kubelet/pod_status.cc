#include "pkg/kubelet/pod_status.h"

#include <vector>

#include "pkg/api/defaults.h"
#include "pkg/api/field_set_path.h"
#include "pkg/api/json_path.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/time_source.h"

namespace kc::kubelet {
namespace {

constexpr char kContainerIdPrefix[] = "containerd://";

std::string NanosToTime(int64_t ns) { return api::FormatTime(FromNanos(ns)); }

// Go's fmt "%s" of a []string: "[a b c]".
std::string GoList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += " ";
    out += names[i];
  }
  return out + "]";
}

std::string JoinMessages(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += ", ";
    out += p;
  }
  return out;
}

json::object Waiting(const std::string& reason, const std::string& message = "") {
  json::object w;
  if (!reason.empty()) w["reason"] = reason;
  if (!message.empty()) w["message"] = message;
  json::object state;
  state["waiting"] = std::move(w);
  return state;
}

// The API state of one runtime container instance (upstream convertContainerStatus).
json::object StateOf(const RuntimeContainer& c) {
  json::object state;
  switch (c.state) {
    case ContainerState::kRunning: {
      json::object r;
      r["startedAt"] = NanosToTime(c.started_at);
      state["running"] = std::move(r);
      break;
    }
    case ContainerState::kExited: {
      json::object t;
      t["exitCode"] = c.exit_code;
      std::string reason = c.reason;
      if (reason.empty()) reason = c.exit_code == 0 ? "Completed" : "Error";
      t["reason"] = reason;
      if (!c.message.empty()) t["message"] = c.message;
      t["startedAt"] = c.started_at ? json::value(NanosToTime(c.started_at)) : json::value(nullptr);
      t["finishedAt"] =
          c.finished_at ? json::value(NanosToTime(c.finished_at)) : json::value(nullptr);
      t["containerID"] = std::string(kContainerIdPrefix) + c.id;
      state["terminated"] = std::move(t);
      break;
    }
    case ContainerState::kCreated:
    case ContainerState::kUnknown:
      state["waiting"] = json::object();
      break;
  }
  return state;
}

const json::object* StateField(const json::object& status, const char* state_key,
                               const char* which) {
  const json::object* st = api::GetObject(status, state_key);
  return st ? api::GetObject(*st, which) : nullptr;
}

const json::object* FindStatus(const json::array& statuses, const std::string& name) {
  for (const json::value& v : statuses) {
    if (v.is_object() && api::GetString(v.get_object(), "name") == name) return &v.get_object();
  }
  return nullptr;
}

bool HasProbe(const json::object& container, const char* key) {
  return api::GetObject(container, key) != nullptr;
}

json::array VolumeMountStatuses(const json::object& container) {
  json::array out;
  const json::array* mounts = api::GetArray(container, "volumeMounts");
  if (!mounts) return out;
  for (const json::value& v : *mounts) {
    if (!v.is_object()) continue;
    const json::object& m = v.get_object();
    json::object s;
    s["name"] = api::GetString(m, "name");
    s["mountPath"] = api::GetString(m, "mountPath");
    const json::value* ro = m.if_contains("readOnly");
    if (ro && ro->is_bool() && ro->get_bool()) {
      s["readOnly"] = true;
      s["recursiveReadOnly"] = "Disabled";
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Upstream convertToAPIContainerStatuses for one list (regular or init containers).
json::array ContainerStatuses(const PodStatusInput& in, const json::array& containers,
                              const json::array& old_statuses, bool has_init_containers,
                              bool is_init) {
  const json::object& pod = *in.pod;
  const RuntimePod& rt = *in.runtime;
  json::array out;
  for (const json::value& cv : containers) {
    if (!cv.is_object()) continue;
    const json::object& spec = cv.get_object();
    std::string name = ContainerName(spec);
    const RuntimeContainer* latest = rt.Latest(name);
    const RuntimeContainer* previous = rt.Previous(name);
    const json::object* old = FindStatus(old_statuses, name);

    json::object s;
    s["name"] = name;
    s["image"] = api::GetString(spec, "image");
    s["imageID"] = "";
    json::object state = Waiting(has_init_containers ? "PodInitializing" : "ContainerCreating");
    json::object last_state;
    int64_t restart_count = 0;
    if (latest != nullptr) {
      s["imageID"] = latest->image_ref;
      s["containerID"] = std::string(kContainerIdPrefix) + latest->id;
      state = StateOf(*latest);
      restart_count = latest->restart_count;
      if (previous != nullptr) last_state = StateOf(*previous);
      s["volumeMounts"] = VolumeMountStatuses(spec);
    } else if (old != nullptr) {
      // No instance in the runtime (yet, or any more): keep what the API knew.
      const json::object* old_state = api::GetObject(*old, "state");
      if (old_state && old_state->contains("terminated")) {
        json::object copy = *old;
        copy.erase("ready");
        copy.erase("started");
        s = std::move(copy);
        state = *old_state;
        if (const json::object* ls = api::GetObject(*old, "lastState")) last_state = *ls;
        restart_count = api::GetInt64(*old, "restartCount");
      } else {
        restart_count = api::GetInt64(*old, "restartCount");
        if (const json::object* ls = api::GetObject(*old, "lastState")) last_state = *ls;
      }
    }

    // A container the next sync will (re)start shows the reason its last start failed.
    bool init_done = is_init && latest && latest->state == ContainerState::kExited &&
                     latest->exit_code == 0;
    if (!init_done && ShouldContainerBeRestarted(spec, pod, rt)) {
      auto it = in.waiting_reasons.find(name);
      if (it != in.waiting_reasons.end()) {
        if (state.contains("terminated")) last_state = state;
        state = Waiting(it->second.reason, it->second.message);
      }
    }

    bool running = state.contains("running");
    bool started = false;
    bool ready = false;
    if (running && latest) {
      started = !HasProbe(spec, "startupProbe") || in.startup_ok.count(latest->id) > 0;
    }
    if (is_init && !IsRestartableInitContainer(spec)) {
      const json::object* t = api::GetObject(state, "terminated");
      ready = t && api::GetInt64(*t, "exitCode", -1) == 0;
    } else if (started && latest) {
      ready = !HasProbe(spec, "readinessProbe") || in.readiness_ok.count(latest->id) > 0;
    }
    if (in.pod_is_terminal && !is_init) ready = false;

    s["state"] = std::move(state);
    s["lastState"] = std::move(last_state);
    s["ready"] = ready;
    s["restartCount"] = restart_count;
    s["started"] = started;
    out.push_back(std::move(s));
  }
  return out;
}

bool HasAnyRegularContainerStarted(const json::object& pod, const json::array& statuses) {
  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    const json::object* s = FindStatus(statuses, ContainerName(cv.get_object()));
    if (!s) continue;
    if (StateField(*s, "state", "running") || StateField(*s, "state", "terminated")) return true;
  }
  return false;
}

json::object Condition(const std::string& type, bool status, const std::string& reason = "",
                       const std::string& message = "") {
  json::object c;
  c["type"] = type;
  c["status"] = status ? "True" : "False";
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

json::object InitializedCondition(const json::object& pod, const json::array& init_statuses,
                                  const json::array& statuses, const std::string& phase) {
  const json::array& inits = InitContainers(pod);
  if (inits.empty()) return Condition("Initialized", true);
  std::vector<std::string> unknown, incomplete;
  for (const json::value& cv : inits) {
    if (!cv.is_object()) continue;
    const json::object& c = cv.get_object();
    std::string name = ContainerName(c);
    const json::object* s = FindStatus(init_statuses, name);
    if (!s) {
      unknown.push_back(name);
      continue;
    }
    if (IsRestartableInitContainer(c)) {
      const json::value* st = s->if_contains("started");
      if (!st || !st->is_bool() || !st->get_bool()) incomplete.push_back(name);
      continue;
    }
    const json::object* t = StateField(*s, "state", "terminated");
    if (!t || api::GetInt64(*t, "exitCode", -1) != 0) incomplete.push_back(name);
  }
  if (phase == "Succeeded" && unknown.empty()) {
    return Condition("Initialized", true, "PodCompleted");
  }
  if (HasAnyRegularContainerStarted(pod, statuses)) return Condition("Initialized", true);
  std::vector<std::string> msgs;
  if (!unknown.empty()) msgs.push_back("containers with unknown status: " + GoList(unknown));
  if (!incomplete.empty()) {
    msgs.push_back("containers with incomplete status: " + GoList(incomplete));
  }
  if (!msgs.empty()) {
    return Condition("Initialized", false, "ContainersNotInitialized", JoinMessages(msgs));
  }
  return Condition("Initialized", true);
}

json::object ContainersReadyCondition(const json::object& pod, const json::array& init_statuses,
                                      const json::array& statuses, const std::string& phase) {
  std::vector<std::string> unknown, unready;
  for (const json::value& cv : InitContainers(pod)) {
    if (!cv.is_object() || !IsRestartableInitContainer(cv.get_object())) continue;
    std::string name = ContainerName(cv.get_object());
    const json::object* s = FindStatus(init_statuses, name);
    if (!s) {
      unknown.push_back(name);
    } else if (const json::value* r = s->if_contains("ready"); !r || !r->is_bool() ||
                                                                 !r->get_bool()) {
      unready.push_back(name);
    }
  }
  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    std::string name = ContainerName(cv.get_object());
    const json::object* s = FindStatus(statuses, name);
    if (!s) {
      unknown.push_back(name);
    } else if (const json::value* r = s->if_contains("ready"); !r || !r->is_bool() ||
                                                                 !r->get_bool()) {
      unready.push_back(name);
    }
  }
  if (phase == "Succeeded" && unknown.empty()) {
    return Condition("ContainersReady", false, "PodCompleted");
  }
  if (phase == "Failed") return Condition("ContainersReady", false, "PodFailed");
  std::vector<std::string> msgs;
  if (!unknown.empty()) msgs.push_back("containers with unknown status: " + GoList(unknown));
  if (!unready.empty()) msgs.push_back("containers with unready status: " + GoList(unready));
  if (!msgs.empty()) {
    return Condition("ContainersReady", false, "ContainersNotReady", JoinMessages(msgs));
  }
  return Condition("ContainersReady", true);
}

json::object ReadyCondition(const json::object& pod, const json::object& containers_ready,
                            const json::array& conditions) {
  if (api::GetString(containers_ready, "status") != "True") {
    return Condition("Ready", false, api::GetString(containers_ready, "reason"),
                     api::GetString(containers_ready, "message"));
  }
  std::vector<std::string> msgs;
  if (const json::array* gates = api::GetArray(PodSpec(pod), "readinessGates")) {
    for (const json::value& g : *gates) {
      if (!g.is_object()) continue;
      std::string type = api::GetString(g.get_object(), "conditionType");
      const json::object* found = nullptr;
      for (const json::value& c : conditions) {
        if (c.is_object() && api::GetString(c.get_object(), "type") == type) {
          found = &c.get_object();
          break;
        }
      }
      if (!found) {
        msgs.push_back("corresponding condition of pod readiness gate \"" + type +
                       "\" does not exist.");
      } else if (std::string st = api::GetString(*found, "status"); st != "True") {
        msgs.push_back("the status of pod readiness gate \"" + type + "\" is not \"True\", but " +
                       st);
      }
    }
  }
  if (!msgs.empty()) return Condition("Ready", false, "ReadinessGatesNotReady", JoinMessages(msgs));
  return Condition("Ready", true);
}

bool IsKubeletCondition(const std::string& type) {
  return type == "PodScheduled" || type == "Ready" || type == "Initialized" ||
         type == "ContainersReady" || type == "PodReadyToStartContainers";
}

// Sets lastProbeTime/lastTransitionTime: kept from the old condition of the same type when the
// status did not change, else now.
void StampTransition(json::object& c, const json::array& old_conditions, const std::string& now) {
  std::string type = api::GetString(c, "type");
  c["lastProbeTime"] = nullptr;
  for (const json::value& ov : old_conditions) {
    if (!ov.is_object()) continue;
    const json::object& o = ov.get_object();
    if (api::GetString(o, "type") != type) continue;
    if (api::GetString(o, "status") == api::GetString(c, "status")) {
      std::string t = api::GetString(o, "lastTransitionTime");
      c["lastTransitionTime"] = t.empty() ? now : t;
      return;
    }
    break;
  }
  c["lastTransitionTime"] = now;
}

}  // namespace

bool SandboxNeedsCreate(const json::object& pod, const RuntimePod& runtime, uint32_t* attempt) {
  if (attempt) *attempt = 0;
  if (runtime.sandboxes.empty()) return true;
  const RuntimeSandbox& latest = runtime.sandboxes.front();
  if (attempt) *attempt = latest.attempt + 1;
  int ready = 0;
  for (const RuntimeSandbox& s : runtime.sandboxes) ready += s.ready ? 1 : 0;
  if (ready > 1 || !latest.ready) return true;
  if (latest.status_known && latest.host_network != IsHostNetwork(pod)) return true;
  if (!IsHostNetwork(pod) && latest.has_network && latest.ip.empty()) return true;
  if (attempt) *attempt = latest.attempt;
  return false;
}

std::string GetPhase(const json::object& pod, const json::array& init_statuses,
                     const json::array& statuses, bool pod_is_terminal) {
  int pending_init = 0, failed_init = 0;
  for (const json::value& cv : InitContainers(pod)) {
    if (!cv.is_object()) continue;
    const json::object& c = cv.get_object();
    const json::object* s = FindStatus(init_statuses, ContainerName(c));
    if (IsRestartableInitContainer(c)) {
      if (!s || !s->contains("started") || !s->at("started").is_bool() ||
          !s->at("started").get_bool()) {
        pending_init++;
      }
      continue;
    }
    if (!s) {
      pending_init++;
      continue;
    }
    if (StateField(*s, "state", "running")) {
      pending_init++;
    } else if (const json::object* t = StateField(*s, "state", "terminated")) {
      if (api::GetInt64(*t, "exitCode") != 0) failed_init++;
    } else if (StateField(*s, "state", "waiting")) {
      if (const json::object* lt = StateField(*s, "lastState", "terminated")) {
        if (api::GetInt64(*lt, "exitCode") != 0) failed_init++;
      } else {
        pending_init++;
      }
    } else {
      pending_init++;
    }
  }

  int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    const json::object* s = FindStatus(statuses, ContainerName(cv.get_object()));
    if (!s) {
      unknown++;
    } else if (StateField(*s, "state", "running")) {
      running++;
    } else if (const json::object* t = StateField(*s, "state", "terminated")) {
      stopped++;
      if (api::GetInt64(*t, "exitCode") == 0) succeeded++;
    } else if (StateField(*s, "state", "waiting")) {
      if (StateField(*s, "lastState", "terminated")) {
        stopped++;
      } else {
        waiting++;
      }
    } else {
      unknown++;
    }
  }

  std::string policy = RestartPolicy(pod);
  if (failed_init > 0 && policy == "Never") return "Failed";
  if ((pending_init > 0 && !HasAnyRegularContainerStarted(pod, statuses)) || waiting > 0) {
    return "Pending";
  }
  if (running > 0 && unknown == 0) return "Running";
  if (running == 0 && stopped > 0 && unknown == 0) {
    if (pod_is_terminal) return stopped == succeeded ? "Succeeded" : "Failed";
    if (policy == "Always") return "Running";
    if (stopped == succeeded) return "Succeeded";
    if (policy == "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

json::object ComputePodStatus(const PodStatusInput& in) {
  const json::object& pod = *in.pod;
  const json::object* old = api::GetObject(pod, "status");
  const json::object& old_status = old ? *old : EmptyObject();
  const json::array* old_cs = api::GetArray(old_status, "containerStatuses");
  const json::array* old_ics = api::GetArray(old_status, "initContainerStatuses");
  const json::array* old_conds = api::GetArray(old_status, "conditions");
  std::string now = api::FormatTime(in.now);

  bool has_init = !InitContainers(pod).empty();
  json::array init_statuses = ContainerStatuses(in, InitContainers(pod),
                                                old_ics ? *old_ics : EmptyArray(), has_init, true);
  json::array statuses = ContainerStatuses(in, Containers(pod), old_cs ? *old_cs : EmptyArray(),
                                           has_init, false);

  std::string phase = GetPhase(pod, init_statuses, statuses, in.pod_is_terminal);
  std::string old_phase = api::GetString(old_status, "phase");
  if (IsTerminalPhase(old_phase)) phase = old_phase;  // terminal phases never change

  json::array conditions;
  if (old_conds) {
    for (const json::value& c : *old_conds) {
      if (c.is_object() && !IsKubeletCondition(api::GetString(c.get_object(), "type"))) {
        conditions.push_back(c);
      }
    }
  }
  json::array mine;
  mine.push_back(Condition("PodReadyToStartContainers",
                           !SandboxNeedsCreate(pod, *in.runtime, nullptr)));
  mine.push_back(InitializedCondition(pod, init_statuses, statuses, phase));
  json::object containers_ready = ContainersReadyCondition(pod, init_statuses, statuses, phase);
  mine.push_back(ReadyCondition(pod, containers_ready, conditions));
  mine.push_back(std::move(containers_ready));
  mine.push_back(Condition("PodScheduled", true));
  for (json::value& c : mine) {
    StampTransition(c.get_object(), old_conds ? *old_conds : EmptyArray(), now);
    conditions.push_back(std::move(c));
  }

  json::object status;
  status["phase"] = phase;
  status["conditions"] = std::move(conditions);
  if (!in.node_ip.empty()) {
    status["hostIP"] = in.node_ip;
    json::array host_ips;
    host_ips.push_back(json::object{{"ip", in.node_ip}});
    status["hostIPs"] = std::move(host_ips);
  }

  // Pod IPs: the newest ready sandbox's, the node's for host-network pods, else the last known.
  std::vector<std::string> ips;
  if (IsHostNetwork(pod)) {
    if (!in.node_ip.empty()) ips.push_back(in.node_ip);
  } else if (!in.runtime->sandboxes.empty() && in.runtime->sandboxes.front().ready) {
    const RuntimeSandbox& sb = in.runtime->sandboxes.front();
    if (!sb.ip.empty()) ips.push_back(sb.ip);
    for (const std::string& ip : sb.additional_ips) ips.push_back(ip);
  }
  if (!ips.empty()) {
    status["podIP"] = ips.front();
    json::array pod_ips;
    for (const std::string& ip : ips) pod_ips.push_back(json::object{{"ip", ip}});
    status["podIPs"] = std::move(pod_ips);
  } else {
    if (const json::value* v = old_status.if_contains("podIP")) status["podIP"] = *v;
    if (const json::value* v = old_status.if_contains("podIPs")) status["podIPs"] = *v;
  }

  std::string start = api::GetString(old_status, "startTime");
  status["startTime"] = start.empty() ? now : start;
  std::string qos = api::GetString(old_status, "qosClass");
  status["qosClass"] = qos.empty() ? api::PodQOSClass(pod) : qos;
  if (!init_statuses.empty()) status["initContainerStatuses"] = std::move(init_statuses);
  status["containerStatuses"] = std::move(statuses);
  // Fields other writers own (nominatedNodeName, reason/message of evictions, resize...).
  for (const char* keep : {"nominatedNodeName", "reason", "message", "resize"}) {
    if (const json::value* v = old_status.if_contains(keep)) status[keep] = *v;
  }
  return status;
}

bool PodStatusChanged(const json::object& old_status, const json::object& new_status) {
  return !api::JsonEqual(old_status, new_status);
}

}  // namespace kc::kubelet
