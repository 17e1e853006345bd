// ProtoWriter: builds the bytes of one protobuf message field by field (the wire format only: tags,
// base-128 varints, length-delimited payloads). Nested messages are written into their own
// ProtoWriter and appended with Message(). Follows proto3 conventions: String/Bool skip default
// values unless asked to keep them, so the output matches what a generated encoder would emit.
//
// Used to serialise the gnostic openapi_v2.Document served at /openapi/v2.
//
// Thread-safety: a plain value type; one writer must not be used from two threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kc::openapi::internal {

class ProtoWriter {
 public:
  // A string / bytes field; empty strings are skipped (proto3 default) unless `keep_empty`
  // (needed for repeated strings, where every element counts).
  void String(uint32_t field, std::string_view value, bool keep_empty = false);
  // A bool field; false is skipped.
  void Bool(uint32_t field, bool value);
  // An embedded message (always written, even when empty: presence matters for oneofs and for
  // message-typed fields a reader checks for nil).
  void Message(uint32_t field, const ProtoWriter& child);

  const std::string& bytes() const { return out_; }
  std::string Release() { return std::move(out_); }
  bool empty() const { return out_.empty(); }

 private:
  void Tag(uint32_t field, uint32_t wire_type);
  void Varint(uint64_t v);
  void LengthDelimited(uint32_t field, std::string_view payload);

  std::string out_;
};

}  // namespace kc::openapi::internal
