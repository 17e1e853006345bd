#include "pkg/controllers/node_lifecycle_taints.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "pkg/api/json_path.h"
#include "pkg/controllers/daemonset_node_eligibility.h"

namespace kc::controllers {
namespace {

namespace json = boost::json;

// Condition type → (status → taint key) for the NoSchedule taints (TaintNodesByCondition).
struct ConditionTaint {
  const char* type;
  const char* status;
  const char* key;
};
constexpr ConditionTaint kConditionTaints[] = {
    {"Ready", "False", kTaintNodeNotReady},
    {"Ready", "Unknown", kTaintNodeUnreachable},
    {"MemoryPressure", "True", kTaintNodeMemoryPressure},
    {"DiskPressure", "True", kTaintNodeDiskPressure},
    {"NetworkUnavailable", "True", kTaintNodeNetworkUnavailable},
    {"PIDPressure", "True", kTaintNodePIDPressure},
};

bool IsManagedNoScheduleKey(const std::string& key) {
  if (key == kTaintNodeUnschedulable) return true;
  for (const ConditionTaint& c : kConditionTaints) {
    if (key == c.key) return true;
  }
  return false;
}

bool IsManagedNoExecuteKey(const std::string& key) {
  return key == kTaintNodeNotReady || key == kTaintNodeUnreachable;
}

const json::array* TaintsOf(const client::Object& node) {
  const json::value* t = api::Lookup(node, "spec.taints");
  return t && t->is_array() ? &t->get_array() : nullptr;
}

bool SpecUnschedulable(const client::Object& node) {
  const json::value* u = api::Lookup(node, "spec.unschedulable");
  return u && u->is_bool() && u->get_bool();
}

bool HasTolerationSeconds(const json::object& t) {
  const json::value* s = t.if_contains("tolerationSeconds");
  return s && (s->is_int64() || s->is_uint64() || s->is_double());
}

int64_t TolerationSeconds(const json::object& t) {
  const json::value* s = t.if_contains("tolerationSeconds");
  if (s->is_int64()) return s->get_int64();
  if (s->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(s->get_uint64(), INT64_MAX));
  return static_cast<int64_t>(s->get_double());
}

}  // namespace

const json::object* FindNodeCondition(const client::Object& node, const std::string& type) {
  const json::value* cs = api::Lookup(node, "status.conditions");
  if (!cs || !cs->is_array()) return nullptr;
  for (const json::value& c : cs->get_array()) {
    if (c.is_object() && api::GetString(c.get_object(), "type") == type) return &c.get_object();
  }
  return nullptr;
}

std::string NodeConditionStatus(const client::Object& node, const std::string& type) {
  const json::object* c = FindNodeCondition(node, type);
  return c ? api::GetString(*c, "status") : "";
}

std::optional<json::array> ReconcileNodeTaints(const client::Object& node, NoExecuteMode mode,
                                               const std::string& now) {
  // Wanted (key, effect) pairs among the managed ones.
  std::vector<std::pair<std::string, std::string>> wanted;
  for (const ConditionTaint& c : kConditionTaints) {
    if (NodeConditionStatus(node, c.type) == c.status)
      wanted.emplace_back(c.key, kEffectNoSchedule);
  }
  if (SpecUnschedulable(node)) wanted.emplace_back(kTaintNodeUnschedulable, kEffectNoSchedule);

  const json::array* current = TaintsOf(node);
  auto has = [&](const std::string& key, const std::string& effect) {
    if (!current) return false;
    for (const json::value& t : *current) {
      if (t.is_object() && api::GetString(t.get_object(), "key") == key &&
          api::GetString(t.get_object(), "effect") == effect) {
        return true;
      }
    }
    return false;
  };

  std::string ready = NodeConditionStatus(node, "Ready");
  std::string want_no_execute;   // "" = none of the two
  bool keep_no_execute = false;  // no Ready condition: leave the NoExecute taints alone
  if (ready == "False") {
    want_no_execute = kTaintNodeNotReady;
  } else if (ready == "Unknown") {
    want_no_execute = kTaintNodeUnreachable;
  } else if (ready.empty()) {
    keep_no_execute = true;
  }
  if (mode == NoExecuteMode::kRemove) {
    want_no_execute.clear();
    keep_no_execute = false;
  } else if (mode == NoExecuteMode::kHold && !want_no_execute.empty() &&
             !has(kTaintNodeNotReady, kEffectNoExecute) &&
             !has(kTaintNodeUnreachable, kEffectNoExecute)) {
    want_no_execute.clear();  // evictions paused: no new NoExecute taint
  }
  if (!want_no_execute.empty()) wanted.emplace_back(want_no_execute, kEffectNoExecute);

  auto is_wanted = [&](const std::string& key, const std::string& effect) {
    return std::find(wanted.begin(), wanted.end(), std::make_pair(key, effect)) != wanted.end();
  };

  json::array out;
  bool changed = false;
  if (current) {
    for (const json::value& t : *current) {
      if (!t.is_object()) {
        out.push_back(t);
        continue;
      }
      std::string key = api::GetString(t.get_object(), "key");
      std::string effect = api::GetString(t.get_object(), "effect");
      bool managed = (effect == kEffectNoSchedule && IsManagedNoScheduleKey(key)) ||
                     (effect == kEffectNoExecute && IsManagedNoExecuteKey(key) && !keep_no_execute);
      if (managed && !is_wanted(key, effect)) {
        changed = true;
        continue;
      }
      out.push_back(t);
    }
  }
  for (const auto& [key, effect] : wanted) {
    if (has(key, effect)) continue;
    out.push_back(json::object{{"key", key}, {"effect", effect}, {"timeAdded", now}});
    changed = true;
  }
  if (!changed) return std::nullopt;
  return out;
}

json::array NoExecuteTaints(const client::Object& node) {
  json::array out;
  if (const json::array* taints = TaintsOf(node)) {
    for (const json::value& t : *taints) {
      if (t.is_object() && api::GetString(t.get_object(), "effect") == kEffectNoExecute) {
        out.push_back(t);
      }
    }
  }
  return out;
}

bool HasTaintKey(const client::Object& node, const std::string& key) {
  if (const json::array* taints = TaintsOf(node)) {
    for (const json::value& t : *taints) {
      if (t.is_object() && api::GetString(t.get_object(), "key") == key) return true;
    }
  }
  return false;
}

json::array EffectiveTolerations(const client::Object& pod, int64_t default_seconds) {
  json::array out;
  const json::value* tv = api::Lookup(pod, "spec.tolerations");
  if (tv && tv->is_array()) out = tv->get_array();
  if (default_seconds < 0) return out;
  bool not_ready = false;
  bool unreachable = false;
  for (const json::value& v : out) {
    if (!v.is_object()) continue;
    std::string key = api::GetString(v.get_object(), "key");
    std::string effect = api::GetString(v.get_object(), "effect");
    bool any_effect_or_no_execute = effect.empty() || effect == kEffectNoExecute;
    if ((key.empty() || key == kTaintNodeNotReady) && any_effect_or_no_execute) not_ready = true;
    if ((key.empty() || key == kTaintNodeUnreachable) && any_effect_or_no_execute) {
      unreachable = true;
    }
  }
  auto add = [&](const char* key) {
    out.push_back(json::object{{"key", key},
                               {"operator", "Exists"},
                               {"effect", kEffectNoExecute},
                               {"tolerationSeconds", default_seconds}});
  };
  if (!not_ready) add(kTaintNodeNotReady);
  if (!unreachable) add(kTaintNodeUnreachable);
  return out;
}

EvictionPlan PlanEviction(const json::array& no_execute_taints, const json::array& tolerations) {
  EvictionPlan plan;
  if (no_execute_taints.empty()) return plan;
  std::vector<const json::object*> used;
  for (const json::value& taint : no_execute_taints) {
    if (!taint.is_object()) continue;
    const json::object* match = nullptr;
    for (const json::value& t : tolerations) {
      if (t.is_object() && ToleratesTaint(t.get_object(), taint.get_object())) {
        match = &t.get_object();
        break;
      }
    }
    if (!match) {
      plan.kind = EvictionPlan::kAfter;
      plan.after_seconds = 0;
      return plan;
    }
    used.push_back(match);
  }
  std::optional<int64_t> min;
  for (const json::object* t : used) {
    if (!HasTolerationSeconds(*t)) continue;
    int64_t s = TolerationSeconds(*t);
    if (s <= 0) {
      min = 0;
      break;
    }
    if (!min || s < *min) min = s;
  }
  if (!min) {
    plan.kind = used.empty() ? EvictionPlan::kNone : EvictionPlan::kForever;
    return plan;
  }
  plan.kind = EvictionPlan::kAfter;
  plan.after_seconds = *min;
  return plan;
}

}  // namespace kc::controllers
