// Helpers for the controllers' tests (tests only): building objects with ownerReferences and
// polling for an eventual condition.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/client.h"
#include "pkg/client/indexer.h"

namespace kc::controllers::testing {

inline const client::ResourceRef kPods{"", "v1", "pods"};
inline const client::ResourceRef kConfigMaps{"", "v1", "configmaps"};
inline const client::ResourceRef kNamespacesRes{"", "v1", "namespaces"};
inline const client::ResourceRef kReplicaSets{"apps", "v1", "replicasets"};
inline const client::ResourceRef kDeployments{"apps", "v1", "deployments"};
inline const client::ResourceRef kRoles{"rbac.authorization.k8s.io", "v1", "roles"};
inline const client::ResourceRef kCoreEvents{"", "v1", "events"};

// Polls `cond` every 10 ms until it holds or `timeout` passed; returns its last value.
inline bool WaitFor(const std::function<bool()>& cond,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

inline boost::json::object OwnerRefJson(const client::Object& owner, bool block) {
  boost::json::object r;
  r["apiVersion"] = owner.at("apiVersion");
  r["kind"] = owner.at("kind");
  r["name"] = client::ObjectMetaString(owner, "name");
  r["uid"] = client::ObjectMetaString(owner, "uid");
  r["controller"] = true;
  r["blockOwnerDeletion"] = block;
  return r;
}

inline boost::json::object MakeObject(const std::string& api_version, const std::string& kind,
                                      const std::string& ns, const std::string& name,
                                      std::vector<boost::json::object> owners = {},
                                      std::vector<std::string> finalizers = {}) {
  boost::json::object meta;
  meta["name"] = name;
  if (!ns.empty()) meta["namespace"] = ns;
  if (!owners.empty()) {
    boost::json::array refs;
    for (auto& o : owners) refs.push_back(std::move(o));
    meta["ownerReferences"] = std::move(refs);
  }
  if (!finalizers.empty()) {
    boost::json::array fin;
    for (const std::string& f : finalizers) fin.emplace_back(f);
    meta["finalizers"] = std::move(fin);
  }
  boost::json::object obj;
  obj["apiVersion"] = api_version;
  obj["kind"] = kind;
  obj["metadata"] = std::move(meta);
  return obj;
}

}  // namespace kc::controllers::testing
