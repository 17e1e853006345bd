#include "pkg/scheduler/taints.h"

#include <algorithm>

#include "pkg/api/json_path.h"

namespace kc::scheduler {
namespace json = boost::json;

bool Toleration::Tolerates(const Taint& taint) const {
  if (!effect.empty() && effect != taint.effect) return false;
  if (!key.empty() && key != taint.key) return false;
  if (op == "Exists") return true;
  if (op.empty() || op == "Equal") return value == taint.value;
  return false;
}

bool TolerationsTolerate(const std::vector<Toleration>& tolerations, const Taint& taint) {
  return std::any_of(tolerations.begin(), tolerations.end(),
                     [&](const Toleration& t) { return t.Tolerates(taint); });
}

std::vector<Taint> NodeTaints(const json::object& node) {
  std::vector<Taint> out;
  const json::object* spec = api::GetObject(node, "spec");
  const json::array* taints = spec ? api::GetArray(*spec, "taints") : nullptr;
  if (!taints) return out;
  for (const json::value& v : *taints) {
    if (!v.is_object()) continue;
    const json::object& t = v.get_object();
    Taint taint{api::GetString(t, "key"), api::GetString(t, "value"), api::GetString(t, "effect")};
    if (taint.key.empty() || taint.effect.empty()) continue;
    out.push_back(std::move(taint));
  }
  return out;
}

std::vector<Toleration> PodTolerations(const json::object& pod) {
  std::vector<Toleration> out;
  const json::object* spec = api::GetObject(pod, "spec");
  const json::array* tols = spec ? api::GetArray(*spec, "tolerations") : nullptr;
  if (!tols) return out;
  for (const json::value& v : *tols) {
    if (!v.is_object()) continue;
    const json::object& t = v.get_object();
    out.push_back(Toleration{api::GetString(t, "key"), api::GetString(t, "operator"),
                             api::GetString(t, "value"), api::GetString(t, "effect")});
  }
  return out;
}

std::vector<Taint> ConditionTaints(const json::object& node) {
  std::vector<Taint> out;
  std::string ready_status;
  const json::object* status = api::GetObject(node, "status");
  const json::array* conds = status ? api::GetArray(*status, "conditions") : nullptr;
  if (conds) {
    for (const json::value& v : *conds) {
      if (!v.is_object()) continue;
      std::string type = api::GetString(v.get_object(), "type");
      std::string st = api::GetString(v.get_object(), "status");
      if (type == "Ready") {
        ready_status = st;
      } else if (st == "True") {
        if (type == "MemoryPressure")
          out.push_back({"node.kubernetes.io/memory-pressure", "", kEffectNoSchedule});
        if (type == "DiskPressure")
          out.push_back({"node.kubernetes.io/disk-pressure", "", kEffectNoSchedule});
        if (type == "PIDPressure")
          out.push_back({"node.kubernetes.io/pid-pressure", "", kEffectNoSchedule});
        if (type == "NetworkUnavailable")
          out.push_back({"node.kubernetes.io/network-unavailable", "", kEffectNoSchedule});
      }
    }
  }
  if (ready_status == "Unknown") {
    out.insert(out.begin(), Taint{kTaintUnreachable, "", kEffectNoSchedule});
  } else if (ready_status != "True") {
    out.insert(out.begin(), Taint{kTaintNotReady, "", kEffectNoSchedule});
  }
  return out;
}

std::vector<Taint> EffectiveTaints(const json::object& node) {
  std::vector<Taint> out = NodeTaints(node);
  for (Taint& t : ConditionTaints(node)) {
    bool present = std::any_of(out.begin(), out.end(), [&](const Taint& x) {
      return x.key == t.key && x.effect == t.effect;
    });
    if (!present) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace kc::scheduler
