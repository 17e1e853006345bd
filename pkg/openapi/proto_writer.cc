#include "pkg/openapi/proto_writer.h"

namespace kc::openapi::internal {

void ProtoWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ProtoWriter::Tag(uint32_t field, uint32_t wire_type) {
  Varint((static_cast<uint64_t>(field) << 3) | wire_type);
}

void ProtoWriter::LengthDelimited(uint32_t field, std::string_view payload) {
  Tag(field, 2);
  Varint(payload.size());
  out_.append(payload.data(), payload.size());
}

void ProtoWriter::String(uint32_t field, std::string_view value, bool keep_empty) {
  if (value.empty() && !keep_empty) return;
  LengthDelimited(field, value);
}

void ProtoWriter::Bool(uint32_t field, bool value) {
  if (!value) return;
  Tag(field, 0);
  Varint(1);
}

void ProtoWriter::Message(uint32_t field, const ProtoWriter& child) {
  LengthDelimited(field, child.out_);
}

}  // namespace kc::openapi::internal
