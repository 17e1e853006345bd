#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "pkg/store/sqlite_backend.h"
#include "pkg/store/test_temp_dir.h"

namespace kc::store {
namespace {

using api::Reason;

std::unique_ptr<SqliteBackend> OpenStore(const TestTempDir& dir,
                                         SqliteBackend::Options opts = {}) {
  opts.path = dir.File("kv.db");
  auto b = SqliteBackend::Open(opts);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  return std::move(b).value();
}

// Polls until `n` events arrived or `timeout_ms` passed.
std::vector<Event> Collect(Watch& w, size_t n, int timeout_ms = 5000) {
  std::vector<Event> out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    w.Wait(50);
    if (!w.Poll(&out)) break;
  }
  return out;
}

TEST_CASE("Watch: live events carry type, values and previous values") {
  TestTempDir dir;
  auto b = OpenStore(dir);
  REQUIRE(b->Create("/w/before", "x").ok());
  auto w = b->WatchPrefix("/w/", 0);
  REQUIRE(w.ok());
  auto c = b->Create("/w/a", "v1");
  REQUIRE(b->Create("/other/a", "v1").ok());
  auto u = b->Update("/w/a", "v2", *c);
  auto d = b->Delete("/w/a", *u);
  REQUIRE(d.ok());

  auto events = Collect(**w, 3);
  REQUIRE(events.size() == 3);
  CHECK(events[0].type == EventType::kPut);
  CHECK(events[0].created);
  CHECK(events[0].kv.key == "/w/a");
  CHECK(events[0].kv.value == "v1");
  CHECK(events[0].kv.mod_revision == *c);
  CHECK(events[0].prev_kv.value.empty());

  CHECK(events[1].type == EventType::kPut);
  CHECK_FALSE(events[1].created);
  CHECK(events[1].kv.value == "v2");
  CHECK(events[1].kv.create_revision == *c);
  CHECK(events[1].kv.mod_revision == *u);
  CHECK(events[1].prev_kv.value == "v1");
  CHECK(events[1].prev_kv.mod_revision == *c);

  CHECK(events[2].type == EventType::kDelete);
  CHECK(events[2].kv.value == "v2");
  CHECK(events[2].kv.mod_revision == d->mod_revision);
  CHECK(events[2].prev_kv.mod_revision == *u);

  std::vector<Event> more;
  CHECK((*w)->Poll(&more));  // still open, nothing pending
  CHECK(more.empty());
  CHECK((*w)->closed_status().ok());
}

TEST_CASE("Watch: replay from the log gives the same events as a live watch") {
  TestTempDir dir;
  auto b = OpenStore(dir);
  REQUIRE(b->Create("/x/first", "v").ok());  // so the replay can start after a real revision
  auto live = b->WatchPrefix("/w/", 0);
  REQUIRE(live.ok());
  int64_t start = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = b->Create("/w/" + std::to_string(i), "v");
    REQUIRE(r.ok());
    if (i == 0) start = *r;
    REQUIRE(b->Update("/w/" + std::to_string(i), "v2", 0).ok());
    REQUIRE(b->Create("/x/" + std::to_string(i), "v").ok());
  }
  REQUIRE(b->Delete("/w/3", 0).ok());
  auto live_events = Collect(**live, 21);
  REQUIRE(live_events.size() == 21);

  auto replay = b->WatchPrefix("/w/", start - 1);
  REQUIRE(replay.ok());
  auto replay_events = Collect(**replay, 21);
  REQUIRE(replay_events.size() == 21);
  for (size_t i = 0; i < live_events.size(); ++i) {
    const Event& a = live_events[i];
    const Event& r = replay_events[i];
    CHECK(a.type == r.type);
    CHECK(a.created == r.created);
    CHECK(a.kv.key == r.kv.key);
    CHECK(a.kv.value == r.kv.value);
    CHECK(a.kv.mod_revision == r.kv.mod_revision);
    CHECK(a.kv.create_revision == r.kv.create_revision);
    CHECK(a.prev_kv.value == r.prev_kv.value);
    CHECK(a.prev_kv.mod_revision == r.prev_kv.mod_revision);
  }
}

TEST_CASE("Watch: replay then live with concurrent writers has no gap and no duplicate") {
  TestTempDir dir;
  auto b = OpenStore(dir);
  std::mutex mu;
  std::set<int64_t> watched_revisions;  // acknowledged writes under /c/
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const bool watched = (i + t) % 2 == 0;
        std::string key = std::string(watched ? "/c/" : "/d/") + std::to_string(t) + "-" +
                          std::to_string(i % 20);
        auto c = b->Create(key, "v");
        int64_t rev = 0;
        if (c.ok()) {
          rev = *c;
        } else {
          auto d = b->Delete(key, 0);
          if (!d.ok()) {
            ++failures;
            continue;
          }
          rev = d->mod_revision;
        }
        if (watched) {
          std::lock_guard<std::mutex> lock(mu);
          watched_revisions.insert(rev);
        }
      }
    });
  }
  while (b->CurrentRevision() < 300) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int64_t from = b->CurrentRevision() - 150;  // part replay, part live
  auto w = b->WatchPrefix("/c/", from);
  REQUIRE(w.ok());
  while (b->CurrentRevision() < from + 800) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stop = true;
  for (auto& th : writers) th.join();
  CHECK(failures.load() == 0);

  std::vector<int64_t> expected;
  for (int64_t rev : watched_revisions) {
    if (rev > from) expected.push_back(rev);
  }
  auto events = Collect(**w, expected.size());
  std::vector<int64_t> got;
  for (const auto& ev : events) {
    CHECK(ev.kv.key.rfind("/c/", 0) == 0);
    got.push_back(ev.kv.mod_revision);
  }
  CHECK(got.size() == expected.size());
  CHECK(got == expected);  // same revisions, in order: no gap, no duplicate
}

