#include "pkg/client/event_recorder.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <mutex>

#include "pkg/api/json_path.h"
#include "pkg/api/time_util.h"
#include "pkg/client/fake_client.h"

namespace kc::client {
namespace {

const ResourceRef kEventsRes{"", "v1", "events"};

Object Pod(const std::string& name) {
  return boost::json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                            R"(","namespace":"team","uid":"uid-)" + name +
                            R"(","resourceVersion":"7"}})")
      .as_object();
}

std::vector<Object> Events(FakeClient& fake, const std::string& ns = "") {
  api::Result<ObjectList> l = fake.List(kEventsRes, ns, {});
  REQUIRE(l.ok());
  return l->items;
}

std::string S(const Object& o, std::string_view path) {
  const boost::json::value* v = api::Lookup(o, path);
  return v && v->is_string() ? std::string(v->get_string()) : "";
}

int64_t Count(const Object& o) { return api::GetInt64(o, "count"); }

TEST_CASE("event recorder: writes a core/v1 Event with upstream's fields") {
  FakeClient fake;
  FakeClock clock;
  EventRecorder rec(fake, "node-controller", "host-1", &clock);
  Object pod = Pod("web");
  rec.Event(pod, kEventTypeWarning, "NodeNotReady", "Node is not ready");
  rec.Flush();

  std::vector<Object> evs = Events(fake);
  REQUIRE(evs.size() == 1);
  const Object& e = evs[0];
  std::string name = S(e, "metadata.name");
  CHECK(name.rfind("web.", 0) == 0);
  CHECK(name.size() == 4 + 16);  // 16 hex digits of the unix nanoseconds (dates after 2004)
  CHECK(name.find_first_not_of("0123456789abcdef", 4) == std::string::npos);
  CHECK(S(e, "metadata.namespace") == "team");
  CHECK(S(e, "involvedObject.kind") == "Pod");
  CHECK(S(e, "involvedObject.apiVersion") == "v1");
  CHECK(S(e, "involvedObject.namespace") == "team");
  CHECK(S(e, "involvedObject.name") == "web");
  CHECK(S(e, "involvedObject.uid") == "uid-web");
  CHECK(S(e, "involvedObject.resourceVersion") == "7");
  CHECK(S(e, "reason") == "NodeNotReady");
  CHECK(S(e, "message") == "Node is not ready");
  CHECK(S(e, "type") == "Warning");
  CHECK(S(e, "source.component") == "node-controller");
  CHECK(S(e, "source.host") == "host-1");
  CHECK(S(e, "reportingComponent") == "node-controller");
  CHECK(S(e, "reportingInstance") == "host-1");
  CHECK(Count(e) == 1);
  CHECK(api::ParseTime(S(e, "firstTimestamp")).has_value());
  CHECK(S(e, "firstTimestamp") == S(e, "lastTimestamp"));

  SUBCASE("cluster-scoped objects get their Events in default") {
    Object node = boost::json::parse(
                      R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","uid":"u1"}})")
                      .as_object();
    rec.Event(node, kEventTypeNormal, "RegisteredNode", "Node n1 event: Registered Node n1");
    rec.Flush();
    std::vector<Object> d = Events(fake, "default");
    REQUIRE(d.size() == 1);
    CHECK(S(d[0], "involvedObject.kind") == "Node");
    CHECK_FALSE(d[0].at("involvedObject").as_object().contains("namespace"));
  }
  SUBCASE("an unknown type is dropped") {
    rec.Event(pod, "Fatal", "X", "y");
    rec.Flush();
    CHECK(Events(fake).size() == 1);
  }
  SUBCASE("kind and apiVersion can be given for objects without them") {
    Object bare = Pod("bare");
    bare.erase("kind");
    bare.erase("apiVersion");
    rec.Event(ObjectReference::Of(bare, "Pod", "v1"), kEventTypeNormal, "Scheduled", "ok");
    rec.Flush();
    bool found = false;
    for (const Object& ev : Events(fake)) {
      if (S(ev, "involvedObject.name") == "bare") {
        found = true;
        CHECK(S(ev, "involvedObject.kind") == "Pod");
        CHECK(S(ev, "involvedObject.apiVersion") == "v1");
      }
    }
    CHECK(found);
  }
}

TEST_CASE("event recorder: identical events are counted on one Event") {
  FakeClient fake;
  FakeClock clock;
  EventRecorder rec(fake, "kubelet", "n1", &clock);
  Object pod = Pod("web");
  rec.Event(pod, kEventTypeNormal, "Pulled", "Image pulled");
  rec.Flush();
  std::string first_ts = S(Events(fake)[0], "firstTimestamp");
  clock.Advance(std::chrono::seconds(90));
  rec.Event(pod, kEventTypeNormal, "Pulled", "Image pulled");
  clock.Advance(std::chrono::seconds(30));
  rec.Event(pod, kEventTypeNormal, "Pulled", "Image pulled");
  rec.Flush();

  std::vector<Object> evs = Events(fake);
  REQUIRE(evs.size() == 1);
  CHECK(Count(evs[0]) == 3);
  CHECK(S(evs[0], "firstTimestamp") == first_ts);
  auto first = api::ParseTime(first_ts);
  auto last = api::ParseTime(S(evs[0], "lastTimestamp"));
  REQUIRE(first);
  REQUIRE(last);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(*last - *first).count() == 120);
  CHECK(fake.ActionsFor("create", "events").size() == 1);
  CHECK(fake.ActionsFor("patch", "events").size() == 2);

  SUBCASE("a different message, reason or object is another Event") {
    rec.Event(pod, kEventTypeNormal, "Pulled", "Other image pulled");
    rec.Event(pod, kEventTypeNormal, "Created", "Image pulled");
    rec.Event(Pod("db"), kEventTypeNormal, "Pulled", "Image pulled");
    rec.Flush();
    CHECK(Events(fake).size() == 4);
  }
  SUBCASE("an Event deleted in between (TTL) is created again") {
    REQUIRE(fake.Delete(kEventsRes, "team", S(evs[0], "metadata.name")).ok());
    rec.Event(pod, kEventTypeNormal, "Pulled", "Image pulled");
    rec.Flush();
    std::vector<Object> again = Events(fake);
    REQUIRE(again.size() == 1);
    CHECK(Count(again[0]) == 4);
    CHECK(fake.ActionsFor("create", "events").size() == 2);
  }
}

