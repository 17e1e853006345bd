// Tables for core/v1 configuration and cluster kinds: Namespace, Node, ConfigMap, Secret,
// ServiceAccount, ResourceQuota.
#include <algorithm>
#include <set>
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

void NamespaceCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(FindObj(obj, "status"), "phase"));
  cells->emplace_back(Age(obj, now));
}

std::string NodeAddress(const boost::json::object* status, std::string_view type) {
  if (const auto* addrs = FindArr(status, "addresses")) {
    for (const auto& a : *addrs) {
      const auto* ao = a.if_object();
      if (ao && Str(*ao, "type") == type) return Str(*ao, "address");
    }
  }
  return "<none>";
}

void NodeCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  // Upstream keys conditions by type, so the last Ready condition wins.
  const boost::json::object* ready = nullptr;
  if (const auto* conds = FindArr(status, "conditions")) {
    for (const auto& c : *conds) {
      const auto* co = c.if_object();
      if (co && Str(*co, "type") == "Ready") ready = co;
    }
  }
  std::string state = !ready ? "Unknown" : (Str(*ready, "status") == "True" ? "Ready" : "NotReady");
  if (Bool(FindObj(obj, "spec"), "unschedulable").value_or(false)) state += ",SchedulingDisabled";

  std::set<std::string> roles;
  constexpr std::string_view kRolePrefix = "node-role.kubernetes.io/";
  if (const auto* labels = FindObj(Meta(obj), "labels")) {
    for (const auto& kv : *labels) {
      std::string_view key = kv.key();
      if (key.substr(0, kRolePrefix.size()) == kRolePrefix) {
        if (key.size() > kRolePrefix.size()) roles.emplace(key.substr(kRolePrefix.size()));
      } else if (key == "kubernetes.io/role" && kv.value().is_string() &&
                 !kv.value().get_string().empty()) {
        roles.emplace(kv.value().get_string());
      }
    }
  }
  std::string role_str = Join(std::vector<std::string>(roles.begin(), roles.end()), ",");
  if (role_str.empty()) role_str = "<none>";

  const auto* info = FindObj(status, "nodeInfo");
  auto or_unknown = [](std::string s) { return s.empty() ? std::string("<unknown>") : s; };
  cells->emplace_back(Name(obj));
  cells->emplace_back(state);
  cells->emplace_back(role_str);
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(Str(info, "kubeletVersion"));
  cells->emplace_back(NodeAddress(status, "InternalIP"));
  cells->emplace_back(NodeAddress(status, "ExternalIP"));
  cells->emplace_back(or_unknown(Str(info, "osImage")));
  cells->emplace_back(or_unknown(Str(info, "kernelVersion")));
  cells->emplace_back(or_unknown(Str(info, "containerRuntimeVersion")));
}

void ConfigMapCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  cells->emplace_back(static_cast<int64_t>(Size(&obj, "data") + Size(&obj, "binaryData")));
  cells->emplace_back(Age(obj, now));
}

void SecretCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  // The API server merges stringData into data; count the union in case it has not yet.
  std::set<std::string> keys;
  for (const char* field : {"data", "stringData"}) {
    if (const auto* m = FindObj(obj, field)) {
      for (const auto& kv : *m) keys.emplace(kv.key());
    }
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(Str(obj, "type"));
  cells->emplace_back(static_cast<int64_t>(keys.size()));
  cells->emplace_back(Age(obj, now));
}

void ServiceAccountCells(const boost::json::object& obj, TimePoint now,
                         boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  cells->emplace_back(static_cast<int64_t>(Size(&obj, "secrets")));
  cells->emplace_back(Age(obj, now));
}

void ResourceQuotaCells(const boost::json::object& obj, TimePoint now,
                        boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  const auto* hard = FindObj(status, "hard");
  const auto* used = FindObj(status, "used");
  std::vector<std::string> names;
  if (hard) {
    for (const auto& kv : *hard) names.emplace_back(kv.key());
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> requests, limits;
  for (const auto& n : names) {
    const std::string text = n + ": " + Quantity(used ? used->if_contains(n) : nullptr) + "/" +
                             Quantity(hard->if_contains(n));
    const auto dot = n.find('.');
    if (dot != std::string::npos && n.substr(0, dot) == "limits") {
      limits.push_back(text);
    } else {
      requests.push_back(text);
    }
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(Age(obj, now));
  cells->emplace_back(Join(requests, ", "));
  cells->emplace_back(Join(limits, ", "));
}

}  // namespace

void AddCorePrinters(PrinterMap* m) {
  (*m)[{"", "Namespace"}] = KindPrinter{
      {NameColumn(), Col("Status", "string", "The lifecycle phase of the namespace."), AgeColumn()},
      &NamespaceCells};
  (*m)[{"", "Node"}] = KindPrinter{
      {
          NameColumn(),
          Col("Status", "string", "The readiness of the node and whether it accepts new pods."),
          Col("Roles", "string", "The roles of the node, from node-role.kubernetes.io/ labels."),
          AgeColumn(),
          Col("Version", "string", "Kubelet version reported by the node."),
          Col("Internal-IP", "string", "The node's first internal IP address.", 1),
          Col("External-IP", "string", "The node's first external IP address.", 1),
          Col("OS-Image", "string", "OS image reported by the node.", 1),
          Col("Kernel-Version", "string", "Kernel version reported by the node.", 1),
          Col("Container-Runtime", "string", "Container runtime version reported by the node.", 1),
      },
      &NodeCells};
  (*m)[{"", "ConfigMap"}] = KindPrinter{
      {NameColumn(), Col("Data", "string", "Number of keys in data and binaryData."), AgeColumn()},
      &ConfigMapCells};
  (*m)[{"", "Secret"}] = KindPrinter{
      {
          NameColumn(),
          Col("Type", "string", "The type of the secret."),
          Col("Data", "string", "Number of keys in the secret's data."),
          AgeColumn(),
      },
      &SecretCells};
  (*m)[{"", "ServiceAccount"}] = KindPrinter{
      {NameColumn(), Col("Secrets", "string", "Number of secrets listed by the service account."),
       AgeColumn()},
      &ServiceAccountCells};
  // 1.32 order: Age before Request/Limit (it moved to the end in 1.33).
  (*m)[{"", "ResourceQuota"}] = KindPrinter{
      {
          NameColumn(),
          AgeColumn(),
          Col("Request", "string", "Used and hard amounts of every non-limit resource."),
          Col("Limit", "string", "Used and hard amounts of every limits.* resource."),
      },
      &ResourceQuotaCells};
}

}  // namespace kc::printers::internal
