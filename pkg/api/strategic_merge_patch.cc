#include "pkg/api/strategic_merge_patch.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "pkg/api/field_set_path.h"  // JsonEqual
#include "pkg/api/patch_meta.h"

namespace kc::api {
namespace json = boost::json;

namespace {

constexpr std::string_view kPatchDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kSetOrderPrefix = "$setElementOrder/";
constexpr std::string_view kDeletePrimitivePrefix = "$deleteFromPrimitiveList/";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

Status NoMergeKey(const json::value& elem, std::string_view key) {
  return Status::BadRequest("map: " + json::serialize(elem) +
                            " does not contain declared merge key: " + std::string(key));
}

// The identity of a list element: the merge key's value for lists of maps, else the element.
const json::value* Identity(const json::value& v, std::string_view merge_key) {
  if (merge_key.empty()) return &v;
  const json::object* o = v.if_object();
  return o ? o->if_contains(merge_key) : nullptr;
}

// Position of the element matching `v`'s identity in `list`, -1 if none.
int IndexIn(const json::array& list, const json::value& v, std::string_view merge_key) {
  const json::value* id = Identity(v, merge_key);
  if (!id) return -1;
  for (size_t i = 0; i < list.size(); ++i) {
    const json::value* other = Identity(list[i], merge_key);
    if (other && JsonEqual(*id, *other)) return static_cast<int>(i);
  }
  return -1;
}

// Orders a merged list: elements named in `order` (the patch list or $setElementOrder) come in
// that order; the others ("server-only") keep their live order and are interleaved by their
// position in `server` (the live list), as upstream's normalizeElementOrder does.
json::array Order(const json::array& merged, const json::array& order, const json::array& server,
                  std::string_view merge_key) {
  struct Item {
    const json::value* value;
    int order_index;   // position in `order`, -1 if absent
    int server_index;  // position in `server`, -1 if absent
  };
  std::vector<Item> patch_items, server_only;
  for (const json::value& v : merged) {
    Item item{&v, IndexIn(order, v, merge_key), IndexIn(server, v, merge_key)};
    (item.order_index >= 0 ? patch_items : server_only).push_back(item);
  }
  std::stable_sort(patch_items.begin(), patch_items.end(),
                   [](const Item& a, const Item& b) { return a.order_index < b.order_index; });
  json::array out;
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    bool take_left = j >= patch_items.size();
    if (!take_left && i < server_only.size()) {
      int li = server_only[i].server_index, ri = patch_items[j].server_index;
      take_left = li >= 0 && ri >= 0 && li < ri;
    }
    out.push_back(*(take_left ? server_only[i++] : patch_items[j++]).value);
  }
  return out;
}

Status MergeMap(json::object& original, json::object& patch, std::string_view type);

// Merges `patch` into `original` for a list field described by `meta` (null: no rules).
Result<json::array> MergeList(json::array original, json::array patch, const PatchField* meta) {
  if (!meta || !meta->merge) return patch;  // replace
  if (original.empty() && patch.empty()) return original;
  bool maps = false, primitives = false;
  for (const json::array* list : {&original, &patch}) {
    for (const json::value& v : *list) {
      if (v.is_array()) return Status::Invalid("lists of lists are not supported");
      (v.is_object() ? maps : primitives) = true;
    }
  }
  if (maps && primitives) {
    return Status::BadRequest("list element types are not identical in " +
                              json::serialize(original) + " and " + json::serialize(patch));
  }
  if (primitives) {
    json::array merged;
    for (const json::array* list : {&original, &patch}) {
      for (const json::value& v : *list) {
        if (IndexIn(merged, v, "") < 0) merged.push_back(v);
      }
    }
    return Order(merged, patch, original, "");
  }

  std::string_view key = meta->merge_key;
  if (key.empty()) {
    return Status::BadRequest("cannot merge lists without merge key for " +
                              std::string(meta->field));
  }
  // Directive elements first: deletions by key, "replace" for the whole list.
  json::array plain;
  bool replace = false;
  for (json::value& v : patch) {
    json::object& elem = v.get_object();
    const json::value* d = elem.if_contains(kPatchDirective);
    if (!d) {
      plain.push_back(std::move(v));
      continue;
    }
    std::string_view dir = d->is_string() ? std::string_view(d->get_string()) : "";
    if (dir == "delete") {
      const json::value* id = elem.if_contains(key);
      if (!id) return NoMergeKey(v, key);
      original.erase(std::remove_if(original.begin(), original.end(),
                                    [&](const json::value& o) {
                                      const json::value* oid = Identity(o, key);
                                      return oid && JsonEqual(*oid, *id);
                                    }),
                     original.end());
    } else if (dir == "replace") {
      replace = true;
    } else if (dir != "merge") {
      return Status::BadRequest("unknown patch type: " + json::serialize(*d) +
                                " in map: " + json::serialize(v));
    }
  }
  if (replace) return plain;

  json::array order = plain;  // MergeMap below consumes the patch elements
  json::array merged = original;
  for (json::value& v : plain) {
    const json::value* id = v.get_object().if_contains(key);
    if (!id) return NoMergeKey(v, key);
    int at = IndexIn(merged, v, key);
    if (at >= 0) {
      if (Status s = MergeMap(merged[at].get_object(), v.get_object(), meta->value_type); !s.ok()) {
        return s;
      }
    } else {
      json::object fresh;
      if (Status s = MergeMap(fresh, v.get_object(), meta->value_type); !s.ok()) return s;
      merged.push_back(std::move(fresh));
    }
  }
  return Order(merged, order, original, key);
}

// Merges one patch value into `slot` (null when the original lacks the field). Maps and lists
// are merged even into a missing original so that directives never leak into the result.
Status MergeValue(json::value& slot, json::value& patch, const PatchField* meta) {
  std::string_view sub = meta ? meta->value_type : "";
  if (json::object* p = patch.if_object()) {
    json::object base = slot.is_object() ? std::move(slot.get_object()) : json::object();
    Status s = MergeMap(base, *p, sub);
    slot = std::move(base);
    return s;
  }
  if (json::array* p = patch.if_array()) {
    json::array base = slot.is_array() ? std::move(slot.get_array()) : json::array();
    auto merged = MergeList(std::move(base), std::move(*p), meta);
    if (!merged.ok()) return merged.status();
    slot = std::move(*merged);
    return Status::Ok();
  }
  slot = std::move(patch);
  return Status::Ok();
}

// validatePatchWithSetOrderList: the patch list must follow the $setElementOrder order.
Status CheckOrder(const json::array& patch_list, const json::array& order,
                  std::string_view merge_key) {
  size_t pi = 0, si = 0;
  std::vector<const json::value*> items;
  for (const json::value& v : patch_list) {
    if (!v.is_object() || !v.get_object().contains(kPatchDirective)) items.push_back(&v);
  }
  while (pi < items.size() && si < order.size()) {
    const json::value* a = Identity(*items[pi], merge_key);
    const json::value* b = Identity(order[si], merge_key);
    if (a && b && JsonEqual(*a, *b)) ++pi;
    ++si;
  }
  if (pi < items.size()) {
    return Status::BadRequest("The order in patch list:\n" + json::serialize(patch_list) +
                              "\n doesn't match $setElementOrder list:\n" + json::serialize(order) +
                              "\n");
  }
  return Status::Ok();
}

// Handles every "$setElementOrder/<field>" of `patch`: merges <field> now, in the given order,
// and removes both keys from `patch`.
Status ApplySetElementOrder(json::object& original, json::object& patch, std::string_view type) {
  std::vector<std::string> keys;
  for (const auto& kv : patch) {
    if (StartsWith(kv.key(), kSetOrderPrefix)) keys.emplace_back(kv.key());
  }
  for (const std::string& k : keys) {
    std::string field = k.substr(kSetOrderPrefix.size());
    json::value order_v = std::move(patch[k]);
    patch.stable_erase(k);
    if (!order_v.is_array()) {
      return Status::BadRequest("invalid patch format of setElementOrder list");
    }
    const json::array& order = order_v.get_array();
    json::value* ov = original.if_contains(field);
    json::value* pv = patch.if_contains(field);
    bool has_original = ov && ov->is_array();
    bool has_patch = pv && pv->is_array();
    if (!has_patch && pv) continue;  // null or a scalar: the main merge handles it
    if (!has_original && !has_patch) continue;
    const PatchField* meta = LookupPatchField(type, field);
    std::string_view merge_key = meta ? meta->merge_key : "";
    json::array server = has_original ? ov->get_array() : json::array();
    json::array merged = server;
    if (has_patch) {
      if (Status s = CheckOrder(pv->get_array(), order, merge_key); !s.ok()) return s;
      auto m = MergeList(std::move(merged), std::move(pv->get_array()), meta);
      if (!m.ok()) return m.status();
      merged = std::move(*m);
      patch.stable_erase(field);
    }
    original[field] = Order(merged, order, server, merge_key);
  }
  return Status::Ok();
}

Status ApplyRetainKeys(json::object& original, json::object& patch) {
  const json::value* rk = patch.if_contains(kRetainKeys);
  if (!rk) return Status::Ok();
  if (!rk->is_array()) return Status::BadRequest("invalid patch format of retainKeys");
  const json::array& keep = rk->get_array();
  auto kept = [&](std::string_view k) {
    return std::any_of(keep.begin(), keep.end(),
                       [&](const json::value& v) { return v.is_string() && v.get_string() == k; });
  };
  for (const auto& kv : patch) {
    if (kv.value().is_null() || kv.key() == kRetainKeys || StartsWith(kv.key(), kSetOrderPrefix) ||
        StartsWith(kv.key(), kDeletePrimitivePrefix)) {
      continue;
    }
    if (!kept(kv.key())) return Status::BadRequest("invalid patch format of retainKeys");
  }
  for (auto it = original.begin(); it != original.end();) {
    it = kept(it->key()) ? it + 1 : original.stable_erase(it);
  }
  patch.stable_erase(kRetainKeys);
  return Status::Ok();
}

Status MergeMap(json::object& original, json::object& patch, std::string_view type) {
  if (const json::value* d = patch.if_contains(kPatchDirective)) {
    std::string_view dir = d->is_string() ? std::string_view(d->get_string()) : "";
    if (dir == "delete") {
      original.clear();
      return Status::Ok();
    }
    if (dir == "replace") {
      patch.stable_erase(kPatchDirective);
      original = std::move(patch);
      return Status::Ok();
    }
    if (dir != "merge") {
      return Status::BadRequest("unknown patch type: " + json::serialize(*d) +
                                " in map: " + json::serialize(patch));
    }
    patch.stable_erase(kPatchDirective);
  }
  if (Status s = ApplyRetainKeys(original, patch); !s.ok()) return s;
  if (Status s = ApplySetElementOrder(original, patch, type); !s.ok()) return s;
  for (auto& kv : patch) {
    std::string_view key = kv.key();
    if (StartsWith(key, kDeletePrimitivePrefix)) {
      json::value* list = original.if_contains(key.substr(kDeletePrimitivePrefix.size()));
      if (!list || !list->is_array()) continue;
      if (!kv.value().is_array())
        return Status::BadRequest("invalid patch format of primitive list");
      json::array& items = list->get_array();
      const json::array& drop = kv.value().get_array();
      items.erase(std::remove_if(items.begin(), items.end(),
                                 [&](const json::value& v) { return IndexIn(drop, v, "") >= 0; }),
                  items.end());
      continue;
    }
    if (kv.value().is_null()) {
      original.stable_erase(key);
      continue;
    }
    json::value slot;
    if (json::value* existing = original.if_contains(key)) slot = std::move(*existing);
    if (Status s = MergeValue(slot, kv.value(), LookupPatchField(type, key)); !s.ok()) return s;
    original[key] = std::move(slot);
  }
  return Status::Ok();
}

// ---- two-way diff (CreateStrategicMergePatch) ----

void DiffMaps(const json::object& original, const json::object& modified, std::string_view type,
              json::object* out);

json::array SortedKeys(const json::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  std::sort(keys.begin(), keys.end());
  json::array out;
  for (auto& k : keys) out.emplace_back(k);
  return out;
}

// Diffs a merge list into `out`; returns false when the lists cannot be merged (mixed or nested
// elements, elements without the merge key) so that the caller replaces the list instead.
bool DiffList(const json::array& original, const json::array& modified, const PatchField& meta,
              json::object* out) {
  std::string field(meta.field);
  bool maps = false, primitives = false;
  for (const json::array* list : {&original, &modified}) {
    for (const json::value& v : *list) {
      if (v.is_array()) return false;
      (v.is_object() ? maps : primitives) = true;
      if (v.is_object() && !Identity(v, meta.merge_key)) return false;
    }
  }
  if (maps && primitives) return false;
  std::string_view key = maps ? meta.merge_key : "";
  if (maps && key.empty()) return false;
  json::array items, deleted, order;
  for (const json::value& m : modified) {
    int at = IndexIn(original, m, key);
    if (maps) {
      order.push_back(json::object{{key, *Identity(m, key)}});
      if (at < 0) {
        items.push_back(m);
        continue;
      }
      json::object d;
      DiffMaps(original[at].get_object(), m.get_object(), meta.value_type, &d);
      if (d.empty()) continue;
      if (meta.retain_keys) d[kRetainKeys] = SortedKeys(m.get_object());
      d[key] = *Identity(m, key);
      items.push_back(std::move(d));
    } else {
      order.push_back(m);
      if (at < 0) items.push_back(m);
    }
  }
  for (const json::value& o : original) {
    if (IndexIn(modified, o, key) >= 0) continue;
    if (maps) {
      items.push_back(json::object{{key, *Identity(o, key)}, {kPatchDirective, "delete"}});
    } else {
      deleted.push_back(o);
    }
  }
  if (!items.empty()) (*out)[field] = std::move(items);
  if (!deleted.empty()) (*out)[std::string(kDeletePrimitivePrefix) + field] = std::move(deleted);
  (*out)[std::string(kSetOrderPrefix) + field] = std::move(order);
  return true;
}

void DiffMaps(const json::object& original, const json::object& modified, std::string_view type,
              json::object* out) {
  for (const auto& kv : original) {
    if (!modified.contains(kv.key())) (*out)[kv.key()] = nullptr;
  }
  for (const auto& kv : modified) {
    const json::value* before = original.if_contains(kv.key());
    if (before && JsonEqual(*before, kv.value())) continue;
    const PatchField* meta = LookupPatchField(type, kv.key());
    if (before && before->is_object() && kv.value().is_object()) {
      json::object sub;
      DiffMaps(before->get_object(), kv.value().get_object(), meta ? meta->value_type : "", &sub);
      if (meta && meta->retain_keys) sub[kRetainKeys] = SortedKeys(kv.value().get_object());
      if (!sub.empty()) (*out)[kv.key()] = std::move(sub);
      continue;
    }
    if (before && before->is_array() && kv.value().is_array() && meta && meta->merge &&
        DiffList(before->get_array(), kv.value().get_array(), *meta, out)) {
      continue;
    }
    (*out)[kv.key()] = kv.value();
  }
}

}  // namespace

Status ApplyStrategicMergePatch(json::value& target, const json::value& patch,
                                std::string_view group, std::string_view kind) {
  if (!patch.is_object()) {
    return Status::BadRequest("strategic merge patch must be a JSON object, got " +
                              json::serialize(patch).substr(0, 64));
  }
  json::object work = target.is_object() ? target.get_object() : json::object();
  json::object p = patch.get_object();
  if (Status s = MergeMap(work, p, PatchRootType(group, kind)); !s.ok()) return s;
  target = std::move(work);
  return Status::Ok();
}

Result<json::value> CreateStrategicMergePatch(const json::value& original,
                                              const json::value& modified, std::string_view group,
                                              std::string_view kind) {
  if (!original.is_object() || !modified.is_object()) {
    return Status::BadRequest("strategic merge patches can only be created between JSON objects");
  }
  json::object patch;
  DiffMaps(original.get_object(), modified.get_object(), PatchRootType(group, kind), &patch);
  return json::value(std::move(patch));
}

}  // namespace kc::api
