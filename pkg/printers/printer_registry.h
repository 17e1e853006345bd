// The per-kind printer table behind ColumnsFor/CellsFor: one KindPrinter (columns + a function
// filling the cells) per (group, kind). Each printers_<area>.cc file contributes its kinds through
// an Add<Area>Printers function; printer_registry.cc assembles them once.
//
// Thread-safety: the map is built once (function-local static) and immutable afterwards.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pkg/printers/printer_util.h"
#include "pkg/printers/printers.h"

namespace kc::printers::internal {

// Appends exactly one cell per column of the kind's printer to `cells`.
using CellsFn = void (*)(const boost::json::object& obj, TimePoint now, boost::json::array* cells);

struct KindPrinter {
  std::vector<Column> columns;
  CellsFn cells = nullptr;
};

// Keyed by (group, kind); one printer serves every version of a kind.
using PrinterMap = std::map<std::pair<std::string, std::string>, KindPrinter>;

// Column constructors with upstream's conventions.
Column NameColumn();  // "Name", string, format "name"
Column AgeColumn();   // "Age", string
Column Col(std::string name, std::string type, std::string description, int priority = 0);

void AddPodPrinters(PrinterMap* m);
void AddWorkloadPrinters(PrinterMap* m);   // Deployment, ReplicaSet, RC, StatefulSet, DaemonSet, ...
void AddBatchPrinters(PrinterMap* m);      // Job, CronJob
void AddCorePrinters(PrinterMap* m);       // Namespace, Node, ConfigMap, Secret, ServiceAccount, quota
void AddNetworkPrinters(PrinterMap* m);    // Service, Endpoints, EndpointSlice, Ingress
void AddStoragePrinters(PrinterMap* m);    // PersistentVolume, PersistentVolumeClaim
void AddEventPrinters(PrinterMap* m);      // core/v1 and events.k8s.io/v1 Event
void AddPolicyPrinters(PrinterMap* m);     // PDB, HPA, Lease, RBAC bindings

// The registry (built on first use).
const PrinterMap& Printers();

}  // namespace kc::printers::internal
