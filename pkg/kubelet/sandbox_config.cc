#include "pkg/kubelet/sandbox_config.h"

#include <algorithm>
#include <sstream>

#include "pkg/api/defaults.h"
#include "pkg/api/json_path.h"
#include "pkg/kubelet/labels.h"
#include "pkg/kubelet/pod_util.h"
#include "pkg/kubelet/resources.h"

namespace kc::kubelet {
namespace {

constexpr size_t kMaxDnsSearches = 32;

bool GetBool(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

void AppendUnique(std::vector<std::string>* list, const std::string& v) {
  if (std::find(list->begin(), list->end(), v) == list->end()) list->push_back(v);
}

// Options merge by name ("ndots:5" replaces "ndots:2").
void MergeOption(std::vector<std::string>* opts, const std::string& opt) {
  std::string name = opt.substr(0, opt.find(':'));
  for (std::string& o : *opts) {
    if (o.substr(0, o.find(':')) == name) {
      o = opt;
      return;
    }
  }
  opts->push_back(opt);
}

void SetStrings(google::protobuf::RepeatedPtrField<std::string>* field,
                const std::vector<std::string>& values) {
  field->Clear();
  for (const std::string& v : values) field->Add()->assign(v);
}

}  // namespace

void ParseResolvConf(const std::string& text, SandboxOptions* opts) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find_first_of("#;"); hash != std::string::npos) line.resize(hash);
    std::istringstream ls(line);
    std::string key;
    if (!(ls >> key)) continue;
    std::string v;
    if (key == "nameserver") {
      if (ls >> v) opts->host_servers.push_back(v);
    } else if (key == "search" || key == "domain") {
      opts->host_searches.clear();
      while (ls >> v) opts->host_searches.push_back(v);
    } else if (key == "options") {
      while (ls >> v) opts->host_options.push_back(v);
    }
  }
}

std::string PodLogDirectory(const std::string& root, const std::string& ns, const std::string& name,
                            const std::string& uid) {
  return root + "/" + ns + "_" + name + "_" + uid;
}

std::string PodHostname(const json::object& pod) {
  std::string h = api::GetString(PodSpec(pod), "hostname");
  if (h.empty()) h = PodName(pod);
  if (h.size() > 63) {
    h.resize(63);
    while (!h.empty() && (h.back() == '-' || h.back() == '.')) h.pop_back();
  }
  return h;
}

cri::v1::DNSConfig PodDnsConfig(const json::object& pod, const SandboxOptions& opts) {
  const json::object& spec = PodSpec(pod);
  std::string policy = api::GetString(spec, "dnsPolicy");
  if (policy.empty()) policy = "ClusterFirst";
  bool host_net = IsHostNetwork(pod);
  std::vector<std::string> servers, searches, options;
  bool cluster = (policy == "ClusterFirst" && !host_net) || policy == "ClusterFirstWithHostNet";
  if (cluster && opts.cluster_dns.empty()) cluster = false;  // no cluster DNS: use the host's
  if (policy == "None") {
    // Only spec.dnsConfig below.
  } else if (cluster) {
    servers.push_back(opts.cluster_dns);
    std::string ns = PodNamespace(pod);
    searches = {ns + ".svc." + opts.cluster_domain, "svc." + opts.cluster_domain,
                opts.cluster_domain};
    for (const std::string& s : opts.host_searches) AppendUnique(&searches, s);
    options = {"ndots:5"};
  } else {
    servers = opts.host_servers;
    searches = opts.host_searches;
    options = opts.host_options;
  }
  if (const json::object* dc = api::GetObject(spec, "dnsConfig")) {
    if (const json::array* a = api::GetArray(*dc, "nameservers")) {
      for (const json::value& v : *a) {
        if (v.is_string()) AppendUnique(&servers, std::string(v.get_string()));
      }
    }
    if (const json::array* a = api::GetArray(*dc, "searches")) {
      for (const json::value& v : *a) {
        if (v.is_string()) AppendUnique(&searches, std::string(v.get_string()));
      }
    }
    if (const json::array* a = api::GetArray(*dc, "options")) {
      for (const json::value& v : *a) {
        if (!v.is_object()) continue;
        std::string name = api::GetString(v.get_object(), "name");
        std::string value = api::GetString(v.get_object(), "value");
        if (!name.empty()) MergeOption(&options, value.empty() ? name : name + ":" + value);
      }
    }
  }
  if (searches.size() > kMaxDnsSearches) searches.resize(kMaxDnsSearches);
  cri::v1::DNSConfig out;
  SetStrings(out.mutable_servers(), servers);
  SetStrings(out.mutable_searches(), searches);
  SetStrings(out.mutable_options(), options);
  return out;
}

