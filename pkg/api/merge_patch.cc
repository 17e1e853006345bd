#include "pkg/api/merge_patch.h"

#include <boost/json/object.hpp>

namespace kc::api {
namespace json = boost::json;

void ApplyMergePatch(json::value& target, const json::value& patch) {
  const json::object* p = patch.if_object();
  if (!p) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  json::object& t = target.get_object();
  for (const auto& kv : *p) {
    if (kv.value().is_null()) {
      t.stable_erase(kv.key());
    } else {
      ApplyMergePatch(t[kv.key()], kv.value());
    }
  }
}

json::value CreateMergePatch(const json::value& original, const json::value& modified) {
  const json::object* o = original.if_object();
  const json::object* m = modified.if_object();
  if (!o || !m) return modified;
  json::object patch;
  for (const auto& kv : *o) {
    if (!m->contains(kv.key())) patch[kv.key()] = nullptr;
  }
  for (const auto& kv : *m) {
    const json::value* before = o->if_contains(kv.key());
    if (!before) {
      patch[kv.key()] = kv.value();
    } else if (*before != kv.value()) {
      if (before->is_object() && kv.value().is_object()) {
        patch[kv.key()] = CreateMergePatch(*before, kv.value());
      } else {
        patch[kv.key()] = kv.value();
      }
    }
  }
  return patch;
}

}  // namespace kc::api
