#include "pkg/protobuf/wire_reader.h"

#include <string>

namespace kc::protobuf {

api::Status MalformedProtobuf(std::string_view detail) {
  return api::Status::BadRequest("the body of the request could not be decoded as protobuf: " +
                                 std::string(detail));
}

api::Status WireReader::ReadVarint(uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= data_.size()) return MalformedProtobuf("truncated varint");
    const auto byte = static_cast<uint8_t>(data_[pos_++]);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return api::Status::Ok();
    }
  }
  return MalformedProtobuf("varint longer than 10 bytes");
}

api::Status WireReader::ReadTag(uint32_t* field, WireType* type) {
  uint64_t tag = 0;
  if (auto s = ReadVarint(&tag); !s.ok()) return s;
  const uint64_t number = tag >> 3;
  const auto wire = static_cast<uint8_t>(tag & 7);
  if (number == 0 || number > 0x1fffffff) return MalformedProtobuf("invalid field number");
  if (wire > 5) return MalformedProtobuf("invalid wire type " + std::to_string(wire));
  *field = static_cast<uint32_t>(number);
  *type = static_cast<WireType>(wire);
  return api::Status::Ok();
}

api::Status WireReader::ReadLengthDelimited(std::string_view* bytes) {
  uint64_t length = 0;
  if (auto s = ReadVarint(&length); !s.ok()) return s;
  if (length > data_.size() - pos_) return MalformedProtobuf("length beyond the end of the buffer");
  *bytes = data_.substr(pos_, static_cast<size_t>(length));
  pos_ += static_cast<size_t>(length);
  return api::Status::Ok();
}

api::Status WireReader::Skip(WireType type) {
  switch (type) {
    case WireType::kVarint: {
      uint64_t ignored = 0;
      return ReadVarint(&ignored);
    }
    case WireType::kLengthDelimited: {
      std::string_view ignored;
      return ReadLengthDelimited(&ignored);
    }
    case WireType::kFixed64:
    case WireType::kFixed32: {
      const size_t width = type == WireType::kFixed64 ? 8 : 4;
      if (width > data_.size() - pos_) return MalformedProtobuf("truncated fixed-width field");
      pos_ += width;
      return api::Status::Ok();
    }
    case WireType::kStartGroup:
    case WireType::kEndGroup:
      break;
  }
  return MalformedProtobuf("groups are not supported");
}

}  // namespace kc::protobuf
