// Registry: the generic REST store every resource is served through (Kubernetes'
// genericregistry.Store). It owns keys, resourceVersion preconditions, defaulting, validation,
// managedFields, list paging, graceful deletion and finalizers; the per-kind differences come
// from strategy.h and the pkg/api validation/defaulting tables.
//
// Objects travel as JSON DOMs in the wire form of their apiVersion. The Backend stores them
// without metadata.resourceVersion; the Registry sets it from the row's revision on every read.
// A kind served in several versions over one key (HPA autoscaling/v1 and v2) is stored and
// returned in its storage version's shape; Create/Update take that shape with the storage
// version's ResourceInfo (StorageResource in version_conversion.h), and the HTTP layer converts
// bodies and responses of the other versions.
//
// Thread-safety: all methods may be called concurrently; concurrency control is the Backend's
// compare-and-swap (a conflicting read-modify-write is retried when the caller gave no
// resourceVersion precondition).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"
#include "pkg/apiserver/request_context.h"
#include "pkg/apiserver/watch_filter.h"
#include "pkg/store/backend.h"

namespace kc::apiserver {


struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;
  std::string resource_version_match;
};

struct ListResult {
  std::vector<boost::json::object> items;
  int64_t revision = 0;
  std::string continue_token;
  std::optional<int64_t> remaining;  // remainingItemCount, only without selectors
};

enum class PatchKind { kJson, kMerge, kStrategicMerge, kApply };

struct DeleteOptions {
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // "" = kind default
  std::optional<bool> orphan_dependents;
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

struct DeleteResult {
  boost::json::object object;  // last state (removed) or the terminating object (kept)
  bool removed = false;        // gone from the store
};

// A started watch: store events are turned into API events by the filter.
struct WatchHandle {
  std::unique_ptr<store::Watch> watch;
  std::unique_ptr<WatchFilter> filter;
  std::vector<boost::json::object> initial;  // synthetic ADDED objects (rv "0"/"")
  int64_t start_revision = 0;
};

class Registry {
 public:
  explicit Registry(store::Backend& backend);
  ~Registry();

  store::Backend& backend() { return backend_; }
  // Optional: when set, Services get ClusterIPs/NodePorts at create and give them back when
  // removed. Set before serving; not owned.
  void SetServiceAllocation(class ServiceAllocation* alloc) { services_ = alloc; }

  api::Result<boost::json::object> Get(const api::ResourceInfo& ri, const std::string& ns,
                                       const std::string& name);
  // The stored bytes and revision, undecoded (for GET fast paths; see stored_json.h). Same
  // errors as Get.
  api::Result<store::KeyValue> GetStored(const api::ResourceInfo& ri, const std::string& ns,
                                         const std::string& name);
  api::Result<ListResult> List(const api::ResourceInfo& ri, const std::string& ns,
                               const ListOptions& opts);
  api::Result<boost::json::object> Create(const api::ResourceInfo& ri, const std::string& ns,
                                          boost::json::object obj, RequestContext& ctx);
  // Create without waiting for the store: validation and defaulting run on the calling thread,
  // `done` gets what Create would return once the write is durable. `done` may run on the
  // store's writer thread: it must be quick (hand off to another thread). `ctx` is not used
  // after the call returns. On success `stored` is the JSON the store holds for the object
  // (without resourceVersion; WithResourceVersion in stored_json.h adds it), so a reply in the
  // stored version need not serialize the object again; it is empty when not at hand. The splice
  // is left to the caller, off the store's writer thread.
  using CreateCallback =
      std::function<void(api::Result<boost::json::object> created, std::string stored)>;
  void CreateAsync(const api::ResourceInfo& ri, const std::string& ns, boost::json::object obj,
                   RequestContext& ctx, CreateCallback done);
  // PUT of the main resource or a subresource ("status"). `name` comes from the URL.
  api::Result<boost::json::object> Update(const api::ResourceInfo& ri, const std::string& ns,
                                          const std::string& name, boost::json::object obj,
                                          const std::string& subresource, RequestContext& ctx);
  // PATCH; `created` is set when an apply patch created the object. `ri` is the request's
  // version: the patch applies to that version's view of the stored object (see
  // version_conversion.h); the result is in the storage shape.
  api::Result<boost::json::object> Patch(const api::ResourceInfo& ri, const std::string& ns,
                                         const std::string& name, PatchKind kind,
                                         const std::string& body, const std::string& subresource,
                                         bool force, RequestContext& ctx, bool* created);
  api::Result<DeleteResult> Delete(const api::ResourceInfo& ri, const std::string& ns,
                                   const std::string& name, const DeleteOptions& opts,
                                   RequestContext& ctx);
  // DELETECOLLECTION: deletes every object the list options select; returns the deleted ones.
  api::Result<std::vector<boost::json::object>> DeleteCollection(const api::ResourceInfo& ri,
                                                                 const std::string& ns,
                                                                 const ListOptions& list,
                                                                 const DeleteOptions& opts,
                                                                 RequestContext& ctx);
  // Starts a watch per the Kubernetes resourceVersion rules ("" / "0" → synthetic ADDED first).
  api::Result<WatchHandle> Watch(const api::ResourceInfo& ri, const std::string& ns,
                                 const ListOptions& opts);

