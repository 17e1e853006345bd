// Internal interface between the validation dispatcher (validation.cc) and the per-kind
// validators (validation_meta.cc, validation_pod.cc, validation_workloads.cc, ...). Not part of
// the public API; see validation.h.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/api/resource_info.h"
#include "pkg/api/validation_field.h"

namespace kc::api::validation {

namespace json = boost::json;

// ---- shared field rules (validation_meta.cc) ----
ErrorList ValidateObjectMeta(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateObjectMetaUpdate(const json::object& obj, const json::object& old);
ErrorList ValidateLabels(const json::object* labels, const Path& p);
ErrorList ValidateAnnotations(const json::object* annotations, const Path& p);
ErrorList ValidateLabelSelector(const json::object* selector, const Path& p);
ErrorList ValidateQualifiedName(std::string_view v, const Path& p);
ErrorList ValidateDNS1123Label(std::string_view v, const Path& p);
ErrorList ValidateDNS1123Subdomain(std::string_view v, const Path& p);
// Invalid "must be greater than or equal to 0" when o[key] is a negative integer.
ErrorList ValidateNonnegative(const json::object* o, std::string_view key, const Path& p);
// "field is immutable" (Invalid, rendering the new value) when o[key] and old[key] differ.
ErrorList ValidateImmutable(const json::object* o, const json::object* old, std::string_view key,
                            const Path& p);
// ValidatePositiveIntOrPercent + IsNotMoreThan100Percent for an IntOrString field.
ErrorList ValidateIntOrPercent(const json::value* v, const Path& p, bool check_100 = true);
// The integer value of an IntOrString (percent strings give their number).
int64_t IntOrPercentValue(const json::value* v);
// Resource quantities: parse failures, negative values and integer-only resources.
ErrorList ValidateResourceList(const json::object* list, const Path& p, bool container_names);
// Resource-name classes (helper.IsOvercommitAllowed / IsHugePageResourceName).
bool IsOvercommitAllowed(std::string_view resource);
bool IsHugePagesResource(std::string_view resource);
// Selector must match the template labels ("`selector` does not match template `labels`").
ErrorList ValidateSelectorMatchesTemplate(const json::object* selector,
                                          const json::object* template_meta, const Path& p);

// ---- containers and volumes (validation_container.cc, validation_volume.cc) ----
// Validates spec.volumes; the names of the valid volumes are added to *names.
ErrorList ValidateVolumes(const json::array* volumes, const Path& p, std::set<std::string>* names);
struct ContainerContext {
  const std::set<std::string>* volumes = nullptr;  // volume names mounts may refer to
  std::optional<int64_t> grace_period;             // pod terminationGracePeriodSeconds
};
// spec.containers / spec.initContainers / spec.ephemeralContainers of one pod spec.
ErrorList ValidateContainers(const json::array* containers, const Path& p,
                             const ContainerContext& ctx);
ErrorList ValidateInitContainers(const json::array* init, const json::array* regular, const Path& p,
                                 const ContainerContext& ctx);
ErrorList ValidateEphemeralContainers(const json::array* ephemeral, const json::array* regular,
                                      const json::array* init, const Path& p,
                                      const ContainerContext& ctx);
// Path must be relative without '..' (subPath, items[].path).
ErrorList ValidatePathNoBacksteps(std::string_view path, const Path& p);

// ---- pod specs (validation_pod.cc) ----
struct PodSpecOptions {
  bool is_pod = false;                     // Pod-only rules (hostNetwork hostPort, image spaces)
  std::vector<std::string> extra_volumes;  // StatefulSet volumeClaimTemplates names
};
ErrorList ValidatePodSpec(const json::object* spec, const Path& p, const PodSpecOptions& opts);
// Template labels/annotations (at <p>.labels / <p>.annotations, as upstream) and spec.
ErrorList ValidatePodTemplateSpec(const json::object* tmpl, const Path& p,
                                  const PodSpecOptions& opts);
ErrorList ValidatePod(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidatePodUpdate(const ResourceInfo& ri, const json::object& obj,
                            const json::object& old);
ErrorList ValidatePodTemplate(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateTolerations(const json::array* tolerations, const Path& p);

// ---- apps (validation_workloads.cc) ----
ErrorList ValidateDeployment(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateReplicaSet(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateReplicationController(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateDaemonSet(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateStatefulSet(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateControllerRevision(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateSelectorUpdate(const ResourceInfo& ri, const json::object& obj,
                                 const json::object& old);
ErrorList ValidateStatefulSetUpdate(const ResourceInfo& ri, const json::object& obj,
                                    const json::object& old);
ErrorList ValidateControllerRevisionUpdate(const ResourceInfo& ri, const json::object& obj,
                                           const json::object& old);

// ---- batch (validation_batch.cc) ----
ErrorList ValidateJob(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateJobUpdate(const ResourceInfo& ri, const json::object& obj,
                            const json::object& old);
ErrorList ValidateCronJob(const ResourceInfo& ri, const json::object& obj);
// The robfig/cron standard-parser error for a schedule, or "" when valid.
std::string CronScheduleError(std::string_view schedule);

// ---- networking (validation_service.cc) ----
ErrorList ValidateService(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateServiceUpdate(const ResourceInfo& ri, const json::object& obj,
                                const json::object& old);
ErrorList ValidateEndpoints(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateEndpointSlice(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateEndpointSliceUpdate(const ResourceInfo& ri, const json::object& obj,
                                      const json::object& old);
ErrorList ValidateIngress(const ResourceInfo& ri, const json::object& obj);

// ---- config and storage (validation_config.cc) ----
ErrorList ValidateConfigMap(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateSecret(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateConfigMapUpdate(const ResourceInfo& ri, const json::object& obj,
                                  const json::object& old);
ErrorList ValidateSecretUpdate(const ResourceInfo& ri, const json::object& obj,
                               const json::object& old);
ErrorList ValidatePersistentVolumeClaim(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidatePersistentVolumeClaimUpdate(const ResourceInfo& ri, const json::object& obj,
                                              const json::object& old);
ErrorList ValidatePersistentVolume(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidatePersistentVolumeUpdate(const ResourceInfo& ri, const json::object& obj,
                                         const json::object& old);
ErrorList ValidateResourceQuota(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateResourceQuotaUpdate(const ResourceInfo& ri, const json::object& obj,
                                      const json::object& old);
ErrorList ValidateLimitRange(const ResourceInfo& ri, const json::object& obj);

// ---- cluster and misc kinds (validation_misc.cc) ----
ErrorList ValidateNamespace(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateNode(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateNodeUpdate(const ResourceInfo& ri, const json::object& obj,
                             const json::object& old);
ErrorList ValidateMetaOnly(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateLease(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateCoreEvent(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateEventsV1Event(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidatePodDisruptionBudget(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateHorizontalPodAutoscaler(const ResourceInfo& ri, const json::object& obj);

// ---- rbac (validation_rbac.cc) ----
ErrorList ValidateRole(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateRoleBinding(const ResourceInfo& ri, const json::object& obj);
ErrorList ValidateRoleBindingUpdate(const ResourceInfo& ri, const json::object& obj,
                                    const json::object& old);

}  // namespace kc::api::validation
