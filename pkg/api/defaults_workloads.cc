// Workload defaults: Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet,
// Job (including the create-time selector generation), CronJob, PodTemplate.
#include "pkg/api/defaults_internal.h"
#include "pkg/api/validation_field.h"

namespace kc::api::defaults {
namespace {

using validation::EnsureObj;
using validation::GetObj;
using validation::GetStr;
using validation::Has;
using validation::MutArr;
using validation::MutObj;
using validation::SetDefault;
using validation::SetDefaultStr;

// The labels of spec.template.metadata, copied (nullopt-like empty object when none).
json::object TemplateLabels(const json::object* spec) {
  const json::object* labels = GetObj(GetObj(GetObj(spec, "template"), "metadata"), "labels");
  return labels ? *labels : json::object();
}

bool HasLabels(const json::object& obj) {
  return validation::Len(GetObj(obj, "metadata"), "labels") > 0;
}

void SetLabels(json::object& obj, const json::object& labels) {
  if (json::object* meta = EnsureObj(obj, "metadata")) (*meta)["labels"] = labels;
}

}  // namespace

void DefaultDeployment(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefault(*spec, "replicas", 1);
  if (json::object* strategy = EnsureObj(*spec, "strategy")) {
    SetDefaultStr(*strategy, "type", "RollingUpdate");
    if (GetStr(*strategy, "type") == "RollingUpdate") {
      if (json::object* ru = EnsureObj(*strategy, "rollingUpdate")) {
        SetDefault(*ru, "maxUnavailable", "25%");
        SetDefault(*ru, "maxSurge", "25%");
      }
    }
  }
  SetDefault(*spec, "revisionHistoryLimit", 10);
  SetDefault(*spec, "progressDeadlineSeconds", 600);
  DefaultPodTemplateAt(*spec, "template");
}

void DefaultReplicaSet(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefault(*spec, "replicas", 1);
  DefaultPodTemplateAt(*spec, "template");
}

void DefaultReplicationController(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  json::object labels = TemplateLabels(spec);
  if (!labels.empty()) {
    if (validation::Len(spec, "selector") == 0) (*spec)["selector"] = labels;
  }
  SetDefault(*spec, "replicas", 1);
  DefaultPodTemplateAt(*spec, "template");
  if (!labels.empty() && !HasLabels(obj)) SetLabels(obj, labels);
}

void DefaultStatefulSet(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefault(*spec, "replicas", 1);
  SetDefaultStr(*spec, "podManagementPolicy", "OrderedReady");
  if (json::object* us = EnsureObj(*spec, "updateStrategy")) {
    if (GetStr(*us, "type").empty()) {
      (*us)["type"] = "RollingUpdate";
      EnsureObj(*us, "rollingUpdate");
    }
    if (GetStr(*us, "type") == "RollingUpdate") {
      if (json::object* ru = MutObj(*us, "rollingUpdate")) SetDefault(*ru, "partition", 0);
    }
  }
  SetDefault(*spec, "revisionHistoryLimit", 10);
  if (json::object* rp = EnsureObj(*spec, "persistentVolumeClaimRetentionPolicy")) {
    SetDefaultStr(*rp, "whenDeleted", "Retain");
    SetDefaultStr(*rp, "whenScaled", "Retain");
  }
  if (json::array* vcts = MutArr(*spec, "volumeClaimTemplates")) {
    for (auto& v : *vcts) {
      json::object* pvc = v.if_object();
      if (pvc == nullptr) continue;
      SetDefaultStr(*pvc, "apiVersion", "v1");
      SetDefaultStr(*pvc, "kind", "PersistentVolumeClaim");
      if (json::object* meta = EnsureObj(*pvc, "metadata")) {
        if (!meta->contains("creationTimestamp")) (*meta)["creationTimestamp"] = nullptr;
      }
      DefaultPersistentVolumeClaimSpec(*pvc);
    }
  }
  DefaultPodTemplateAt(*spec, "template");
}

void DefaultDaemonSet(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  if (json::object* us = EnsureObj(*spec, "updateStrategy")) {
    SetDefaultStr(*us, "type", "RollingUpdate");
    if (GetStr(*us, "type") == "RollingUpdate") {
      if (json::object* ru = EnsureObj(*us, "rollingUpdate")) {
        SetDefault(*ru, "maxUnavailable", 1);
        SetDefault(*ru, "maxSurge", 0);
      }
    }
  }
  SetDefault(*spec, "revisionHistoryLimit", 10);
  DefaultPodTemplateAt(*spec, "template");
  // templateGeneration starts at 1; the server bumps it when the template changes.
  if (json::object* meta = EnsureObj(obj, "metadata")) {
    if (json::object* ann = EnsureObj(*meta, "annotations")) {
      SetDefaultStr(*ann, "deprecated.daemonset.template.generation", "1");
    }
  }
}

void DefaultJob(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  if (!Has(*spec, "completions") && !Has(*spec, "parallelism")) {
    (*spec)["completions"] = 1;
    (*spec)["parallelism"] = 1;
  }
  SetDefault(*spec, "parallelism", 1);
  if (!Has(*spec, "backoffLimit")) {
    (*spec)["backoffLimit"] = Has(*spec, "backoffLimitPerIndex") ? 2147483647 : 6;
  }
  SetDefaultStr(*spec, "completionMode", "NonIndexed");
  SetDefault(*spec, "suspend", false);
  bool has_pfp = Has(*spec, "podFailurePolicy");
  if (json::object* pfp = MutObj(*spec, "podFailurePolicy")) {
    if (json::array* rules = MutArr(*pfp, "rules")) {
      for (auto& r : *rules) {
        json::array* conds = r.if_object() ? MutArr(r.get_object(), "onPodConditions") : nullptr;
        if (conds == nullptr) continue;
        for (auto& c : *conds) {
          if (json::object* co = c.if_object()) SetDefaultStr(*co, "status", "True");
        }
      }
    }
  }
  SetDefaultStr(*spec, "podReplacementPolicy", has_pfp ? "Failed" : "TerminatingOrFailed");
  SetDefault(*spec, "manualSelector", false);
  DefaultPodTemplateAt(*spec, "template");

  // Create-time selector generation (job strategy PrepareForCreate): needs the uid the server
  // assigned before defaulting.
  std::string uid(GetStr(GetObj(obj, "metadata"), "uid"));
  std::string name(GetStr(GetObj(obj, "metadata"), "name"));
  if (!validation::IsTrue(spec, "manualSelector") && !uid.empty()) {
    if (json::object* tmpl = EnsureObj(*spec, "template")) {
      if (json::object* tmeta = EnsureObj(*tmpl, "metadata")) {
        if (json::object* labels = EnsureObj(*tmeta, "labels")) {
          for (const char* key : {"job-name", "batch.kubernetes.io/job-name"}) {
            if (!labels->contains(key)) (*labels)[key] = name;
          }
          for (const char* key : {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
            if (!labels->contains(key)) (*labels)[key] = uid;
          }
        }
      }
    }
    if (json::object* sel = EnsureObj(*spec, "selector")) {
      if (json::object* ml = EnsureObj(*sel, "matchLabels")) {
        if (!ml->contains("batch.kubernetes.io/controller-uid"))
          (*ml)["batch.kubernetes.io/controller-uid"] = uid;
      }
    }
  }
  json::object labels = TemplateLabels(GetObj(obj, "spec"));
  if (!labels.empty() && !HasLabels(obj)) SetLabels(obj, labels);
}

void DefaultCronJob(json::object& obj) {
  json::object* spec = EnsureObj(obj, "spec");
  if (spec == nullptr) return;
  SetDefaultStr(*spec, "concurrencyPolicy", "Allow");
  SetDefault(*spec, "suspend", false);
  SetDefault(*spec, "successfulJobsHistoryLimit", 3);
  SetDefault(*spec, "failedJobsHistoryLimit", 1);
  if (json::object* jt = EnsureObj(*spec, "jobTemplate")) {
    if (json::object* meta = EnsureObj(*jt, "metadata")) {
      if (!meta->contains("creationTimestamp")) (*meta)["creationTimestamp"] = nullptr;
    }
    if (json::object* jspec = EnsureObj(*jt, "spec")) DefaultPodTemplateAt(*jspec, "template");
  }
}

void DefaultPodTemplate(json::object& obj) { DefaultPodTemplateAt(obj, "template"); }

}  // namespace kc::api::defaults
