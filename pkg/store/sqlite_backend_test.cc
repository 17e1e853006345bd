#include "pkg/store/sqlite_backend.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "pkg/store/test_temp_dir.h"

namespace kc::store {
namespace {

using api::Reason;

std::unique_ptr<SqliteBackend> OpenAt(const std::string& path,
                                      SqliteBackend::Options opts = {}) {
  opts.path = path;
  auto b = SqliteBackend::Open(opts);
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  return std::move(b).value();
}

std::vector<std::string> Keys(const ListResult& r) {
  std::vector<std::string> keys;
  for (const auto& kv : r.items) keys.push_back(kv.key);
  return keys;
}

TEST_CASE("SqliteBackend: create, get, update, delete and their errors") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("db/kv.db"));  // the directory is created
  CHECK(b->CurrentRevision() == 0);

  auto r1 = b->Create("/a/x", "v1");
  REQUIRE(r1.ok());
  CHECK(*r1 == 1);
  auto dup = b->Create("/a/x", "other");
  CHECK(dup.status().reason() == Reason::kAlreadyExists);

  auto g = b->Get("/a/x");
  REQUIRE(g.ok());
  CHECK(g->value == "v1");
  CHECK(g->create_revision == *r1);
  CHECK(g->mod_revision == *r1);

  auto r2 = b->Update("/a/x", "v2", *r1);
  REQUIRE(r2.ok());
  CHECK(*r2 > *r1);
  auto stale = b->Update("/a/x", "v3", *r1);
  CHECK(stale.status().reason() == Reason::kConflict);
  CHECK(b->Update("/a/missing", "v", 0).status().reason() == Reason::kNotFound);
  auto r3 = b->Update("/a/x", "v3", 0);  // unconditional
  REQUIRE(r3.ok());

  g = b->Get("/a/x");
  REQUIRE(g.ok());
  CHECK(g->value == "v3");
  CHECK(g->create_revision == *r1);
  CHECK(g->mod_revision == *r3);

  CHECK(b->Delete("/a/x", *r2).status().reason() == Reason::kConflict);
  auto d = b->Delete("/a/x", *r3);
  REQUIRE(d.ok());
  CHECK(d->key == "/a/x");
  CHECK(d->value == "v3");
  CHECK(d->create_revision == *r1);
  CHECK(d->mod_revision > *r3);
  CHECK(b->CurrentRevision() == d->mod_revision);
  CHECK(b->Get("/a/x").status().reason() == Reason::kNotFound);
  CHECK(b->Delete("/a/x", 0).status().reason() == Reason::kNotFound);

  // A failed write does not consume a revision.
  CHECK(b->CurrentRevision() == d->mod_revision);

  auto again = b->Create("/a/x", "");
  REQUIRE(again.ok());
  CHECK(*again == d->mod_revision + 1);
  g = b->Get("/a/x");
  REQUIRE(g.ok());
  CHECK(g->value.empty());
  CHECK(g->create_revision == *again);

  CHECK(b->Create("", "v").status().reason() == Reason::kBadRequest);
  CHECK(b->Get("/nope").status().reason() == Reason::kNotFound);
}

TEST_CASE("SqliteBackend: binary keys and values round-trip") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  std::string key("/bin/\x00\xff\x01", 8);
  std::string value("\x00\x01\x02\xff", 4);
  REQUIRE(b->Create(key, value).ok());
  auto g = b->Get(key);
  REQUIRE(g.ok());
  CHECK(g->value == value);
  auto l = b->List("/bin/", "", 0, 0);
  REQUIRE(l.ok());
  REQUIRE(l->items.size() == 1);
  CHECK(l->items[0].key == key);
}

TEST_CASE("SqliteBackend: revisions strictly increase across all kinds of writes") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  int64_t last = 0;
  for (int i = 0; i < 60; ++i) {
    std::string key = "/r/" + std::to_string(i % 7);
    int64_t rev = 0;
    auto c = b->Create(key, "v");
    if (c.ok()) {
      rev = *c;
    } else if (i % 2 == 0) {
      auto u = b->Update(key, "v" + std::to_string(i), 0);
      REQUIRE(u.ok());
      rev = *u;
    } else {
      auto d = b->Delete(key, 0);
      REQUIRE(d.ok());
      rev = d->mod_revision;
    }
    CHECK(rev > last);
    CHECK(b->CurrentRevision() == rev);
    last = rev;
  }
}