TEST_CASE("Watch: from a compacted revision is Expired") {
  TestTempDir dir;
  auto b = OpenStore(dir);
  for (int i = 0; i < 50; ++i) REQUIRE(b->Create("/e/" + std::to_string(i), "v").ok());
  REQUIRE(b->Compact(30).ok());

  auto old = b->WatchPrefix("/e/", 10);
  CHECK(old.status().reason() == Reason::kExpired);
  CHECK(old.status().message() == "too old resource version: 10 (30)");
  CHECK(b->GetStats().watchers == 0);

  auto edge = b->WatchPrefix("/e/", 30);
  REQUIRE(edge.ok());
  auto events = Collect(**edge, 20);
  REQUIRE(events.size() == 20);
  CHECK(events.front().kv.mod_revision == 31);
  CHECK(events.back().kv.mod_revision == 50);
}

TEST_CASE("Watch: a slow watcher overflows alone and does not block writers") {
  TestTempDir dir;
  SqliteBackend::Options opts;
  opts.watch_buffer_size = 16;
  auto b = OpenStore(dir, opts);
  auto slow = b->WatchPrefix("/s/", 0);
  REQUIRE(slow.ok());
  auto fast = b->WatchPrefix("/s/", 0);
  REQUIRE(fast.ok());
  std::atomic<int> notified{0};
  (*slow)->SetNotify([&] { ++notified; });
  CHECK(b->GetStats().watchers == 2);

  constexpr int kWrites = 200;
  std::vector<Event> fast_events;
  std::atomic<size_t> fast_count{0};
  std::thread consumer([&] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (fast_events.size() < kWrites && std::chrono::steady_clock::now() < deadline) {
      (*fast)->Wait(50);
      if (!(*fast)->Poll(&fast_events)) break;
      fast_count = fast_events.size();
    }
  });
  for (int i = 0; i < kWrites; ++i) {
    REQUIRE(b->Create("/s/" + std::to_string(i), "v").ok());
    // Keep the fast consumer within its buffer even on a loaded machine; the slow one never
    // polls, and the writes above must not wait for it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (fast_count.load() + 8 < static_cast<size_t>(i) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  consumer.join();
  CHECK(fast_events.size() == kWrites);
  CHECK((*fast)->closed_status().ok());

  CHECK(notified.load() >= 1);
  api::Status st = (*slow)->closed_status();
  CHECK(st.reason() == Reason::kGone);
  CHECK(st.message().find("watch buffer overflow") != std::string::npos);
  // What was buffered before the overflow can still be drained, then Poll reports the closure.
  std::vector<Event> slow_events;
  while ((*slow)->Poll(&slow_events)) {
  }
  CHECK(slow_events.size() == 16);
  CHECK(slow_events.back().kv.mod_revision == 16);
  CHECK(b->GetStats().watchers == 1);

  // The consumer resumes from the last revision it saw and gets the rest.
  auto resumed = b->WatchPrefix("/s/", slow_events.back().kv.mod_revision);
  REQUIRE(resumed.ok());
  auto rest = Collect(**resumed, kWrites - 16);
  REQUIRE(rest.size() == kWrites - 16);
  CHECK(rest.front().kv.mod_revision == 17);
}

TEST_CASE("Watch: notify wakes an event-driven consumer; Stop and Close end watches") {
  TestTempDir dir;
  auto b = OpenStore(dir);
  auto w = b->WatchPrefix("/n/", 0);
  REQUIRE(w.ok());
  std::atomic<int> notified{0};
  (*w)->SetNotify([&] { ++notified; });
  REQUIRE(b->Create("/n/1", "v").ok());
  CHECK(notified.load() == 1);
  REQUIRE(b->Create("/n/2", "v").ok());
  CHECK(notified.load() == 1);  // not re-armed until the consumer polls
  std::vector<Event> events;
  CHECK((*w)->Poll(&events));
  CHECK(events.size() == 2);
  REQUIRE(b->Create("/n/3", "v").ok());
  CHECK(notified.load() == 2);

  auto stopped = b->WatchPrefix("/n/", 0);
  REQUIRE(stopped.ok());
  CHECK(b->GetStats().watchers == 2);
  (*stopped)->Stop();
  CHECK(b->GetStats().watchers == 1);
  std::vector<Event> none;
  CHECK_FALSE((*stopped)->Poll(&none));

  b->Close();
  CHECK(notified.load() == 2);  // the /n/3 notify is still unanswered
  events.clear();
  CHECK((*w)->Poll(&events));  // /n/3 is still delivered
  CHECK(events.size() == 1);
  CHECK_FALSE((*w)->Poll(&events));
  CHECK((*w)->closed_status().reason() == Reason::kServiceUnavailable);
}

}  // namespace
}  // namespace kc::store
