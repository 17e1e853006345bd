// Event tables. core/v1 and events.k8s.io/v1 Events convert to the same internal type upstream,
// so both print LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT,
// NAME (the server always sends the 10-cell wide layout).
#include <string>

#include "pkg/printers/printer_registry.h"

namespace kc::printers::internal {
namespace {

// The fields of the internal Event the printer reads, filled from either API version.
struct EventView {
  std::string first_timestamp, last_timestamp, event_time;
  const boost::json::object* series = nullptr;
  int64_t count = 0;
  const boost::json::object* involved = nullptr;
  std::string type, reason, message;
  std::string source_component, source_host, reporting_controller, reporting_instance;
};

std::string Trim(const std::string& s) {
  const char* ws = " \t\n\r\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

void EventCellsFromView(const boost::json::object& obj, const EventView& ev, TimePoint now,
                        boost::json::array* cells) {
  std::string first = ev.first_timestamp.empty() ? AgeSince(ev.event_time, now)
                                                 : AgeSince(ev.first_timestamp, now);
  std::string last = ev.last_timestamp.empty() ? first : AgeSince(ev.last_timestamp, now);
  int64_t count = ev.count;
  if (ev.series) {
    last = AgeSince(Str(ev.series, "lastObservedTime"), now);
    count = IntOr(ev.series, "count", 0);
  } else if (count == 0) {
    count = 1;  // singleton events from the new API carry no count
  }
  const std::string kind = ToLower(Str(ev.involved, "kind"));
  const std::string name = Str(ev.involved, "name");
  const std::string target = name.empty() ? kind : kind + "/" + name;
  const std::string component =
      ev.source_component.empty() ? ev.reporting_controller : ev.source_component;
  const std::string host = ev.source_host.empty() ? ev.reporting_instance : ev.source_host;
  const std::string source = host.empty() ? component : component + ", " + host;

  cells->emplace_back(last);
  cells->emplace_back(ev.type);
  cells->emplace_back(ev.reason);
  cells->emplace_back(target);
  cells->emplace_back(Str(ev.involved, "fieldPath"));
  cells->emplace_back(source);
  cells->emplace_back(Trim(ev.message));
  cells->emplace_back(first);
  cells->emplace_back(count);
  cells->emplace_back(Name(obj));
}

void CoreEventCells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  EventView ev;
  ev.first_timestamp = Str(obj, "firstTimestamp");
  ev.last_timestamp = Str(obj, "lastTimestamp");
  ev.event_time = Str(obj, "eventTime");
  ev.series = FindObj(obj, "series");
  ev.count = IntOr(&obj, "count", 0);
  ev.involved = FindObj(obj, "involvedObject");
  ev.type = Str(obj, "type");
  ev.reason = Str(obj, "reason");
  ev.message = Str(obj, "message");
  const auto* source = FindObj(obj, "source");
  ev.source_component = Str(source, "component");
  ev.source_host = Str(source, "host");
  ev.reporting_controller = Str(obj, "reportingComponent");
  ev.reporting_instance = Str(obj, "reportingInstance");
  EventCellsFromView(obj, ev, now, cells);
}

// events.k8s.io/v1 field names (regarding, note, deprecated*) mapped onto the core shape.
void EventsV1Cells(const boost::json::object& obj, TimePoint now, boost::json::array* cells) {
  EventView ev;
  ev.first_timestamp = Str(obj, "deprecatedFirstTimestamp");
  ev.last_timestamp = Str(obj, "deprecatedLastTimestamp");
  ev.event_time = Str(obj, "eventTime");
  ev.series = FindObj(obj, "series");
  ev.count = IntOr(&obj, "deprecatedCount", 0);
  ev.involved = FindObj(obj, "regarding");
  ev.type = Str(obj, "type");
  ev.reason = Str(obj, "reason");
  ev.message = Str(obj, "note");
  const auto* source = FindObj(obj, "deprecatedSource");
  ev.source_component = Str(source, "component");
  ev.source_host = Str(source, "host");
  ev.reporting_controller = Str(obj, "reportingController");
  ev.reporting_instance = Str(obj, "reportingInstance");
  EventCellsFromView(obj, ev, now, cells);
}

std::vector<Column> EventColumns() {
  Column name = NameColumn();
  name.priority = 1;
  return {
      Col("Last Seen", "string", "Time since the event was last observed."),
      Col("Type", "string", "Type of the event: Normal or Warning."),
      Col("Reason", "string", "Short machine-readable reason for the event."),
      Col("Object", "string", "The object the event is about."),
      Col("Subobject", "string", "The part of the object the event is about.", 1),
      Col("Source", "string", "The component that reported the event.", 1),
      Col("Message", "string", "Human-readable description of the event."),
      Col("First Seen", "string", "Time since the event was first observed.", 1),
      Col("Count", "string", "How many times the event occurred.", 1),
      name,
  };
}

}  // namespace

void AddEventPrinters(PrinterMap* m) {
  (*m)[{"", "Event"}] = KindPrinter{EventColumns(), &CoreEventCells};
  (*m)[{"events.k8s.io", "Event"}] = KindPrinter{EventColumns(), &EventsV1Cells};
}

}  // namespace kc::printers::internal