TEST_CASE("SqliteBackend: list selects a prefix in key order and shows older revisions") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  for (std::string k : {"/a/3", "/a/1", "/a/2", "/a", "/a0x", "/b/1", "/a/4"}) {
    REQUIRE(b->Create(k, "old-" + k).ok());
  }
  auto update1 = b->Update("/a/1", "new-/a/1", 0);
  REQUIRE(update1.ok());
  auto before = b->List("/a/", "", 0, 0);
  REQUIRE(before.ok());
  CHECK(before->revision == b->CurrentRevision());
  CHECK(Keys(*before) == std::vector<std::string>{"/a/1", "/a/2", "/a/3", "/a/4"});
  CHECK(before->items[0].value == "new-/a/1");
  CHECK(before->items[0].mod_revision == *update1);
  CHECK_FALSE(before->more);

  // Change everything after the snapshot revision.
  REQUIRE(b->Delete("/a/2", 0).ok());
  REQUIRE(b->Update("/a/3", "newer", 0).ok());
  REQUIRE(b->Create("/a/5", "v").ok());
  REQUIRE(b->Update("/a/1", "newest", 0).ok());

  auto at_old = b->List("/a/", "", 0, before->revision);
  REQUIRE(at_old.ok());
  CHECK(at_old->revision == before->revision);
  REQUIRE(at_old->items.size() == before->items.size());
  for (size_t i = 0; i < before->items.size(); ++i) {
    CHECK(at_old->items[i].key == before->items[i].key);
    CHECK(at_old->items[i].value == before->items[i].value);
    CHECK(at_old->items[i].mod_revision == before->items[i].mod_revision);
    CHECK(at_old->items[i].create_revision == before->items[i].create_revision);
  }

  auto now = b->List("/a/", "", 0, 0);
  REQUIRE(now.ok());
  CHECK(Keys(*now) == std::vector<std::string>{"/a/1", "/a/3", "/a/4", "/a/5"});
  CHECK(now->items[0].value == "newest");

  auto all = b->List("", "", 0, 0);
  REQUIRE(all.ok());
  CHECK(all->items.size() == 7);  // /a, /a0x, /b/1 and four under /a/

  auto future = b->List("/a/", "", 0, b->CurrentRevision() + 5);
  CHECK(future.status().reason() == Reason::kTimeout);
  CHECK(b->List("/a/", "", -1, 0).status().reason() == Reason::kBadRequest);
}

