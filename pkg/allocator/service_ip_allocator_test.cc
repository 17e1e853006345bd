#include "pkg/allocator/service_ip_allocator.h"

#include <doctest/doctest.h>

#include <set>
#include <thread>

namespace kc::allocator {
namespace {

IpRange Range(const char* cidr) { return IpRange::Parse(cidr).value(); }

}  // namespace

TEST_CASE("ServiceIpAllocator static band sizes match upstream's formula") {
  struct Case {
    const char* cidr;
    uint64_t band;
  };
  const Case cases[] = {{"10.43.0.0/16", 256}, {"10.0.0.0/20", 256}, {"10.0.0.0/21", 128},
                        {"10.0.0.0/24", 16},   {"10.0.0.0/27", 16},  {"10.0.0.0/28", 0},
                        {"10.0.0.0/29", 0},    {"10.96.0.0/12", 256}};
  for (const Case& c : cases) {
    SUBCASE(c.cidr) { CHECK(ServiceIpAllocator::StaticBandSize(Range(c.cidr)) == c.band); }
  }
}

TEST_CASE("ServiceIpAllocator: kubernetes service IP and requested IPs") {
  ServiceIpAllocator a(Range("10.43.0.0/16"), 7);
  REQUIRE(a.range().At(0) == "10.43.0.1");
  CHECK(a.Allocate(a.range().At(0)).ok());
  CHECK(a.Has("10.43.0.1"));
  CHECK(a.Allocate("10.43.0.10").ok());
  CHECK(a.Used() == 2);
  CHECK(a.Allocated() == std::vector<std::string>{"10.43.0.1", "10.43.0.10"});
}

TEST_CASE("ServiceIpAllocator errors carry upstream texts") {
  ServiceIpAllocator a(Range("10.43.0.0/16"), 7);
  REQUIRE(a.Allocate("10.43.0.10").ok());
  struct Case {
    const char* name;
    const char* ip;
    std::vector<std::string> cluster_ips;
    const char* message;
  };
  const Case cases[] = {
      {"outside",
       "10.0.0.1",
       {},
       "Invalid value: []string{\"10.0.0.1\"}: failed to allocate IP 10.0.0.1: the provided IP "
       "(10.0.0.1) is not in the valid range. The range of valid IPs is 10.43.0.0/16"},
      {"network address",
       "10.43.0.0",
       {"10.43.0.0"},
       "Invalid value: []string{\"10.43.0.0\"}: failed to allocate IP 10.43.0.0: the provided IP "
       "(10.43.0.0) is not in the valid range. The range of valid IPs is 10.43.0.0/16"},
      {"broadcast address",
       "10.43.255.255",
       {},
       "Invalid value: []string{\"10.43.255.255\"}: failed to allocate IP 10.43.255.255: the "
       "provided IP (10.43.255.255) is not in the valid range. The range of valid IPs is "
       "10.43.0.0/16"},
      {"unparsable",
       "bogus",
       {},
       "Invalid value: []string{\"bogus\"}: failed to allocate IP bogus: the provided IP (<nil>) "
       "is not in the valid range. The range of valid IPs is 10.43.0.0/16"},
      {"duplicate",
       "10.43.0.10",
       {},
       "Invalid value: []string{\"10.43.0.10\"}: failed to allocate IP 10.43.0.10: provided IP is "
       "already allocated"},
      {"dual-stack value rendered whole",
       "10.43.0.10",
       {"10.43.0.10", "fd00::a"},
       "Invalid value: []string{\"10.43.0.10\", \"fd00::a\"}: failed to allocate IP 10.43.0.10: "
       "provided IP is already allocated"},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      api::Status s = a.Allocate(c.ip, c.cluster_ips);
      CHECK(s.reason() == api::Reason::kInvalid);
      REQUIRE(s.details().causes.size() == 1);
      const api::StatusCause& cause = s.details().causes[0];
      CHECK(cause.reason == "FieldValueInvalid");
      CHECK(cause.field == "spec.clusterIPs");
      CHECK(cause.message == c.message);
      CHECK(s.message() == std::string("spec.clusterIPs: ") + c.message);
      api::Status wrapped = api::Status::InvalidFor("Service", "web", s.details().causes);
      CHECK(wrapped.message() ==
            std::string("Service \"web\" is invalid: spec.clusterIPs: ") + c.message);
    }
  }
  CHECK(a.Used() == 1);  // failed allocations take nothing
}

