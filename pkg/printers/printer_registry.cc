#include "pkg/printers/printer_registry.h"

#include <boost/json/value.hpp>

namespace kc::printers {
namespace internal {

Column NameColumn() {
  return Column{"Name", "string", "name",
                "Name must be unique within a namespace; it identifies the object.", 0};
}

Column AgeColumn() {
  return Column{"Age", "string", "",
                "Time since the object was created (metadata.creationTimestamp).", 0};
}

Column Col(std::string name, std::string type, std::string description, int priority) {
  return Column{std::move(name), std::move(type), "", std::move(description), priority};
}

const PrinterMap& Printers() {
  static const PrinterMap printers = [] {
    PrinterMap m;
    AddPodPrinters(&m);
    AddWorkloadPrinters(&m);
    AddBatchPrinters(&m);
    AddCorePrinters(&m);
    AddNetworkPrinters(&m);
    AddStoragePrinters(&m);
    AddEventPrinters(&m);
    AddPolicyPrinters(&m);
    return m;
  }();
  return printers;
}

namespace {

// Upstream's default table (apiserver rest.defaultTableConvertor): Name + "Created At".
const std::vector<Column>& DefaultColumns() {
  static const std::vector<Column> cols = {
      NameColumn(),
      Column{"Created At", "date", "",
             "CreationTimestamp is a timestamp representing the server time when this object was "
             "created.",
             0},
  };
  return cols;
}

// The creation time as an absolute UTC RFC3339 timestamp; an unset time prints as Go's zero time.
void DefaultCells(const boost::json::object& obj, TimePoint, boost::json::array* cells) {
  cells->emplace_back(Name(obj));
  auto ts = ParseTime(Str(Meta(obj), "creationTimestamp"));
  cells->emplace_back(ts ? FormatTime(*ts) : std::string("0001-01-01T00:00:00Z"));
}

const KindPrinter* Lookup(const api::ResourceInfo& ri) {
  const auto& m = Printers();
  auto it = m.find({ri.group, ri.kind});
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace
}  // namespace internal

const std::vector<Column>& ColumnsFor(const api::ResourceInfo& ri) {
  if (const auto* p = internal::Lookup(ri)) return p->columns;
  return internal::DefaultColumns();
}

boost::json::array CellsFor(const api::ResourceInfo& ri, const boost::json::object& obj,
                            std::chrono::system_clock::time_point now) {
  boost::json::array cells;
  const auto* p = internal::Lookup(ri);
  size_t ncols;
  if (p) {
    p->cells(obj, now, &cells);
    ncols = p->columns.size();
  } else {
    internal::DefaultCells(obj, now, &cells);
    ncols = internal::DefaultColumns().size();
  }
  // kubectl requires exactly one cell per column; printers are written to guarantee it, this only
  // keeps a bug from corrupting the client's column layout.
  while (cells.size() < ncols) cells.emplace_back(nullptr);
  cells.resize(ncols);
  return cells;
}

boost::json::array ColumnDefinitionsJson(const std::vector<Column>& columns) {
  boost::json::array out;
  out.reserve(columns.size());
  for (const auto& c : columns) {
    boost::json::object o;
    o["name"] = c.name;
    o["type"] = c.type;
    o["format"] = c.format;
    o["description"] = c.description;
    o["priority"] = c.priority;
    out.emplace_back(std::move(o));
  }
  return out;
}

}  // namespace kc::printers
