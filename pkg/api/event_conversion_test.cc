#include "pkg/api/event_conversion.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

namespace kc::api {
namespace {

namespace json = boost::json;

json::object Obj(std::string_view s) { return json::parse(s).as_object(); }

std::vector<std::string> Keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  return out;
}

// Every events.k8s.io/v1 field set.
constexpr const char* kEventsV1 = R"({"apiVersion":"events.k8s.io/v1","kind":"Event",
  "metadata":{"name":"web.17","namespace":"default","labels":{"a":"b"}},
  "eventTime":"2024-05-01T10:00:00.000000Z",
  "series":{"count":3,"lastObservedTime":"2024-05-01T10:05:00.000000Z"},
  "reportingController":"kubelet","reportingInstance":"node-1","action":"Pulling",
  "reason":"Pulling","regarding":{"kind":"Pod","namespace":"default","name":"web","uid":"u1",
    "apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{web}"},
  "related":{"kind":"Node","name":"node-1"},"note":"Pulling image","type":"Normal",
  "deprecatedSource":{"component":"kubelet","host":"node-1"},
  "deprecatedFirstTimestamp":"2024-05-01T10:00:00Z",
  "deprecatedLastTimestamp":"2024-05-01T10:05:00Z","deprecatedCount":3})";

// The same Event as core/v1 stores it.
constexpr const char* kCore = R"({"apiVersion":"v1","kind":"Event",
  "metadata":{"name":"web.17","namespace":"default","labels":{"a":"b"}},
  "eventTime":"2024-05-01T10:00:00.000000Z",
  "series":{"count":3,"lastObservedTime":"2024-05-01T10:05:00.000000Z"},
  "reportingComponent":"kubelet","reportingInstance":"node-1","action":"Pulling",
  "reason":"Pulling","involvedObject":{"kind":"Pod","namespace":"default","name":"web","uid":"u1",
    "apiVersion":"v1","resourceVersion":"7","fieldPath":"spec.containers{web}"},
  "related":{"kind":"Node","name":"node-1"},"message":"Pulling image","type":"Normal",
  "source":{"component":"kubelet","host":"node-1"},
  "firstTimestamp":"2024-05-01T10:00:00Z","lastTimestamp":"2024-05-01T10:05:00Z",
  "count":3})";

TEST_CASE("events.k8s.io/v1 to core/v1") {
  json::object obj = Obj(kEventsV1);
  ConvertEventsV1ToCore(obj);
  CHECK(obj == Obj(kCore));
  SUBCASE("the key order is kept") {
    std::vector<std::string> keys = Keys(obj);
    REQUIRE(keys.size() == 17);
    CHECK(keys[0] == "apiVersion");
    CHECK(keys[1] == "kind");
    CHECK(keys[2] == "metadata");
    CHECK(keys[5] == "reportingComponent");
    CHECK(keys[9] == "involvedObject");
  }
  SUBCASE("and back") {
    ConvertCoreToEventsV1(obj);
    CHECK(obj == Obj(kEventsV1));
  }
}

TEST_CASE("core/v1 to events.k8s.io/v1") {
  json::object obj = Obj(kCore);
  ConvertCoreToEventsV1(obj);
  CHECK(obj == Obj(kEventsV1));
  CHECK(obj.at("apiVersion") == "events.k8s.io/v1");
  SUBCASE("and back") {
    ConvertEventsV1ToCore(obj);
    CHECK(obj == Obj(kCore));
  }
}

