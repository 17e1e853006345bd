#include "pkg/store/value_cache.h"

#include <doctest/doctest.h>

#include <string>

#include "pkg/store/sqlite_backend.h"
#include "pkg/store/test_temp_dir.h"

namespace kc::store {
namespace {

TEST_CASE("ValueCache: hits, authoritative misses, and the budget") {
  ValueCache c(1000);
  KeyValue out;
  CHECK(c.Get("/a", &out) == ValueCache::Lookup::kAbsent);
  c.Put(KeyValue{"/a", "one", 1, 1});
  REQUIRE(c.Get("/a", &out) == ValueCache::Lookup::kHit);
  CHECK(out.value == "one");
  CHECK(out.mod_revision == 1);
  c.Put(KeyValue{"/a", "two", 1, 2});
  REQUIRE(c.Get("/a", &out) == ValueCache::Lookup::kHit);
  CHECK(out.value == "two");
  CHECK(out.create_revision == 1);
  CHECK(out.mod_revision == 2);

  // A key that does not fit: not cached, and misses are no longer authoritative.
  c.Put(KeyValue{"/big", std::string(2000, 'x'), 3, 3});
  CHECK_FALSE(c.complete());
  CHECK(c.Get("/big", &out) == ValueCache::Lookup::kUnknown);
  CHECK(c.Get("/never", &out) == ValueCache::Lookup::kUnknown);
  // Keys already held keep being served and updated.
  c.Put(KeyValue{"/a", "three", 1, 4});
  REQUIRE(c.Get("/a", &out) == ValueCache::Lookup::kHit);
  CHECK(out.value == "three");
  c.Erase("/a");
  CHECK(c.Get("/a", &out) == ValueCache::Lookup::kUnknown);
  CHECK(c.size() == 0);
  CHECK(c.bytes() == 0);
}

// The backend with a cache too small for its keys must answer exactly like one without a cache.
TEST_CASE("SqliteBackend: point reads are the same with a full, a partial and no value cache") {
  TestTempDir dir;
  for (size_t budget : {size_t(0), size_t(600), size_t(1) << 20}) {
    CAPTURE(budget);
    SqliteBackend::Options opts;
    opts.path = dir.File("kv" + std::to_string(budget) + ".db");
    opts.value_cache_bytes = budget;
    {
      auto b = SqliteBackend::Open(opts);
      REQUIRE(b.ok());
      for (int i = 0; i < 20; ++i) {
        REQUIRE((*b)->Create("/k/" + std::to_string(i), "v" + std::to_string(i)).ok());
      }
      REQUIRE((*b)->Update("/k/3", "updated", 0).ok());
      REQUIRE((*b)->Delete("/k/4", 0).ok());
      REQUIRE((*b)->Update("/k/19", "late", 0).ok());
      auto g = (*b)->Get("/k/3");
      REQUIRE(g.ok());
      CHECK(g->value == "updated");
      CHECK(g->create_revision == 4);
      CHECK(g->mod_revision == 21);
      CHECK((*b)->Get("/k/4").status().reason() == api::Reason::kNotFound);
      CHECK((*b)->Get("/nope").status().reason() == api::Reason::kNotFound);
      g = (*b)->Get("/k/19");
      REQUIRE(g.ok());
      CHECK(g->value == "late");
      // An update's previous value (watch prev_kv) is right whichever way it was read.
      auto w = (*b)->WatchPrefix("/k/", (*b)->CurrentRevision());
      REQUIRE(w.ok());
      REQUIRE((*b)->Update("/k/5", "five", 0).ok());
      REQUIRE((*w)->Wait(5000));
      std::vector<Event> evs;
      (*w)->Poll(&evs);
      REQUIRE(evs.size() == 1);
      CHECK(evs[0].prev_kv.value == "v5");
      CHECK(evs[0].kv.value == "five");
    }
    // After a restart the cache is loaded from the log.
    auto b = SqliteBackend::Open(opts);
    REQUIRE(b.ok());
    auto g = (*b)->Get("/k/3");
    REQUIRE(g.ok());
    CHECK(g->value == "updated");
    CHECK(g->mod_revision == 21);
    CHECK((*b)->Get("/k/4").status().reason() == api::Reason::kNotFound);
    g = (*b)->Get("/k/0");
    REQUIRE(g.ok());
    CHECK(g->value == "v0");
  }
}

}  // namespace
}  // namespace kc::store