TEST_CASE("ServiceIpAllocator exhausts a /29 with the upstream error") {
  ServiceIpAllocator a(Range("10.0.0.0/29"), 3);
  std::set<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    api::Result<std::string> ip = a.AllocateNext();
    REQUIRE(ip.ok());
    CHECK(a.range().Contains(*ip));
    CHECK(seen.insert(*ip).second);
  }
  api::Result<std::string> full = a.AllocateNext();
  REQUIRE_FALSE(full.ok());
  CHECK(full.status().reason() == api::Reason::kInternalError);
  CHECK(full.status().message() ==
        "Internal error occurred: failed to allocate a serviceIP: range is full");
  CHECK(a.Free() == 0);
  a.Release("10.0.0.3");
  api::Result<std::string> again = a.AllocateNext();
  REQUIRE(again.ok());
  CHECK(*again == "10.0.0.3");
}

TEST_CASE("ServiceIpAllocator never hands out an IP twice") {
  ServiceIpAllocator a(Range("10.43.0.0/22"));  // 1022 usable, random seed
  REQUIRE(a.Allocate("10.43.0.1").ok());
  std::set<std::string> seen{"10.43.0.1"};
  for (int i = 0; i < 1021; ++i) {
    api::Result<std::string> ip = a.AllocateNext();
    REQUIRE(ip.ok());
    REQUIRE(seen.insert(*ip).second);
  }
  CHECK_FALSE(a.AllocateNext().ok());
}

TEST_CASE("ServiceIpAllocator is safe under concurrent AllocateNext") {
  ServiceIpAllocator a(Range("10.43.0.0/20"), 11);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&a, &got, t] {
      for (int i = 0; i < 500; ++i) {
        api::Result<std::string> ip = a.AllocateNext();
        if (ip.ok()) got[t].push_back(*ip);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : got) {
    CHECK(v.size() == 500);
    all.insert(v.begin(), v.end());
  }
  CHECK(all.size() == 2000);
  CHECK(a.Used() == 2000);
}

TEST_CASE("ServiceIpAllocator dynamic allocation prefers the upper band") {
  ServiceIpAllocator a(Range("10.43.0.0/16"), 5);
  for (int i = 0; i < 2000; ++i) {
    api::Result<std::string> ip = a.AllocateNext();
    REQUIRE(ip.ok());
    REQUIRE(*a.range().OffsetOf(*ip) >= 256);
  }
  // Every address of the static band is still free for requests.
  for (uint64_t o = 0; o < 256; ++o) CHECK(a.Allocate(a.range().At(o)).ok());
}

TEST_CASE("ServiceIpAllocator falls back to the static band when the rest is full") {
  ServiceIpAllocator a(Range("10.0.0.0/27"), 9);  // 30 usable, band 16
  for (int i = 0; i < 14; ++i) {
    api::Result<std::string> ip = a.AllocateNext();
    REQUIRE(ip.ok());
    CHECK(*a.range().OffsetOf(*ip) >= 16);
  }
  api::Result<std::string> low = a.AllocateNext();
  REQUIRE(low.ok());
  CHECK(*a.range().OffsetOf(*low) < 16);
}

TEST_CASE("ServiceIpAllocator survives a restart through its snapshot") {
  RangeSnapshot saved;
  std::set<std::string> before;
  {
    ServiceIpAllocator a(Range("10.0.0.0/27"), 1);
    REQUIRE(a.Allocate("10.0.0.1").ok());
    before.insert("10.0.0.1");
    for (int i = 0; i < 10; ++i) before.insert(a.AllocateNext().value());
    a.Release("10.0.0.1");
    before.erase("10.0.0.1");
    saved = a.Snapshot();
    CHECK(saved.range == "10.0.0.0/27");
  }
  // A new process with another seed: the old allocations are there, new ones don't collide.
  ServiceIpAllocator b(Range("10.0.0.0/27"), 2);
  REQUIRE(b.Restore(saved).ok());
  CHECK(b.Used() == before.size());
  for (const std::string& ip : before) {
    CHECK(b.Has(ip));
    CHECK(b.Allocate(ip).message().find("provided IP is already allocated") != std::string::npos);
  }
  CHECK_FALSE(b.Has("10.0.0.1"));
  CHECK(b.Snapshot() == saved);
  while (true) {
    api::Result<std::string> ip = b.AllocateNext();
    if (!ip.ok()) break;
    CHECK(before.count(*ip) == 0);
  }
  CHECK(b.Used() == 30);
}

TEST_CASE("ServiceIpAllocator Restore refuses another range or corrupt data") {
  ServiceIpAllocator a(Range("10.43.0.0/16"), 1);
  REQUIRE(a.Allocate("10.43.0.5").ok());
  api::Status s = a.Restore({"10.42.0.0/16", ""});
  CHECK(s.reason() == api::Reason::kBadRequest);
  CHECK(s.message() == "the provided network does not match the current range");
  CHECK(a.Restore({"10.43.0.0/16", "%%%"}).reason() == api::Reason::kBadRequest);
  CHECK(a.Has("10.43.0.5"));
  CHECK(a.Used() == 1);
}

}  // namespace kc::allocator
