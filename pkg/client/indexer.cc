#include "pkg/client/indexer.h"

#include <mutex>

namespace kc::client {

std::string ObjectMetaString(const Object& obj, const char* field) {
  const boost::json::value* m = obj.if_contains("metadata");
  if (!m || !m->is_object()) return "";
  const boost::json::value* v = m->get_object().if_contains(field);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

std::string ObjectKey(const Object& obj) {
  std::string ns = ObjectMetaString(obj, "namespace");
  std::string name = ObjectMetaString(obj, "name");
  return ns.empty() ? name : ns + "/" + name;
}

void SplitObjectKey(const std::string& key, std::string* ns, std::string* name) {
  size_t slash = key.find('/');
  if (slash == std::string::npos) {
    ns->clear();
    *name = key;
    return;
  }
  *ns = key.substr(0, slash);
  *name = key.substr(slash + 1);
}

std::vector<std::string> NamespaceIndexFunc(const Object& obj) {
  std::string ns = ObjectMetaString(obj, "namespace");
  if (ns.empty()) return {};
  return {ns};
}

void Indexer::AddIndex(const std::string& name, IndexFunc fn) {
  std::unique_lock<std::shared_mutex> l(mu_);
  index_funcs_[name] = std::move(fn);
  auto& index = indexes_[name];
  index.clear();
  const IndexFunc& f = index_funcs_[name];
  for (const auto& [key, obj] : items_) {
    for (const std::string& v : f(*obj)) index[v].insert(key);
  }
}

ObjectPtr Indexer::Get(const std::string& key) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  auto it = items_.find(key);
  return it == items_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Indexer::List() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  std::vector<ObjectPtr> out;
  out.reserve(items_.size());
  for (const auto& [key, obj] : items_) out.push_back(obj);
  return out;
}

std::vector<std::string> Indexer::ListKeys() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const auto& [key, obj] : items_) out.push_back(key);
  return out;
}

size_t Indexer::Size() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return items_.size();
}

std::vector<std::string> Indexer::IndexKeys(const std::string& index_name,
                                            const std::string& value) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  auto idx = indexes_.find(index_name);
  if (idx == indexes_.end()) return {};
  auto it = idx->second.find(value);
  if (it == idx->second.end()) return {};
  return std::vector<std::string>(it->second.begin(), it->second.end());
}

std::vector<ObjectPtr> Indexer::ByIndex(const std::string& index_name,
                                        const std::string& value) const {
  std::shared_lock<std::shared_mutex> l(mu_);
  std::vector<ObjectPtr> out;
  auto idx = indexes_.find(index_name);
  if (idx == indexes_.end()) return out;
  auto it = idx->second.find(value);
  if (it == idx->second.end()) return out;
  for (const std::string& key : it->second) {
    auto obj = items_.find(key);
    if (obj != items_.end()) out.push_back(obj->second);
  }
  return out;
}

void Indexer::IndexLocked(const std::string& key, const Object& obj, bool add) {
  for (const auto& [name, fn] : index_funcs_) {
    auto& index = indexes_[name];
    for (const std::string& v : fn(obj)) {
      if (add) {
        index[v].insert(key);
        continue;
      }
      auto it = index.find(v);
      if (it == index.end()) continue;
      it->second.erase(key);
      if (it->second.empty()) index.erase(it);
    }
  }
}

ObjectPtr Indexer::Upsert(const std::string& key, ObjectPtr obj) {
  std::unique_lock<std::shared_mutex> l(mu_);
  ObjectPtr old;
  auto it = items_.find(key);
  if (it != items_.end()) {
    old = it->second;
    IndexLocked(key, *old, false);
  }
  IndexLocked(key, *obj, true);
  items_[key] = std::move(obj);
  return old;
}

ObjectPtr Indexer::Remove(const std::string& key) {
  std::unique_lock<std::shared_mutex> l(mu_);
  auto it = items_.find(key);
  if (it == items_.end()) return nullptr;
  ObjectPtr old = it->second;
  IndexLocked(key, *old, false);
  items_.erase(it);
  return old;
}

std::map<std::string, ObjectPtr> Indexer::Snapshot() const {
  std::shared_lock<std::shared_mutex> l(mu_);
  return items_;
}

}  // namespace kc::client
