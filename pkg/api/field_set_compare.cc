#include "pkg/api/field_set_compare.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "pkg/api/field_set_schema.h"

namespace kc::api {
namespace {

// Walks two versions of an object side by side (upstream's typed.Comparison walk) and reports
// each differing path to `Sink`, which provides:
//   void Enter(const PathElement&);  void Leave();   // the walk descends / returns
//   void Added(const FieldPath&);  void Removed(const FieldPath&);  void Modified(const FieldPath&);
template <typename Sink>
class Comparer {
 public:
  Comparer(SchemaScope scope, Sink& sink) : scope_(scope), sink_(sink) {}

  void CompareMaps(const boost::json::object* lhs, const boost::json::object* rhs, FieldPath& path,
                   bool is_item) {
    bool lempty = lhs == nullptr || lhs->empty();
    bool rempty = rhs == nullptr || rhs->empty();
    if (!path.empty() && ((lempty && rempty) || IsAtomicMapAt(scope_, path))) {
      LeafMaps(lhs, rhs, path);
      return;
    }
    if (!path.empty() && (is_item || IsMapTypedAt(scope_, path))) {
      if (lhs == nullptr && rhs != nullptr) sink_.Added(path);
      if (lhs != nullptr && rhs == nullptr) sink_.Removed(path);
    }
    if (rhs != nullptr) {
      for (const auto& kv : *rhs) {
        const boost::json::value* l = nullptr;
        if (lhs != nullptr) {
          auto it = lhs->find(kv.key());
          if (it != lhs->end()) l = &it->value();
        }
        Enter(path, PathElement::Field(std::string(kv.key())));
        Compare(l, &kv.value(), path);
        Leave(path);
      }
    }
    if (lhs != nullptr) {
      for (const auto& kv : *lhs) {
        if (rhs != nullptr && rhs->contains(kv.key())) continue;
        Enter(path, PathElement::Field(std::string(kv.key())));
        Compare(&kv.value(), nullptr, path);
        Leave(path);
      }
    }
  }

 private:
  void Enter(FieldPath& path, PathElement pe) {
    sink_.Enter(pe);
    path.push_back(std::move(pe));
  }
  void Leave(FieldPath& path) {
    sink_.Leave();
    path.pop_back();
  }

  void Compare(const boost::json::value* lhs, const boost::json::value* rhs, FieldPath& path) {
    bool l_obj = lhs == nullptr || lhs->is_object();
    bool r_obj = rhs == nullptr || rhs->is_object();
    if (l_obj && r_obj) {
      CompareMaps(lhs ? &lhs->get_object() : nullptr, rhs ? &rhs->get_object() : nullptr, path,
                  /*is_item=*/false);
      return;
    }
    bool l_arr = lhs == nullptr || lhs->is_array();
    bool r_arr = rhs == nullptr || rhs->is_array();
    if (l_arr && r_arr) {
      CompareLists(lhs ? &lhs->get_array() : nullptr, rhs ? &rhs->get_array() : nullptr, path);
      return;
    }
    Leaf(lhs, rhs, path);
  }

  void CompareLists(const boost::json::array* lhs, const boost::json::array* rhs,
                    FieldPath& path) {
    ListShape shape = ListShapeAt(scope_, path);
    bool lempty = lhs == nullptr || lhs->empty();
    bool rempty = rhs == nullptr || rhs->empty();
    std::vector<PathElement> lpes, rpes;
    std::string err;
    if (shape.type == ListType::kAtomic || (lempty && rempty) ||
        (lhs != nullptr && !IndexListItems(shape, *lhs, &lpes, &err)) ||
        (rhs != nullptr && !IndexListItems(shape, *rhs, &rpes, &err))) {
      LeafLists(lhs, rhs, path);
      return;
    }
    std::map<PathElement, size_t> lindex;
    for (size_t i = 0; i < lpes.size(); ++i) lindex.emplace(lpes[i], i);
    std::map<PathElement, size_t> rindex;
    for (size_t i = 0; i < rpes.size(); ++i) {
      if (lhs != nullptr) rindex.emplace(rpes[i], i);
      auto it = lindex.find(rpes[i]);
      const boost::json::value* l = it == lindex.end() ? nullptr : &(*lhs)[it->second];
      Enter(path, std::move(rpes[i]));
      CompareItem(l, &(*rhs)[i], path);
      Leave(path);
    }
    for (size_t i = 0; i < lpes.size(); ++i) {
      if (rindex.count(lpes[i])) continue;
      Enter(path, lpes[i]);
      CompareItem(&(*lhs)[i], nullptr, path);
      Leave(path);
    }
  }

  void CompareItem(const boost::json::value* lhs, const boost::json::value* rhs,
                   FieldPath& path) {
    bool l_obj = lhs == nullptr || lhs->is_object();
    bool r_obj = rhs == nullptr || rhs->is_object();
    if (l_obj && r_obj) {
      CompareMaps(lhs ? &lhs->get_object() : nullptr, rhs ? &rhs->get_object() : nullptr, path,
                  /*is_item=*/true);
      return;
    }
    Leaf(lhs, rhs, path);
  }

