#include "pkg/api/field_set_compare.h"

#include <map>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "pkg/api/field_set_schema.h"

namespace kc::api {
namespace {

class Comparer {
 public:
  explicit Comparer(SchemaScope scope) : scope_(scope) {}

  void CompareMaps(const boost::json::object* lhs, const boost::json::object* rhs, FieldPath& path,
                   bool is_item) {
    bool lempty = lhs == nullptr || lhs->empty();
    bool rempty = rhs == nullptr || rhs->empty();
    if (!path.empty() && ((lempty && rempty) || IsAtomicMapAt(scope_, path))) {
      LeafCopies<boost::json::object>(lhs, rhs, path);
      return;
    }
    if (!path.empty() && (is_item || IsMapTypedAt(scope_, path))) {
      if (lhs == nullptr && rhs != nullptr) result_.added.Insert(path);
      if (lhs != nullptr && rhs == nullptr) result_.removed.Insert(path);
    }
    if (rhs != nullptr) {
      for (const auto& kv : *rhs) {
        const boost::json::value* l = nullptr;
        if (lhs != nullptr) {
          auto it = lhs->find(kv.key());
          if (it != lhs->end()) l = &it->value();
        }
        path.push_back(PathElement::Field(std::string(kv.key())));
        Compare(l, &kv.value(), path);
        path.pop_back();
      }
    }
    if (lhs != nullptr) {
      for (const auto& kv : *lhs) {
        if (rhs != nullptr && rhs->contains(kv.key())) continue;
        path.push_back(PathElement::Field(std::string(kv.key())));
        Compare(&kv.value(), nullptr, path);
        path.pop_back();
      }
    }
  }

  FieldSetComparison& result() { return result_; }

 private:
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
      LeafCopies<boost::json::array>(lhs, rhs, path);
      return;
    }
    std::map<PathElement, size_t> lindex;
    for (size_t i = 0; i < lpes.size(); ++i) lindex.emplace(lpes[i], i);
    std::map<PathElement, size_t> rindex;
    for (size_t i = 0; i < rpes.size(); ++i) {
      rindex.emplace(rpes[i], i);
      auto it = lindex.find(rpes[i]);
      const boost::json::value* l = it == lindex.end() ? nullptr : &(*lhs)[it->second];
      path.push_back(rpes[i]);
      CompareItem(l, &(*rhs)[i], path);
      path.pop_back();
    }
    for (size_t i = 0; i < lpes.size(); ++i) {
      if (rindex.count(lpes[i])) continue;
      path.push_back(lpes[i]);
      CompareItem(&(*lhs)[i], nullptr, path);
      path.pop_back();
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
  template <typename T>
  void LeafCopies(const T* lhs, const T* rhs, FieldPath& path) {
    boost::json::value l, r;
    if (lhs != nullptr) l = *lhs;
    if (rhs != nullptr) r = *rhs;
    Leaf(lhs ? &l : nullptr, rhs ? &r : nullptr, path);
  }

  void Leaf(const boost::json::value* lhs, const boost::json::value* rhs, FieldPath& path) {
    if (lhs == nullptr && rhs != nullptr) {
      result_.added.Insert(path);
    } else if (lhs != nullptr && rhs == nullptr) {
      result_.removed.Insert(path);
    } else if (lhs != nullptr && rhs != nullptr && !JsonEqual(*lhs, *rhs)) {
      result_.modified.Insert(path);
    }
  }

  SchemaScope scope_;
  FieldSetComparison result_;
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
  Comparer comparer(SchemaScope{group, kind});
  FieldPath path;
  comparer.CompareMaps(old_obj, new_obj, path, /*is_item=*/false);
  return std::move(comparer.result());
}

}  // namespace kc::api
