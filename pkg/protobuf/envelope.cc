#include "pkg/protobuf/envelope.h"

#include "pkg/protobuf/wire_reader.h"

namespace kc::protobuf {
namespace {

api::Status ParseTypeMeta(std::string_view bytes, Envelope* env) {
  WireReader r(bytes);
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if (field != 1 && field != 2) {
      if (auto s = r.Skip(wt); !s.ok()) return s;
      continue;
    }
    if (wt != WireType::kLengthDelimited) return MalformedProtobuf("wrong wire type in typeMeta");
    if (auto s = r.ReadLengthDelimited(field == 1 ? &env->api_version : &env->kind); !s.ok()) {
      return s;
    }
  }
  return api::Status::Ok();
}

}  // namespace

api::Result<Envelope> ParseEnvelope(std::string_view body) {
  if (body.size() < kProtobufMagic.size() || body.substr(0, kProtobufMagic.size()) != kProtobufMagic) {
    return MalformedProtobuf("missing the \"k8s\\0\" prefix");
  }
  Envelope env;
  WireReader r(body.substr(kProtobufMagic.size()));
  while (!r.done()) {
    uint32_t field = 0;
    WireType wt{};
    if (auto s = r.ReadTag(&field, &wt); !s.ok()) return s;
    if (field < 1 || field > 4) {
      if (auto s = r.Skip(wt); !s.ok()) return s;
      continue;
    }
    if (wt != WireType::kLengthDelimited) return MalformedProtobuf("wrong wire type in Unknown");
    std::string_view payload;
    if (auto s = r.ReadLengthDelimited(&payload); !s.ok()) return s;
    switch (field) {
      case 1:
        if (auto s = ParseTypeMeta(payload, &env); !s.ok()) return s;
        break;
      case 2:
        env.raw = payload;
        break;
      case 3:
        env.content_encoding = payload;
        break;
      default:
        env.content_type = payload;
        break;
    }
  }
  return env;
}

}  // namespace kc::protobuf
