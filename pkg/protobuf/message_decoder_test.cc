// The schema-driven decoder: value kinds, shapes, presence rules, and refusal of malformed input.
#include "pkg/protobuf/message_decoder.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "pkg/protobuf/decode_object.h"
#include "pkg/protobuf/schemas.h"
#include "pkg/protobuf/test_encoder.h"

namespace kc::protobuf {
namespace {

using testing::Envelope;
using testing::GoObjectMeta;
using testing::Pb;

boost::json::object Json(const char* text) { return boost::json::parse(text).as_object(); }

void ExpectMessage(const Pb& pb, const MessageSchema& schema, const char* expected) {
  auto got = DecodeMessage(pb.str(), schema);
  REQUIRE_MESSAGE(got.ok(), got.status().ToString());
  CHECK_MESSAGE(*got == Json(expected), boost::json::serialize(*got));
}

void ExpectBadRequest(const Pb& pb, const MessageSchema& schema) {
  auto got = DecodeMessage(pb.str(), schema);
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().reason() == api::Reason::kBadRequest);
}

// A test-only message that contains itself: {1 child Node, 2 name}.
const MessageSchema& Node();
KC_PB_MESSAGE(Node, Message(1, "child", Node), String(2, "name"))

TEST_CASE("DecodeMessage: value kinds and shapes") {
  SUBCASE("negative int32 arrives sign-extended to 10 bytes") {
    ExpectMessage(Pb().Int(25, -5), core::PodSpec(), R"({"priority":-5})");
  }
  SUBCASE("int64 beyond 32 bits") {
    ExpectMessage(Pb().Int(4, 5000000000), core::PodSpec(),
                  R"({"terminationGracePeriodSeconds":5000000000})");
  }
  SUBCASE("repeated int64, packed and unpacked") {
    Pb packed_payload;
    packed_payload.PutVarint(1000);
    packed_payload.PutVarint(2000);
    ExpectMessage(Pb().Bytes(4, packed_payload.str()), core::PodSecurityContext(),
                  R"({"supplementalGroups":[1000,2000]})");
    ExpectMessage(Pb().Int(4, 1000).Int(4, 2000), core::PodSecurityContext(),
                  R"({"supplementalGroups":[1000,2000]})");
  }
  SUBCASE("pointer fields keep zero values, omitempty fields drop them") {
    ExpectMessage(Pb().Int(2, 0).Bool(3, false).Int(5, 0).Str(12, ""), core::PodSecurityContext(),
                  R"({"runAsUser":0,"runAsNonRoot":false,"fsGroup":0,
                      "supplementalGroupsPolicy":""})");
    ExpectMessage(Pb().Str(1, "").Str(2, "").Int(7, 0).Msg(8, Pb()), meta::ObjectMeta(),
                  R"({"creationTimestamp":null})");
  }
  SUBCASE("inlined structs: volume source, key selectors, probe handler") {
    Pb volume;
    volume.Str(1, "cfg").Msg(2, Pb().Msg(19, Pb().Msg(1, Pb().Str(1, "app-config"))
                                             .Msg(2, Pb().Str(1, "k").Str(2, "p"))));
    Pb env;
    env.Str(1, "PASSWORD").Str(2, "")
        .Msg(3, Pb().Msg(4, Pb().Msg(1, Pb().Str(1, "db")).Str(2, "password")));
    Pb probe;
    probe.Msg(1, Pb().Msg(2, Pb().Str(1, "/healthz").Msg(2, Pb().Int(1, 1).Int(2, 0)
                                                                   .Str(3, "http"))))
        .Int(2, 5).Int(4, 10);
    Pb container;
    container.Str(1, "app").Str(2, "img").Msg(7, env).Msg(10, probe)
        .Msg(9, Pb().Str(1, "cfg").Bool(2, true).Str(3, "/etc/app"));
    ExpectMessage(Pb().Msg(1, volume).Msg(2, container), core::PodSpec(), R"({
      "volumes":[{"name":"cfg","configMap":{"name":"app-config",
                                            "items":[{"key":"k","path":"p"}]}}],
      "containers":[{"name":"app","image":"img",
        "env":[{"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}],
        "livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},
                         "initialDelaySeconds":5,"periodSeconds":10},
        "volumeMounts":[{"name":"cfg","readOnly":true,"mountPath":"/etc/app"}]}]})");
  }
  SUBCASE("quantity maps, bytes maps, timestamps") {
    Pb resources;
    resources.Msg(1, Pb().Str(1, "cpu").Msg(2, Pb().Str(1, "500m")))
        .Msg(2, Pb().Str(1, "memory").Msg(2, Pb().Str(1, "128Mi")));
    ExpectMessage(resources, core::ResourceRequirements(),
                  R"({"limits":{"cpu":"500m"},"requests":{"memory":"128Mi"}})");

    Pb cm;
    cm.Msg(1, Pb().Str(1, "cm").Msg(9, Pb().Int(1, 1714564800).Int(2, 500)))
        .Bool(4, false).Msg(3, Pb().Str(1, "bin").Bytes(2, std::string("\x00\xff", 2)));
    ExpectMessage(cm, core::ConfigMap(), R"({
      "metadata":{"name":"cm","deletionTimestamp":"2024-05-01T12:00:00Z"},
      "immutable":false,"binaryData":{"bin":"AP8="}})");
  }
  SUBCASE("map entries with a missing key or value take the proto defaults") {
    ExpectMessage(Pb().Msg(11, Pb().Str(2, "v")).Msg(11, Pb().Str(1, "k2")), meta::ObjectMeta(),
                  R"({"labels":{"":"v","k2":""}})");
  }
  SUBCASE("managedFields carry their FieldsV1 as JSON") {
    Pb entry;
    entry.Str(1, "kubectl").Str(2, "Update").Str(3, "v1").Msg(4, Pb().Int(1, 0))
        .Str(6, "FieldsV1").Msg(7, Pb().Bytes(1, R"({"f:data":{".":{}}})"));
    ExpectMessage(Pb().Msg(17, entry), meta::ObjectMeta(), R"({"managedFields":[
      {"manager":"kubectl","operation":"Update","apiVersion":"v1",
       "time":"1970-01-01T00:00:00Z","fieldsType":"FieldsV1",
       "fieldsV1":{"f:data":{".":{}}}}]})");
  }
  SUBCASE("unknown fields of every wire type are skipped") {
    Pb cm;
    cm.Varint(99, 7).Str(98, "x").Msg(1, Pb().Str(1, "cm").Varint(50, 1));
    cm.Tag(97, 1);
    cm.Raw(std::string(8, '\x01'));
    cm.Tag(96, 5);
    cm.Raw(std::string(4, '\x02'));
    cm.Entry(2, "a", "b");
    ExpectMessage(cm, core::ConfigMap(), R"({"metadata":{"name":"cm"},"data":{"a":"b"}})");
  }
  SUBCASE("a message seen twice merges; a scalar seen twice keeps the last value") {
    ExpectMessage(Pb().Msg(1, Pb().Str(1, "a")).Msg(1, Pb().Str(3, "ns")).Str(3, "x").Str(3, "y"),
                  core::Secret(), R"({"metadata":{"name":"a","namespace":"ns"},"type":"y"})");
  }
  SUBCASE("invalid UTF-8 becomes U+FFFD") {
    ExpectMessage(Pb().Str(1, "a\xff" "b"), meta::ObjectMeta(), R"({"name":"a\uFFFDb"})");
  }
}

