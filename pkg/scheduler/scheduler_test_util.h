// Builders for the scheduler's tests (tests only): Node and Pod objects with the fields the
// plugins read, and NodeInfos with pods on them.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pkg/client/indexer.h"
#include "pkg/scheduler/node_info.h"

namespace kc::scheduler::testing {

inline boost::json::value J(const std::string& text) { return boost::json::parse(text); }

struct NodeSpec {
  std::string name = "n1";
  std::string cpu = "4";
  std::string memory = "8Gi";
  std::string pods = "110";
  std::string ephemeral = "100Gi";
  std::string labels = "{}";  // JSON object
  std::string taints = "[]";  // JSON array
  bool unschedulable = false;
  std::string ready = "True";  // "" = no conditions
};

inline client::ObjectPtr MakeNode(const NodeSpec& s) {
  boost::json::object node;
  node["apiVersion"] = "v1";
  node["kind"] = "Node";
  boost::json::value label_doc = J(s.labels);
  boost::json::object labels = label_doc.as_object();
  labels["kubernetes.io/hostname"] = s.name;
  node["metadata"] = boost::json::object{{"name", s.name}, {"labels", labels}};
  boost::json::object spec;
  if (s.unschedulable) spec["unschedulable"] = true;
  boost::json::value taint_doc = J(s.taints);
  const boost::json::array& taints = taint_doc.as_array();
  if (!taints.empty()) spec["taints"] = taints;
  node["spec"] = spec;
  boost::json::object alloc{
      {"cpu", s.cpu}, {"memory", s.memory}, {"pods", s.pods}, {"ephemeral-storage", s.ephemeral}};
  boost::json::object status{{"allocatable", alloc}, {"capacity", alloc}};
  if (!s.ready.empty()) {
    status["conditions"] = boost::json::array{
        boost::json::object{{"type", "Ready"}, {"status", s.ready}, {"reason", "KubeletReady"}}};
  }
  node["status"] = status;
  return std::make_shared<const client::Object>(std::move(node));
}

struct PodSpec {
  std::string name = "p";
  std::string ns = "default";
  std::string cpu = "";     // "" = no request
  std::string memory = "";  // "" = no request
  std::string node_name = "";
  std::string labels = "{}";
  std::string extra_spec = "{}";  // merged into spec
  std::string owner_uid = "";     // controller ownerReference uid
  int host_port = 0;
  std::string uid = "";  // "" = "uid-<name>"
};

inline client::ObjectPtr MakePod(const PodSpec& s) {
  boost::json::object pod;
  pod["apiVersion"] = "v1";
  pod["kind"] = "Pod";
  boost::json::object meta{{"name", s.name},
                           {"namespace", s.ns},
                           {"uid", s.uid.empty() ? "uid-" + s.name : s.uid},
                           {"labels", J(s.labels)}};
  if (!s.owner_uid.empty()) {
    meta["ownerReferences"] = boost::json::array{boost::json::object{{"apiVersion", "apps/v1"},
                                                                     {"kind", "ReplicaSet"},
                                                                     {"name", "rs"},
                                                                     {"uid", s.owner_uid},
                                                                     {"controller", true}}};
  }
  pod["metadata"] = meta;
  boost::json::object container{{"name", "c"}, {"image", "nginx"}};
  boost::json::object requests;
  if (!s.cpu.empty()) requests["cpu"] = s.cpu;
  if (!s.memory.empty()) requests["memory"] = s.memory;
  if (!requests.empty()) container["resources"] = boost::json::object{{"requests", requests}};
  if (s.host_port) {
    container["ports"] =
        boost::json::array{boost::json::object{{"containerPort", 80}, {"hostPort", s.host_port}}};
  }
  boost::json::object spec{{"containers", boost::json::array{container}}};
  if (!s.node_name.empty()) spec["nodeName"] = s.node_name;
  boost::json::value extra = J(s.extra_spec);
  for (const auto& [k, v] : extra.as_object()) spec[k] = v;
  pod["spec"] = spec;
  pod["status"] = boost::json::object{{"phase", "Pending"}};
  return std::make_shared<const client::Object>(std::move(pod));
}

inline std::shared_ptr<NodeInfo> MakeNodeInfo(const NodeSpec& node,
                                              const std::vector<PodSpec>& pods = {}) {
  auto info = std::make_shared<NodeInfo>(MakeNode(node));
  for (const PodSpec& p : pods) info->AddPod(std::make_shared<const PodInfo>(MakePod(p)));
  return info;
}

// Polls `cond` every 5 ms until it holds or `timeout` passed; returns its last value.
inline bool WaitFor(const std::function<bool()>& cond,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace kc::scheduler::testing