TEST_CASE("SqliteBackend: paging with limit and start_after at one revision") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  auto key = [](int i) {
    char buf[16];
    snprintf(buf, sizeof(buf), "/p/k%02d", i);
    return std::string(buf);
  };
  for (int i = 0; i < 30; ++i) REQUIRE(b->Create(key(i), std::to_string(i)).ok());
  for (int i = 25; i < 30; ++i) REQUIRE(b->Delete(key(i), 0).ok());  // 25 live keys

  auto page1 = b->List("/p/", "", 10, 0);
  REQUIRE(page1.ok());
  CHECK(page1->items.size() == 10);
  CHECK(page1->more);
  CHECK(page1->remaining == 15);
  CHECK(page1->items.front().key == key(0));
  CHECK(page1->items.back().key == key(9));

  // Writes between pages must not show up in later pages read at page1's revision.
  REQUIRE(b->Delete(key(12), 0).ok());
  REQUIRE(b->Create("/p/k10a", "new").ok());
  REQUIRE(b->Update(key(20), "changed", 0).ok());

  auto page2 = b->List("/p/", page1->items.back().key, 10, page1->revision);
  REQUIRE(page2.ok());
  CHECK(page2->revision == page1->revision);
  CHECK(page2->items.size() == 10);
  CHECK(page2->more);
  CHECK(page2->remaining == 5);
  CHECK(page2->items.front().key == key(10));
  CHECK(page2->items[2].key == key(12));
  CHECK(page2->items.back().key == key(19));

  auto page3 = b->List("/p/", page2->items.back().key, 10, page1->revision);
  REQUIRE(page3.ok());
  CHECK(page3->items.size() == 5);
  CHECK_FALSE(page3->more);
  CHECK(page3->remaining == 0);
  CHECK(page3->items[0].key == key(20));
  CHECK(page3->items[0].value == "20");

  SUBCASE("the current revision sees the changes") {
    auto cur = b->List("/p/", key(9), 3, 0);
    REQUIRE(cur.ok());
    CHECK(Keys(*cur) == std::vector<std::string>{"/p/k10", "/p/k10a", "/p/k11"});
    CHECK(cur->remaining == 12);  // k13..k24
  }
  SUBCASE("limit equal to the count is not `more`") {
    auto exact = b->List("/p/", key(19), 5, page1->revision);
    REQUIRE(exact.ok());
    CHECK(exact->items.size() == 5);
    CHECK_FALSE(exact->more);
  }
  SUBCASE("start_after before the prefix starts at the prefix") {
    auto from_start = b->List("/p/", "/a", 2, page1->revision);
    REQUIRE(from_start.ok());
    CHECK(Keys(*from_start) == std::vector<std::string>{key(0), key(1)});
  }
  SUBCASE("start_after past the prefix yields nothing") {
    auto past = b->List("/p/", "/q", 0, 0);
    REQUIRE(past.ok());
    CHECK(past->items.empty());
  }
}

TEST_CASE("SqliteBackend: compaction keeps the state at newer revisions and expires older ones") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 10; ++i) {
      std::string k = "/c/" + std::to_string(i);
      if (round == 0) {
        REQUIRE(b->Create(k, "r0").ok());
      } else if (round == 3 && i % 3 == 0) {
        REQUIRE(b->Delete(k, 0).ok());
      } else if (round == 4 && i % 3 == 0) {
        REQUIRE(b->Create(k, "again").ok());
      } else if (!(round == 3 || round == 4) || i % 3 != 0) {
        REQUIRE(b->Update(k, "r" + std::to_string(round), 0).ok());
      }
    }
  }
  const int64_t mid = 35;
  auto at_mid = b->List("/c/", "", 0, mid);
  REQUIRE(at_mid.ok());
  auto at_now = b->List("/c/", "", 0, 0);
  REQUIRE(at_now.ok());
  int64_t rows_before = b->GetStats().rows;

  REQUIRE(b->Compact(mid - 1).ok());
  CHECK(b->CompactedRevision() == mid - 1);
  CHECK(b->GetStats().rows < rows_before);

  auto again_mid = b->List("/c/", "", 0, mid);
  REQUIRE(again_mid.ok());
  REQUIRE(again_mid->items.size() == at_mid->items.size());
  for (size_t i = 0; i < at_mid->items.size(); ++i) {
    CHECK(again_mid->items[i].key == at_mid->items[i].key);
    CHECK(again_mid->items[i].value == at_mid->items[i].value);
    CHECK(again_mid->items[i].mod_revision == at_mid->items[i].mod_revision);
  }
  auto again_now = b->List("/c/", "", 0, 0);
  REQUIRE(again_now.ok());
  CHECK(Keys(*again_now) == Keys(*at_now));

  auto expired = b->List("/c/", "", 0, mid - 1);
  CHECK(expired.status().reason() == Reason::kExpired);
  CHECK(expired.status().message().find("too old resource version: 34 (34)") !=
        std::string::npos);
  CHECK(b->List("/c/", "", 0, 3).status().reason() == Reason::kExpired);

  // Compacting everything still leaves the live keys readable.
  REQUIRE(b->Compact(b->CurrentRevision()).ok());
  auto final_list = b->List("/c/", "", 0, 0);
  REQUIRE(final_list.ok());
  CHECK(Keys(*final_list) == Keys(*at_now));
  CHECK(b->GetStats().rows == static_cast<int64_t>(at_now->items.size()));
  for (const auto& kv : at_now->items) {
    auto g = b->Get(kv.key);
    REQUIRE(g.ok());
    CHECK(g->value == kv.value);
  }
}