cri::v1::PodSandboxConfig BuildSandboxConfig(const json::object& pod, uint32_t attempt,
                                             const SandboxOptions& opts) {
  const json::object& spec = PodSpec(pod);
  cri::v1::PodSandboxConfig cfg;
  auto* md = cfg.mutable_metadata();
  md->set_name(PodName(pod));
  md->set_namespace_(PodNamespace(pod));
  md->set_uid(PodUid(pod));
  md->set_attempt(attempt);
  bool host_net = IsHostNetwork(pod);
  if (!host_net) cfg.set_hostname(PodHostname(pod));
  cfg.set_log_directory(PodLogDirectory(opts.pod_log_dir, PodNamespace(pod), PodName(pod),
                                        PodUid(pod)));
  *cfg.mutable_dns_config() = PodDnsConfig(pod, opts);

  for (const json::value& cv : Containers(pod)) {
    if (!cv.is_object()) continue;
    const json::array* ports = api::GetArray(cv.get_object(), "ports");
    if (!ports) continue;
    for (const json::value& pv : *ports) {
      if (!pv.is_object()) continue;
      const json::object& p = pv.get_object();
      int64_t host_port = api::GetInt64(p, "hostPort");
      if (host_port <= 0) continue;
      auto* m = cfg.add_port_mappings();
      std::string proto = api::GetString(p, "protocol");
      m->set_protocol(proto == "UDP" ? cri::v1::UDP : proto == "SCTP" ? cri::v1::SCTP : cri::v1::TCP);
      m->set_container_port(static_cast<int32_t>(api::GetInt64(p, "containerPort")));
      m->set_host_port(static_cast<int32_t>(host_port));
      m->set_host_ip(api::GetString(p, "hostIP"));
    }
  }

  if (const json::object* meta = api::GetObject(pod, "metadata")) {
    if (const json::object* l = api::GetObject(*meta, "labels")) {
      for (const auto& kv : *l) {
        if (kv.value().is_string()) {
          (*cfg.mutable_labels())[std::string(kv.key())] = std::string(kv.value().get_string());
        }
      }
    }
    if (const json::object* a = api::GetObject(*meta, "annotations")) {
      for (const auto& kv : *a) {
        if (kv.value().is_string()) {
          (*cfg.mutable_annotations())[std::string(kv.key())] =
              std::string(kv.value().get_string());
        }
      }
    }
  }
  (*cfg.mutable_labels())[kPodNameLabel] = PodName(pod);
  (*cfg.mutable_labels())[kPodNamespaceLabel] = PodNamespace(pod);
  (*cfg.mutable_labels())[kPodUidLabel] = PodUid(pod);

  auto* linux = cfg.mutable_linux();
  linux->set_cgroup_parent(PodCgroupParent(api::PodQOSClass(pod), PodUid(pod)));
  auto* sc = linux->mutable_security_context();
  auto* ns = sc->mutable_namespace_options();
  ns->set_network(host_net ? cri::v1::NODE : cri::v1::POD);
  ns->set_pid(GetBool(spec, "hostPID")                 ? cri::v1::NODE
              : GetBool(spec, "shareProcessNamespace") ? cri::v1::POD
                                                        : cri::v1::CONTAINER);
  ns->set_ipc(GetBool(spec, "hostIPC") ? cri::v1::NODE : cri::v1::POD);
  if (const json::object* psc = api::GetObject(spec, "securityContext")) {
    if (const json::value* v = psc->if_contains("runAsUser"); v && v->is_int64()) {
      sc->mutable_run_as_user()->set_value(v->get_int64());
    }
    if (const json::value* v = psc->if_contains("runAsGroup"); v && v->is_int64()) {
      sc->mutable_run_as_group()->set_value(v->get_int64());
    }
    if (const json::array* g = api::GetArray(*psc, "supplementalGroups")) {
      for (const json::value& v : *g) {
        if (v.is_int64()) sc->add_supplemental_groups(v.get_int64());
      }
    }
    if (const json::value* v = psc->if_contains("fsGroup"); v && v->is_int64()) {
      sc->add_supplemental_groups(v->get_int64());
    }
    if (const json::array* s = api::GetArray(*psc, "sysctls")) {
      for (const json::value& v : *s) {
        if (!v.is_object()) continue;
        (*linux->mutable_sysctls())[api::GetString(v.get_object(), "name")] =
            api::GetString(v.get_object(), "value");
      }
    }
  }
  for (const json::array* list : {&Containers(pod), &InitContainers(pod)}) {
    for (const json::value& cv : *list) {
      if (!cv.is_object()) continue;
      const json::object* csc = api::GetObject(cv.get_object(), "securityContext");
      if (csc && GetBool(*csc, "privileged")) sc->set_privileged(true);
    }
  }
  return cfg;
}

}  // namespace kc::kubelet
