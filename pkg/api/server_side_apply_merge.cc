#include "pkg/api/server_side_apply_merge.h"

#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

namespace kc::api {
namespace {

class Merger {
 public:
  explicit Merger(SchemaScope scope) : scope_(scope) {}

  boost::json::object MergeObject(const boost::json::object* live,
                                  const boost::json::object& applied, FieldPath& path) {
    boost::json::object out = live != nullptr ? *live : boost::json::object();
    for (const auto& kv : applied) {
      if (kv.value().is_null()) {
        out.stable_erase(kv.key());
        continue;
      }
      path.push_back(PathElement::Field(std::string(kv.key())));
      auto it = out.find(kv.key());
      boost::json::value merged = MergeValue(it != out.end() ? &it->value() : nullptr,
                                             kv.value(), path);
      out[kv.key()] = std::move(merged);
      path.pop_back();
    }
    return out;
  }

 private:
  boost::json::value MergeValue(const boost::json::value* live, const boost::json::value& applied,
                                FieldPath& path) {
    if (applied.is_object()) {
      if (IsAtomicMapAt(scope_, path)) return MergeObject(nullptr, applied.get_object(), path);
      const boost::json::object* l =
          live != nullptr && live->is_object() ? &live->get_object() : nullptr;
      return MergeObject(l, applied.get_object(), path);
    }
    if (applied.is_array()) {
      ListShape shape = ListShapeAt(scope_, path);
      const boost::json::array& a = applied.get_array();
      std::vector<PathElement> lpes, apes;
      std::string err;
      if (shape.type == ListType::kAtomic || live == nullptr || !live->is_array() ||
          !IndexListItems(shape, live->get_array(), &lpes, &err) ||
          !IndexListItems(shape, a, &apes, &err)) {
        return FreshList(a, path);
      }
      return MergeList(live->get_array(), lpes, a, apes, path);
    }
    return applied;
  }

  // A list with no live counterpart: items are taken as applied, minus nulls inside objects.
  boost::json::array FreshList(const boost::json::array& applied, FieldPath& path) {
    boost::json::array out;
    out.reserve(applied.size());
    for (const auto& item : applied) {
      if (item.is_object()) {
        out.push_back(MergeObject(nullptr, item.get_object(), path));
      } else {
        out.push_back(item);
      }
    }
    return out;
  }

  // Live-only items keep their place; each shared live item marks where the applied items up
  // to the next shared one go; applied items left over are appended.
  boost::json::array MergeList(const boost::json::array& live,
                               const std::vector<PathElement>& lpes,
                               const boost::json::array& applied,
                               const std::vector<PathElement>& apes, FieldPath& path) {
    std::map<PathElement, size_t> live_at, applied_at;
    for (size_t i = 0; i < lpes.size(); ++i) live_at.emplace(lpes[i], i);
    for (size_t i = 0; i < apes.size(); ++i) applied_at.emplace(apes[i], i);
    std::vector<bool> emitted(applied.size(), false);
    boost::json::array out;
    out.reserve(live.size() + applied.size());

    auto emit_applied = [&](size_t j) {
      emitted[j] = true;
      auto l = live_at.find(apes[j]);
      path.push_back(apes[j]);
      out.push_back(MergeValue(l != live_at.end() ? &live[l->second] : nullptr, applied[j], path));
      path.pop_back();
      return l != live_at.end();
    };

    size_t next = 0;
    for (size_t i = 0; i < live.size(); ++i) {
      auto a = applied_at.find(lpes[i]);
      if (a == applied_at.end()) {
        out.push_back(live[i]);
        continue;
      }
      if (emitted[a->second]) continue;
      while (next < applied.size()) {
        size_t j = next++;
        if (!emitted[j] && emit_applied(j)) break;
      }
    }
    for (; next < applied.size(); ++next) {
      if (!emitted[next]) emit_applied(next);
    }
    return out;
  }

  SchemaScope scope_;
};

class Remover {
 public:
  explicit Remover(SchemaScope scope) : scope_(scope) {}

  void InObject(boost::json::object& obj, const FieldPath& path, size_t i, FieldPath& walked) {
    const PathElement& pe = path[i];
    if (pe.type() != PathElement::Type::kField) return;
    auto it = obj.find(pe.field_name());
    if (it == obj.end()) return;
    if (i + 1 == path.size()) {
      obj.stable_erase(it);
      return;
    }
    walked.push_back(pe);
    InValue(it->value(), path, i + 1, walked);
    walked.pop_back();
  }

 private:
  void InValue(boost::json::value& v, const FieldPath& path, size_t i, FieldPath& walked) {
    if (v.is_object()) {
      InObject(v.get_object(), path, i, walked);
    } else if (v.is_array()) {
      InList(v.get_array(), path, i, walked);
    }
  }

  void InList(boost::json::array& list, const FieldPath& path, size_t i, FieldPath& walked) {
    const PathElement& pe = path[i];
    size_t found = list.size();
    if (pe.type() == PathElement::Type::kIndex) {
      if (pe.index() >= 0 && static_cast<size_t>(pe.index()) < list.size()) found = pe.index();
    } else {
      ListShape shape = ListShapeAt(scope_, walked);
      if (shape.type == ListType::kAtomic) return;
      for (size_t k = 0; k < list.size(); ++k) {
        PathElement candidate = PathElement::Index(0);
        std::string err;
        if (ListItemElement(shape, list[k], k, &candidate, &err) && candidate == pe) {
          found = k;
          break;
        }
      }
    }
    if (found == list.size()) return;
    if (i + 1 == path.size()) {
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(found));
      return;
    }
    walked.push_back(pe);
    InValue(list[found], path, i + 1, walked);
    walked.pop_back();
  }

  SchemaScope scope_;
};

}  // namespace

boost::json::object MergeAppliedConfig(const boost::json::object& live,
                                       const boost::json::object& applied,
                                       const SchemaScope& scope) {
  Merger merger(scope);
  FieldPath path;
  return merger.MergeObject(&live, applied, path);
}

void RemoveFieldPaths(boost::json::object& obj, const FieldSet& paths, const SchemaScope& scope) {
  Remover remover(scope);
  for (const FieldPath& path : paths.paths()) {
    if (path.empty()) continue;
    FieldPath walked;
    remover.InObject(obj, path, 0, walked);
  }
}

}  // namespace kc::api