TEST_CASE("SqliteBackend: reopen keeps data, revision and compaction mark") {
  TestTempDir dir;
  const std::string path = dir.File("kv.db");
  int64_t last = 0;
  {
    auto b = OpenAt(path);
    for (int i = 0; i < 20; ++i) REQUIRE(b->Create("/k/" + std::to_string(i), "v").ok());
    REQUIRE(b->Update("/k/3", "three", 0).ok());
    REQUIRE(b->Delete("/k/4", 0).ok());
    REQUIRE(b->Compact(10).ok());
    last = b->CurrentRevision();
    b->Close();
    CHECK(b->Get("/k/3").status().reason() == Reason::kServiceUnavailable);
    CHECK(b->Create("/k/x", "v").status().reason() == Reason::kServiceUnavailable);
  }
  auto b = OpenAt(path);
  CHECK(b->CurrentRevision() == last);
  CHECK(b->CompactedRevision() == 10);
  auto g = b->Get("/k/3");
  REQUIRE(g.ok());
  CHECK(g->value == "three");
  CHECK(b->Get("/k/4").status().reason() == Reason::kNotFound);
  auto l = b->List("/k/", "", 0, 0);
  REQUIRE(l.ok());
  CHECK(l->items.size() == 19);
  // The in-memory index was rebuilt: CAS and AlreadyExists still work.
  CHECK(b->Create("/k/3", "x").status().reason() == Reason::kAlreadyExists);
  CHECK(b->Update("/k/3", "x", g->mod_revision - 1).status().reason() == Reason::kConflict);
  auto next = b->Create("/k/4", "back");
  REQUIRE(next.ok());
  CHECK(*next == last + 1);
}

