#include "pkg/scheduler/node_affinity.h"

#include <algorithm>
#include <charconv>

#include "pkg/api/json_path.h"

namespace kc::scheduler {
namespace json = boost::json;
namespace {

bool ParseInt(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// One NodeSelectorRequirement against `value` (nullptr: the label/field is absent).
bool RequirementMatches(const json::object& req, const std::string* value) {
  std::string op = api::GetString(req, "operator");
  std::vector<std::string> values;
  if (const json::array* vs = api::GetArray(req, "values")) {
    for (const json::value& v : *vs) {
      if (v.is_string()) values.emplace_back(v.get_string());
    }
  }
  bool in = value && std::find(values.begin(), values.end(), *value) != values.end();
  if (op == "In") return in;
  if (op == "NotIn") return !in;
  if (op == "Exists") return value != nullptr;
  if (op == "DoesNotExist") return value == nullptr;
  if (op == "Gt" || op == "Lt") {
    int64_t have = 0;
    int64_t want = 0;
    if (!value || values.size() != 1 || !ParseInt(*value, &have) || !ParseInt(values[0], &want)) {
      return false;
    }
    return op == "Gt" ? have > want : have < want;
  }
  return false;
}

const json::object* NodeAffinityOf(const PodInfo& pod) {
  if (!pod.spec()) return nullptr;
  const json::object* affinity = api::GetObject(*pod.spec(), "affinity");
  return affinity ? api::GetObject(*affinity, "nodeAffinity") : nullptr;
}

const json::array* PreferredTerms(const PodInfo& pod) {
  const json::object* na = NodeAffinityOf(pod);
  return na ? api::GetArray(*na, "preferredDuringSchedulingIgnoredDuringExecution") : nullptr;
}

}  // namespace

bool NodeSelectorTermMatches(const json::object& term, const NodeInfo& node) {
  const json::array* exprs = api::GetArray(term, "matchExpressions");
  const json::array* fields = api::GetArray(term, "matchFields");
  if ((!exprs || exprs->empty()) && (!fields || fields->empty())) return false;
  if (exprs) {
    for (const json::value& e : *exprs) {
      if (!e.is_object()) return false;
      std::string key = api::GetString(e.get_object(), "key");
      std::string label;
      const std::string* value = nullptr;
      if (node.labels()) {
        if (const json::value* v = node.labels()->if_contains(key); v && v->is_string()) {
          label = std::string(v->get_string());
          value = &label;
        }
      }
      if (!RequirementMatches(e.get_object(), value)) return false;
    }
  }
  if (fields) {
    for (const json::value& f : *fields) {
      if (!f.is_object()) return false;
      if (api::GetString(f.get_object(), "key") != "metadata.name") return false;
      if (!RequirementMatches(f.get_object(), &node.name())) return false;
    }
  }
  return true;
}

PluginStatus NodeAffinity::Filter(const CycleState&, const PodInfo& pod,
                                  const NodeInfo& node) const {
  if (pod.spec()) {
    if (const json::object* sel = api::GetObject(*pod.spec(), "nodeSelector")) {
      for (const auto& [k, v] : *sel) {
        const json::value* have = node.labels() ? node.labels()->if_contains(k) : nullptr;
        if (!have || !v.is_string() || !have->is_string() || have->get_string() != v.get_string()) {
          return PluginStatus::Unresolvable(kReasonNodeAffinity);
        }
      }
    }
  }
  const json::object* na = NodeAffinityOf(pod);
  const json::object* required =
      na ? api::GetObject(*na, "requiredDuringSchedulingIgnoredDuringExecution") : nullptr;
  if (!required) return {};
  const json::array* terms = api::GetArray(*required, "nodeSelectorTerms");
  if (terms) {
    for (const json::value& t : *terms) {
      if (t.is_object() && NodeSelectorTermMatches(t.get_object(), node)) return {};
    }
  }
  return PluginStatus::Unresolvable(kReasonNodeAffinity);
}

PluginStatus NodeAffinity::PreScore(CycleState&, const PodInfo& pod,
                                    const std::vector<const NodeInfo*>&) const {
  const json::array* terms = PreferredTerms(pod);
  if (!terms || terms->empty()) return PluginStatus::Skip();
  return {};
}

int64_t NodeAffinity::Score(const CycleState&, const PodInfo& pod, const NodeInfo& node) const {
  const json::array* terms = PreferredTerms(pod);
  if (!terms) return 0;
  int64_t sum = 0;
  for (const json::value& t : *terms) {
    if (!t.is_object()) continue;
    int64_t weight = api::GetInt64(t.get_object(), "weight", 0);
    const json::object* pref = api::GetObject(t.get_object(), "preference");
    if (weight != 0 && pref && NodeSelectorTermMatches(*pref, node)) sum += weight;
  }
  return sum;
}

void NodeAffinity::NormalizeScores(const CycleState&, const PodInfo&,
                                   std::vector<int64_t>& scores) const {
  DefaultNormalizeScore(false, scores);
}

}  // namespace kc::scheduler