TEST_CASE("a legacy core/v1 Event as events.k8s.io/v1 sees it") {
  // What client-go's core recorder sends: empty reporting fields, null eventTime.
  json::object obj = Obj(R"({"apiVersion":"v1","kind":"Event",
    "metadata":{"name":"web.1","namespace":"default"},
    "involvedObject":{"kind":"Pod","name":"web"},"reason":"Scheduled","message":"assigned",
    "source":{"component":"default-scheduler"},"firstTimestamp":"2024-05-01T10:00:00Z",
    "lastTimestamp":"2024-05-01T10:00:00Z","count":1,"type":"Normal","eventTime":null,
    "reportingComponent":"","reportingInstance":""})");
  ConvertCoreToEventsV1(obj);
  CHECK(obj == Obj(R"({"apiVersion":"events.k8s.io/v1","kind":"Event",
    "metadata":{"name":"web.1","namespace":"default"},
    "regarding":{"kind":"Pod","name":"web"},"reason":"Scheduled","note":"assigned",
    "deprecatedSource":{"component":"default-scheduler"},
    "deprecatedFirstTimestamp":"2024-05-01T10:00:00Z",
    "deprecatedLastTimestamp":"2024-05-01T10:00:00Z","deprecatedCount":1,"type":"Normal",
    "eventTime":null})"));
  SUBCASE("non-empty reporting fields stay") {
    json::object c = Obj(R"({"reportingComponent":"x","reportingInstance":"y"})");
    ConvertCoreToEventsV1(c);
    CHECK(c.at("reportingController") == "x");
    CHECK(c.at("reportingInstance") == "y");
  }
}

TEST_CASE("fields of the other version are dropped") {
  SUBCASE("core names in an events.k8s.io/v1 object") {
    json::object obj = Obj(R"({"note":"new","message":"stale","count":4,
      "involvedObject":{"name":"x"},"regarding":{"name":"y"}})");
    ConvertEventsV1ToCore(obj);
    CHECK(obj == Obj(R"({"message":"new","involvedObject":{"name":"y"},"apiVersion":"v1"})"));
  }
  SUBCASE("events.k8s.io names in a core/v1 object") {
    json::object obj = Obj(R"({"message":"m","note":"stale","deprecatedCount":2,"count":1})");
    ConvertCoreToEventsV1(obj);
    CHECK(obj == Obj(R"({"note":"m","deprecatedCount":1,"apiVersion":"events.k8s.io/v1"})"));
  }
}

TEST_CASE("malformed values are carried, not interpreted") {
  json::object obj = Obj(R"({"regarding":"not-an-object","note":12,"deprecatedCount":"x"})");
  ConvertEventsV1ToCore(obj);
  CHECK(obj.at("involvedObject") == "not-an-object");
  CHECK(obj.at("message") == 12);
  CHECK(obj.at("count") == "x");
  json::object empty;
  ConvertCoreToEventsV1(empty);
  CHECK(empty == Obj(R"({"apiVersion":"events.k8s.io/v1"})"));
}

TEST_CASE("field selector labels") {
  struct Case {
    const char* label;
    const char* core;    // "" = not supported by core/v1
    const char* events;  // "" = not supported by events.k8s.io/v1
  };
  const Case cases[] = {
      {"involvedObject.name", "involvedObject.name", ""},
      {"involvedObject.fieldPath", "involvedObject.fieldPath", ""},
      {"regarding.name", "", "involvedObject.name"},
      {"regarding.kind", "", "involvedObject.kind"},
      {"regarding.namespace", "", "involvedObject.namespace"},
      {"regarding.uid", "", "involvedObject.uid"},
      {"regarding.apiVersion", "", "involvedObject.apiVersion"},
      {"regarding.resourceVersion", "", "involvedObject.resourceVersion"},
      {"regarding.fieldPath", "", "involvedObject.fieldPath"},
      {"regarding.other", "", ""},
      {"regarding.", "", ""},
      {"reportingComponent", "reportingComponent", ""},
      {"reportingController", "", "reportingComponent"},
      {"source", "source.component", "source.component"},
      {"reason", "reason", "reason"},
      {"type", "type", "type"},
      {"note", "", ""},
      {"message", "", ""},
      {"involvedObject", "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.label);
    CHECK(CoreEventFieldPath(c.label) == c.core);
    CHECK(EventsV1FieldPath(c.label) == c.events);
  }
}

}  // namespace
}  // namespace kc::api
