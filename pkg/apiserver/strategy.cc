#include "pkg/apiserver/strategy.h"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <map>

#include "pkg/api/defaults.h"
#include "pkg/api/event_conversion.h"

namespace kc::apiserver {
namespace json = boost::json;

namespace {

// core/v1 and events.k8s.io/v1 Events (not a custom resource that happens to be called Event).
bool IsBuiltinEvent(const api::ResourceInfo& ri) {
  return ri.kind == "Event" && (ri.group.empty() || ri.group == "events.k8s.io");
}

bool IsApps(const api::ResourceInfo& ri, std::string_view kind) {
  return ri.kind == kind;
}

const json::object* ObjAt(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

json::value ValueOr(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? json::value() : it->value();
}

json::object& Meta(json::object& obj) {
  json::value& m = obj["metadata"];
  if (!m.is_object()) m = json::object();
  return m.get_object();
}

json::object InitialStatus(const api::ResourceInfo& ri, json::object& obj) {
  json::object status;
  if (ri.group.empty() && ri.kind == "Pod") {
    status["phase"] = "Pending";
    status["qosClass"] = ComputeQosClass(obj);
  } else if (ri.group.empty() && ri.kind == "Namespace") {
    status["phase"] = "Active";
  } else if (ri.group.empty() && ri.kind == "Service") {
    status["loadBalancer"] = json::object();
  } else if (ri.group.empty() && ri.kind == "PersistentVolumeClaim") {
    status["phase"] = "Pending";
  } else if (ri.group.empty() && ri.kind == "PersistentVolume") {
    status["phase"] = "Pending";
  }
  return status;
}

}  // namespace

bool ManagesGeneration(const api::ResourceInfo& ri) {
  static const char* kKinds[] = {"Deployment", "ReplicaSet",   "StatefulSet", "DaemonSet",
                                 "Job",        "CronJob",      "PodDisruptionBudget",
                                 "Ingress",    "ReplicationController"};
  for (const char* k : kKinds) {
    if (ri.kind == k) return true;
  }
  return false;
}

void PrepareForCreate(const api::ResourceInfo& ri, json::object& obj) {
  if (ri.has_status) {
    obj["status"] = InitialStatus(ri, obj);
  }
  if (ri.group.empty() && ri.kind == "Namespace") {
    json::value& spec = obj["spec"];
    if (!spec.is_object()) spec = json::object();
    json::array fin;
    fin.emplace_back("kubernetes");
    spec.get_object()["finalizers"] = std::move(fin);
  }
  json::object& meta = Meta(obj);
  if (ManagesGeneration(ri)) {
    meta["generation"] = 1;
  }
  if (IsApps(ri, "DaemonSet") && ri.group == "apps") {
    json::value& ann = meta["annotations"];
    if (!ann.is_object()) ann = json::object();
    ann.get_object()["deprecated.daemonset.template.generation"] = "1";
  }
}

void PrepareForUpdate(const api::ResourceInfo& ri, json::object& obj, const json::object& old) {
  if (ri.has_status) {
    auto it = old.find("status");
    if (it != old.end()) {
      obj["status"] = it->value();
    } else {
      obj.erase("status");
    }
  }
  if (ri.group.empty() && ri.kind == "Namespace") {
    // spec.finalizers only changes through /finalize.
    auto it = old.find("spec");
    if (it != old.end()) obj["spec"] = it->value();
  }
  json::object& meta = Meta(obj);
  const json::object* old_meta = ObjAt(old, "metadata");
  if (ri.group.empty() && ri.kind == "Service") {
    // Allocated values are kept when the client omits them (kubectl replace of the original
    // manifest).
    const json::object* os = ObjAt(old, "spec");
    json::value& ns = obj["spec"];
    if (os && ns.is_object()) {
      for (const char* k : {"clusterIP", "clusterIPs"}) {
        auto it = os->find(k);
        const json::value* cur = ns.get_object().if_contains(k);
        bool empty = !cur || cur->is_null() || (cur->is_string() && cur->get_string().empty()) ||
                     (cur->is_array() && cur->get_array().empty());
        if (it != os->end() && empty) ns.get_object()[k] = it->value();
      }
    }
  }
  if (ri.kind == "DaemonSet" && old_meta) {
    // The template generation annotation is server-owned; keep the old value unless bumped below.
    if (const json::object* ann = ObjAt(*old_meta, "annotations")) {
      auto a = ann->find("deprecated.daemonset.template.generation");
      if (a != ann->end()) {
        json::value& na = meta["annotations"];
        if (!na.is_object()) na = json::object();
        na.get_object()["deprecated.daemonset.template.generation"] = a->value();
      }
    }
  }
  if (!ManagesGeneration(ri)) return;
  int64_t gen = 0;
  if (old_meta) {
    auto g = old_meta->find("generation");
    if (g != old_meta->end() && g->value().is_int64()) gen = g->value().get_int64();
  }
  bool changed = ValueOr(obj, "spec") != ValueOr(old, "spec");
  if (ri.kind == "Deployment" && old_meta) {
    changed = changed || ValueOr(meta, "annotations") != ValueOr(*old_meta, "annotations");
  }
  if (ri.kind == "DaemonSet" && changed) {
    const json::object* os = ObjAt(old, "spec");
    const json::object* ns = ObjAt(obj, "spec");
    if (os && ns && ValueOr(*os, "template") != ValueOr(*ns, "template")) {
      int64_t tg = 1;
      if (old_meta) {
        if (const json::object* ann = ObjAt(*old_meta, "annotations")) {
          auto a = ann->find("deprecated.daemonset.template.generation");
          if (a != ann->end() && a->value().is_string()) {
            tg = std::atoll(a->value().get_string().c_str());
          }
        }
      }
      json::value& ann = meta["annotations"];
      if (!ann.is_object()) ann = json::object();
      ann.get_object()["deprecated.daemonset.template.generation"] = std::to_string(tg + 1);
    }
  }
  meta["generation"] = changed ? gen + 1 : gen;
}

void PrepareForStatusUpdate(const api::ResourceInfo& ri, json::object& obj,
                            const json::object& old) {
  json::object restored = old;
  auto st = obj.find("status");
  if (st != obj.end()) {
    restored["status"] = st->value();
  } else {
    restored.erase("status");
  }
  // Built-in /status writes keep metadata label/annotation changes.
  json::object& rmeta = Meta(restored);
  if (const json::object* nmeta = ObjAt(obj, "metadata")) {
    for (const char* k : {"labels", "annotations", "resourceVersion"}) {
      auto it = nmeta->find(k);
      if (it != nmeta->end()) {
        rmeta[k] = it->value();
      } else if (std::string_view(k) != "resourceVersion") {
        rmeta.erase(k);
      }
    }
  }
  if (ri.group.empty() && ri.kind == "Pod") {
    json::value& s = restored["status"];
    if (s.is_object() && !s.get_object().contains("qosClass")) {
      if (const json::object* os = ObjAt(old, "status")) {
        auto q = os->find("qosClass");
        if (q != os->end()) s.get_object()["qosClass"] = q->value();
      }
    }
  }
  obj = std::move(restored);
}

bool SupportsFieldSelector(const api::ResourceInfo& ri, std::string_view field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  if (IsBuiltinEvent(ri)) return !FieldSelectorPath(ri, field).empty();
  static const std::map<std::string, std::vector<std::string>> kFields = {
      {"Pod",
       {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"}},
      {"Secret", {"type"}},
      {"Node", {"spec.unschedulable"}},
      {"Namespace", {"status.phase"}},
      {"ReplicaSet", {"status.replicas"}},
      {"ReplicationController", {"status.replicas"}},
      {"Job", {"status.successful"}},
      {"Service", {"spec.clusterIP", "spec.type"}},
      {"PersistentVolume", {"name"}},
      {"PersistentVolumeClaim", {"name"}},
      {"CertificateSigningRequest", {"spec.signerName"}},
  };
  auto it = kFields.find(ri.kind);
  if (it == kFields.end()) return false;
  for (const auto& f : it->second) {
    if (f == field) return true;
  }
  return false;
}

std::string_view FieldSelectorPath(const api::ResourceInfo& ri, std::string_view field) {
  if (!IsBuiltinEvent(ri) || field == "metadata.name" || field == "metadata.namespace") {
    return field;
  }
  return ri.group.empty() ? api::CoreEventFieldPath(field) : api::EventsV1FieldPath(field);
}

std::string DefaultPropagation(const api::ResourceInfo& ri) {
  if ((ri.group == "batch" && ri.kind == "Job") ||
      (ri.group.empty() && ri.kind == "ReplicationController")) {
    return "Orphan";
  }
  return "Background";
}

bool ReturnsDeletedObject(const api::ResourceInfo& ri) {
  if (!ri.group.empty()) return false;
  return ri.kind == "Pod" || ri.kind == "PersistentVolume" ||
         ri.kind == "PersistentVolumeClaim" || ri.kind == "ServiceAccount" ||
         ri.kind == "Service";
}

std::string ComputeQosClass(const json::object& pod) { return api::PodQOSClass(pod); }

}  // namespace kc::apiserver
