#include "pkg/kubelet/node_status_manager.h"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace {
const client::ResourceRef kNodes{"", "v1", "nodes"};
}

NodeStatusManager::NodeStatusManager(client::Client& client, cri::Runtime& runtime,
                                     const TimeSource& time, NodeConfig config,
                                     MachineInfo machine)
    : client_(client),
      runtime_(runtime),
      time_(time),
      config_(std::move(config)),
      machine_(std::move(machine)) {}

NodeStatusInput NodeStatusManager::Input() {
  NodeStatusInput in;
  in.node_name = config_.node_name;
  in.node_ip = config_.node_ip;
  in.pod_cidr = config_.pod_cidr;
  in.control_plane = config_.control_plane;
  in.max_pods = config_.max_pods;
  in.machine = machine_;
  in.now = time_.Wall();
  auto version = runtime_.Version(cri::v1::VersionRequest());
  if (version.ok()) {
    in.runtime_version = version->runtime_name() + "://" + version->runtime_version();
  } else {
    in.runtime_version = "containerd://unknown";
  }
  auto status = runtime_.Status(cri::v1::StatusRequest());
  if (!status.ok()) {
    in.ready = false;
    in.not_ready_message = "container runtime is down: " + status.status().message();
    return in;
  }
  bool runtime_ready = false, network_ready = false;
  std::string message;
  for (const auto& c : status->status().conditions()) {
    if (c.type() == "RuntimeReady") {
      runtime_ready = c.status();
      if (!c.status()) {
        message = RuntimeNotReadyMessage(c.type(), false, c.reason(), c.message(), false);
      }
    } else if (c.type() == "NetworkReady") {
      network_ready = c.status();
      if (!c.status() && message.empty()) {
        message = RuntimeNotReadyMessage(c.type(), false, c.reason(), c.message(), true);
      }
    }
  }
  in.ready = runtime_ready && network_ready;
  if (!in.ready && message.empty()) message = "container runtime status check may not have completed yet";
  in.not_ready_message = message;
  return in;
}

api::Status NodeStatusManager::Register() {
  NodeStatusInput in = Input();
  json::object node = BuildNode(in);
  auto created = client_.Create(kNodes, "", node);
  if (created.ok()) {
    registered_ = true;
    node_uid_ = api::GetString(*api::GetObject(*created, "metadata"), "uid");
    spdlog::info("kubelet: registered node {}", config_.node_name);
    return {};
  }
  if (created.status().reason() != api::Reason::kAlreadyExists) return created.status();
  // Re-registration: reconcile the kubelet-owned labels and a missing podCIDR.
  auto existing = client_.Get(kNodes, "", config_.node_name);
  if (!existing.ok()) return existing.status();
  json::object obj = *existing;
  json::object& meta = api::EnsureObject(obj, "metadata");
  json::object& labels = api::EnsureObject(meta, "labels");
  bool changed = false;
  for (const auto& kv : NodeLabels(in)) {
    const json::value* cur = labels.if_contains(kv.key());
    if (!cur || *cur != kv.value()) {
      labels[kv.key()] = kv.value();
      changed = true;
    }
  }
  json::object& spec = api::EnsureObject(obj, "spec");
  if (api::GetString(spec, "podCIDR").empty() && !in.pod_cidr.empty()) {
    spec["podCIDR"] = in.pod_cidr;
    spec["podCIDRs"] = json::array{json::value(in.pod_cidr)};
    changed = true;
  }
  if (changed) {
    auto updated = client_.Update(kNodes, "", obj);
    if (!updated.ok()) return updated.status();
    obj = *updated;
  }
  node_uid_ = api::GetString(*api::GetObject(obj, "metadata"), "uid");
  last_post_time_ = {};  // post a fresh status right away
  registered_ = true;
  spdlog::info("kubelet: node {} already registered, reconciled", config_.node_name);
  return {};
}

api::Status NodeStatusManager::Update(bool* posted) {
  if (posted) *posted = false;
  if (!registered_) {
    if (api::Status s = Register(); !s.ok()) return s;
  }
  NodeStatusInput in = Input();
  ready_ = in.ready;
  // Compare with the server's copy, as upstream does, not with what this kubelet last posted:
  // the node lifecycle controller may have marked the node Unknown meanwhile (a partition), and
  // the recovered kubelet must say Ready again right away, not at the next report period.
  auto current = client_.Get(kNodes, "", config_.node_name);
  if (!current.ok()) {
    if (current.status().reason() == api::Reason::kNotFound) registered_ = false;  // re-register
    return current.status();
  }
  json::object server_status;
  if (const json::object* st = api::GetObject(*current, "status")) server_status = *st;
  json::object status = BuildNodeStatus(in, server_status);
  auto now = time_.Steady();
  bool due = last_post_time_ == client::Clock::TimePoint{} ||
             now - last_post_time_ >= config_.report_period;
  if (!due && !NodeStatusChanged(server_status, status)) return {};
  json::object patch{{"status", status}};
  client::PatchOptions po;
  po.subresource = "status";
  auto res = client_.Patch(kNodes, "", config_.node_name, client::PatchType::kMerge,
                           json::serialize(patch), po);
  if (!res.ok()) {
    if (res.status().reason() == api::Reason::kNotFound) registered_ = false;  // re-register
    return res.status();
  }
  last_post_time_ = now;
  if (posted) *posted = true;
  return {};
}

}  // namespace kc::kubelet
