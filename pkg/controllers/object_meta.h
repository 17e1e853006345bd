// Metadata helpers the controllers share: reading ownerReferences, finalizers and deletion state
// from an object, mapping an ownerReference's apiVersion+kind to a catalog resource, and building
// the JSON merge patches that change one metadata list under a resourceVersion precondition.
//
// Thread-safety: free functions over caller-owned values.
#pragma once

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/status.h"
#include "pkg/client/client.h"

namespace kc::controllers {

inline constexpr const char kOrphanFinalizer[] = "orphan";
inline constexpr const char kForegroundFinalizer[] = "foregroundDeletion";

// One entry of metadata.ownerReferences.
struct OwnerRef {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool block_owner_deletion = false;

  bool operator==(const OwnerRef&) const = default;
};

// metadata.ownerReferences; entries without a uid are skipped.
std::vector<OwnerRef> OwnerRefs(const client::Object& obj);
// metadata.finalizers (string entries only).
std::vector<std::string> Finalizers(const client::Object& obj);
bool HasFinalizer(const std::vector<std::string>& finalizers, const std::string& f);
// metadata.deletionTimestamp is set.
bool IsDeleting(const client::Object& obj);
// A Namespace that is active, or not yet given a phase; one being deleted is not.
bool NamespaceActive(const client::Object& ns);
inline bool IsNotFound(const api::Status& st) { return st.reason() == api::Reason::kNotFound; }

// The catalog resource an ownerReference names: exact group/version/kind, else the same
// group+kind in another served version. nullptr when the kind is unknown.
const api::ResourceInfo* ResolveKind(const std::string& api_version, const std::string& kind);
client::ResourceRef RefFor(const api::ResourceInfo& info);
// "deployments.apps" or "pods" for logs and messages.
std::string QualifiedName(const client::ResourceRef& res);

// The catalog with one entry per group+plural (the first, preferred version), optionally
// without cluster-scoped resources.
std::vector<const api::ResourceInfo*> UniqueResources(bool namespaced_only);

// {"metadata":{"resourceVersion":rv,"<field>":list}} as JSON text; an empty list becomes null so
// the field is removed.
std::string MetadataListPatch(const std::string& resource_version, const std::string& field,
                              const boost::json::array& list);

}  // namespace kc::controllers