TEST_CASE("event recorder: similar events with many messages are combined") {
  FakeClient fake;
  FakeClock clock;
  EventRecorder rec(fake, "scheduler", "", &clock);
  Object pod = Pod("web");
  for (int i = 0; i < 9; ++i) {
    rec.Event(pod, kEventTypeWarning, "FailedScheduling", "try " + std::to_string(i));
  }
  rec.Flush();
  CHECK(Events(fake).size() == 9);
  rec.Event(pod, kEventTypeWarning, "FailedScheduling", "try 9");
  rec.Event(pod, kEventTypeWarning, "FailedScheduling", "try 10");
  rec.Flush();
  std::vector<Object> evs = Events(fake);
  REQUIRE(evs.size() == 10);
  int combined = 0;
  for (const Object& e : evs) {
    if (S(e, "message").rfind("(combined from similar events): ", 0) == 0) {
      ++combined;
      CHECK(S(e, "message") == "(combined from similar events): try 10");
      CHECK(Count(e) == 2);
    }
  }
  CHECK(combined == 1);

  SUBCASE("after the 10 minute window messages count afresh") {
    clock.Advance(std::chrono::minutes(11));
    rec.Event(pod, kEventTypeWarning, "FailedScheduling", "try 11");
    rec.Flush();
    bool plain = false;
    for (const Object& e : Events(fake)) plain = plain || S(e, "message") == "try 11";
    CHECK(plain);
  }
}

TEST_CASE("event recorder: the spam filter allows a burst of 25 per object, then 1 per 5 min") {
  FakeClient fake;
  FakeClock clock;
  EventRecorder rec(fake, "ctl", "", &clock);
  Object pod = Pod("web");
  for (int i = 0; i < 30; ++i) {
    rec.Event(pod, kEventTypeNormal, "R" + std::to_string(i), "m");
  }
  rec.Event(Pod("other"), kEventTypeNormal, "R", "m");  // another object has its own bucket
  rec.Flush();
  CHECK(Events(fake).size() == 26);
  clock.Advance(std::chrono::minutes(5));
  rec.Event(pod, kEventTypeNormal, "Later1", "m");
  rec.Event(pod, kEventTypeNormal, "Later2", "m");
  rec.Flush();
  CHECK(Events(fake).size() == 27);
}

TEST_CASE("event recorder: never blocks the caller; a full queue drops; Stop flushes") {
  FakeClient fake;
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  fake.AddReactor("create", "events", [&](const FakeClient::Action&) -> std::optional<api::Status> {
    std::unique_lock<std::mutex> l(mu);
    entered = true;
    cv.notify_all();
    cv.wait(l, [&] { return release; });
    return std::nullopt;
  });
  EventRecorderOptions opts;
  opts.queue_size = 2;
  EventRecorder rec(fake, "ctl", "", nullptr, opts);
  rec.Event(Pod("p0"), kEventTypeNormal, "R", "m");
  {
    std::unique_lock<std::mutex> l(mu);
    REQUIRE(cv.wait_for(l, std::chrono::seconds(5), [&] { return entered; }));
  }
  // The writer is stuck in the API call: two more fit, the rest is dropped at once.
  for (int i = 1; i < 6; ++i) rec.Event(Pod("p" + std::to_string(i)), kEventTypeNormal, "R", "m");
  CHECK(rec.Dropped() == 3);
  {
    std::lock_guard<std::mutex> l(mu);
    release = true;
    cv.notify_all();
  }
  rec.Stop();
  CHECK(Events(fake).size() == 3);
  rec.Event(Pod("late"), kEventTypeNormal, "R", "m");  // after Stop: dropped
  CHECK(rec.Dropped() == 4);
  rec.Flush();  // returns at once after Stop
}

TEST_CASE("event recorder: write failures are logged and do not stop the recorder") {
  FakeClient fake;
  int failures = 1;
  fake.AddReactor("create", "events", [&](const FakeClient::Action&) -> std::optional<api::Status> {
    if (failures-- > 0) return api::Status::Internal("etcd down");
    return std::nullopt;
  });
  EventRecorder rec(fake, "ctl");
  rec.Event(Pod("a"), kEventTypeNormal, "R", "m");
  rec.Event(Pod("b"), kEventTypeNormal, "R", "m");
  rec.Flush();
  std::vector<Object> evs = Events(fake);
  REQUIRE(evs.size() == 1);
  CHECK(S(evs[0], "involvedObject.name") == "b");
  CHECK_FALSE(evs[0].at("source").as_object().contains("host"));
  CHECK(S(evs[0], "reportingInstance").empty());
}

}  // namespace
}  // namespace kc::client
