#include "pkg/kubelet/lease.h"

#include "pkg/api/json_path.h"

namespace kc::kubelet {
namespace json = boost::json;

namespace {
const client::ResourceRef kLeases{"coordination.k8s.io", "v1", "leases"};
}

api::Status NodeLease::Renew(const std::string& node_uid) {
  std::string now = api::FormatMicroTime(time_.Wall());
  auto got = client_.Get(kLeases, kNodeLeaseNamespace, node_);
  if (got.ok()) {
    json::object lease = *got;
    json::object& spec = api::EnsureObject(lease, "spec");
    spec["holderIdentity"] = node_;
    spec["leaseDurationSeconds"] = duration_;
    spec["renewTime"] = now;
    auto up = client_.Update(kLeases, kNodeLeaseNamespace, lease);
    return up.ok() ? api::Status() : up.status();
  }
  if (got.status().reason() != api::Reason::kNotFound) return got.status();
  json::object lease;
  lease["apiVersion"] = "coordination.k8s.io/v1";
  lease["kind"] = "Lease";
  json::object meta{{"name", node_}, {"namespace", kNodeLeaseNamespace}};
  if (!node_uid.empty()) {
    meta["ownerReferences"] = json::array{json::object{
        {"apiVersion", "v1"}, {"kind", "Node"}, {"name", node_}, {"uid", node_uid}}};
  }
  lease["metadata"] = std::move(meta);
  lease["spec"] = json::object{{"holderIdentity", node_},
                               {"leaseDurationSeconds", duration_},
                               {"renewTime", now}};
  auto created = client_.Create(kLeases, kNodeLeaseNamespace, lease);
  return created.ok() ? api::Status() : created.status();
}

}  // namespace kc::kubelet
