#include "pkg/kubelet/container_config.h"

#include <boost/json/serialize.hpp>

#include "pkg/api/defaults.h"
#include "pkg/api/json_path.h"
#include "pkg/kubelet/labels.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/resources.h"

namespace kc::kubelet {
namespace {

const char* const kMaskedPaths[] = {"/proc/asound",        "/proc/acpi",       "/proc/kcore",
                                    "/proc/keys",          "/proc/latency_stats",
                                    "/proc/timer_list",    "/proc/timer_stats",
                                    "/proc/sched_debug",   "/proc/scsi",       "/sys/firmware",
                                    "/sys/devices/virtual/powercap"};
const char* const kReadonlyPaths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                      "/proc/sysrq-trigger"};

bool GetBool(const json::object* o, const char* key, bool def = false) {
  if (!o) return def;
  const json::value* v = o->if_contains(key);
  return v && v->is_bool() ? v->get_bool() : def;
}

std::optional<int64_t> GetInt(const json::object* o, const char* key) {
  if (!o) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

void SetSeccomp(const json::object* profile, cri::v1::SecurityProfile* out) {
  std::string type = api::GetString(*profile, "type");
  if (type == "RuntimeDefault") {
    out->set_profile_type(cri::v1::SecurityProfile::RuntimeDefault);
  } else if (type == "Localhost") {
    out->set_profile_type(cri::v1::SecurityProfile::Localhost);
    out->set_localhost_ref(api::GetString(*profile, "localhostProfile"));
  } else {
    out->set_profile_type(cri::v1::SecurityProfile::Unconfined);
  }
}

}  // namespace

std::string ContainerLogPath(const std::string& container, int restart_count) {
  return container + "/" + std::to_string(restart_count) + ".log";
}

api::Result<cri::v1::ContainerConfig> BuildContainerConfig(const ContainerConfigInput& in) {
  const json::object& pod = *in.pod;
  const json::object& c = *in.container;
  const json::object& spec = PodSpec(pod);
  std::string name = ContainerName(c);
  const json::object* psc = api::GetObject(spec, "securityContext");
  const json::object* csc = api::GetObject(c, "securityContext");

  std::optional<int64_t> run_as_user = GetInt(csc, "runAsUser");
  if (!run_as_user) run_as_user = GetInt(psc, "runAsUser");
  std::optional<int64_t> run_as_group = GetInt(csc, "runAsGroup");
  if (!run_as_group) run_as_group = GetInt(psc, "runAsGroup");
  bool non_root = csc && csc->contains("runAsNonRoot") ? GetBool(csc, "runAsNonRoot")
                                                       : GetBool(psc, "runAsNonRoot");
  if (non_root) {
    std::string who = "(pod: \"" + PodDesc(pod) + "\", container: " + name + ")";
    if (run_as_user) {
      if (*run_as_user == 0) {
        return api::Status::BadRequest("container's runAsUser breaks non-root policy " + who);
      }
    } else if (in.image_uid) {
      if (*in.image_uid == 0) {
        return api::Status::BadRequest("container has runAsNonRoot and image will run as root " +
                                       who);
      }
    } else if (!in.image_username.empty()) {
      return api::Status::BadRequest(
          "container has runAsNonRoot and image has non-numeric user (" + in.image_username +
          "), cannot verify user is non-root " + who);
    } else {
      return api::Status::BadRequest("container has runAsNonRoot and image will run as root " +
                                     who);
    }
  }

  cri::v1::ContainerConfig cfg;
  cfg.mutable_metadata()->set_name(name);
  cfg.mutable_metadata()->set_attempt(static_cast<uint32_t>(in.restart_count));
  cfg.mutable_image()->set_image(in.image);
  for (const std::string& s : ExpandCommand(c, "command", in.env)) cfg.add_command(s);
  for (const std::string& s : ExpandCommand(c, "args", in.env)) cfg.add_args(s);
  cfg.set_working_dir(api::GetString(c, "workingDir"));
  for (const auto& [k, v] : in.env) {
    auto* kv = cfg.add_envs();
    kv->set_key(k);
    kv->set_value(v);
  }
  for (const cri::v1::Mount& m : in.mounts) *cfg.add_mounts() = m;

  auto& labels = *cfg.mutable_labels();
  labels[kPodNameLabel] = PodName(pod);
  labels[kPodNamespaceLabel] = PodNamespace(pod);
  labels[kPodUidLabel] = PodUid(pod);
  labels[kContainerNameLabel] = name;
  auto& ann = *cfg.mutable_annotations();
  ann[kContainerHashAnnotation] = ContainerHash(c);
  ann[kContainerRestartCountAnnotation] = std::to_string(in.restart_count);
  std::string tmp = api::GetString(c, "terminationMessagePath");
  ann[kContainerTerminationMessagePathAnnotation] = tmp.empty() ? "/dev/termination-log" : tmp;
  std::string tmpol = api::GetString(c, "terminationMessagePolicy");
  ann[kContainerTerminationMessagePolicyAnnotation] = tmpol.empty() ? "File" : tmpol;
  ann[kPodTerminationGracePeriodAnnotation] = std::to_string(GracePeriodSeconds(pod));
  ann[kContainerImageAnnotation] = api::GetString(c, "image");
  if (IsInitContainer(pod, name)) ann[kInitContainerAnnotation] = "true";
  if (const json::object* lc = api::GetObject(c, "lifecycle")) {
    if (const json::object* ps = api::GetObject(*lc, "preStop")) {
      ann[kContainerPreStopHandlerAnnotation] = json::serialize(*ps);
    }
  }

  cfg.set_log_path(ContainerLogPath(name, in.restart_count));
  cfg.set_stdin(GetBool(&c, "stdin"));
  cfg.set_stdin_once(GetBool(&c, "stdinOnce"));
  cfg.set_tty(GetBool(&c, "tty"));

  auto* linux = cfg.mutable_linux();
  ContainerResources r = ComputeContainerResources(c, api::PodQOSClass(pod), in.memory_capacity);
  auto* res = linux->mutable_resources();
  res->set_cpu_shares(r.cpu_shares);
  res->set_cpu_period(r.cpu_period);
  res->set_cpu_quota(r.cpu_quota);
  res->set_memory_limit_in_bytes(r.memory_limit_bytes);
  res->set_oom_score_adj(r.oom_score_adj);

  auto* sc = linux->mutable_security_context();
  bool privileged = GetBool(csc, "privileged");
  sc->set_privileged(privileged);
  if (const json::object* caps = csc ? api::GetObject(*csc, "capabilities") : nullptr) {
    auto* cap = sc->mutable_capabilities();
    if (const json::array* add = api::GetArray(*caps, "add")) {
      for (const json::value& v : *add) {
        if (v.is_string()) cap->add_add_capabilities(std::string(v.get_string()));
      }
    }
    if (const json::array* drop = api::GetArray(*caps, "drop")) {
      for (const json::value& v : *drop) {
        if (v.is_string()) cap->add_drop_capabilities(std::string(v.get_string()));
      }
    }
  }
  auto* ns = sc->mutable_namespace_options();
  ns->set_network(IsHostNetwork(pod) ? cri::v1::NODE : cri::v1::POD);
  ns->set_pid(GetBool(&spec, "hostPID")                 ? cri::v1::NODE
              : GetBool(&spec, "shareProcessNamespace") ? cri::v1::POD
                                                         : cri::v1::CONTAINER);
  ns->set_ipc(GetBool(&spec, "hostIPC") ? cri::v1::NODE : cri::v1::POD);
  if (run_as_user) sc->mutable_run_as_user()->set_value(*run_as_user);
  if (run_as_group) sc->mutable_run_as_group()->set_value(*run_as_group);
  if (psc) {
    if (const json::array* g = api::GetArray(*psc, "supplementalGroups")) {
      for (const json::value& v : *g) {
        if (v.is_int64()) sc->add_supplemental_groups(v.get_int64());
      }
    }
    if (auto fs_group = GetInt(psc, "fsGroup")) sc->add_supplemental_groups(*fs_group);
  }
  sc->set_readonly_rootfs(GetBool(csc, "readOnlyRootFilesystem"));
  if (csc && csc->contains("allowPrivilegeEscalation")) {
    sc->set_no_new_privs(!GetBool(csc, "allowPrivilegeEscalation"));
  }
  const json::object* seccomp = csc ? api::GetObject(*csc, "seccompProfile") : nullptr;
  if (!seccomp && psc) seccomp = api::GetObject(*psc, "seccompProfile");
  if (seccomp) SetSeccomp(seccomp, sc->mutable_seccomp());
  bool unmasked = csc && api::GetString(*csc, "procMount") == "Unmasked";
  if (!privileged && !unmasked) {
    for (const char* p : kMaskedPaths) sc->add_masked_paths(p);
    for (const char* p : kReadonlyPaths) sc->add_readonly_paths(p);
  }
  return cfg;
}

}  // namespace kc::kubelet
