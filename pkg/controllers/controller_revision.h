// ControllerRevision helpers shared by the StatefulSet and DaemonSet controllers, after upstream's
// pkg/controller/history: the revision data (the owner's template as the strategic-merge patch
// `{"spec":{"template":{...,"$patch":"replace"}}}` that `kubectl rollout undo` sends back), the
// revision hash and name `<owner>-<hash>`, the `controller-revision-hash` label, ordering by
// revision number, finding revisions with equal data (re-used on rollback), applying a revision to
// its owner, choosing old revisions to prune, and the client calls that create a revision (trying
// new names on hash collisions) and renumber one.
//
// Thread-safety: free functions over caller-owned values; the client calls are as thread-safe as
// the client.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/client/client.h"

namespace kc::controllers {

inline constexpr const char kControllerRevisionHashLabel[] = "controller-revision-hash";
inline const client::ResourceRef kControllerRevisionsResource{"apps", "v1", "controllerrevisions"};

// The revision data of `owner` (a StatefulSet or DaemonSet): {"spec":{"template":T}} where T is
// spec.template plus "$patch":"replace". Object members are sorted by key, as Go's encoder would.
boost::json::object RevisionPatch(const client::Object& owner);

// Upstream's HashControllerRevision: FNV-32 over the canonical data, then the decimal collision
// count when given, rendered with the generateName alphabet.
std::string HashRevisionData(const boost::json::value& data,
                             std::optional<int64_t> collision_count);

// "<prefix>-<hash>", the prefix cut to 223 characters so the name stays a valid object name.
std::string ControllerRevisionName(const std::string& prefix, const std::string& hash);

// A new (not yet stored) ControllerRevision owned by `owner`: name and hash label from
// HashRevisionData(data, collision_count), labels = `template_labels` + the hash label,
// annotations copied from the owner, a controller ownerReference, `data` and `revision`.
client::Object NewControllerRevision(const client::Object& owner,
                                     const boost::json::object& template_labels,
                                     const boost::json::object& data, int64_t revision,
                                     std::optional<int64_t> collision_count);

// The revision number (.revision), 0 when missing.
int64_t RevisionNumber(const client::Object& revision);
// The `controller-revision-hash` label, "" when missing.
std::string RevisionHashLabel(const client::Object& revision);

// Equal when the data is equal (canonical JSON) and the hash labels, when both are present and
// numeric as upstream once wrote them, agree.
bool EqualRevision(const client::Object& a, const client::Object& b);
// Canonical JSON equality of `revision`'s .data with `data`.
bool RevisionDataEquals(const client::Object& revision, const boost::json::object& data);

// Sorts by revision number, then creationTimestamp, then name.
void SortRevisions(std::vector<client::Object>& revisions);
// The indexes of revisions in `revisions` equal to `needle`, in order.
std::vector<size_t> FindEqualRevisions(const std::vector<client::Object>& revisions,
                                       const client::Object& needle);
// One more than the highest revision number of the sorted `revisions` (1 for none).
int64_t NextRevision(const std::vector<client::Object>& sorted);

// A copy of `owner` whose spec.template is the template stored in `revision` (the patch applied
// to the owner). Invalid when the revision carries no template.
api::Result<client::Object> ApplyRevision(const client::Object& owner,
                                          const client::Object& revision);

// The revisions to delete to keep `limit` (history limit, ≥0) non-live revisions: from `sorted`
// (oldest first) those not in `live` (by name), oldest first, beyond the limit.
std::vector<const client::Object*> RevisionsToPrune(const std::vector<client::Object>& sorted,
                                                    const std::set<std::string>& live,
                                                    int64_t limit);

// Creates `revision` for `owner`, naming it from the hash with *collision_count. When the name is
// taken by a revision with other data the count is raised and the next name tried (upstream's
// CreateControllerRevision); a taken name with equal data returns the stored revision.
api::Result<client::Object> CreateControllerRevision(client::Client& client,
                                                     const client::Object& owner,
                                                     const client::Object& revision,
                                                     int64_t* collision_count);
// Sets .revision to `number` (retrying on conflicts with a fresh copy) and returns the result.
api::Result<client::Object> UpdateRevisionNumber(client::Client& client,
                                                 const client::Object& revision, int64_t number);

}  // namespace kc::controllers
