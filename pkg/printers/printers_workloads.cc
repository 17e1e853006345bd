// Tables for pod controllers: Deployment, ReplicaSet, ReplicationController, StatefulSet,
// DaemonSet, plus ControllerRevision and PodTemplate.
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

const boost::json::object* TemplatePodSpec(const boost::json::object& obj) {
  return Path(obj, {"spec", "template", "spec"});
}

// Containers / Images cells of spec.template.spec.
void AppendContainers(const boost::json::object* pod_spec, boost::json::array* cells) {
  std::string names, images;
  ContainersAndImages(pod_spec, &names, &images);
  cells->emplace_back(names);
  cells->emplace_back(images);
}

std::vector<Column> ContainerColumns() {
  return {
      Col("Containers", "string", "Names of each container in the template.", 1),
      Col("Images", "string", "Images referenced by each container in the template.", 1),
  };
}

// spec.replicas as the internal (defaulted) type holds it: absent means the default of 1.
int64_t DesiredReplicas(const boost::json::object& obj) {
  return IntOr(FindObj(obj, "spec"), "replicas", 1);
}

void DeploymentCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  cells->emplace_back(Name(obj));
  cells->emplace_back(std::to_string(IntOr(status, "readyReplicas", 0)) + "/" +
                      std::to_string(DesiredReplicas(obj)));
  cells->emplace_back(IntOr(status, "updatedReplicas", 0));
  cells->emplace_back(IntOr(status, "availableReplicas", 0));
  cells->emplace_back(Age(obj, now));
  AppendContainers(TemplatePodSpec(obj), cells);
  bool ok = true;
  std::string sel = SelectorString(FindObj(FindObj(obj, "spec"), "selector"), &ok);
  cells->emplace_back(ok ? sel : "<invalid>");
}

// ReplicaSet and ReplicationController share the layout; only the selector type differs.
void ReplicaCountCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  cells->emplace_back(Name(obj));
  cells->emplace_back(DesiredReplicas(obj));
  cells->emplace_back(IntOr(status, "replicas", 0));
  cells->emplace_back(IntOr(status, "readyReplicas", 0));
  cells->emplace_back(Age(obj, now));
  AppendContainers(TemplatePodSpec(obj), cells);
}

void ReplicaSetCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  ReplicaCountCells(obj, now, cells);
  cells->emplace_back(FormatLabelSelector(FindObj(FindObj(obj, "spec"), "selector")));
}

void ReplicationControllerCells(const boost::json::object& obj, TimePoint now,
                                boost::json::array* cells) {
  ReplicaCountCells(obj, now, cells);
  cells->emplace_back(FormatLabels(FindObj(FindObj(obj, "spec"), "selector")));
}

void StatefulSetCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  cells->emplace_back(Name(obj));
  cells->emplace_back(std::to_string(IntOr(status, "readyReplicas", 0)) + "/" +
                      std::to_string(DesiredReplicas(obj)));
  cells->emplace_back(Age(obj, now));
  AppendContainers(TemplatePodSpec(obj), cells);
}

void DaemonSetCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  const auto* status = FindObj(obj, "status");
  const auto* pod_spec = TemplatePodSpec(obj);
  cells->emplace_back(Name(obj));
  cells->emplace_back(IntOr(status, "desiredNumberScheduled", 0));
  cells->emplace_back(IntOr(status, "currentNumberScheduled", 0));
  cells->emplace_back(IntOr(status, "numberReady", 0));
  cells->emplace_back(IntOr(status, "updatedNumberScheduled", 0));
  cells->emplace_back(IntOr(status, "numberAvailable", 0));
  cells->emplace_back(FormatLabels(FindObj(pod_spec, "nodeSelector")));
  cells->emplace_back(Age(obj, now));
  AppendContainers(pod_spec, cells);
  cells->emplace_back(FormatLabelSelector(FindObj(FindObj(obj, "spec"), "selector")));
}

void ControllerRevisionCells(const boost::json::object& obj, TimePoint now,
                             boost::json::array* cells) {
  std::string controller = "<none>";
  if (const auto* refs = FindArr(Meta(obj), "ownerReferences")) {
    for (const auto& r : *refs) {
      const auto* ref = r.if_object();
      if (!ref || !Bool(ref, "controller").value_or(false)) continue;
      const std::string api_version = Str(*ref, "apiVersion");
      const auto slash = api_version.find('/');
      const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
      const std::string kind = Str(*ref, "kind");
      std::string group_kind = group.empty() ? kind : kind + "." + group;
      controller = group_kind.empty() ? Str(*ref, "name")
                                      : ToLower(group_kind) + "/" + Str(*ref, "name");
      break;
    }
  }
  cells->emplace_back(Name(obj));
  cells->emplace_back(controller);
  cells->emplace_back(IntOr(&obj, "revision", 0));
  cells->emplace_back(Age(obj, now));
}

