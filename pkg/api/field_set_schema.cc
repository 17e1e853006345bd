#include "pkg/api/field_set_schema.h"

#include <algorithm>
#include <initializer_list>
#include <set>

#include <boost/json/object.hpp>

namespace kc::api {
namespace {

// One row of the list table. Empty `parent` or `kind` match anything.
struct ListRule {
  std::string_view field;
  std::string_view parent;
  std::string_view kind;
  ListType type;
  std::vector<std::string_view> keys;  // kMap only
};

// Keys that default when absent (upstream's schema defaults on list-map keys).
boost::json::value KeyDefault(std::string_view key) {
  if (key == "protocol") return boost::json::value("TCP");
  return nullptr;
}

const std::vector<ListRule>& ListRules() {
  static const std::vector<ListRule> kRules = {
      // Pod spec (also inside every pod template).
      {"containers", "", "", ListType::kMap, {"name"}},
      {"initContainers", "", "", ListType::kMap, {"name"}},
      {"ephemeralContainers", "", "", ListType::kMap, {"name"}},
      {"ports", "containers", "", ListType::kMap, {"containerPort", "protocol"}},
      {"ports", "initContainers", "", ListType::kMap, {"containerPort", "protocol"}},
      {"ports", "ephemeralContainers", "", ListType::kMap, {"containerPort", "protocol"}},
      {"env", "", "", ListType::kMap, {"name"}},
      {"volumeMounts", "", "", ListType::kMap, {"mountPath"}},
      {"volumeDevices", "", "", ListType::kMap, {"devicePath"}},
      {"resizePolicy", "", "", ListType::kAtomic, {}},
      {"claims", "resources", "", ListType::kMap, {"name"}},
      {"volumes", "spec", "", ListType::kMap, {"name"}},
      {"imagePullSecrets", "", "", ListType::kMap, {"name"}},
      {"hostAliases", "", "", ListType::kMap, {"ip"}},
      {"topologySpreadConstraints", "", "", ListType::kMap, {"topologyKey", "whenUnsatisfiable"}},
      {"resourceClaims", "spec", "", ListType::kMap, {"name"}},
      {"schedulingGates", "", "", ListType::kMap, {"name"}},
      // Service.
      {"ports", "spec", "Service", ListType::kMap, {"port", "protocol"}},
      // Object metadata and status.
      {"ownerReferences", "metadata", "", ListType::kMap, {"uid"}},
      {"finalizers", "metadata", "", ListType::kSet, {}},
      {"conditions", "status", "", ListType::kMap, {"type"}},
      // Node.
      {"podCIDRs", "spec", "Node", ListType::kSet, {}},
      // Admission webhooks.
      {"webhooks", "", "MutatingWebhookConfiguration", ListType::kMap, {"name"}},
      {"webhooks", "", "ValidatingWebhookConfiguration", ListType::kMap, {"name"}},
  };
  return kRules;
}

// The names of the struct fields along `path`, skipping list items.
void LastFieldNames(const FieldPath& path, std::string_view* last, std::string_view* parent) {
  *last = {};
  *parent = {};
  int found = 0;
  for (auto it = path.rbegin(); it != path.rend() && found < 2; ++it) {
    if (it->type() != PathElement::Type::kField) continue;
    (found == 0 ? *last : *parent) = it->field_name();
    ++found;
  }
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

}  // namespace

ListShape ListShapeAt(const SchemaScope& scope, const FieldPath& list_path) {
  std::string_view last, parent;
  LastFieldNames(list_path, &last, &parent);
  if (list_path.empty() || list_path.back().type() != PathElement::Type::kField) return {};
  for (const ListRule& rule : ListRules()) {
    if (rule.field != last) continue;
    if (!rule.parent.empty() && rule.parent != parent) continue;
    if (!rule.kind.empty() && rule.kind != scope.kind) continue;
    ListShape shape;
    shape.type = rule.type;
    for (std::string_view k : rule.keys) shape.keys.push_back({std::string(k), KeyDefault(k)});
    return shape;
  }
  return {};
}

bool IsAtomicMapAt(const SchemaScope& scope, const FieldPath& map_path) {
  std::string_view last, parent;
  LastFieldNames(map_path, &last, &parent);
  if (map_path.empty() || map_path.back().type() != PathElement::Type::kField) return false;
  // LabelSelector, NodeSelector and the key/field reference structs are +structType=atomic;
  // Service spec.selector and PodSpec nodeSelector are +mapType=atomic.
  return OneOf(last, {"selector", "nodeSelector", "podSelector", "namespaceSelector",
                      "labelSelector", "configMapKeyRef", "secretKeyRef", "fieldRef",
                      "resourceFieldRef"});
}

bool IsMapTypedAt(const SchemaScope& scope, const FieldPath& map_path) {
  std::string_view last, parent;
  LastFieldNames(map_path, &last, &parent);
  if (map_path.empty() || map_path.back().type() != PathElement::Type::kField) return false;
  if (last == "data" || last == "binaryData" || last == "stringData") {
    return map_path.size() == 1;  // ConfigMap / Secret top-level data
  }
  return OneOf(last, {"labels", "annotations", "limits", "requests", "capacity", "allocatable",
                      "hard", "used", "overhead", "matchLabels"});
}

bool ListItemElement(const ListShape& shape, const boost::json::value& item, size_t index,
                     PathElement* out, std::string* error) {
  std::string prefix = "element " + std::to_string(index) + ": ";
  if (shape.type == ListType::kSet) {
    if (item.is_object()) {
      *error = prefix + "associative list without keys has an element that's a map type";
      return false;
    }
    if (item.is_array()) {
      *error = prefix + "not supported: associative list with lists as elements";
      return false;
    }
    if (item.is_null()) {
      *error = prefix + "associative list without keys has an element that's an explicit null";
      return false;
    }
    *out = PathElement::Value(item);
    return true;
  }
  if (item.is_null()) {
    *error = prefix + "associative list with keys may not have a null element";
    return false;
  }
  if (!item.is_object()) {
    *error = prefix + "associative list with keys may not have non-map elements";
    return false;
  }
  PathElement::KeyFields fields;
  const auto& obj = item.get_object();
  for (const ListKey& key : shape.keys) {
    auto it = obj.find(key.name);
    if (it != obj.end() && !it->value().is_null()) {
      fields.emplace_back(key.name, it->value());
    } else if (!key.default_value.is_null()) {
      fields.emplace_back(key.name, key.default_value);
    } else {
      *error = prefix + "associative list with keys has an element that omits key field \"" +
               key.name + "\" (and doesn't have default value)";
      return false;
    }
  }
  *out = PathElement::Key(std::move(fields));
  return true;
}

bool IndexListItems(const ListShape& shape, const boost::json::array& list,
                    std::vector<PathElement>* out, std::string* error) {
  out->clear();
  out->reserve(list.size());
  std::set<PathElement> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    PathElement pe = PathElement::Index(0);
    if (!ListItemElement(shape, list[i], i, &pe, error)) return false;
    if (!seen.insert(pe).second) {
      *error = "duplicate entries for key " + pe.ToString();
      return false;
    }
    out->push_back(std::move(pe));
  }
  return true;
}

}  // namespace kc::api