  // Scale subresource (autoscaling/v1 Scale) of kinds with has_scale.
  api::Result<boost::json::object> GetScale(const api::ResourceInfo& ri, const std::string& ns,
                                            const std::string& name);
  api::Result<boost::json::object> UpdateScale(const api::ResourceInfo& ri, const std::string& ns,
                                               const std::string& name,
                                               boost::json::object scale, RequestContext& ctx);
  api::Result<boost::json::object> PatchScale(const api::ResourceInfo& ri, const std::string& ns,
                                              const std::string& name, PatchKind kind,
                                              const std::string& body, RequestContext& ctx);

  // pods/binding: assigns the pod to `node` (Conflict if already bound) and records
  // PodScheduled=True. Returns the updated pod.
  api::Result<boost::json::object> Bind(const api::ResourceInfo& ri, const std::string& ns,
                                        const std::string& name, const std::string& node,
                                        RequestContext& ctx);

  // Decodes a stored value: parses it and sets metadata.resourceVersion.
  static api::Result<boost::json::object> Decode(const store::KeyValue& kv);

  // Ensures the standard namespaces exist (default, kube-system, kube-public, kube-node-lease).
  api::Status Bootstrap();

 private:
  void CreateImpl(const api::ResourceInfo& ri, const std::string& ns, boost::json::object obj,
                  RequestContext& ctx, bool async, CreateCallback done);
  // Everything a create does before the write (namespace, defaults, allocation, validation,
  // managedFields). true: write `obj`; false: a dry run, answer with `obj` as it is.
  api::Result<bool> PrepareCreate(const api::ResourceInfo& ri, const std::string& ns,
                                  boost::json::object& obj, RequestContext& ctx);
  static api::Result<boost::json::object> FinishCreate(const api::ResourceInfo& ri,
                                                       const std::string& name,
                                                       boost::json::object obj,
                                                       const api::Result<int64_t>& rev);
  using Mutator = std::function<api::Status(boost::json::object& current)>;
  // Read-modify-write of one object with CAS retry. `mutate` receives the current object (with
  // resourceVersion) and turns it into the desired one; preconditions are checked inside it.
  api::Result<boost::json::object> GuaranteedUpdate(const api::ResourceInfo& ri,
                                                    const std::string& ns, const std::string& name,
                                                    const std::string& subresource,
                                                    RequestContext& ctx, const Mutator& mutate,
                                                    bool retry_on_conflict);
  // Validation, strategy and storage of an update computed from `old` → `obj`.
  api::Result<boost::json::object> FinishUpdate(const api::ResourceInfo& ri,
                                                const store::KeyValue& old_kv,
                                                const boost::json::object& old,
                                                boost::json::object obj,
                                                const std::string& subresource,
                                                RequestContext& ctx);
  api::Status CheckNamespaceWritable(const api::ResourceInfo& ri, const std::string& ns);
  api::Result<boost::json::object> ApplyPatchBody(const api::ResourceInfo& ri,
                                                  const boost::json::object& current,
                                                  PatchKind kind, const std::string& body);
  api::Result<boost::json::object> CreateFromApply(const api::ResourceInfo& ri,
                                                   const std::string& ns, const std::string& name,
                                                   const std::string& body, RequestContext& ctx);
  std::string Now() const;
  bool IsService(const api::ResourceInfo& ri) const {
    return services_ && ri.group.empty() && ri.kind == "Service";
  }
  // Called whenever an object has been removed from the store.
  void OnRemoved(const api::ResourceInfo& ri, const boost::json::object& obj);

  store::Backend& backend_;
  class ServiceAllocation* services_ = nullptr;
};

// Serializes an object for storage (metadata.resourceVersion removed).
std::string EncodeForStorage(const boost::json::object& obj);

}  // namespace kc::apiserver