void PodTemplateCells(const boost::json::object& obj, TimePoint, boost::json::array* cells) {
  const auto* tmpl = FindObj(obj, "template");
  std::string names, images;
  ContainersAndImages(FindObj(tmpl, "spec"), &names, &images);
  cells->emplace_back(Name(obj));
  cells->emplace_back(names);
  cells->emplace_back(images);
  cells->emplace_back(FormatLabels(FindObj(FindObj(tmpl, "metadata"), "labels")));
}

std::vector<Column> ReplicaCountColumns(const char* selector_desc) {
  std::vector<Column> cols = {
      NameColumn(),
      Col("Desired", "integer", "Number of desired pods."),
      Col("Current", "integer", "Number of most recently observed pods."),
      Col("Ready", "integer", "Number of pods with a Ready condition."),
      AgeColumn(),
  };
  for (auto& c : ContainerColumns()) cols.push_back(std::move(c));
  cols.push_back(Col("Selector", "string", selector_desc, 1));
  return cols;
}

}  // namespace

void AddWorkloadPrinters(PrinterMap* m) {
  {
    std::vector<Column> cols = {
        NameColumn(),
        Col("Ready", "string", "Number of ready pods out of the desired replicas."),
        Col("Up-to-date", "string", "Total number of pods targeted by this deployment that have the desired template."),
        Col("Available", "string", "Total number of available pods (ready for at least minReadySeconds)."),
        AgeColumn(),
    };
    for (auto& c : ContainerColumns()) cols.push_back(std::move(c));
    cols.push_back(Col("Selector", "string", "Label selector for the pods of this deployment.", 1));
    (*m)[{"apps", "Deployment"}] = KindPrinter{std::move(cols), &DeploymentCells};
  }
  (*m)[{"apps", "ReplicaSet"}] = KindPrinter{
      ReplicaCountColumns("Label query over the pods that should match the replica count."),
      &ReplicaSetCells};
  (*m)[{"", "ReplicationController"}] = KindPrinter{
      ReplicaCountColumns("Label keys and values the pods must match to be controlled."),
      &ReplicationControllerCells};
  {
    std::vector<Column> cols = {
        NameColumn(),
        Col("Ready", "string", "Number of ready pods out of the desired replicas."),
        AgeColumn(),
    };
    for (auto& c : ContainerColumns()) cols.push_back(std::move(c));
    (*m)[{"apps", "StatefulSet"}] = KindPrinter{std::move(cols), &StatefulSetCells};
  }
  {
    std::vector<Column> cols = {
        NameColumn(),
        Col("Desired", "integer", "Number of nodes that should run the daemon pod."),
        Col("Current", "integer", "Number of nodes running at least one daemon pod that should."),
        Col("Ready", "integer", "Number of nodes whose daemon pod is ready."),
        Col("Up-to-date", "integer", "Number of nodes running the updated daemon pod."),
        Col("Available", "integer", "Number of nodes whose daemon pod is available."),
        Col("Node Selector", "string", "Node labels the daemon pods are restricted to."),
        AgeColumn(),
    };
    for (auto& c : ContainerColumns()) cols.push_back(std::move(c));
    cols.push_back(Col("Selector", "string", "Label query over the pods managed by the daemon set.", 1));
    (*m)[{"apps", "DaemonSet"}] = KindPrinter{std::move(cols), &DaemonSetCells};
  }
  (*m)[{"apps", "ControllerRevision"}] = KindPrinter{
      {
          NameColumn(),
          Col("Controller", "string", "The controller that owns this revision."),
          Col("Revision", "string", "Revision number of the state this object holds."),
          AgeColumn(),
      },
      &ControllerRevisionCells};
  (*m)[{"", "PodTemplate"}] = KindPrinter{
      {
          NameColumn(),
          Col("Containers", "string", "Names of each container in the template."),
          Col("Images", "string", "Images referenced by each container in the template."),
          Col("Pod Labels", "string", "Labels of the pods created from this template."),
      },
      &PodTemplateCells};
}

}  // namespace kc::printers::internal
