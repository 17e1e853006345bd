#include "pkg/scheduler/resources.h"

#include <algorithm>

#include "pkg/api/json_path.h"
#include "pkg/api/quantity.h"

namespace kc::scheduler {
namespace json = boost::json;

void Resources::Add(const Resources& o) {
  milli_cpu += o.milli_cpu;
  memory += o.memory;
  ephemeral_storage += o.ephemeral_storage;
  pods += o.pods;
  for (const auto& [k, v] : o.scalar) scalar[k] += v;
}

void Resources::Sub(const Resources& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  ephemeral_storage -= o.ephemeral_storage;
  pods -= o.pods;
  for (const auto& [k, v] : o.scalar) scalar[k] -= v;
}

void Resources::Max(const Resources& o) {
  milli_cpu = std::max(milli_cpu, o.milli_cpu);
  memory = std::max(memory, o.memory);
  ephemeral_storage = std::max(ephemeral_storage, o.ephemeral_storage);
  pods = std::max(pods, o.pods);
  for (const auto& [k, v] : o.scalar) {
    auto it = scalar.find(k);
    if (it == scalar.end()) {
      scalar[k] = v;
    } else {
      it->second = std::max(it->second, v);
    }
  }
}

bool Resources::IsZero() const {
  if (milli_cpu != 0 || memory != 0 || ephemeral_storage != 0) return false;
  for (const auto& [k, v] : scalar) {
    if (v != 0) return false;
  }
  return true;
}

int64_t Resources::Get(const std::string& name) const {
  if (name == "cpu") return milli_cpu;
  if (name == "memory") return memory;
  if (name == "ephemeral-storage") return ephemeral_storage;
  if (name == "pods") return pods;
  auto it = scalar.find(name);
  return it == scalar.end() ? 0 : it->second;
}

bool IsScalarResourceName(const std::string& name) {
  if (name.starts_with("hugepages-") || name.starts_with("attachable-volumes-")) return true;
  size_t slash = name.find('/');
  if (slash == std::string::npos) return false;
  std::string domain = name.substr(0, slash);
  if (domain == "kubernetes.io" || domain.ends_with(".kubernetes.io")) return false;
  return !name.starts_with("requests.");
}

Resources ParseResourceList(const json::object* list) {
  Resources r;
  if (!list) return r;
  for (const auto& [key, value] : *list) {
    auto q = api::Quantity::FromJson(value);
    if (!q.ok()) continue;
    std::string name(key);
    if (name == "cpu") {
      r.milli_cpu += q->MilliValue();
    } else if (name == "memory") {
      r.memory += q->Value();
    } else if (name == "ephemeral-storage") {
      r.ephemeral_storage += q->Value();
    } else if (name == "pods") {
      r.pods += q->Value();
    } else if (IsScalarResourceName(name)) {
      r.scalar[name] += q->Value();
    }
  }
  return r;
}

namespace {

Resources ContainerRequests(const json::value& c, bool non_zero) {
  Resources r;
  if (!c.is_object()) return r;
  const json::object* requests = nullptr;
  if (const json::object* res = api::GetObject(c.get_object(), "resources")) {
    requests = api::GetObject(*res, "requests");
  }
  r = ParseResourceList(requests);
  if (non_zero) {
    if (!requests || !requests->contains("cpu")) r.milli_cpu = kDefaultMilliCpuRequest;
    if (!requests || !requests->contains("memory")) r.memory = kDefaultMemoryRequest;
  }
  return r;
}

}  // namespace

Resources PodRequests(const json::object& pod, bool non_zero) {
  Resources total;
  const json::object* spec = api::GetObject(pod, "spec");
  if (!spec) return total;
  if (const json::array* cs = api::GetArray(*spec, "containers")) {
    for (const json::value& c : *cs) total.Add(ContainerRequests(c, non_zero));
  }
  // Sidecars (init containers with restartPolicy Always) keep running: they add to the app
  // containers and to every later init step. Other init containers run one at a time.
  Resources sidecars;
  Resources init_max;
  if (const json::array* ics = api::GetArray(*spec, "initContainers")) {
    for (const json::value& c : *ics) {
      Resources req = ContainerRequests(c, non_zero);
      bool sidecar = c.is_object() && api::GetString(c.get_object(), "restartPolicy") == "Always";
      if (sidecar) {
        sidecars.Add(req);
        init_max.Max(sidecars);
      } else {
        req.Add(sidecars);
        init_max.Max(req);
      }
    }
  }
  total.Add(sidecars);
  total.Max(init_max);
  total.Add(ParseResourceList(api::GetObject(*spec, "overhead")));
  total.pods = 0;
  return total;
}

}  // namespace kc::scheduler
