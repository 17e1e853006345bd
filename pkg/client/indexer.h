// Indexer: the cache behind a SharedInformer. Holds the latest state of every object by key
// ("namespace/name", or "name" for cluster-scoped objects) plus named secondary indexes, e.g.
// "namespace" → keys, or "spec.nodeName" → pod keys.
//
// Objects are shared immutable snapshots (`shared_ptr<const Object>`): readers may keep them
// after the cache moved on, and must copy before changing one.
//
// Thread-safety: every method is safe from any thread (readers share a lock; the informer's
// thread is the only writer in practice).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "pkg/client/client.h"

namespace kc::client {

using ObjectPtr = std::shared_ptr<const Object>;
// The index values of one object (an object may sit under several values, or none).
using IndexFunc = std::function<std::vector<std::string>(const Object&)>;

// "ns/name" or "name" from the object's metadata.
std::string ObjectKey(const Object& obj);
// Splits a key into namespace ("" for cluster-scoped keys) and name.
void SplitObjectKey(const std::string& key, std::string* ns, std::string* name);
// metadata.<field> as a string ("" when absent).
std::string ObjectMetaString(const Object& obj, const char* field);

// The index every informer has: by metadata.namespace.
inline constexpr const char kNamespaceIndex[] = "namespace";
std::vector<std::string> NamespaceIndexFunc(const Object& obj);

class Indexer {
 public:
  // Adds an index; objects already stored are indexed at once. Replaces an index of that name.
  void AddIndex(const std::string& name, IndexFunc fn);

  ObjectPtr Get(const std::string& key) const;
  std::vector<ObjectPtr> List() const;
  std::vector<std::string> ListKeys() const;
  size_t Size() const;
  // Objects whose index `index_name` yields `value` (empty for an unknown index).
  std::vector<ObjectPtr> ByIndex(const std::string& index_name, const std::string& value) const;
  std::vector<std::string> IndexKeys(const std::string& index_name, const std::string& value) const;

  // Writers. Return the previous object under the key (nullptr if none).
  ObjectPtr Upsert(const std::string& key, ObjectPtr obj);
  ObjectPtr Remove(const std::string& key);
  // A copy of the key → object map (for computing a relist's diff).
  std::map<std::string, ObjectPtr> Snapshot() const;

 private:
  void IndexLocked(const std::string& key, const Object& obj, bool add);

  mutable std::shared_mutex mu_;
  // Guarded by mu_.
  std::map<std::string, ObjectPtr> items_;
  std::map<std::string, IndexFunc> index_funcs_;
  // index name → value → keys.
  std::map<std::string, std::unordered_map<std::string, std::set<std::string>>> indexes_;
};

}  // namespace kc::client
