#include "pkg/allocator/node_port_allocator.h"

#include <doctest/doctest.h>

#include <set>

namespace kc::allocator {
namespace {

PortRange Range(const char* text) { return PortRange::Parse(text).value(); }

}  // namespace

TEST_CASE("NodePortAllocator static band sizes match upstream's formula") {
  struct Case {
    const char* range;
    uint64_t band;
  };
  const Case cases[] = {{"30000-32767", 86}, {"30000-30015", 0},   {"30000-30016", 16},
                        {"30000-30999", 31}, {"20000-29999", 128}, {"30000-30000", 0}};
  for (const Case& c : cases) {
    SUBCASE(c.range) { CHECK(NodePortAllocator::StaticBandSize(Range(c.range)) == c.band); }
  }
}

TEST_CASE("NodePortAllocator validates requested ports with upstream texts") {
  NodePortAllocator a(Range("30000-32767"), 1);
  REQUIRE(a.Allocate(30080, "spec.ports[0].nodePort").ok());
  struct Case {
    const char* name;
    int64_t port;
    const char* field;
    const char* message;
  };
  const Case cases[] = {
      {"below", 80, "spec.ports[0].nodePort",
       "Invalid value: 80: provided port is not in the valid range. The range of valid ports is "
       "30000-32767"},
      {"above", 32768, "spec.ports[1].nodePort",
       "Invalid value: 32768: provided port is not in the valid range. The range of valid ports "
       "is 30000-32767"},
      {"negative", -1, "spec.ports[0].nodePort",
       "Invalid value: -1: provided port is not in the valid range. The range of valid ports is "
       "30000-32767"},
      {"duplicate", 30080, "spec.ports[2].nodePort",
       "Invalid value: 30080: provided port is already allocated"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      api::Status s = a.Allocate(c.port, c.field);
      CHECK(s.reason() == api::Reason::kInvalid);
      REQUIRE(s.details().causes.size() == 1);
      CHECK(s.details().causes[0].reason == "FieldValueInvalid");
      CHECK(s.details().causes[0].field == c.field);
      CHECK(s.details().causes[0].message == c.message);
      CHECK(s.message() == std::string(c.field) + ": " + c.message);
    }
  }
  CHECK(a.Used() == 1);
  CHECK(a.Allocate(30000, "spec.ports[0].nodePort").ok());
  CHECK(a.Allocate(32767, "spec.ports[0].nodePort").ok());
  CHECK(a.Allocated() == std::vector<int>{30000, 30080, 32767});
}

TEST_CASE("NodePortAllocator exhaustion, release and reuse") {
  NodePortAllocator a(Range("30000-30019"), 4);  // 20 ports, band 16
  std::set<int> seen;
  for (int i = 0; i < 20; ++i) {
    api::Result<int> p = a.AllocateNext();
    REQUIRE(p.ok());
    CHECK(a.range().Contains(*p));
    REQUIRE(seen.insert(*p).second);
    if (i < 4) CHECK(*p >= 30016);  // the upper band first
  }
  api::Result<int> full = a.AllocateNext();
  REQUIRE_FALSE(full.ok());
  CHECK(full.status().reason() == api::Reason::kInternalError);
  CHECK(full.status().message() ==
        "Internal error occurred: failed to allocate a nodePort: range is full");
  a.Release(30007);
  a.Release(80);  // out of range: no-op
  CHECK(a.Free() == 1);
  CHECK(a.AllocateNext().value() == 30007);
}

TEST_CASE("NodePortAllocator default range keeps the static band free") {
  NodePortAllocator a(Range("30000-32767"));
  std::set<int> seen;
  for (int i = 0; i < 2768 - 86; ++i) {
    api::Result<int> p = a.AllocateNext();
    REQUIRE(p.ok());
    REQUIRE(*p >= 30086);
    REQUIRE(seen.insert(*p).second);
  }
  api::Result<int> low = a.AllocateNext();
  REQUIRE(low.ok());
  CHECK(*low < 30086);
}

TEST_CASE("NodePortAllocator snapshot and restore") {
  NodePortAllocator a(Range("30000-32767"), 1);
  REQUIRE(a.Allocate(30080, "spec.ports[0].nodePort").ok());
  std::set<int> before{30080};
  for (int i = 0; i < 50; ++i) before.insert(a.AllocateNext().value());
  RangeSnapshot snap = a.Snapshot();
  CHECK(snap.range == "30000-32767");

  NodePortAllocator b(Range("30000-32767"), 2);
  REQUIRE(b.Restore(snap).ok());
  CHECK(b.Used() == 51);
  for (int p : before) CHECK(b.Has(p));
  for (int i = 0; i < 500; ++i) {
    int p = b.AllocateNext().value();
    CHECK(before.count(p) == 0);
  }
  CHECK(b.Allocate(30080, "spec.ports[0].nodePort").message() ==
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");

  NodePortAllocator other(Range("30000-30099"), 1);
  api::Status s = other.Restore(snap);
  CHECK(s.reason() == api::Reason::kBadRequest);
  CHECK(s.message() == "the provided port range does not match the current port range");
}

}  // namespace kc::allocator
