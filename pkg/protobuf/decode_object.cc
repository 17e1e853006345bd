#include "pkg/protobuf/decode_object.h"

#include <boost/json/value.hpp>
#include <string>

#include "pkg/protobuf/envelope.h"
#include "pkg/protobuf/message_decoder.h"
#include "pkg/protobuf/schemas.h"
#include "pkg/protobuf/wire_reader.h"

namespace kc::protobuf {
namespace {

api::Result<Envelope> CheckedEnvelope(std::string_view body) {
  auto env = ParseEnvelope(body);
  if (!env.ok()) return env;
  if (!env->content_encoding.empty()) {
    return MalformedProtobuf("unsupported contentEncoding \"" +
                             std::string(env->content_encoding) + "\"");
  }
  if (env->kind.empty()) return MalformedProtobuf("Object 'Kind' is missing");
  if (env->api_version.empty()) return MalformedProtobuf("Object 'apiVersion' is missing");
  return env;
}

// kind and apiVersion first, as kubectl writes them, then the decoded fields.
boost::json::object WithTypeMeta(const Envelope& env, boost::json::object fields) {
  boost::json::object out;
  out.reserve(fields.size() + 2);
  out["kind"] = std::string(env.kind);
  out["apiVersion"] = std::string(env.api_version);
  for (auto& [key, value] : fields) {
    if (key != "kind" && key != "apiVersion") out[key] = std::move(value);
  }
  return out;
}

}  // namespace

api::Result<boost::json::object> DecodeObject(std::string_view body) {
  auto env = CheckedEnvelope(body);
  if (!env.ok()) return env.status();
  const MessageSchema* schema = FindKindSchema(env->api_version, env->kind);
  if (schema == nullptr) {
    return api::Status(api::Reason::kUnsupportedMediaType,
                       "the body of the request was in an unknown format - protobuf is not "
                       "supported for " +
                           std::string(env->api_version) + ", Kind=" + std::string(env->kind) +
                           "; accepted media types include: application/json, application/yaml");
  }
  auto fields = DecodeMessage(env->raw, *schema);
  if (!fields.ok()) return fields.status();
  return WithTypeMeta(*env, std::move(*fields));
}

api::Result<boost::json::object> DecodeDeleteOptions(std::string_view body) {
  auto env = CheckedEnvelope(body);
  if (!env.ok()) return env.status();
  if (env->kind != "DeleteOptions") {
    return api::Status::BadRequest("expected a DeleteOptions body, got kind \"" +
                                   std::string(env->kind) + "\"");
  }
  auto fields = DecodeMessage(env->raw, meta::DeleteOptions());
  if (!fields.ok()) return fields.status();
  return WithTypeMeta(*env, std::move(*fields));
}

}  // namespace kc::protobuf
