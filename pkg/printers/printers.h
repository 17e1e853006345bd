// Server-side Table printing: the columns and cells `kubectl get` shows for each built-in kind,
// following upstream's pkg/printers/internalversion (Kubernetes 1.32).
//
// The API server always builds tables in "wide" mode: every column, including priority>0 ones,
// is sent and every row carries one cell per column. Objects are the JSON form of the served
// version (boost::json); missing or mistyped fields print as upstream prints the zero value.
//
// Thread-safety: all functions are pure; column tables are immutable statics built on first use
// (thread-safe function-local initialisation), so any thread may call them concurrently.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "pkg/api/resource_info.h"

namespace kc::printers {

// One metav1.TableColumnDefinition. `type` is an OpenAPI type ("string", "integer", "date", ...);
// `format` is "name" for the primary name column; priority 0 is shown by default, 1 only with -o wide.
struct Column {
  std::string name, type, format, description;
  int priority = 0;
};

// Columns for the kind. The Name column (format "name") is always present; for most kinds it is
// first (core Event puts it last, as upstream does). Kinds without a specific printer get
// upstream's default table: Name + "Created At" (type date).
const std::vector<Column>& ColumnsFor(const api::ResourceInfo& ri);

// One cell per column of ColumnsFor(ri), in the same order. Cells are JSON strings, integers or
// booleans exactly as upstream emits them. `now` is the reference time for ages.
boost::json::array CellsFor(const api::ResourceInfo& ri, const boost::json::object& obj,
                            std::chrono::system_clock::time_point now);

// rows[].conditions for the object: Pods in phase Succeeded/Failed get a "Completed" condition;
// everything else gets an empty array (the field should then be omitted).
boost::json::array RowConditionsFor(const api::ResourceInfo& ri, const boost::json::object& obj);

// kubectl's age format, exactly upstream's duration.HumanDuration: "5s", "3m20s", "10m", "7h59m",
// "5h", "3d", "2y45d", "9y"; "<invalid>" for negative durations beyond one second of skew.
std::string HumanDuration(std::chrono::seconds d);

// The columns as the Table's `columnDefinitions` JSON array (every field present, none omitted).
boost::json::array ColumnDefinitionsJson(const std::vector<Column>& columns);

}  // namespace kc::printers
