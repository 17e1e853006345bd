#include "pkg/protobuf/wire_reader.h"

#include <doctest/doctest.h>

#include <string>

namespace kc::protobuf {
namespace {

TEST_CASE("WireReader reads tags, varints and length-delimited fields") {
  // field 1 varint 150, field 2 "hi", field 3 fixed32, field 4 fixed64
  const std::string data = std::string("\x08\x96\x01\x12\x02hi\x1d\x01\x02\x03\x04", 12) +
                           std::string("\x21\x01\x02\x03\x04\x05\x06\x07\x08", 9);
  WireReader r(data);
  uint32_t field = 0;
  WireType type{};
  REQUIRE(r.ReadTag(&field, &type).ok());
  CHECK(field == 1);
  CHECK(type == WireType::kVarint);
  uint64_t v = 0;
  REQUIRE(r.ReadVarint(&v).ok());
  CHECK(v == 150);
  REQUIRE(r.ReadTag(&field, &type).ok());
  CHECK(type == WireType::kLengthDelimited);
  std::string_view bytes;
  REQUIRE(r.ReadLengthDelimited(&bytes).ok());
  CHECK(bytes == "hi");
  REQUIRE(r.ReadTag(&field, &type).ok());
  CHECK(type == WireType::kFixed32);
  REQUIRE(r.Skip(type).ok());
  REQUIRE(r.ReadTag(&field, &type).ok());
  CHECK(field == 4);
  REQUIRE(r.Skip(type).ok());
  CHECK(r.done());
}

TEST_CASE("WireReader: the largest varint and field number") {
  const std::string max = "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01";
  WireReader r(max);
  uint64_t v = 0;
  REQUIRE(r.ReadVarint(&v).ok());
  CHECK(v == UINT64_MAX);
  WireReader t("\xf8\xff\xff\xff\x0f");  // field 2^29-1, varint
  uint32_t field = 0;
  WireType type{};
  REQUIRE(t.ReadTag(&field, &type).ok());
  CHECK(field == 0x1fffffff);
}

TEST_CASE("WireReader refuses malformed input") {
  uint64_t v = 0;
  uint32_t field = 0;
  WireType type{};
  std::string_view bytes;
  SUBCASE("truncated varint") {
    WireReader r("\x96");
    CHECK(r.ReadVarint(&v).reason() == api::Reason::kBadRequest);
  }
  SUBCASE("empty buffer") {
    WireReader r("");
    CHECK_FALSE(r.ReadTag(&field, &type).ok());
  }
  SUBCASE("over-long varint") {
    const std::string data = std::string(10, '\x80') + "\x01";
    WireReader r(data);
    CHECK_FALSE(r.ReadVarint(&v).ok());
  }
  SUBCASE("length beyond the end") {
    WireReader r("\x05" "abc");
    CHECK_FALSE(r.ReadLengthDelimited(&bytes).ok());
    WireReader huge("\xff\xff\xff\xff\xff\xff\xff\xff\x7f");
    CHECK_FALSE(huge.ReadLengthDelimited(&bytes).ok());
  }
  SUBCASE("truncated fixed-width fields") {
    WireReader r("\x01\x02");
    CHECK_FALSE(r.Skip(WireType::kFixed32).ok());
    CHECK_FALSE(r.Skip(WireType::kFixed64).ok());
  }
  SUBCASE("groups and reserved wire types") {
    WireReader g("");
    CHECK_FALSE(g.Skip(WireType::kStartGroup).ok());
    CHECK_FALSE(g.Skip(WireType::kEndGroup).ok());
    WireReader r6("\x0e");
    CHECK_FALSE(r6.ReadTag(&field, &type).ok());
    WireReader r7("\x0f");
    CHECK_FALSE(r7.ReadTag(&field, &type).ok());
  }
  SUBCASE("field number 0 and beyond 2^29-1") {
    WireReader zero("\x00");
    CHECK_FALSE(zero.ReadTag(&field, &type).ok());
    WireReader big("\x80\x80\x80\x80\x10");
    CHECK_FALSE(big.ReadTag(&field, &type).ok());
  }
}

}  // namespace
}  // namespace kc::protobuf
