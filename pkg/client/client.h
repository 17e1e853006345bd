// Client: the one way every component (scheduler, controllers, kubelet, proxy, CLI) reads and
// writes API objects.
//
// Objects are JSON DOMs (boost::json::object) in the wire form of their apiVersion. Two
// implementations exist: apiserver::LocalClient (in-process, calls the API server's registry with
// the same validation, admission and resourceVersion checks, no HTTP) and client::HttpClient
// (HTTPS via libcurl, for agents and tools). Fakes for unit tests implement the same interface.
//
// Thread-safety: implementations are safe to call concurrently from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pkg/api/status.h"

namespace kc::client {

using Object = boost::json::object;

// Which resource a call is about: "apps", "v1", "deployments".
struct ResourceRef {
  std::string group;
  std::string version;
  std::string resource;
};

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;
  std::string continue_token;
  std::string resource_version;  // "" = latest, "0" = any
  int timeout_seconds = 0;        // watch only; 0 = server default
  bool allow_bookmarks = false;   // watch only
};

struct ObjectList {
  std::vector<Object> items;
  std::string resource_version;
  std::string continue_token;
};

struct WriteOptions {
  std::string field_manager;
  bool dry_run = false;
  std::string subresource;  // "", "status", "scale", "binding", ...
};

enum class PatchType { kJson, kMerge, kStrategicMerge, kApply };

struct PatchOptions {
  std::string field_manager;
  bool dry_run = false;
  bool force = false;  // apply only
  std::string subresource;
};

struct DeleteOptions {
  std::optional<int64_t> grace_period_seconds;
  std::string propagation_policy;  // "", "Orphan", "Background", "Foreground"
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

struct WatchEvent {
  WatchEventType type = WatchEventType::kAdded;
  Object object;  // for kError: a Status object
};

// A stream of watch events. Next blocks until an event, the end of the stream, or `timeout_ms`.
// Returns false when the stream ended (server closed it, Stop was called or an error); then
// `status()` says why (OK for a clean end, Expired for 410).
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // Returns true and fills `ev` when an event arrived; false on timeout (ended() tells the rest).
  virtual bool Next(WatchEvent* ev, int timeout_ms) = 0;
  virtual bool ended() const = 0;
  virtual api::Status status() const = 0;
  // Unblocks Next from another thread and ends the stream.
  virtual void Stop() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  // `ns` is ignored for cluster-scoped resources; "" on a namespaced resource lists all
  // namespaces.
  virtual api::Result<Object> Get(const ResourceRef& res, const std::string& ns,
                                  const std::string& name, const std::string& subresource = "") = 0;
  virtual api::Result<ObjectList> List(const ResourceRef& res, const std::string& ns,
                                       const ListOptions& opts) = 0;
  virtual api::Result<std::unique_ptr<WatchStream>> Watch(const ResourceRef& res,
                                                          const std::string& ns,
                                                          const ListOptions& opts) = 0;
  virtual api::Result<Object> Create(const ResourceRef& res, const std::string& ns,
                                     const Object& obj, const WriteOptions& opts = {}) = 0;
  // PUT; the object's metadata.resourceVersion (if set) is the precondition.
  virtual api::Result<Object> Update(const ResourceRef& res, const std::string& ns,
                                     const Object& obj, const WriteOptions& opts = {}) = 0;
  virtual api::Result<Object> Patch(const ResourceRef& res, const std::string& ns,
                                    const std::string& name, PatchType type,
                                    const std::string& patch, const PatchOptions& opts = {}) = 0;
  // Returns the object if it still exists (finalizers, graceful deletion), else the last state.
  virtual api::Result<Object> Delete(const ResourceRef& res, const std::string& ns,
                                     const std::string& name, const DeleteOptions& opts = {}) = 0;
};

}  // namespace kc::client
