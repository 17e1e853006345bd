#include "pkg/controllers/daemonset_node_eligibility.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/api/label_selector.h"
#include "pkg/client/indexer.h"

namespace kc::controllers {
namespace {

const boost::json::object* LabelsOf(const client::Object& o) {
  const boost::json::value* l = api::Lookup(o, "metadata.labels");
  return l && l->is_object() ? &l->get_object() : nullptr;
}

std::vector<std::string> Values(const boost::json::object& req) {
  std::vector<std::string> out;
  if (const boost::json::array* v = api::GetArray(req, "values")) {
    for (const boost::json::value& s : *v) {
      if (s.is_string()) out.emplace_back(s.get_string());
    }
  }
  return out;
}

// A matchExpressions entry as a label requirement; nullopt when malformed.
std::optional<api::LabelRequirement> LabelRequirementOf(const boost::json::object& req) {
  api::LabelRequirement r;
  r.key = api::GetString(req, "key");
  if (r.key.empty()) return std::nullopt;
  r.values = Values(req);
  std::sort(r.values.begin(), r.values.end());
  r.values.erase(std::unique(r.values.begin(), r.values.end()), r.values.end());
  std::string op = api::GetString(req, "operator");
  if (op == "In" || op == "NotIn") {
    if (r.values.empty()) return std::nullopt;
    r.op = op == "In" ? api::SelectorOp::kIn : api::SelectorOp::kNotIn;
  } else if (op == "Exists" || op == "DoesNotExist") {
    if (!r.values.empty()) return std::nullopt;
    r.op = op == "Exists" ? api::SelectorOp::kExists : api::SelectorOp::kDoesNotExist;
  } else if (op == "Gt" || op == "Lt") {
    if (r.values.size() != 1) return std::nullopt;
    const std::string& v = r.values[0];
    size_t digits = v.size() - (v[0] == '-' ? 1 : 0);
    if (digits == 0 || digits > 18 ||
        !std::all_of(v.begin() + static_cast<long>(v.size() - digits), v.end(), ::isdigit)) {
      return std::nullopt;
    }
    r.op = op == "Gt" ? api::SelectorOp::kGreaterThan : api::SelectorOp::kLessThan;
  } else {
    return std::nullopt;
  }
  return r;
}

bool FieldRequirementMatches(const boost::json::object& req, const client::Object& node) {
  if (api::GetString(req, "key") != "metadata.name") return false;
  std::vector<std::string> values = Values(req);
  if (values.size() != 1) return false;
  std::string op = api::GetString(req, "operator");
  std::string name = client::ObjectMetaString(node, "name");
  if (op == "In") return name == values[0];
  if (op == "NotIn") return name != values[0];
  return false;
}

boost::json::object Toleration(const char* key, const char* effect) {
  return boost::json::object{{"key", key}, {"operator", "Exists"}, {"effect", effect}};
}

// Toleration.MatchToleration: the same key, operator, value and effect.
bool SameToleration(const boost::json::object& a, const boost::json::object& b) {
  auto op = [](const boost::json::object& t) {
    std::string o = api::GetString(t, "operator");
    return o.empty() ? std::string("Equal") : o;
  };
  return api::GetString(a, "key") == api::GetString(b, "key") && op(a) == op(b) &&
         api::GetString(a, "value") == api::GetString(b, "value") &&
         api::GetString(a, "effect") == api::GetString(b, "effect");
}

void AddOrUpdateToleration(boost::json::object& pod_spec, boost::json::object toleration) {
  boost::json::value& v = pod_spec["tolerations"];
  if (!v.is_array()) v = boost::json::array();
  for (boost::json::value& t : v.get_array()) {
    if (t.is_object() && SameToleration(t.get_object(), toleration)) {
      t = std::move(toleration);
      return;
    }
  }
  v.get_array().emplace_back(std::move(toleration));
}

}  // namespace

bool ToleratesTaint(const boost::json::object& toleration, const boost::json::object& taint) {
  std::string effect = api::GetString(toleration, "effect");
  if (!effect.empty() && effect != api::GetString(taint, "effect")) return false;
  std::string key = api::GetString(toleration, "key");
  if (!key.empty() && key != api::GetString(taint, "key")) return false;
  std::string op = api::GetString(toleration, "operator");
  if (op == "Exists") return true;
  if (op.empty() || op == "Equal") {
    return api::GetString(toleration, "value") == api::GetString(taint, "value");
  }
  return false;
}

const boost::json::object* FindUntoleratedTaint(
    const boost::json::array* taints, const boost::json::array* tolerations,
    const std::function<bool(const boost::json::object& taint)>& filter) {
  if (!taints) return nullptr;
  for (const boost::json::value& tv : *taints) {
    if (!tv.is_object() || !filter(tv.get_object())) continue;
    bool tolerated = false;
    if (tolerations) {
      for (const boost::json::value& t : *tolerations) {
        if (t.is_object() && ToleratesTaint(t.get_object(), tv.get_object())) {
          tolerated = true;
          break;
        }
      }
    }
    if (!tolerated) return &tv.get_object();
  }
  return nullptr;
}

bool NodeSelectorTermMatches(const boost::json::object& term, const client::Object& node) {
  const boost::json::array* exprs = api::GetArray(term, "matchExpressions");
  const boost::json::array* fields = api::GetArray(term, "matchFields");
  if ((!exprs || exprs->empty()) && (!fields || fields->empty())) return false;
  const boost::json::object* labels = LabelsOf(node);
  if (exprs) {
    for (const boost::json::value& e : *exprs) {
      if (!e.is_object()) return false;
      std::optional<api::LabelRequirement> r = LabelRequirementOf(e.get_object());
      if (!r || !r->Matches(labels)) return false;
    }
  }
  if (fields) {
    for (const boost::json::value& f : *fields) {
      if (!f.is_object() || !FieldRequirementMatches(f.get_object(), node)) return false;
    }
  }
  return true;
}

bool PodMatchesNodeAffinity(const boost::json::object& pod_spec, const client::Object& node) {
  if (const boost::json::object* sel = api::GetObject(pod_spec, "nodeSelector")) {
    const boost::json::object* labels = LabelsOf(node);
    for (const auto& kv : *sel) {
      const boost::json::value* have = labels ? labels->if_contains(kv.key()) : nullptr;
      if (!have || !kv.value().is_string() || !have->is_string() ||
          have->get_string() != kv.value().get_string()) {
        return false;
      }
    }
  }
  const boost::json::value* req =
      api::Lookup(pod_spec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution");
  if (!req || req->is_null()) return true;
  if (!req->is_object()) return false;
  const boost::json::array* terms = api::GetArray(req->get_object(), "nodeSelectorTerms");
  if (!terms) return false;
  for (const boost::json::value& t : *terms) {
    if (t.is_object() && NodeSelectorTermMatches(t.get_object(), node)) return true;
  }
  return false;
}

void AddDaemonPodTolerations(boost::json::object& pod_spec) {
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/not-ready", "NoExecute"));
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/unreachable", "NoExecute"));
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/disk-pressure", "NoSchedule"));
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/memory-pressure", "NoSchedule"));
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/pid-pressure", "NoSchedule"));
  AddOrUpdateToleration(pod_spec, Toleration("node.kubernetes.io/unschedulable", "NoSchedule"));
  const boost::json::value* hn = pod_spec.if_contains("hostNetwork");
  if (hn && hn->is_bool() && hn->get_bool()) {
    AddOrUpdateToleration(pod_spec,
                          Toleration("node.kubernetes.io/network-unavailable", "NoSchedule"));
  }
}

void SetDaemonPodNodeAffinity(boost::json::object& pod_spec, const std::string& node) {
  boost::json::array terms{boost::json::object{
      {"matchFields",
       boost::json::array{boost::json::object{{"key", "metadata.name"},
                                              {"operator", "In"},
                                              {"values", boost::json::array{node.c_str()}}}}}}};
  boost::json::object& affinity = api::EnsureObject(pod_spec, "affinity");
  boost::json::object& node_affinity = api::EnsureObject(affinity, "nodeAffinity");
  boost::json::object& required =
      api::EnsureObject(node_affinity, "requiredDuringSchedulingIgnoredDuringExecution");
  required["nodeSelectorTerms"] = std::move(terms);
}

std::string DaemonPodTargetNode(const client::Object& pod) {
  const boost::json::value* n = api::Lookup(pod, "spec.nodeName");
  if (n && n->is_string() && !n->get_string().empty()) return std::string(n->get_string());
  const boost::json::value* terms =
      api::Lookup(pod,
                  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
                  "nodeSelectorTerms");
  if (!terms || !terms->is_array()) return "";
  for (const boost::json::value& t : terms->get_array()) {
    if (!t.is_object()) continue;
    const boost::json::array* fields = api::GetArray(t.get_object(), "matchFields");
    if (!fields) continue;
    for (const boost::json::value& f : *fields) {
      if (!f.is_object()) continue;
      const boost::json::object& req = f.get_object();
      if (api::GetString(req, "key") != "metadata.name" ||
          api::GetString(req, "operator") != "In") {
        continue;
      }
      std::vector<std::string> values = Values(req);
      if (values.size() == 1) return values[0];
    }
  }
  return "";
}

DaemonNodeFit NodeShouldRunDaemonPod(const client::Object& node, const client::Object& ds) {
  DaemonNodeFit fit;
  const boost::json::value* ts = api::Lookup(ds, "spec.template.spec");
  boost::json::object spec = ts && ts->is_object() ? ts->get_object() : boost::json::object();
  std::string node_name = client::ObjectMetaString(node, "name");
  std::string want = api::GetString(spec, "nodeName");
  if (!want.empty() && want != node_name) return fit;
  AddDaemonPodTolerations(spec);
  if (!PodMatchesNodeAffinity(spec, node)) return fit;
  const boost::json::value* tv = api::Lookup(node, "spec.taints");
  const boost::json::array* taints = tv && tv->is_array() ? &tv->get_array() : nullptr;
  const boost::json::array* tolerations = api::GetArray(spec, "tolerations");
  auto schedule_or_execute = [](const boost::json::object& taint) {
    std::string e = api::GetString(taint, "effect");
    return e == "NoSchedule" || e == "NoExecute";
  };
  auto execute = [](const boost::json::object& taint) {
    return api::GetString(taint, "effect") == "NoExecute";
  };
  if (FindUntoleratedTaint(taints, tolerations, schedule_or_execute)) {
    fit.should_continue_running = FindUntoleratedTaint(taints, tolerations, execute) == nullptr;
    return fit;
  }
  fit.should_run = true;
  fit.should_continue_running = true;
  return fit;
}

}  // namespace kc::controllers
