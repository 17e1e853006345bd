#include "pkg/store/watch_hub.h"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

namespace kc::store {
namespace {

std::shared_ptr<const Event> Put(const std::string& key, int64_t rev) {
  auto ev = std::make_shared<Event>();
  ev->kv = KeyValue{key, "v", rev, rev};
  return ev;
}

TEST_CASE("WatchHub: prefix filtering, start revision and replay order") {
  auto hub = std::make_shared<WatchHub>(10, 100);
  int64_t at = 0;
  auto all = hub->Subscribe("", 0, &at);
  CHECK(at == 10);
  auto pods = hub->Subscribe("/pods/", 0, &at);
  auto later = hub->Subscribe("/pods/", 12, &at);  // skips revisions <= 12
  CHECK(hub->watchers() == 3);

  hub->Publish({Put("/pods/a", 11), Put("/svc/a", 12), Put("/pods/b", 13)});
  CHECK(hub->revision() == 13);

  std::vector<Event> out;
  CHECK(all->Poll(&out));
  CHECK(out.size() == 3);
  out.clear();
  CHECK(pods->Poll(&out));
  REQUIRE(out.size() == 2);
  CHECK(out[0].kv.key == "/pods/a");
  CHECK(out[1].kv.key == "/pods/b");
  out.clear();
  CHECK(later->Poll(&out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].kv.mod_revision == 13);

  SUBCASE("replayed events come before live ones and duplicates are dropped") {
    auto w = hub->Subscribe("/pods/", 5, &at);
    CHECK(at == 13);
    hub->Publish({Put("/pods/c", 14)});
    std::vector<Event> replay;
    for (int64_t rev : {6, 9, 13}) replay.push_back(*Put("/pods/r", rev));
    replay.push_back(*Put("/pods/r", 9));  // out of order: must not be delivered twice
    w->SetReplay(std::move(replay));
    std::vector<Event> got;
    CHECK(w->Poll(&got));
    std::vector<int64_t> revs;
    for (const auto& ev : got) revs.push_back(ev.kv.mod_revision);
    CHECK(revs == std::vector<int64_t>{6, 9, 13, 14});
  }
  SUBCASE("Poll honours max") {
    hub->Publish({Put("/pods/x", 14), Put("/pods/y", 15), Put("/pods/z", 16)});
    std::vector<Event> got;
    CHECK(pods->Poll(&got, 2));
    CHECK(got.size() == 2);
    CHECK(pods->Poll(&got, 2));
    CHECK(got.size() == 3);
  }
}

TEST_CASE("WatchHub: overflow closes only the lagging watch") {
  auto hub = std::make_shared<WatchHub>(0, 2);
  int64_t at = 0;
  auto lagging = hub->Subscribe("/a/", 0, &at);
  auto other = hub->Subscribe("/b/", 0, &at);
  hub->Publish({Put("/a/1", 1), Put("/a/2", 2), Put("/a/3", 3), Put("/b/1", 4)});
  CHECK(lagging->closed_status().reason() == api::Reason::kGone);
  CHECK(other->closed_status().ok());
  CHECK(hub->watchers() == 1);
  CHECK(lagging->Wait(0));
  std::vector<Event> out;
  CHECK(lagging->Poll(&out));
  CHECK(out.size() == 2);
  CHECK_FALSE(lagging->Poll(&out));
  out.clear();
  CHECK(other->Poll(&out));
  CHECK(out.size() == 1);
}

TEST_CASE("WatchHub: CloseAll closes current and future watches") {
  auto hub = std::make_shared<WatchHub>(0, 10);
  int64_t at = 0;
  auto w = hub->Subscribe("", 0, &at);
  int calls = 0;
  w->SetNotify([&] { ++calls; });
  CHECK_FALSE(w->Wait(1));
  hub->CloseAll(api::Status::Unavailable("closing"));
  CHECK(calls == 1);
  CHECK(w->Wait(0));
  std::vector<Event> out;
  CHECK_FALSE(w->Poll(&out));
  CHECK(w->closed_status().reason() == api::Reason::kServiceUnavailable);
  auto late = hub->Subscribe("", 0, &at);
  CHECK_FALSE(late->Poll(&out));
  CHECK(hub->watchers() == 0);
}

}  // namespace
}  // namespace kc::store