TEST_CASE("SqliteBackend: group commit under 32 concurrent writers") {
  TestTempDir dir;
  const std::string path = dir.File("kv.db");
  constexpr int kThreads = 32;
  constexpr int kPerThread = 60;
  std::vector<std::vector<std::pair<std::string, int64_t>>> acked(kThreads);
  std::atomic<int> failures{0};
  int64_t final_revision = 0;
  {
    auto b = OpenAt(path);
    REQUIRE(b->Create("/counter", "0").ok());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string value(1024, static_cast<char>('a' + t % 26));
        for (int i = 0; i < kPerThread; ++i) {
          std::string key = "/g/" + std::to_string(t) + "/" + std::to_string(i);
          auto r = b->Create(key, value);
          if (!r.ok()) {
            ++failures;
            continue;
          }
          acked[t].emplace_back(key, *r);
          // Every thread also bumps one shared counter with compare-and-swap.
          if (i % 10 == 0) {
            for (;;) {
              auto cur = b->Get("/counter");
              if (!cur.ok()) {
                ++failures;
                break;
              }
              auto u = b->Update("/counter", std::to_string(std::stoi(cur->value) + 1),
                                 cur->mod_revision);
              if (u.ok()) break;
              if (u.status().reason() != Reason::kConflict) {
                ++failures;
                break;
              }
            }
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    CHECK(failures.load() == 0);
    final_revision = b->CurrentRevision();
    CHECK(final_revision == 1 + kThreads * kPerThread + kThreads * (kPerThread / 10));
  }
  std::set<int64_t> revisions;
  for (const auto& per_thread : acked) {
    for (const auto& kv : per_thread) revisions.insert(kv.second);
  }
  CHECK(revisions.size() == static_cast<size_t>(kThreads * kPerThread));

  auto b = OpenAt(path);
  CHECK(b->CurrentRevision() == final_revision);
  for (const auto& per_thread : acked) {
    for (const auto& [key, rev] : per_thread) {
      auto g = b->Get(key);
      REQUIRE_MESSAGE(g.ok(), key);
      CHECK(g->mod_revision == rev);
      CHECK(g->value.size() == 1024);
    }
  }
  auto counter = b->Get("/counter");
  REQUIRE(counter.ok());
  CHECK(counter->value == std::to_string(kThreads * (kPerThread / 10)));
  auto l = b->List("/g/", "", 0, 0);
  REQUIRE(l.ok());
  CHECK(l->items.size() == static_cast<size_t>(kThreads * kPerThread));
}

TEST_CASE("SqliteBackend: the file stays bounded under churn") {
  TestTempDir dir;
  SqliteBackend::Options opts;
  opts.compaction_window = 500;
  opts.compaction_interval = std::chrono::milliseconds(20);
  opts.compaction_batch = 200;
  opts.sync_full = false;  // durability is not under test here; keeps the test quick
  auto b = OpenAt(dir.File("kv.db"), opts);
  constexpr int kKeys = 100;
  constexpr int kUpdates = 20000;
  constexpr int kThreads = 10;
  const std::string value(1024, 'x');
  for (int i = 0; i < kKeys; ++i) REQUIRE(b->Create("/churn/" + std::to_string(i), value).ok());

  std::atomic<int64_t> max_size{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUpdates / kThreads; ++i) {
        std::string key = "/churn/" + std::to_string(t * (kKeys / kThreads) + i % (kKeys / kThreads));
        if (!b->Update(key, value, 0).ok()) ++failures;
        if (t == 0 && i % 100 == 0) {
          int64_t size = b->GetStats().db_size_bytes;
          int64_t prev = max_size.load();
          while (size > prev && !max_size.compare_exchange_weak(prev, size)) {
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures.load() == 0);
  CHECK(b->CurrentRevision() == kKeys + kUpdates);
  // Without compaction the log would hold 20k rows with two 1 KiB values each (~40 MiB).
  MESSAGE("max db+wal size during churn: " << max_size.load());
  CHECK(max_size.load() < 16 * 1024 * 1024);

  REQUIRE(b->Compact(b->CurrentRevision() - opts.compaction_window).ok());
  auto stats = b->GetStats();
  MESSAGE("after compaction: " << stats.db_size_bytes << " bytes, " << stats.rows << " rows");
  CHECK(stats.rows <= kKeys + opts.compaction_window);
  CHECK(stats.db_size_bytes < 4 * 1024 * 1024);
  auto l = b->List("/churn/", "", 0, 0);
  REQUIRE(l.ok());
  CHECK(l->items.size() == kKeys);
}

}  // namespace
}  // namespace kc::store

namespace kc::store {
namespace {

TEST_CASE("SqliteBackend: CreateAsync answers once the write is durable") {
  TestTempDir dir;
  auto b = OpenAt(dir.File("kv.db"));
  std::mutex mu;
  std::condition_variable cv;
  std::vector<api::Result<int64_t>> results;
  const int n = 200;
  for (int i = 0; i < n; ++i) {
    // Every key twice: one of each pair must fail with AlreadyExists.
    b->CreateAsync("/async/" + std::to_string(i % (n / 2)), "v" + std::to_string(i),
                   [&](api::Result<int64_t> r) {
                     std::lock_guard<std::mutex> l(mu);
                     results.push_back(std::move(r));
                     cv.notify_all();
                   });
  }
  {
    std::unique_lock<std::mutex> l(mu);
    REQUIRE(cv.wait_for(l, std::chrono::seconds(30), [&] { return results.size() == n; }));
  }
  int ok = 0, exists = 0;
  std::set<int64_t> revs;
  for (auto& r : results) {
    if (r.ok()) {
      ++ok;
      revs.insert(*r);
    } else if (r.status().reason() == Reason::kAlreadyExists) {
      ++exists;
    }
  }
  CHECK(ok == n / 2);
  CHECK(exists == n / 2);
  CHECK(revs.size() == static_cast<size_t>(n / 2));  // distinct revisions
  // Acknowledged means readable, with the revision that was reported.
  auto g = b->Get("/async/7");
  REQUIRE(g.ok());
  CHECK(revs.count(g->mod_revision) == 1);

  b->Close();
  api::Result<int64_t> after = api::Status::Ok();
  bool called = false;
  b->CreateAsync("/async/late", "v", [&](api::Result<int64_t> r) {
    after = std::move(r);
    called = true;
  });
  CHECK(called);  // answered on the calling thread once closed
  CHECK(after.status().reason() == Reason::kServiceUnavailable);
}

}  // namespace
}  // namespace kc::store