  // A map or list compared as one value.
  void LeafMaps(const boost::json::object* lhs, const boost::json::object* rhs, FieldPath& path) {
    if (lhs != nullptr && rhs != nullptr) {
      if (!JsonEqual(*lhs, *rhs)) sink_.Modified(path);
      return;
    }
    Presence(lhs != nullptr, rhs != nullptr, path);
  }
  void LeafLists(const boost::json::array* lhs, const boost::json::array* rhs, FieldPath& path) {
    if (lhs != nullptr && rhs != nullptr) {
      boost::json::value l(*lhs), r(*rhs);
      if (!JsonEqual(l, r)) sink_.Modified(path);
      return;
    }
    Presence(lhs != nullptr, rhs != nullptr, path);
  }
  void Presence(bool in_lhs, bool in_rhs, FieldPath& path) {
    if (!in_lhs && in_rhs) sink_.Added(path);
    if (in_lhs && !in_rhs) sink_.Removed(path);
  }

  void Leaf(const boost::json::value* lhs, const boost::json::value* rhs, FieldPath& path) {
    if (lhs != nullptr && rhs != nullptr) {
      if (!JsonEqual(*lhs, *rhs)) sink_.Modified(path);
      return;
    }
    Presence(lhs != nullptr, rhs != nullptr, path);
  }

  SchemaScope scope_;
  Sink& sink_;
};

// Collects the three FieldSets of a FieldSetComparison.
class SetSink {
 public:
  void Enter(const PathElement&) {}
  void Leave() {}
  void Added(const FieldPath& path) { result_.added.Insert(path); }
  void Removed(const FieldPath& path) { result_.removed.Insert(path); }
  void Modified(const FieldPath& path) { result_.modified.Insert(path); }
  FieldSetComparison& result() { return result_; }

 private:
  FieldSetComparison result_;
};

// Builds the FieldsV1 tree of the added paths as the walk goes, one node per path element,
// without copying paths into a set. The walk enters every element once (the old object is
// absent), so a child is simply appended; children are put in upstream's order on output.
class TrieSink {
 public:
  TrieSink() { stack_.push_back(&root_); }
  void Enter(const PathElement& pe) {
    auto& children = stack_.back()->children;
    children.push_back(std::make_unique<Node>(pe));
    stack_.push_back(children.back().get());
  }
  void Leave() { stack_.pop_back(); }
  void Added(const FieldPath&) { stack_.back()->member = true; }
  void Removed(const FieldPath&) {}
  void Modified(const FieldPath&) {}

  // Leaves `path` out (its descendants stay).
  void Unmark(const FieldPath& path) {
    if (Node* n = Find(path, nullptr)) n->member = false;
  }
  // Leaves `path` and everything beneath it out.
  void Drop(const FieldPath& path) {
    Node* parent = nullptr;
    if (Node* n = Find(path, &parent); n != nullptr && parent != nullptr) {
      auto& c = parent->children;
      c.erase(std::find_if(c.begin(), c.end(), [n](const auto& p) { return p.get() == n; }));
    }
  }

  boost::json::object Emit() {
    boost::json::object out;
    root_.member = false;
    EmitNode(root_, out);
    return out;
  }

 private:
  struct Node {
    explicit Node(const PathElement& e) : pe(e) {}
    PathElement pe;
    bool member = false;
    std::vector<std::unique_ptr<Node>> children;
  };

  Node* Find(const FieldPath& path, Node** parent) {
    Node* node = &root_;
    for (const PathElement& pe : path) {
      Node* next = nullptr;
      for (const auto& child : node->children) {
        if (child->pe == pe) next = child.get();
      }
      if (next == nullptr) return nullptr;
      if (parent != nullptr) *parent = node;
      node = next;
    }
    return node;
  }

  // Writes the node's FieldsV1 into `out`; false when its subtree holds no member (a node only
  // entered, like an empty keyed list, says nothing). "." comes first, as upstream writes it.
  static bool EmitNode(Node& node, boost::json::object& out) {
    std::sort(node.children.begin(), node.children.end(),
              [](const auto& a, const auto& b) { return a->pe < b->pe; });
    if (node.member) out.emplace(".", boost::json::object());
    bool any_child = false;
    for (const auto& c : node.children) {
      boost::json::object sub;
      if (EmitNode(*c, sub)) {
        out.emplace(c->pe.ToFieldsV1Key(), std::move(sub));
        any_child = true;
      }
    }
    if (node.member && !any_child) out.erase(".");  // a leaf is just {}
    return node.member || any_child;
  }

  Node root_{PathElement::Field("")};
  std::vector<Node*> stack_;
};

}  // namespace

void FieldSetComparison::Filter(const FieldSet& prefixes) {
  added = added.RecursiveDifference(prefixes);
  modified = modified.RecursiveDifference(prefixes);
  removed = removed.RecursiveDifference(prefixes);
}

FieldSetComparison CompareObjects(const boost::json::object* old_obj,
                                  const boost::json::object* new_obj, std::string_view group,
                                  std::string_view kind) {
  SetSink sink;
  Comparer<SetSink> comparer(SchemaScope{group, kind}, sink);
  FieldPath path;
  comparer.CompareMaps(old_obj, new_obj, path, /*is_item=*/false);
  return std::move(sink.result());
}

boost::json::object AddedFieldsV1(const boost::json::object& obj, std::string_view group,
                                  std::string_view kind, const FieldSet& without,
                                  const FieldSet& without_beneath) {
  TrieSink sink;
  Comparer<TrieSink> comparer(SchemaScope{group, kind}, sink);
  FieldPath path;
  comparer.CompareMaps(nullptr, &obj, path, /*is_item=*/false);
  for (const FieldPath& p : without_beneath.paths()) sink.Drop(p);
  for (const FieldPath& p : without.paths()) sink.Unmark(p);
  return sink.Emit();
}

}  // namespace kc::api