TEST_CASE("DecodeMessage: malformed input is a BadRequest, never a crash") {
  SUBCASE("truncated varint") {
    ExpectBadRequest(Pb().Tag(25, 0), core::PodSpec());
    ExpectBadRequest(Pb().Raw("\xc8\x01\x80"), core::PodSpec());
    ExpectBadRequest(Pb().Raw("\x80"), core::PodSpec());
  }
  SUBCASE("varint longer than 10 bytes") {
    ExpectBadRequest(Pb().Raw(std::string("\xc8\x01") + std::string(11, '\x80') + "\x01"),
                     core::PodSpec());
  }
  SUBCASE("length beyond the buffer") {
    ExpectBadRequest(Pb().Raw("\x0a\x05" "ab"), meta::ObjectMeta());
    ExpectBadRequest(Pb().Raw("\x0a\xff\xff\xff\xff\x0f" "ab"), meta::ObjectMeta());
    ExpectBadRequest(Pb().Raw("\xc2\x0c\x09" "ab"), meta::ObjectMeta());  // unknown field 200
  }
  SUBCASE("wrong wire type") {
    ExpectBadRequest(Pb().Varint(1, 3), core::ConfigMap());           // metadata as varint
    ExpectBadRequest(Pb().Msg(2, Pb().Str(1, "x")), core::ReplicationController());  // replicas
    ExpectBadRequest(Pb().Int(2, 1), core::ReplicationController());  // spec as varint
    ExpectBadRequest(Pb().Varint(11, 1), meta::ObjectMeta());         // map entry as varint
    ExpectBadRequest(Pb().Msg(11, Pb().Varint(1, 1)), meta::ObjectMeta());  // map key as varint
  }
  SUBCASE("groups, reserved wire types and field number 0") {
    ExpectBadRequest(Pb().Raw("\x0b\x0c"), meta::ObjectMeta());  // start/end group
    ExpectBadRequest(Pb().Raw("\x0e\x00"), meta::ObjectMeta());  // wire type 6
    ExpectBadRequest(Pb().Raw("\x02\x00"), meta::ObjectMeta());  // field 0
  }
  SUBCASE("bad IntOrString, timestamp and FieldsV1 payloads") {
    Pb port;
    port.Int(3, 80).Msg(4, Pb().Int(1, 2).Int(2, 1));  // IntOrString type 2
    ExpectBadRequest(Pb().Msg(2, Pb().Msg(1, port)), core::Service());
    ExpectBadRequest(Pb().Msg(9, Pb().Int(1, 999999999999)), meta::ObjectMeta());
    ExpectBadRequest(Pb().Msg(17, Pb().Msg(7, Pb().Bytes(1, "{not json"))), meta::ObjectMeta());
  }
  SUBCASE("nesting is bounded") {
    Pb nested;
    for (int i = 0; i < 10; ++i) nested = Pb().Msg(1, nested);
    CHECK(DecodeMessage(nested.str(), Node()).ok());

    std::string deep;  // 1000 levels, built inside-out
    for (int i = 0; i < 1000; ++i) {
      Pb wrapper;
      wrapper.Tag(1, 2);
      wrapper.PutVarint(deep.size());
      deep = wrapper.str() + deep;
    }
    auto got = DecodeMessage(deep, Node());
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().reason() == api::Reason::kBadRequest);
  }
}

