#include "pkg/client/work_queue.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace kc::client {
namespace {

using namespace std::chrono_literals;

// Get with a short real-time limit, so a broken queue fails the test instead of hanging it.
bool TryGet(WorkQueue& q, std::string* key) { return q.GetFor(key, 2s); }

TEST_CASE("WorkQueue deduplicates keys waiting in the queue") {
  WorkQueue q;
  q.Add("a");
  q.Add("b");
  q.Add("a");
  CHECK(q.Len() == 2);
  std::string k;
  REQUIRE(TryGet(q, &k));
  CHECK(k == "a");
  REQUIRE(TryGet(q, &k));
  CHECK(k == "b");
  CHECK(q.Len() == 0);
}

TEST_CASE("WorkQueue re-queues a key added while it is processed, only after Done") {
  WorkQueue q;
  q.Add("a");
  std::string k;
  REQUIRE(TryGet(q, &k));
  q.Add("a");  // dirty while processing
  q.Add("a");
  CHECK(q.Len() == 0);  // not handed to a second worker
  CHECK_FALSE(q.GetFor(&k, 20ms));
  q.Done("a");
  CHECK(q.Len() == 1);
  REQUIRE(TryGet(q, &k));
  CHECK(k == "a");
  q.Done("a");
  CHECK(q.Len() == 0);
}

TEST_CASE("WorkQueue Done without a re-add drops the key") {
  WorkQueue q;
  q.Add("a");
  std::string k;
  REQUIRE(TryGet(q, &k));
  q.Done("a");
  CHECK(q.Len() == 0);
  CHECK_FALSE(q.GetFor(&k, 10ms));
}

TEST_CASE("WorkQueue never hands one key to two workers at once") {
  WorkQueue q;
  std::atomic<int> in_flight{0};
  std::atomic<bool> overlap{false};
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i) {
    workers.emplace_back([&] {
      std::string k;
      while (q.Get(&k)) {
        if (in_flight.fetch_add(1) != 0) overlap = true;
        std::this_thread::sleep_for(200us);
        in_flight.fetch_sub(1);
        processed++;
        q.Done(k);
      }
    });
  }
  for (int i = 0; i < 300; ++i) {
    q.Add("same");
    std::this_thread::sleep_for(50us);
  }
  std::this_thread::sleep_for(20ms);
  q.ShutDown();
  for (auto& t : workers) t.join();
  CHECK_FALSE(overlap.load());
  CHECK(processed.load() >= 1);
}

TEST_CASE("WorkQueue ShutDown drains queued keys then returns false, and ignores adds") {
  WorkQueue q;
  q.Add("a");
  q.ShutDown();
  CHECK(q.ShuttingDown());
  q.Add("b");
  std::string k;
  REQUIRE(q.Get(&k));
  CHECK(k == "a");
  CHECK_FALSE(q.Get(&k));
}

TEST_CASE("WorkQueue ShutDown wakes a blocked Get") {
  WorkQueue q;
  std::atomic<bool> returned{false};
  std::atomic<bool> got{true};
  std::thread t([&] {
    std::string k;
    got = q.Get(&k);
    returned = true;
  });
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(returned.load());
  q.ShutDown();
  t.join();
  CHECK(returned.load());
  CHECK_FALSE(got.load());
}

TEST_CASE("WorkQueue AddAfter waits for the injected clock") {
  FakeClock clock;
  WorkQueueOptions opts;
  opts.clock = &clock;
  WorkQueue q(opts);
  q.AddAfter("a", 10s);
  CHECK(q.Len() == 0);
  CHECK(q.NumWaiting() == 1);
  clock.Advance(9s);
  CHECK(q.Len() == 0);
  clock.Advance(1s);
  CHECK(q.Len() == 1);
  CHECK(q.NumWaiting() == 0);

  SUBCASE("an earlier deadline replaces a later one") {
    q.AddAfter("b", 10s);
    q.AddAfter("b", 1s);
    clock.Advance(1s);
    CHECK(q.Len() == 2);
  }
  SUBCASE("a later deadline does not delay an earlier one") {
    q.AddAfter("b", 1s);
    q.AddAfter("b", 10s);
    clock.Advance(1s);
    CHECK(q.Len() == 2);
  }
  SUBCASE("a delayed key already queued is not queued twice") {
    q.AddAfter("a", 1s);
    clock.Advance(1s);
    CHECK(q.Len() == 1);
  }
}

TEST_CASE("WorkQueue Get blocked on a delayed key wakes when the fake clock advances") {
  FakeClock clock;
  WorkQueueOptions opts;
  opts.clock = &clock;
  WorkQueue q(opts);
  q.AddAfter("a", 1000s);
  std::atomic<bool> got{false};
  std::string k;
  std::thread t([&] { got = q.GetFor(&k, 5s); });
  std::this_thread::sleep_for(20ms);
  CHECK_FALSE(got.load());
  clock.Advance(1000s);
  t.join();
  CHECK(got.load());
  CHECK(k == "a");
}

TEST_CASE("WorkQueue AddRateLimited backs off exponentially per key, Forget resets") {
  FakeClock clock;
  WorkQueueOptions opts;
  opts.clock = &clock;
  WorkQueue q(opts);

  struct Step {
    int requeues;
    std::chrono::milliseconds delay;
  };
  const Step steps[] = {{0, 5ms}, {1, 10ms}, {2, 20ms}, {3, 40ms}, {4, 80ms}};
  std::string k;
  for (const Step& s : steps) {
    CAPTURE(s.requeues);
    CHECK(q.NumRequeues("a") == s.requeues);
    CHECK(q.NextBackoff("a") == s.delay);
    q.AddRateLimited("a");
    clock.Advance(s.delay - 1ms);
    CHECK(q.Len() == 0);
    clock.Advance(1ms);
    REQUIRE(q.Len() == 1);
    REQUIRE(TryGet(q, &k));
    q.Done(k);
  }
  CHECK(q.NumRequeues("b") == 0);
  CHECK(q.NextBackoff("b") == 5ms);  // per key
  q.Forget("a");
  CHECK(q.NumRequeues("a") == 0);
  CHECK(q.NextBackoff("a") == 5ms);
}

TEST_CASE("WorkQueue backoff is capped at the max delay") {
  FakeClock clock;
  WorkQueueOptions opts;
  opts.clock = &clock;
  WorkQueue q(opts);
  for (int i = 0; i < 40; ++i) q.AddRateLimited("a");
  CHECK(q.NumRequeues("a") == 40);
  CHECK(q.NextBackoff("a") == std::chrono::seconds(1000));
  for (int i = 0; i < 1000; ++i) q.AddRateLimited("a");
  CHECK(q.NextBackoff("a") == std::chrono::seconds(1000));
}

}  // namespace
}  // namespace kc::client
