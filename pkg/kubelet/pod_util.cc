#include "pkg/kubelet/pod_util.h"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <cstdio>

#include "pkg/api/json_path.h"

namespace kc::kubelet {

std::string PodName(const json::object& pod) {
  const json::object* m = api::GetObject(pod, "metadata");
  return m ? api::GetString(*m, "name") : "";
}

std::string PodNamespace(const json::object& pod) {
  const json::object* m = api::GetObject(pod, "metadata");
  return m ? api::GetString(*m, "namespace") : "";
}

std::string PodUid(const json::object& pod) {
  const json::object* m = api::GetObject(pod, "metadata");
  return m ? api::GetString(*m, "uid") : "";
}

std::string PodDesc(const json::object& pod) {
  return PodName(pod) + "_" + PodNamespace(pod) + "(" + PodUid(pod) + ")";
}

const json::object& EmptyObject() {
  static const json::object* empty = new json::object();
  return *empty;
}

const json::array& EmptyArray() {
  static const json::array* empty = new json::array();
  return *empty;
}

const json::object& PodSpec(const json::object& pod) {
  const json::object* s = api::GetObject(pod, "spec");
  return s ? *s : EmptyObject();
}

const json::array& Containers(const json::object& pod) {
  const json::array* a = api::GetArray(PodSpec(pod), "containers");
  return a ? *a : EmptyArray();
}

const json::array& InitContainers(const json::object& pod) {
  const json::array* a = api::GetArray(PodSpec(pod), "initContainers");
  return a ? *a : EmptyArray();
}

std::string ContainerName(const json::object& container) {
  return api::GetString(container, "name");
}

const json::object* FindContainer(const json::object& pod, const std::string& name) {
  for (const json::array* list : {&Containers(pod), &InitContainers(pod)}) {
    for (const json::value& v : *list) {
      if (v.is_object() && ContainerName(v.get_object()) == name) return &v.get_object();
    }
  }
  return nullptr;
}

bool IsInitContainer(const json::object& pod, const std::string& name) {
  for (const json::value& v : InitContainers(pod)) {
    if (v.is_object() && ContainerName(v.get_object()) == name) return true;
  }
  return false;
}

std::string RestartPolicy(const json::object& pod) {
  std::string p = api::GetString(PodSpec(pod), "restartPolicy");
  return p.empty() ? "Always" : p;
}

bool IsHostNetwork(const json::object& pod) {
  const json::value* v = PodSpec(pod).if_contains("hostNetwork");
  return v && v->is_bool() && v->get_bool();
}

bool IsDeleted(const json::object& pod) {
  const json::object* m = api::GetObject(pod, "metadata");
  return m && !api::GetString(*m, "deletionTimestamp").empty();
}

std::string PodPhase(const json::object& pod) {
  const json::object* s = api::GetObject(pod, "status");
  return s ? api::GetString(*s, "phase") : "";
}

bool IsTerminalPhase(const std::string& phase) {
  return phase == "Succeeded" || phase == "Failed";
}

bool IsRestartableInitContainer(const json::object& container) {
  return api::GetString(container, "restartPolicy") == "Always";
}

bool ShouldContainerBeRestarted(const json::object& container, const json::object& pod,
                                const RuntimePod& runtime) {
  if (IsDeleted(pod)) return false;
  const RuntimeContainer* c = runtime.Latest(ContainerName(container));
  if (c == nullptr) return true;
  if (c->state == ContainerState::kRunning) return false;
  if (c->state == ContainerState::kUnknown || c->state == ContainerState::kCreated) return true;
  std::string policy = RestartPolicy(pod);
  if (IsRestartableInitContainer(container)) policy = "Always";
  if (policy == "Never") return false;
  if (policy == "OnFailure" && c->exit_code == 0) return false;
  return true;
}

namespace {

// JSON with object keys sorted at every level, so the hash does not depend on key order.
void CanonicalJson(const json::value& v, std::string* out) {
  if (v.is_object()) {
    std::vector<const json::key_value_pair*> kvs;
    for (const auto& kv : v.get_object()) kvs.push_back(&kv);
    std::sort(kvs.begin(), kvs.end(),
              [](const auto* a, const auto* b) { return a->key() < b->key(); });
    out->push_back('{');
    for (const auto* kv : kvs) {
      out->append(json::serialize(json::value(kv->key())));
      out->push_back(':');
      CanonicalJson(kv->value(), out);
      out->push_back(',');
    }
    out->push_back('}');
  } else if (v.is_array()) {
    out->push_back('[');
    for (const json::value& e : v.get_array()) {
      CanonicalJson(e, out);
      out->push_back(',');
    }
    out->push_back(']');
  } else {
    out->append(json::serialize(v));
  }
}

}  // namespace

std::string ContainerHash(const json::object& container) {
  // FNV-1a (64 bit) over the canonical JSON of the spec. Resources are left out (as upstream
  // does since in-place resize) so that a change there alone does not restart the container.
  json::object copy = container;
  copy.erase("resources");
  std::string text;
  CanonicalJson(copy, &text);
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

int64_t GracePeriodSeconds(const json::object& pod) {
  if (const json::object* m = api::GetObject(pod, "metadata")) {
    if (const json::value* g = m->if_contains("deletionGracePeriodSeconds");
        g && g->is_int64() && IsDeleted(pod)) {
      return std::max<int64_t>(g->get_int64(), 0);
    }
  }
  int64_t g = api::GetInt64(PodSpec(pod), "terminationGracePeriodSeconds", 30);
  return std::max<int64_t>(g, 0);
}

}  // namespace kc::kubelet
