// Tables for policy and control kinds: PodDisruptionBudget, HorizontalPodAutoscaler (v1 and v2),
// Lease, RoleBinding and ClusterRoleBinding.
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

void PdbCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  auto ios_or_na = [&](std::string_view key) {
    const auto* v = spec ? spec->if_contains(key) : nullptr;
    if (!v || v->is_null()) return std::string("N/A");
    return IntOrString(v);
  };
  cells->emplace_back(Name(obj));
  cells->emplace_back(ios_or_na("minAvailable"));
  cells->emplace_back(ios_or_na("maxUnavailable"));
  cells->emplace_back(IntOr(FindObj(obj, "status"), "disruptionsAllowed", 0));
  cells->emplace_back(Age(obj, now));
}

// A *resource.Quantity field printed with Quantity.String() ("<nil>" for a nil pointer).
std::string QuantityField(const boost::json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  if (!v || v->is_null()) return "<nil>";
  return Quantity(v);
}

bool Has(const boost::json::object* o, std::string_view key) {
  const auto* v = o ? o->if_contains(key) : nullptr;
  return v && !v->is_null();
}

// One Targets entry for spec metric `spec` and the status metric at the same index (may be null).
std::string FormatMetric(const boost::json::object* spec, const boost::json::object* status) {
  const std::string type = Str(spec, "type");
  auto current_of = [&](const char* member) -> const boost::json::object* {
    return FindObj(FindObj(status, member), "current");
  };
  if (type == "External" || type == "Object") {
    const char* member = type == "External" ? "external" : "object";
    const auto* target = FindObj(FindObj(spec, member), "target");
    const bool has_status = FindObj(status, member) != nullptr;
    const auto* current = current_of(member);
    if (Has(target, "averageValue")) {
      std::string cur = has_status && Has(current, "averageValue")
                            ? QuantityField(current, "averageValue") : "<unknown>";
      return cur + "/" + QuantityField(target, "averageValue") + " (avg)";
    }
    std::string cur = has_status ? QuantityField(current, "value") : "<unknown>";
    return cur + "/" + QuantityField(target, "value");
  }
  if (type == "Pods") {
    const auto* target = FindObj(FindObj(spec, "pods"), "target");
    std::string cur = FindObj(status, "pods") ? QuantityField(current_of("pods"), "averageValue")
                                              : "<unknown>";
    return cur + "/" + QuantityField(target, "averageValue");
  }
  if (type == "Resource" || type == "ContainerResource") {
    const char* member = type == "Resource" ? "resource" : "containerResource";
    const auto* source = FindObj(spec, member);
    const auto* target = FindObj(source, "target");
    const std::string name = Str(source, "name");
    const bool has_status = FindObj(status, member) != nullptr;
    const auto* current = current_of(member);
    if (Has(target, "averageValue")) {
      std::string cur = has_status ? QuantityField(current, "averageValue") : "<unknown>";
      return name + ": " + cur + "/" + QuantityField(target, "averageValue");
    }
    std::string cur = "<unknown>";
    if (has_status) {
      if (auto u = Int(current, "averageUtilization")) cur = std::to_string(*u) + "%";
    }
    std::string tgt = "<auto>";
    if (auto u = Int(target, "averageUtilization")) tgt = std::to_string(*u) + "%";
    return name + ": " + cur + "/" + tgt;
  }
  return "<unknown type>";
}

std::string HpaTargets(const boost::json::object& obj) {
  const auto* spec = FindObj(obj, "spec");
  const auto* status = FindObj(obj, "status");
  std::vector<std::string> list;
  if (const auto* metrics = FindArr(spec, "metrics"); metrics && !metrics->empty()) {
    const auto* current = FindArr(status, "currentMetrics");
    for (size_t i = 0; i < metrics->size(); ++i) {
      const boost::json::object* st =
          current && i < current->size() ? (*current)[i].if_object() : nullptr;
      list.push_back(FormatMetric((*metrics)[i].if_object(), st));
    }
  } else if (auto target = Int(spec, "targetCPUUtilizationPercentage")) {
    // autoscaling/v1: a single cpu utilization metric.
    std::string cur = "<unknown>";
    if (auto c = Int(status, "currentCPUUtilizationPercentage")) cur = std::to_string(*c) + "%";
    list.push_back("cpu: " + cur + "/" + std::to_string(*target) + "%");
  }
  if (list.empty()) return "<none>";
  constexpr size_t kMax = 2;
  const size_t count = list.size();
  if (count > kMax) {
    list.resize(kMax);
    return Join(list, ", ") + " + " + std::to_string(count - kMax) + " more...";
  }
  return Join(list, ", ");
}

void HpaCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* spec = FindObj(obj, "spec");
  const auto* ref = FindObj(spec, "scaleTargetRef");
  std::string min_pods = "<unset>";
  if (auto mn = Int(spec, "minReplicas")) min_pods = std::to_string(*mn);
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(ref, "kind") + "/" + Str(ref, "name"));
  cells->emplace_back(HpaTargets(obj));
  cells->emplace_back(min_pods);
  cells->emplace_back(IntOr(spec, "maxReplicas", 0));
  cells->emplace_back(IntOr(FindObj(obj, "status"), "currentReplicas", 0));
  cells->emplace_back(Age(obj, now));
}

void LeaseCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(FindObj(obj, "spec"), "holderIdentity"));
  cells->emplace_back(Age(obj, now));
}

void BindingCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* ref = FindObj(obj, "roleRef");
  std::vector<std::string> users, groups, sas;
  if (const auto* subjects = FindArr(obj, "subjects")) {
    for (const auto& s : *subjects) {
      const auto* so = s.if_object();
      const std::string kind = Str(so, "kind");
      if (kind == "ServiceAccount") {
        sas.push_back(Str(so, "namespace") + "/" + Str(so, "name"));
      } else if (kind == "User") {
        users.push_back(Str(so, "name"));
      } else if (kind == "Group") {
        groups.push_back(Str(so, "name"));
      }
    }
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(ref, "kind") + "/" + Str(ref, "name"));
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(Join(users, ", "));
  cells->emplace_back(Join(groups, ", "));
  cells->emplace_back(Join(sas, ", "));
}

std::vector<Column> BindingColumns() {
  return {
      NameColumn(),
      Col("Role", "string", "The role the binding grants."),
      AgeColumn(),
      Col("Users", "string", "Users in the binding.", 1),
      Col("Groups", "string", "Groups in the binding.", 1),
      Col("ServiceAccounts", "string", "Service accounts in the binding.", 1),
  };
}

}  // namespace

void AddPolicyPrinters(PrinterMap* m) {
  (*m)[{"policy", "PodDisruptionBudget"}] = KindPrinter{
      {
          NameColumn(),
          Col("Min Available", "string", "Pods that must stay available during an eviction."),
          Col("Max Unavailable", "string", "Pods that may be unavailable during an eviction."),
          Col("Allowed Disruptions", "integer", "Number of pod disruptions currently allowed."),
          AgeColumn(),
      },
      &PdbCells};
  (*m)[{"autoscaling", "HorizontalPodAutoscaler"}] = KindPrinter{
      {
          NameColumn(),
          Col("Reference", "string", "The resource being scaled."),
          Col("Targets", "string", "Current and target values of the metrics."),
          Col("MinPods", "string", "Lower limit for the number of pods."),
          Col("MaxPods", "string", "Upper limit for the number of pods."),
          Col("Replicas", "string", "Current number of replicas."),
          AgeColumn(),
      },
      &HpaCells};
  (*m)[{"coordination.k8s.io", "Lease"}] = KindPrinter{
      {NameColumn(), Col("Holder", "string", "The identity of the current holder of the lease."),
       AgeColumn()},
      &LeaseCells};
  (*m)[{"rbac.authorization.k8s.io", "RoleBinding"}] = KindPrinter{BindingColumns(), &BindingCells};
  (*m)[{"rbac.authorization.k8s.io", "ClusterRoleBinding"}] =
      KindPrinter{BindingColumns(), &BindingCells};
}

}  // namespace kc::printers::internal
