// Schema tables for the protobuf → JSON decoder: for each Kubernetes message type, the list of
// its fields (protobuf field number → JSON name, value kind, shape, presence rule).
//
// A table is a function returning a reference to a function-local constant, so tables in
// different files can point at each other (by function pointer) without static-initialisation
// order problems, and a message can refer to itself. The KC_PB_MESSAGE macro writes that
// function; the constexpr helpers below (String, Int32Keep, Message, StringMap, ...) write the
// rows. Field numbers come from kubernetes/api and kubernetes/apimachinery generated.proto.
//
// Presence: Go's generated marshalling writes every non-pointer field, even when zero, so the
// decoder drops zero scalars ("" / 0 / false) of fields that are `omitempty` in the JSON form
// (Presence::kOmitEmpty, the default) and keeps them for pointer fields and fields without
// omitempty (Presence::kKeep). Messages present on the wire always decode (to {} when empty).
//
// Thread-safety: tables are immutable constants, safe to read from any thread.
#pragma once

#include <cstdint>
#include <span>

namespace kc::protobuf {

struct MessageSchema;
using SchemaRef = const MessageSchema& (*)();

// What one value of the field holds on the wire and how it maps to JSON.
enum class ValueKind : uint8_t {
  kString,       // string → JSON string (invalid UTF-8 replaced by U+FFFD, like Go)
  kBytes,        // bytes → base64 JSON string
  kInt32,        // varint → JSON number
  kInt64,        // varint → JSON number
  kBool,         // varint → true/false
  kMessage,      // nested message → JSON object (schema in FieldSpec::message)
  kIntOrString,  // intstr.IntOrString {1 type, 2 intVal, 3 strVal} → number or string
  kQuantity,     // resource.Quantity {1 string} → string
  kTime,         // metav1.Time {1 seconds, 2 nanos} → "2006-01-02T15:04:05Z", empty → null
  kMicroTime,    // metav1.MicroTime → "2006-01-02T15:04:05.000000Z", empty → null
  kDuration,     // metav1.Duration {1 nanoseconds} → Go duration string ("1h2m3s")
  kExtraValue,   // authn/authz ExtraValue {1 repeated string} → JSON array of strings
  kRawJson,      // metav1.FieldsV1 {1 raw JSON bytes} → the parsed JSON value
};

enum class Shape : uint8_t {
  kSingle,    // optional field
  kRepeated,  // repeated field → JSON array (numbers accepted packed or unpacked)
  kMap,       // map<string, V> → JSON object; entries are {1 key, 2 value}
  kInline,    // embedded Go struct (json:",inline"): its fields merge into the parent object
};

enum class Presence : uint8_t {
  kOmitEmpty,  // drop "", 0, false
  kKeep,       // emit whatever is on the wire
};

struct FieldSpec {
  uint32_t number;
  const char* json_name;
  ValueKind kind;
  Shape shape = Shape::kSingle;
  Presence presence = Presence::kOmitEmpty;
  SchemaRef message = nullptr;  // for ValueKind::kMessage
};

struct MessageSchema {
  const char* name;
  std::span<const FieldSpec> fields;

  const FieldSpec* Find(uint32_t number) const {
    for (const FieldSpec& f : fields) {
      if (f.number == number) return &f;
    }
    return nullptr;
  }
};

// Row helpers. "Keep" variants are for pointer fields and fields without omitempty.
constexpr FieldSpec String(uint32_t n, const char* name) { return {n, name, ValueKind::kString}; }
constexpr FieldSpec StringKeep(uint32_t n, const char* name) {
  return {n, name, ValueKind::kString, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Bytes(uint32_t n, const char* name) { return {n, name, ValueKind::kBytes}; }
constexpr FieldSpec BytesKeep(uint32_t n, const char* name) {
  return {n, name, ValueKind::kBytes, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Int32(uint32_t n, const char* name) { return {n, name, ValueKind::kInt32}; }
constexpr FieldSpec Int32Keep(uint32_t n, const char* name) {
  return {n, name, ValueKind::kInt32, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Int64(uint32_t n, const char* name) { return {n, name, ValueKind::kInt64}; }
constexpr FieldSpec Int64Keep(uint32_t n, const char* name) {
  return {n, name, ValueKind::kInt64, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Bool(uint32_t n, const char* name) { return {n, name, ValueKind::kBool}; }
constexpr FieldSpec BoolKeep(uint32_t n, const char* name) {
  return {n, name, ValueKind::kBool, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Message(uint32_t n, const char* name, SchemaRef schema) {
  return {n, name, ValueKind::kMessage, Shape::kSingle, Presence::kKeep, schema};
}
constexpr FieldSpec Inline(uint32_t n, SchemaRef schema) {
  return {n, "", ValueKind::kMessage, Shape::kInline, Presence::kKeep, schema};
}
constexpr FieldSpec MessageList(uint32_t n, const char* name, SchemaRef schema) {
  return {n, name, ValueKind::kMessage, Shape::kRepeated, Presence::kKeep, schema};
}
constexpr FieldSpec StringList(uint32_t n, const char* name) {
  return {n, name, ValueKind::kString, Shape::kRepeated};
}
constexpr FieldSpec Int32List(uint32_t n, const char* name) {
  return {n, name, ValueKind::kInt32, Shape::kRepeated};
}
constexpr FieldSpec Int64List(uint32_t n, const char* name) {
  return {n, name, ValueKind::kInt64, Shape::kRepeated};
}
constexpr FieldSpec StringMap(uint32_t n, const char* name) {
  return {n, name, ValueKind::kString, Shape::kMap};
}
constexpr FieldSpec BytesMap(uint32_t n, const char* name) {
  return {n, name, ValueKind::kBytes, Shape::kMap};
}
constexpr FieldSpec QuantityMap(uint32_t n, const char* name) {
  return {n, name, ValueKind::kQuantity, Shape::kMap};
}
constexpr FieldSpec TimeMap(uint32_t n, const char* name) {
  return {n, name, ValueKind::kTime, Shape::kMap};
}
constexpr FieldSpec ExtraMap(uint32_t n, const char* name) {
  return {n, name, ValueKind::kExtraValue, Shape::kMap};
}
constexpr FieldSpec IntOrString(uint32_t n, const char* name) {
  return {n, name, ValueKind::kIntOrString, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Quantity(uint32_t n, const char* name) {
  return {n, name, ValueKind::kQuantity, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Time(uint32_t n, const char* name) {
  return {n, name, ValueKind::kTime, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec MicroTime(uint32_t n, const char* name) {
  return {n, name, ValueKind::kMicroTime, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec RawJson(uint32_t n, const char* name) {
  return {n, name, ValueKind::kRawJson, Shape::kSingle, Presence::kKeep};
}
constexpr FieldSpec Duration(uint32_t n, const char* name) {
  return {n, name, ValueKind::kDuration, Shape::kSingle, Presence::kKeep};
}

}  // namespace kc::protobuf

// Defines `const MessageSchema& fn()` returning a table with the given rows.
#define KC_PB_MESSAGE(fn, ...)                                        \
  const ::kc::protobuf::MessageSchema& fn() {                         \
    static constexpr ::kc::protobuf::FieldSpec kFields[] = {__VA_ARGS__}; \
    static constexpr ::kc::protobuf::MessageSchema kSchema{#fn, kFields}; \
    return kSchema;                                                   \
  }