TEST_CASE("DecodeObject survives every truncation and single-byte corruption") {
  Pb container;
  container.Str(1, "nginx").Str(2, "nginx").Msg(6, Pb().Int(3, 80)).Msg(8, Pb())
      .Msg(10, Pb().Msg(1, Pb().Msg(2, Pb().Str(1, "/").Msg(2, Pb().Int(2, 80)))));
  Pb deploy;
  deploy.Msg(1, GoObjectMeta("web", {{"app", "web"}}))
      .Msg(2, Pb().Int(1, 2).Msg(2, Pb().Entry(1, "app", "web"))
                  .Msg(3, Pb().Msg(1, GoObjectMeta("", {{"app", "web"}}))
                              .Msg(2, Pb().Msg(2, container).Int(25, -1))))
      .Msg(3, Pb());
  const std::string body = Envelope("apps/v1", "Deployment", deploy);
  REQUIRE(DecodeObject(body).ok());

  int failures = 0;
  for (size_t n = 0; n < body.size(); ++n) {
    auto got = DecodeObject(body.substr(0, n));
    if (!got.ok()) {
      ++failures;
      CHECK(got.status().reason() != api::Reason::kOk);
    }
  }
  CHECK(failures > 0);
  for (size_t i = 0; i < body.size(); ++i) {
    for (int bit : {0x01, 0x80, 0xff}) {
      std::string corrupt = body;
      corrupt[i] = static_cast<char>(corrupt[i] ^ bit);
      auto got = DecodeObject(corrupt);  // any result is fine; it must not crash or hang
      if (got.ok()) CHECK(got->contains("kind"));
    }
  }
}

}  // namespace
}  // namespace kc::protobuf
