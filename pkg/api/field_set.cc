#include "pkg/api/field_set.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "pkg/api/field_set_schema.h"

namespace kc::api {
namespace {

// Walks an object collecting the paths it sets (upstream's toFieldSetWalker).
class FieldSetBuilder {
 public:
  FieldSetBuilder(SchemaScope scope, bool strict) : scope_(scope), strict_(strict) {}

  // Returns false (strict mode only) with error() set.
  bool WalkFields(const boost::json::object& obj, FieldPath& path) {
    bool map_typed = !path.empty() && IsMapTypedAt(scope_, path);
    for (const auto& kv : obj) {
      path.push_back(PathElement::Field(std::string(kv.key())));
      bool ok = WalkValue(kv.value(), path, map_typed);
      path.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  FieldSet& set() { return set_; }
  const std::string& error() const { return error_; }

 private:
  bool WalkValue(const boost::json::value& v, FieldPath& path, bool map_entry) {
    if (v.is_object()) {
      const auto& obj = v.get_object();
      if (obj.empty() || IsAtomicMapAt(scope_, path)) {
        set_.Insert(path);
        return true;
      }
      if (map_entry) set_.Insert(path);
      return WalkFields(obj, path);
    }
    if (v.is_array()) return WalkList(v.get_array(), path);
    set_.Insert(path);  // scalar or null
    return true;
  }

  bool WalkList(const boost::json::array& list, FieldPath& path) {
    ListShape shape = ListShapeAt(scope_, path);
    if (shape.type == ListType::kAtomic) {
      set_.Insert(path);
      return true;
    }
    std::vector<PathElement> elements;
    std::string err;
    if (!IndexListItems(shape, list, &elements, &err)) {
      if (strict_) {
        error_ = FieldPathString(path) + ": " + err;
        return false;
      }
      set_.Insert(path);  // unusable keys: treat the list as one value
      return true;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      path.push_back(elements[i]);
      set_.Insert(path);
      bool ok = true;
      if (list[i].is_object()) ok = WalkFields(list[i].get_object(), path);
      path.pop_back();
      if (!ok) return false;
    }
    return true;
  }

  SchemaScope scope_;
  bool strict_;
  FieldSet set_;
  std::string error_;
};

bool DecodeNode(const boost::json::object& node, FieldPath& path, FieldSet& out,
                std::string* error) {
  for (const auto& kv : node) {
    if (kv.key() == ".") {
      if (path.empty()) {
        *error = "\".\" at the root";
        return false;
      }
      out.Insert(path);
      continue;
    }
    auto pe = PathElement::FromFieldsV1Key(kv.key());
    if (!pe) {
      *error = "invalid key \"" + std::string(kv.key()) + "\"";
      return false;
    }
    if (!kv.value().is_object()) {
      *error = "value of \"" + std::string(kv.key()) + "\" is not an object";
      return false;
    }
    path.push_back(std::move(*pe));
    const auto& child = kv.value().get_object();
    bool ok = true;
    if (child.empty()) {
      out.Insert(path);
    } else {
      ok = DecodeNode(child, path, out, error);
    }
    path.pop_back();
    if (!ok) return false;
  }
  return true;
}

// A trie over the sorted paths, used to emit FieldsV1.
struct Node {
  bool member = false;
  std::map<PathElement, Node> children;
};

boost::json::object EmitNode(const Node& node) {
  boost::json::object out;
  if (node.member && !node.children.empty()) out["."] = boost::json::object();
  for (const auto& [pe, child] : node.children) out[pe.ToFieldsV1Key()] = EmitNode(child);
  return out;
}

}  // namespace

FieldSet FieldSet::FromObject(const boost::json::value& obj, std::string_view group,
                              std::string_view kind) {
  FieldSetBuilder builder(SchemaScope{group, kind}, /*strict=*/false);
  if (!obj.is_object()) return {};
  FieldPath path;
  builder.WalkFields(obj.get_object(), path);
  return std::move(builder.set());
}

Result<FieldSet> FieldSet::FromAppliedObject(const boost::json::value& obj,
                                             std::string_view group, std::string_view version,
                                             std::string_view kind) {
  std::string gvk = std::string(group) + "/" + std::string(version) + ", Kind=" + std::string(kind);
  if (!obj.is_object()) {
    return Status::BadRequest("failed to create typed patch object (" + gvk +
                              "): expected an object");
  }
  FieldSetBuilder builder(SchemaScope{group, kind}, /*strict=*/true);
  FieldPath path;
  if (!builder.WalkFields(obj.get_object(), path)) {
    return Status::BadRequest("failed to create typed patch object (" + gvk + "): " +
                              builder.error());
  }
  return std::move(builder.set());
}

Result<FieldSet> FieldSet::FromFieldsV1(const boost::json::value& fields_v1) {
  if (!fields_v1.is_object()) return Status::BadRequest("fieldsV1 must be an object");
  FieldSet out;
  FieldPath path;
  std::string error;
  if (!DecodeNode(fields_v1.get_object(), path, out, &error)) {
    return Status::BadRequest("error decoding fieldsV1: " + error);
  }
  return out;
}

boost::json::object FieldSet::ToFieldsV1() const {
  Node root;
  for (const FieldPath& path : paths_) {
    Node* node = &root;
    for (const PathElement& pe : path) node = &node->children[pe];
    node->member = true;
  }
  return EmitNode(root);
}

FieldSet FieldSet::Union(const FieldSet& other) const {
  FieldSet out = *this;
  out.paths_.insert(other.paths_.begin(), other.paths_.end());
  return out;
}

FieldSet FieldSet::Intersection(const FieldSet& other) const {
  FieldSet out;
  std::set_intersection(paths_.begin(), paths_.end(), other.paths_.begin(), other.paths_.end(),
                        std::inserter(out.paths_, out.paths_.end()));
  return out;
}

FieldSet FieldSet::Difference(const FieldSet& other) const {
  FieldSet out;
  std::set_difference(paths_.begin(), paths_.end(), other.paths_.begin(), other.paths_.end(),
                      std::inserter(out.paths_, out.paths_.end()));
  return out;
}

FieldSet FieldSet::RecursiveDifference(const FieldSet& prefixes) const {
  FieldSet out;
  for (const FieldPath& path : paths_) {
    bool covered = false;
    FieldPath prefix;
    for (const PathElement& pe : path) {
      prefix.push_back(pe);
      if (prefixes.Has(prefix)) {
        covered = true;
        break;
      }
    }
    if (!covered) out.paths_.insert(out.paths_.end(), path);
  }
  return out;
}

FieldSet FieldSet::WithFieldPrefixes() const {
  FieldSet out = *this;
  for (const FieldPath& path : paths_) {
    FieldPath prefix;
    for (const PathElement& pe : path) {
      prefix.push_back(pe);
      if (pe.type() == PathElement::Type::kField) out.paths_.insert(prefix);
    }
  }
  return out;
}

bool FieldSet::HasPrefix(const FieldPath& prefix) const {
  auto it = paths_.lower_bound(prefix);
  return it != paths_.end() && IsPathPrefix(prefix, *it);
}

std::vector<std::string> FieldSet::ToStrings() const {
  std::vector<std::string> out;
  out.reserve(paths_.size());
  for (const FieldPath& path : paths_) out.push_back(FieldPathString(path));
  return out;
}

}  // namespace kc::api
